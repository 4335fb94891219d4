import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/core/dispatch';
import { createCore, KeyFileSecretBox } from '../../electron/core';
import { kcatProduce, listenerInputs, readCluster, type ClusterInfo } from './support';

const exec = promisify(execFile);
/** The real command as a user runs it (bin → bundled out/cli, built by `npm run build`). */
const bin = path.resolve('bin/kafka-desk.cjs');
const cli = (args: string[]) =>
  exec(process.execPath, [bin, ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let k: ClusterInfo;
const topic = `it-cli-${Date.now()}`;

beforeAll(async () => {
  k = await readCluster();
  await kcatProduce(k.listeners.plaintext, topic, ['one', 'two']);
});

describe('kafka-desk topics', () => {
  it('--bootstrap --json prints one JSON object per topic, including one created by kcat', async () => {
    const r = await cli(['topics', '--bootstrap', k.listeners.plaintext, '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const objects = lines.map((l) => JSON.parse(l) as { name: string; partitions: number; internal: boolean });
    expect(objects.find((o) => o.name === topic)).toMatchObject({ name: topic, partitions: 1, internal: false });
    expect(objects.every((o) => typeof o.name === 'string')).toBe(true);
  });

  it('prints a readable table by default', async () => {
    const r = await cli(['topics', '-b', k.listeners.plaintext]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^TOPIC\s+PARTITIONS\s+REPLICAS\s+INTERNAL\s+SIZE\s+ALL REPLICAS$/);
    // its size on disk: the leaders', then every replica's (one here)
    expect(r.stdout).toMatch(new RegExp(`^${topic}\\s+1\\s+1\\s+no\\s+(\\d+ B)\\s+\\1$`, 'm'));
    const plain = await cli(['topics', '-b', k.listeners.plaintext, '--no-sizes']);
    expect(plain.stdout.split('\n')[0]).toMatch(/^TOPIC\s+PARTITIONS\s+REPLICAS\s+INTERNAL$/);
  });

  it('--connection NAME uses a saved SCRAM connection from --data-dir', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-cli-'));
    const core = createCore({ host: 'cli', dataDir, version: 'test', secrets: new KeyFileSecretBox(dataDir) });
    const inputs = await listenerInputs(k);
    const saved = await dispatch(core.handlers, 'connections.save', {
      ...inputs['SCRAM-SHA-512'],
      name: 'Local SCRAM',
    });
    expect(saved.ok).toBe(true);
    const r = await cli(['topics', '--connection', 'Local SCRAM', '--data-dir', dataDir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`"name":"${topic}"`);
  });

  it('exits non-zero with one clear sentence for a wrong password', async () => {
    const r = await cli([
      'topics',
      '-b',
      k.listeners.sasl,
      '--sasl-mechanism',
      'scram-sha-256',
      '--username',
      k.users.scram256.username,
      '--password',
      'wrong',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^kafka-desk: The broker at 127\.0\.0\.1:19093 refused the SASL\/SCRAM-SHA-256 login for user 'scram256'/,
    );
  });
});

describe('kafka-desk topics create / describe / delete and groups', () => {
  const made = `it-cli-made-${Date.now()}`;

  it('creates a topic with a config, as kcat and describe then see it', async () => {
    const r = await cli([
      'topics',
      'create',
      made,
      '-b',
      k.listeners.plaintext,
      '--partitions',
      '2',
      '--config',
      'retention.ms=60000',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`Created topic ${made} with 2 partitions.\n`);
    const d = await cli(['topics', 'describe', made, '-b', k.listeners.plaintext, '--json']);
    const detail = JSON.parse(d.stdout) as {
      partitions: unknown[];
      configs: { name: string; value: string; source: string }[];
    };
    expect(detail.partitions).toHaveLength(2);
    expect(detail.configs.find((c) => c.name === 'retention.ms')).toMatchObject({ value: '60000', source: 'topic' });
  });

  it("prints the broker's own reason for a config it refuses, and the config it names", async () => {
    const r = await cli([
      'topics',
      'create',
      `${made}-bad`,
      '-b',
      k.listeners.plaintext,
      '--config',
      'retention.ms=abc',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'kafka-desk: Kafka refused the request: Invalid value abc for configuration retention.ms: Not a number of type LONG (INVALID_CONFIG).\n',
    );
    expect(r.stderr).toContain(
      '  configs.retention.ms: Invalid value abc for configuration retention.ms: Not a number of type LONG\n',
    );
  });

  it('refuses to delete without --yes, deletes with it', async () => {
    const no = await cli(['topics', 'delete', made, '-b', k.listeners.plaintext]);
    expect(no.code).not.toBe(0);
    expect(no.stderr).toContain("required option '--yes'");
    const yes = await cli(['topics', 'delete', made, '-b', k.listeners.plaintext, '--yes']);
    expect(yes.code).toBe(0);
    const missing = await cli(['topics', 'describe', made, '-b', k.listeners.plaintext]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`There is no topic named '${made}' on this cluster.`);
  });

  it('groups reset-offsets prints a plan and changes nothing without --execute', async () => {
    const group = `it-cli-group-${Date.now()}`;
    await exec(
      'kcat',
      ['-b', k.listeners.plaintext, '-G', group, '-c', '2', '-X', 'auto.offset.reset=earliest', '-q', topic],
      { timeout: 60_000 },
    ).catch(() => undefined);
    const before = JSON.parse(
      (await cli(['groups', 'describe', group, '-b', k.listeners.plaintext, '--json'])).stdout,
    ) as { offsets: { topic: string; committed: string }[] };
    const committed = before.offsets.find((o) => o.topic === topic)!.committed;
    const plan = await cli([
      'groups',
      'reset-offsets',
      group,
      '-b',
      k.listeners.plaintext,
      '--topic',
      topic,
      '--to-earliest',
      '--dry-run',
    ]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`^${topic}\\s+0\\s+${committed}\\s+0$`, 'm'));
    expect(plan.stdout).toContain('Dry run: nothing changed.');
    const after = JSON.parse(
      (await cli(['groups', 'describe', group, '-b', k.listeners.plaintext, '--json'])).stdout,
    ) as { offsets: { topic: string; committed: string }[] };
    expect(after.offsets.find((o) => o.topic === topic)!.committed).toBe(committed);
    const applied = await cli([
      'groups',
      'reset-offsets',
      group,
      '-b',
      k.listeners.plaintext,
      '--topic',
      topic,
      '--to-earliest',
      '--execute',
      '--json',
    ]);
    expect(JSON.parse(applied.stdout)).toMatchObject({ applied: true, changes: [{ partition: 0, to: '0' }] });
  });
});

describe('kafka-desk with OAUTHBEARER', () => {
  it('lists topics through the OAuth listener with client credentials from flags', async () => {
    const { startTokenServer } = await import('./tokenServer');
    const tokens = await startTokenServer({ 'cli-app': 'cli-secret' });
    try {
      const r = await cli([
        'topics',
        '-b',
        k.listeners.oauth,
        '--sasl-mechanism',
        'oauthbearer',
        '--oauth-token-endpoint',
        tokens.url,
        '--allow-plain-http',
        '--oauth-client-id',
        'cli-app',
        '--password',
        'cli-secret',
        '--json',
      ]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`"name":"${topic}"`);
    } finally {
      await tokens.close();
    }
  });
});

describe('kafka-desk doctor', () => {
  it('exits 0 with every step ok on the plaintext listener', async () => {
    const r = await cli(['doctor', '-b', k.listeners.plaintext]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {2}\s*Resolve 127\.0\.0\.1/m);
    expect(r.stdout).toContain('OK: All 5 steps passed');
  });

  it('exits 1 and names the advertised address the broker cannot be reached at', async () => {
    const r = await cli(['doctor', '-b', k.listeners.unreachableAdvertised, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; verdict: string; steps: { kind: string; status: string }[] };
    expect(report.ok).toBe(false);
    expect(report.steps.find((s) => s.kind === 'broker-connect')?.status).toBe('failed');
    expect(report.verdict).toContain('advertises 127.0.0.1:19100');
  });
});

describe('kafka-desk produce / consume / commit', () => {
  it('consume --json output produces back unchanged (key, value, binary, headers, partition, timestamp)', async () => {
    const { writeFile, mkdtemp: mk } = await import('node:fs/promises');
    const { tmpdir: td } = await import('node:os');
    const src = `it-cli-src-${Date.now()}`;
    const dst = `it-cli-dst-${Date.now()}`;
    await cli(['topics', 'create', src, '-b', k.listeners.plaintext, '-p', '2']);
    await cli(['topics', 'create', dst, '-b', k.listeners.plaintext, '-p', '2']);
    const p = await cli([
      'produce',
      '-b',
      k.listeners.plaintext,
      '-t',
      src,
      '-k',
      'k1',
      '-v',
      'v1',
      '-H',
      'h=1',
      '-H',
      'h=2',
      '-p',
      '1',
      '--timestamp',
      '1700000000123',
    ]);
    expect(p.stdout).toContain(`delivered  ${src}[1] @ 0`);
    const dir = await mk(path.join(td(), 'kafka-desk-nd-'));
    const binaryLine = JSON.stringify({
      key: { base64: Buffer.from([0xff, 0x00]).toString('base64') },
      value: { base64: Buffer.from([0xc3, 0x28]).toString('base64') },
      headers: [['bin', { base64: 'gA==' }]],
      partition: 0,
    });
    await writeFile(path.join(dir, 'in.ndjson'), binaryLine + '\n');
    expect(
      (
        await cli([
          'produce',
          '-b',
          k.listeners.plaintext,
          '-t',
          src,
          '-f',
          path.join(dir, 'in.ndjson'),
          '--format',
          'ndjson',
        ])
      ).code,
    ).toBe(0);
    const first = await cli(['consume', '-b', k.listeners.plaintext, '-t', src, '--json']);
    await writeFile(path.join(dir, 'round.ndjson'), first.stdout);
    expect(
      (
        await cli([
          'produce',
          '-b',
          k.listeners.plaintext,
          '-t',
          dst,
          '-f',
          path.join(dir, 'round.ndjson'),
          '--format',
          'ndjson',
        ])
      ).code,
    ).toBe(0);
    const second = await cli(['consume', '-b', k.listeners.plaintext, '-t', dst, '--json']);
    const strip = (s: string) =>
      s
        .trim()
        .split('\n')
        .map((l) => {
          const o = JSON.parse(l) as Record<string, unknown>;
          delete o.topic;
          delete o.offset;
          return o;
        })
        // printed as read: partitions interleave, each in offset order
        .sort((a, b) => (a.partition as number) - (b.partition as number));
    expect(strip(second.stdout)).toEqual(strip(first.stdout));
    const [bin] = strip(first.stdout).filter((o) => o.partition === 0);
    expect(bin).toMatchObject({
      key: { base64: '/wA=' },
      value: { base64: 'wyg=' },
      headers: [['bin', { base64: 'gA==' }]],
    });
    expect(strip(first.stdout).find((o) => o.partition === 1)).toMatchObject({
      key: 'k1',
      value: 'v1',
      timestamp: '1700000000123',
      headers: [
        ['h', '1'],
        ['h', '2'],
      ],
    });
  });

  it('consume --group --commit moves the group; commit sets it; both shown by groups describe', async () => {
    const t = `it-cli-commit-${Date.now()}`;
    const g = `it-cli-g-${Date.now()}`;
    await cli(['topics', 'create', t, '-b', k.listeners.plaintext]);
    await cli(['produce', '-b', k.listeners.plaintext, '-t', t, '-v', 'x', '--count', '5']);
    await cli(['consume', '-b', k.listeners.plaintext, '-t', t, '--group', g, '--commit', '--max', '3']);
    const after = JSON.parse((await cli(['groups', 'describe', g, '-b', k.listeners.plaintext, '--json'])).stdout) as {
      offsets: { committed: string }[];
    };
    expect(after.offsets[0]!.committed).toBe('3');
    const next = await cli(['consume', '-b', k.listeners.plaintext, '-t', t, '--group', g, '--json']);
    expect(
      next.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { offset: string }).offset),
    ).toEqual(['3', '4']);
    const c = await cli(['commit', '-b', k.listeners.plaintext, '-g', g, '-t', t, '-p', '0', '-o', '1']);
    expect(c.stdout).toBe(`Committed ${g} on ${t}[0]: 3 → 1.\n`);
  });

  it('produce --format csv, then consume --topic-pattern reads it back with its headers', async () => {
    const t = `it-cli-csv-${Date.now()}`;
    await cli(['topics', 'create', t, '-b', k.listeners.plaintext, '--partitions', '2']);
    const dir = await mkdtemp(path.join(tmpdir(), 'kd-csv-'));
    await writeFile(
      path.join(dir, 'orders.csv'),
      'key,value,partition,header:source\norder-1,"{""total"": 1, ""note"": ""a, b""}",1,csv\norder-2,plain,0,csv\n',
    );
    const p = await cli([
      'produce',
      '-b',
      k.listeners.plaintext,
      '-t',
      t,
      '-f',
      path.join(dir, 'orders.csv'),
      '--format',
      'csv',
    ]);
    expect(p.stdout).toContain('2 delivered, 0 not delivered.');
    const r = await cli([
      'consume',
      '-b',
      k.listeners.plaintext,
      '--topic-pattern',
      `it-cli-csv-${t.slice(11)}`,
      '--json',
    ]);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; value: string; partition: number; headers: unknown })
      // printed as read: partitions interleave, each in offset order
      .sort((a, b) => a.partition - b.partition);
    expect(rows.map((x) => [x.partition, x.key, x.value, x.headers])).toEqual([
      [0, 'order-2', 'plain', [['source', 'csv']]],
      [1, 'order-1', '{"total": 1, "note": "a, b"}', [['source', 'csv']]],
    ]);
    const bad = await cli([
      'produce',
      '-b',
      k.listeners.plaintext,
      '-t',
      t,
      '-f',
      path.join(dir, 'orders.csv'),
      '--format',
      'json',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr + bad.stdout).toContain('orders.csv is not valid JSON');
  });

  it('a missing topic: produce exits 1 with one sentence naming it, no line per message', async () => {
    const r = await cli(['produce', '-b', k.listeners.plaintext, '-t', 'no-such-topic-cli', '-v', 'x', '--count', '5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      `kafka-desk: Topic 'no-such-topic-cli' does not exist on ${k.listeners.plaintext}; create it first or pick another topic.`,
    );
  });
});

describe('kafka-desk listen', () => {
  it('prints what arrives while it listens, then stops at --max', async () => {
    const t = `it-cli-listen-${Date.now()}`;
    await cli(['topics', 'create', t, '-b', k.listeners.plaintext]);
    await cli(['produce', '-b', k.listeners.plaintext, '-t', t, '-v', 'before']);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [
      bin,
      'listen',
      '-b',
      k.listeners.plaintext,
      '-t',
      t,
      '--max',
      '2',
      '--timeout',
      '45',
      '--json',
    ]);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // once it says it listens (its start offsets are fixed), produce: possibly before its group is even assigned
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => d.toString().includes('listening to') && resolve()),
    );
    await cli(['produce', '-b', k.listeners.plaintext, '-t', t, '-v', 'live', '--count', '2']);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { value: string }).value),
    ).toEqual(['live', 'live']);
  });
});

