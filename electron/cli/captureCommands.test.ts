import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './program';

const kcatSample = path.join(import.meta.dirname, '..', 'core', 'captures', 'kcatSample.fixture.ndjson');

async function cli() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-cli-captures-'));
  return {
    dataDir,
    run: async (args: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(args, {
        out: (s) => (out += s),
        err: (s) => (err += s),
        env: { KAFKA_DESK_DATA_DIR: dataDir },
      });
      return { code, out, err };
    },
  };
}

describe('kafka-desk captures (no broker needed)', () => {
  it('imports kcat -J output, lists, exports and re-imports the same lines, deletes with --yes', async () => {
    const { run, dataDir } = await cli();
    expect(await run(['captures', 'import', kcatSample, '--name', 'from kcat', '--tag', 'kcat'])).toEqual({
      code: 0,
      out: "Imported 4 message(s) as capture 'from kcat'.\n",
      err: '',
    });

    const list = await run(['captures', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(
      /^CAPTURE\s+MESSAGES\s+TOPICS\s+CONNECTION\s+TAGS\s+SAVED\nfrom kcat\s+4\s+orders\s+-\s+kcat\s+\d{4}-/,
    );
    const json = await run(['captures', 'list', '--json']);
    expect(JSON.parse(json.out.trim())).toMatchObject({
      name: 'from kcat',
      messageCount: 4,
      source: 'import',
      tags: ['kcat'],
    });

    const ndjson = await run(['captures', 'export', 'from kcat']);
    expect(ndjson.code).toBe(0);
    const lines = ndjson.out.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0]!)).toEqual({
      topic: 'orders',
      partition: 0,
      offset: '41',
      timestamp: '1700000000000',
      timestampType: 'CreateTime',
      key: 'order-1',
      value: '{"id":1,"total":12.5}',
      headers: [
        ['trace', 'abc-1'],
        ['source', 'web'],
      ],
    });

    const file = path.join(dataDir, 'out.ndjson');
    const toFile = await run(['captures', 'export', 'FROM KCAT', '--out', file]);
    expect([toFile.code, toFile.err]).toEqual([0, `Exported 4 message(s) of 'from kcat' to ${file}.\n`]);
    expect(await readFile(file, 'utf8')).toBe(ndjson.out);
    expect((await run(['captures', 'import', file, '--name', 'again'])).code).toBe(0);
    expect((await run(['captures', 'export', 'again'])).out).toBe(ndjson.out);

    const csv = await run(['captures', 'export', 'again', '--format', 'csv']);
    expect(csv.out.split('\n')[0]).toBe(
      'topic,partition,offset,timestamp,timestampType,keyEncoding,key,valueEncoding,value,headers',
    );

    const refused = await run(['captures', 'delete', 'again']);
    expect([refused.code, refused.err]).toEqual([
      1,
      "kafka-desk: Deleting 'again' (4 message(s)) cannot be undone; add --yes to do it.\n",
    ]);
    expect(await run(['captures', 'delete', 'again', '--yes'])).toEqual({
      code: 0,
      out: "Deleted capture 'again'.\n",
      err: '',
    });
    const missing = await run(['captures', 'export', 'again']);
    expect([missing.code, missing.err]).toEqual([1, "kafka-desk: No capture named 'again'. There are 'from kcat'.\n"]);
  });

  it('a bad import names the line and keeps nothing; a taken name is refused', async () => {
    const { run, dataDir } = await cli();
    const bad = path.join(dataDir, 'dump.json');
    await writeFile(bad, '{"topic":"t","partition":0,"offset":"1","timestamp":"1"}\nnot json\n');
    const r = await run(['captures', 'import', bad, '--name', 'x']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^kafka-desk: Line 2 of dump\.json is not JSON: /);
    expect((await run(['captures', 'list', '--json'])).out).toBe('');
    expect((await run(['captures', 'import', kcatSample, '--name', 'x'])).code).toBe(0);
    const taken = await run(['captures', 'import', kcatSample, '--name', 'X']);
    expect([taken.code, taken.err]).toEqual([1, "kafka-desk: A capture named 'X' already exists.\n"]);
  });

  it('consume --capture with a taken name fails before reading anything', async () => {
    const { run } = await cli();
    expect((await run(['captures', 'import', kcatSample, '--name', 'mine'])).code).toBe(0);
    // 127.0.0.1:1 refuses connections: the name is checked first, so that error never shows
    const r = await run(['consume', '--bootstrap', '127.0.0.1:1', '--topic', 't', '--capture', 'mine']);
    expect([r.code, r.err]).toEqual([
      1,
      "kafka-desk: A capture named 'mine' already exists; add --append to add to it, or choose another name.\n",
    ]);
    const noCapture = await run(['consume', '--bootstrap', '127.0.0.1:1', '--topic', 't', '--append']);
    expect([noCapture.code, noCapture.err]).toEqual([1, 'kafka-desk: --append needs --capture NAME.\n']);
  });
});
