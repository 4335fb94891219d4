import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSchema } from '../core/schemas/codecs';
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

  it('import reads FILE.schemas.json (or --schemas) and decodes wire-format lines offline; export --out writes the schemas beside it', async () => {
    const { run, dataDir } = await cli();
    const avro = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }] });
    const schema = { schemaId: 41, schemaType: 'AVRO', schema: avro, references: [], referenced: {}, usedBy: [] };
    const header = Buffer.from([0, 0, 0, 0, 41]);
    const value = (id: string) =>
      Buffer.concat([
        header,
        compileSchema({ schemaType: 'AVRO', schema: avro, references: {} }).encode({ id }).bytes,
      ]).toString('base64');
    // a raw dump: the bytes only, no decoded form
    const raw = path.join(dataDir, 'raw.ndjson');
    await writeFile(
      raw,
      ['o-1', 'o-2']
        .map((id, i) =>
          JSON.stringify({
            topic: 'orders',
            partition: 0,
            offset: String(i),
            timestamp: '1',
            value: { base64: value(id) },
          }),
        )
        .join('\n') + '\n',
    );
    const schemasText = JSON.stringify({ kafkaDeskSchemas: 1, schemas: [schema] });
    await writeFile(`${raw}.schemas.json`, schemasText);
    const imported = await run(['captures', 'import', raw, '--name', 'raw']);
    expect(imported).toEqual({
      code: 0,
      out: "Imported 2 message(s) as capture 'raw'.\n",
      err: `Read 1 schema(s) from ${raw}.schemas.json.\n`,
    });
    const ndjson = await run(['captures', 'export', 'raw']);
    const lines = ndjson.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { decoded: { value: { json: string } } });
    expect(lines.map((l) => JSON.parse(l.decoded.value.json))).toEqual([{ id: 'o-1' }, { id: 'o-2' }]);
    // to standard output there is no room for a second file: said on standard error
    expect(ndjson.err).toBe(
      "The messages name registry schemas: export with --out FILE to get them in FILE.schemas.json, or run: kafka-desk captures schemas 'raw'.\n",
    );

    const out = path.join(dataDir, 'again.ndjson');
    const exported = await run(['captures', 'export', 'raw', '--out', out]);
    expect(exported.err).toBe(`Exported 2 message(s) of 'raw' to ${out}.\nTheir schemas are in ${out}.schemas.json.\n`);
    const side = JSON.parse(await readFile(`${out}.schemas.json`, 'utf8'));
    expect(side).toEqual({ kafkaDeskSchemas: 1, schemas: [schema] });
    const printed = await run(['captures', 'schemas', 'raw']);
    expect(JSON.parse(printed.out)).toEqual(side);

    // --schemas names another file; without any, the lines stay bytes
    const other = path.join(dataDir, 'elsewhere.json');
    await writeFile(other, schemasText);
    const plain = path.join(dataDir, 'plain.ndjson');
    await writeFile(plain, await readFile(raw, 'utf8'));
    expect((await run(['captures', 'import', plain, '--name', 'bytes only'])).err).toBe('');
    expect((await run(['captures', 'export', 'bytes only'])).out).not.toContain('decoded');
    const named = await run(['captures', 'import', plain, '--name', 'named', '--schemas', other]);
    expect([named.code, named.err]).toEqual([0, `Read 1 schema(s) from ${other}.\n`]);
    expect((await run(['captures', 'export', 'named'])).out).toBe(ndjson.out);

    // a schemas file that is not one: refused with the reason, nothing imported
    await writeFile(other, '{"kafkaDeskSchemas": 1, "schemas": [{"schemaId": "../x"}]}');
    const bad = await run(['captures', 'import', plain, '--name', 'bad', '--schemas', other]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^kafka-desk: .*elsewhere\.json is not a Kafka Desk schemas file .*schemas\.0\.schemaId/);
    expect((await run(['captures', 'list', '--json'])).out).not.toContain('"bad"');
  });
});