describe('kafka-desk consume with a search', () => {
  it('--json-path keeps only the matching messages', async () => {
    const t = `it-cli-search-${Date.now()}`;
    await cli(['topics', 'create', t, '-b', k.listeners.plaintext]);
    const { writeFile, mkdtemp: mk } = await import('node:fs/promises');
    const { tmpdir: td } = await import('node:os');
    const dir = await mk(path.join(td(), 'kafka-desk-grep-'));
    await writeFile(
      path.join(dir, 'm.json'),
      JSON.stringify(Array.from({ length: 20 }, (_, i) => JSON.stringify({ n: i, even: i % 2 === 0 }))),
    );
    await cli(['produce', '-b', k.listeners.plaintext, '-t', t, '-f', path.join(dir, 'm.json'), '--format', 'json']);
    const r = await cli(['consume', '-b', k.listeners.plaintext, '-t', t, '--json-path', '$.n=7', '--json']);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { value: string }).value),
    ).toEqual(['{"n":7,"even":false}']);
  });
});

describe('kafka-desk output on a terminal', () => {
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

  it('consume prints no raw control sequence of a hostile message; --json gives back the exact strings', async () => {
    const t = `it-cli-escapes-${Date.now()}`;
    await cli(['topics', 'create', t, '-b', k.listeners.plaintext]);
    const key = 'k\u001b[2J\u001b]52;c;cHduZWQ=\u0007';
    const value =
      'v\u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\\rEVIL \u009b31m \u202egpj.exe\nforged[0] @ 9  key=x';
    const headerKey = 'h\u001b[31m\u202e';
    const headerValue = 'hv\u0007\u009d0;title\u009c';
    const p = await cli([
      'produce',
      '-b',
      k.listeners.plaintext,
      '-t',
      t,
      '-k',
      key,
      '-v',
      value,
      '-H',
      `${headerKey}=${headerValue}`,
    ]);
    expect(p.code).toBe(0);
    const text = await cli(['consume', '-b', k.listeners.plaintext, '-t', t]);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(RAW);
    expect(text.stderr).not.toMatch(RAW);
    // one message, one line: its newline and CR are shown escaped
    expect(text.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(text.stdout).toContain('key=k\\x1b[2J\\x1b]52;c;cHduZWQ=\\x07');
    expect(text.stdout).toContain('\\rEVIL \\u009b31m \\u202egpj.exe\\nforged[0]');
    const json = await cli(['consume', '-b', k.listeners.plaintext, '-t', t, '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(RAW);
    const lines = json.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: unknown; value: unknown; headers: unknown });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ key, value, headers: [[headerKey, headerValue]] });
  });
});

