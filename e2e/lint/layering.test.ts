import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering of DESIGN.md is enforced by ESLint. Each rule is shown failing once on a deliberate
 * violation (linted as if it lived at the given path) and passing on an allowed import.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('layering rules fail the lint on a violation', () => {
  const violations: [string, string, string, string][] = [
    [
      'core importing electron',
      'electron/core/__fixture__.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
      'no-restricted-imports',
    ],
    [
      'core importing a host',
      'electron/core/__fixture__.ts',
      "import { bindIpc } from '../main/ipc';\nexport const x = bindIpc;\n",
      'no-restricted-imports',
    ],
    [
      'contract importing node:fs',
      'electron/contract/__fixture__.ts',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      'no-restricted-imports',
    ],
    [
      'contract importing the core',
      'electron/contract/__fixture__.ts',
      "import { createCore } from '../core';\nexport const x = createCore;\n",
      'no-restricted-imports',
    ],
    [
      'the CLI importing electron',
      'electron/cli/__fixture__.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
      'no-restricted-imports',
    ],
    [
      'the renderer importing kafkajs',
      'renderer/src/__fixture__.ts',
      "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n",
      'no-restricted-imports',
    ],
    [
      'the renderer importing the core',
      'renderer/src/__fixture__.ts',
      "import { createCore } from '../../electron/core';\nexport const x = createCore;\n",
      'no-restricted-imports',
    ],
    [
      'the renderer importing node:path',
      'renderer/src/__fixture__.ts',
      "import path from 'node:path';\nexport const x = path;\n",
      'no-restricted-imports',
    ],
    [
      'ipcMain.handle outside electron/main/ipc.ts',
      'electron/main/__fixture__.ts',
      "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n",
      'no-restricted-syntax',
    ],
    [
      'an explicit any',
      'electron/core/__fixture__.ts',
      'export const x = (v: any) => v;\n',
      '@typescript-eslint/no-explicit-any',
    ],
    [
      'a handler calling dispatch',
      'electron/core/presets/__fixtureHandlers.ts',
      "import { dispatch } from '../dispatch';\nexport const x = dispatch;\n",
      'no-restricted-imports',
    ],
    [
      'the composition root calling dispatch',
      'electron/core/__fixture__.ts',
      "import { dispatch } from './dispatch';\nexport const x = dispatch;\n",
      'no-restricted-imports',
    ],
    [
      'an operation importing kafkajs',
      'electron/core/operations/__fixture__.ts',
      "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n",
      'no-restricted-imports',
    ],
    [
      'a handler importing a kafkajs type',
      'electron/core/admin/__fixture__.ts',
      "import type { Admin } from 'kafkajs';\nexport type X = Admin;\n",
      'no-restricted-imports',
    ],
    [
      'the core importing kafkajs internals',
      'electron/core/kerberos/__fixture__.ts',
      "import Encoder from 'kafkajs/src/protocol/encoder.js';\nexport const x = Encoder;\n",
      'no-restricted-imports',
    ],
    [
      'the core re-exporting kafkajs',
      'electron/core/__fixture__.ts',
      "export { Kafka } from 'kafkajs';\n",
      'no-restricted-imports',
    ],
    [
      'the CLI importing kafkajs',
      'electron/cli/__fixture__.ts',
      "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n",
      'no-restricted-imports',
    ],
    [
      'browser mode importing kafkajs',
      'electron/web/__fixture__.ts',
      "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n",
      'no-restricted-imports',
    ],
    [
      'main importing kafkajs',
      'electron/main/__fixture__.ts',
      "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n",
      'no-restricted-imports',
    ],
    [
      'core/kafka importing a host',
      'electron/core/kafka/__fixture__.ts',
      "import { bindIpc } from '../../main/ipc';\nexport const x = bindIpc;\n",
      'no-restricted-imports',
    ],
    [
      'core/kafka importing electron',
      'electron/core/kafka/__fixture__.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
      'no-restricted-imports',
    ],
    [
      'a view importing the api client',
      'renderer/src/views/__Fixture__.vue',
      '<script setup lang="ts">\nimport { api } from \'../api\';\nvoid api;\n</script>\n',
      'no-restricted-imports',
    ],
    [
      'a component importing the api client',
      'renderer/src/components/__fixture__.ts',
      "import { api } from '../api/index';\nexport const x = api;\n",
      'no-restricted-imports',
    ],
    [
      'a view importing the core',
      'renderer/src/views/__Fixture__.vue',
      '<script setup lang="ts">\nimport { createCore } from \'../../../electron/core\';\nvoid createCore;\n</script>\n',
      'no-restricted-imports',
    ],
  ];
  for (const [what, file, code, rule] of violations) {
    it(`rejects ${what}`, async () => {
      expect(await ruleIdsFor(code, file)).toContain(rule);
    });
  }

  const allowed: [string, string, string][] = [
    [
      'core importing the contract and Node',
      'electron/core/__fixture__.ts',
      "import { readFile } from 'node:fs/promises';\nimport { channels } from '../contract';\nexport const x = [readFile, channels];\n",
    ],
    [
      'contract importing zod',
      'electron/contract/__fixture__.ts',
      "import { z } from 'zod';\nexport const x = z.string();\n",
    ],
    [
      'the renderer importing contract types',
      'renderer/src/__fixture__.ts',
      "import type { Connection } from '../../electron/contract';\nexport type X = Connection;\n",
    ],
    [
      'a core test driving dispatch as a host does',
      'electron/core/__fixture__.test.ts',
      "import { dispatch } from './dispatch';\nexport const x = dispatch;\n",
    ],
    [
      'main importing electron and the core',
      'electron/main/__fixture__.ts',
      "import { app } from 'electron';\nimport { createCore } from '../core';\nexport const x = [app, createCore];\n",
    ],
    [
      'core/kafka importing kafkajs and its internals',
      'electron/core/kafka/__fixture__.ts',
      "import kafkajs, { type Admin } from 'kafkajs';\nimport Encoder from 'kafkajs/src/protocol/encoder.js';\nexport const x = [kafkajs, Encoder];\nexport type X = Admin;\n",
    ],
    [
      'a store importing the api client',
      'renderer/src/stores/__fixture__.ts',
      "import { api } from '../api';\nexport const x = api;\n",
    ],
    [
      'a view importing a store and the contract',
      'renderer/src/views/__Fixture__.vue',
      "<script setup lang=\"ts\">\nimport type { Connection } from '../../../electron/contract';\nimport { useCapturesStore } from '../stores/captures';\nconst x: Connection | null = null;\nvoid [x, useCapturesStore];\n</script>\n",
    ],
    [
      'an operation importing the Kafka gateway',
      'electron/core/operations/__fixture__.ts',
      "import { withKafka } from '../kafka/gateway';\nimport type { KafkaRecord } from '../kafka/types';\nexport const x = withKafka;\nexport type X = KafkaRecord;\n",
    ],
  ];
  for (const [what, file, code] of allowed) {
    it(`allows ${what}`, async () => {
      expect(await ruleIdsFor(code, file)).toEqual([]);
    });
  }
});

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(p)));
    else if (/\.(ts|js|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

const specifier = /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g;

describe('nothing under electron/core or electron/contract imports electron', () => {
  it('no import, export-from, dynamic import or require of electron', async () => {
    const files = [
      ...(await sourceFiles(path.join(root, 'electron/core'))),
      ...(await sourceFiles(path.join(root, 'electron/contract'))),
    ];
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      for (const m of text.matchAll(specifier)) {
        if (m[1] === 'electron' || m[1]!.startsWith('electron/')) offenders.push(`${path.relative(root, f)}: ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('only electron/core/kafka imports kafkajs', () => {
  it('no import, export-from, dynamic import or require of kafkajs (or its internals) anywhere else in electron/', async () => {
    const files = await sourceFiles(path.join(root, 'electron'));
    const kafka = path.join(root, 'electron/core/kafka') + path.sep;
    expect(files.filter((f) => f.startsWith(kafka)).length).toBeGreaterThan(3);
    const offenders: string[] = [];
    for (const f of files.filter((x) => !x.startsWith(kafka))) {
      const text = await readFile(f, 'utf8');
      for (const m of text.matchAll(specifier)) {
        if (m[1] === 'kafkajs' || m[1]!.startsWith('kafkajs/')) offenders.push(`${path.relative(root, f)}: ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