describe('kafka-desk against hostile input (the holes as they were seen)', () => {
  it('consume --json-path with a script filter writes no file and says what is supported', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-pwn-'));
    const file = path.join(dir, 'pwned');
    const evil = `$[?(@.__lookupGetter__('__proto__').call(@.toString).constructor('return process')().getBuiltinModule('fs').writeFileSync('${file}','pwned'))]`;
    await cli(['produce', '-b', k.listeners.plaintext, '-t', topic, '-v', '{"a":1}']);
    const r = await cli(['consume', '-b', k.listeners.plaintext, '-t', topic, '--json-path', evil]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^kafka-desk: The JSON path .* is not supported: '\?' \(filters and script are not supported\)/,
    );
    const { existsSync } = await import('node:fs');
    expect(existsSync(file)).toBe(false);
  });

  it("consume --regex '(a+)+$' over a value of 40 a's finishes (RE2), and the match is exact", async () => {
    const t = `it-cli-redos-${Date.now()}`;
    await cli(['topics', 'create', t, '-b', k.listeners.plaintext]);
    await cli(['produce', '-b', k.listeners.plaintext, '-t', t, '-v', `${'a'.repeat(40)}!`]);
    await cli(['produce', '-b', k.listeners.plaintext, '-t', t, '-v', 'aaaa']);
    const r = await cli(['consume', '-b', k.listeners.plaintext, '-t', t, '--regex', '(a+)+$', '--json']);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { value: string }).value),
    ).toEqual(['aaaa']);
  });

  it('consume --group --commit through a read-only connection is refused, and the group does not move', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-cli-ro-'));
    const core = createCore({ host: 'cli', dataDir, version: 'test', secrets: new KeyFileSecretBox(dataDir) });
    const inputs = await listenerInputs(k);
    expect(
      (await dispatch(core.handlers, 'connections.save', { ...inputs.PLAINTEXT, name: 'prod', readOnly: true })).ok,
    ).toBe(true);
    const t = `it-cli-ro-${Date.now()}`;
    const g = `it-cli-ro-g-${Date.now()}`;
    await cli(['topics', 'create', t, '-b', k.listeners.plaintext]);
    await cli(['produce', '-b', k.listeners.plaintext, '-t', t, '-v', 'x', '--count', '3']);
    const r = await cli(['consume', '--connection', 'prod', '--data-dir', dataDir, '-t', t, '--group', g, '--commit']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^kafka-desk: 'prod' is a read-only connection, so Kafka Desk did not read as consumer group/,
    );
    const described = await cli(['groups', 'describe', g, '-b', k.listeners.plaintext, '--json']);
    expect(described.code).toBe(1);
    expect(described.stderr).toMatch(/There is no consumer group named/);
    expect(
      (await cli(['commit', '--connection', 'prod', '--data-dir', dataDir, '-g', g, '-t', t, '-p', '0', '-o', '1']))
        .stderr,
    ).toMatch(/read-only connection, so Kafka Desk did not commit offsets/);
  });

  it('an http:// token endpoint is refused without --allow-plain-http, and gets nothing', async () => {
    const { startTokenServer } = await import('./tokenServer');
    const tokens = await startTokenServer({ 'cli-app': 'cli-secret' });
    try {
      const r = await cli([
        'topics',
        '-b',
        k.listeners.oauth,
        '--sasl-mechanism',
        'oauthbearer',
        '--oauth-token-endpoint',
        tokens.url,
        '--oauth-client-id',
        'cli-app',
        '--password',
        'cli-secret',
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^kafka-desk: http:\/\/127\.0\.0\.1:\d+\/oauth2\/token is plain HTTP: the client secret would cross the network unencrypted/,
      );
      expect(tokens.requests()).toBe(0);
    } finally {
      await tokens.close();
    }
  });
});
