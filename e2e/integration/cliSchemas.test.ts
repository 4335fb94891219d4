/**
 * `kafka-desk schemas …` and the schema flags of produce, consume and listen, as a user runs them
 * (bin → the bundled CLI, built by `npm run build`), against the real broker and the real Schema
 * Registries of e2e/infra (an open one, and one with basic auth).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { createCore, KeyFileSecretBox } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { createTopic, kcatProduce, listenerInputs, readCluster, type ClusterInfo } from './support';

const exec = promisify(execFile);
const bin = path.resolve('bin/kafka-desk.cjs');

let k: ClusterInfo;
let reg: RegistryInfo;
let dataDir: string;
let files: string;
const run = Date.now();
const subject = `it-cli-schemas-${run}-value`;

async function cli(args: string[], env: Record<string, string> = {}) {
  return exec(process.execPath, [bin, ...args, '--data-dir', dataDir], {
    timeout: 60_000,
    env: { ...process.env, ...env },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}
const open = () => ['--schema-registry', reg.url];
const kafka = () => ['-b', k.listeners.plaintext, ...open()];

const orderV1 = {
  type: 'record',
  name: 'Order',
  namespace: 'it.cli',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
  ],
};
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'note', type: ['null', 'string'], default: null }] };
const orderBad = { ...orderV1, fields: [{ name: 'id', type: 'int' }, orderV1.fields[1]] };

beforeAll(async () => {
  [k, reg] = await Promise.all([readCluster(), ensureSchemaRegistry()]);
  dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-cli-schemas-'));
  files = await mkdtemp(path.join(tmpdir(), 'kafka-desk-cli-schema-files-'));
  await writeFile(path.join(files, 'v1.avsc'), JSON.stringify(orderV1));
  await writeFile(path.join(files, 'v2.avsc'), JSON.stringify(orderV2));
  await writeFile(path.join(files, 'bad.avsc'), JSON.stringify(orderBad));
});

describe('kafka-desk schemas against the real registry', () => {
  it('register, list, get, versions, check and delete, each with --json', async () => {
    const r1 = await cli(['schemas', 'register', subject, '-f', path.join(files, 'v1.avsc'), ...open(), '--json']);
    expect(r1.stderr).toBe('');
    const first = JSON.parse(r1.stdout) as { schemaId: number; version: number };
    expect(first.version).toBe(1);

    const list = await cli(['schemas', 'list', ...open(), '--json']);
    const subjects = (JSON.parse(list.stdout) as { subjects: { subject: string; schemaId: number }[] }).subjects;
    expect(subjects.find((s) => s.subject === subject)).toMatchObject({ schemaId: first.schemaId, latestVersion: 1 });

    const get = await cli(['schemas', 'get', subject, '--version', '1', ...open(), '--json']);
    const v = JSON.parse(get.stdout) as { schema: string; schemaType: string; schemaId: number };
    expect(JSON.parse(v.schema)).toEqual(orderV1);
    expect(v).toMatchObject({ schemaType: 'AVRO', schemaId: first.schemaId });

    const ok = await cli(['schemas', 'check', subject, '-f', path.join(files, 'v2.avsc'), ...open(), '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ compatible: true, subjectExists: true });
    const bad = await cli(['schemas', 'check', subject, '-f', path.join(files, 'bad.avsc'), ...open(), '--json']);
    expect(bad.code).toBe(1);
    const verdict = JSON.parse(bad.stdout) as { compatible: boolean; messages: string[] };
    expect(verdict.compatible).toBe(false);
    expect(verdict.messages.length).toBeGreaterThan(0);
    expect(bad.stderr).toContain(`kafka-desk: The schema is not compatible with ${subject}.`);

    const r2 = await cli(['schemas', 'register', subject, '-f', path.join(files, 'v2.avsc'), ...open(), '--json']);
    expect(JSON.parse(r2.stdout)).toMatchObject({ version: 2 });
    const versions = await cli(['schemas', 'versions', subject, ...open(), '--json']);
    expect(JSON.parse(versions.stdout)).toEqual({ subject, versions: [1, 2] });

    const del = await cli(['schemas', 'delete', subject, '--version', '1', '--yes', ...open(), '--json']);
    expect(JSON.parse(del.stdout)).toEqual({ deleted: [1] });
    const after = await cli(['schemas', 'versions', subject, ...open(), '--json']);
    expect(JSON.parse(after.stdout)).toEqual({ subject, versions: [2] });
  });

  it('a human table shows the subject with its version, id, type and compatibility', async () => {
    const r = await cli(['schemas', 'list', ...open()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${subject}\\s+2\\s+\\d+\\s+AVRO\\s+\\(BACKWARD\\)$`, 'm'));
  });

  it('sets and reads a subject compatibility level', async () => {
    const set = await cli(['schemas', 'compatibility', subject, 'full', ...open()]);
    expect(set.stdout).toBe(`${subject} is now FULL.\n`);
    const read = await cli(['schemas', 'compatibility', subject, ...open(), '--json']);
    expect(JSON.parse(read.stdout)).toMatchObject({ subject, level: 'FULL' });
  });

  it('the auth registry: user + password from the environment works; a wrong password gets its refusal', async () => {
    const flags = [
      '--schema-registry',
      reg.auth.url,
      '--registry-user',
      reg.auth.admin.username,
      '--registry-allow-plain-http',
    ];
    const good = await cli(['schemas', 'list', ...flags, '--json'], {
      KAFKA_DESK_REGISTRY_PASSWORD: reg.auth.admin.password,
    });
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toHaveProperty('subjects');
    const wrong = await cli(['schemas', 'list', ...flags], { KAFKA_DESK_REGISTRY_PASSWORD: 'not-the-password' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      `kafka-desk: The Schema Registry refused the credentials for '${reg.auth.admin.username}'.`,
    );
    expect(wrong.stderr).toContain('HTTP 401');
    expect(wrong.stderr).not.toContain('not-the-password');
  });

  it('a password to a plain-http registry is refused unless accepted', async () => {
    const r = await cli(['schemas', 'list', '--schema-registry', reg.auth.url, '--registry-user', 'admin'], {
      KAFKA_DESK_REGISTRY_PASSWORD: reg.auth.admin.password,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is plain HTTP');
  });
});

describe('produce and consume with schemas', () => {
  const topic = `it-cli-schemas-${run}`;
  const sent = [
    { id: 'o-1', total: 12.5, note: null },
    { id: 'o-2', total: 3, note: 'gift' },
  ];

  beforeAll(async () => {
    // one plain-text message first (offset 0), then Avro ones
    await kcatProduce(k.listeners.plaintext, topic, ['plain text, not avro']);
  });

  it('--value-subject encodes; consume decodes to what was sent (decoded.value.json)', async () => {
    for (const v of sent) {
      const p = await cli([
        'produce',
        '-t',
        topic,
        '-k',
        v.id,
        '-v',
        JSON.stringify(v),
        '--value-subject',
        subject,
        ...kafka(),
      ]);
      expect(p.stderr).toBe('');
      expect(p.code).toBe(0);
    }
    const c = await cli(['consume', '-t', topic, '--json', ...kafka()]);
    expect(c.code).toBe(0);
    const lines = c.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            offset: string;
            decoded?: { value?: { json?: string; format?: string; subject?: string } };
          },
      );
    expect(lines).toHaveLength(3);
    const avro = lines.filter((m) => m.decoded?.value?.json !== undefined);
    expect(avro.map((m) => JSON.parse(m.decoded!.value!.json!) as unknown)).toEqual(sent);
    expect(avro[0]!.decoded!.value).toMatchObject({ format: 'avro', subject, version: 2 });
  });

  it('consume --capture with a connection given by flags (never saved) keeps the schemas its messages name', async () => {
    const name = `it-cli-capture-${run}`;
    const c = await cli(['consume', '-t', topic, '--capture', name, ...kafka()]);
    expect(c.code).toBe(0);
    expect(c.stderr).toContain(`Saved 3 message(s) as capture '${name}'`);
    const kept = await cli(['captures', 'schemas', name]);
    expect(kept.code).toBe(0);
    const doc = JSON.parse(kept.stdout) as { schemas: { schemaId: number; schemaType: string; schema: string }[] };
    expect(doc.schemas).toHaveLength(1);
    expect(doc.schemas[0]).toMatchObject({ schemaType: 'AVRO' });
    expect(JSON.parse(doc.schemas[0]!.schema)).toMatchObject({ name: 'Order', namespace: 'it.cli' });
    // appended to: the schemas of what is added are kept too (here the same one)
    const more = await cli(['consume', '-t', topic, '--capture', name, '--append', '--from', 'offset:2', ...kafka()]);
    expect(more.stderr).toContain(`to capture '${name}' (4 in all)`);
    expect(
      (JSON.parse((await cli(['captures', 'schemas', name])).stdout) as { schemas: unknown[] }).schemas,
    ).toHaveLength(1);
  });

  it('the text output shows the decoded JSON and what decoded it', async () => {
    const c = await cli(['consume', '-t', topic, '--from', 'offset:1', ...kafka()]);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/ key=o-1 {2}\{"id":"o-1","total":12\.5,"note":null\} {2}\[avro id \d+\]$/m);
  });

  it('--value-format avro --on-undecodable skip skips the plain message and counts it', async () => {
    const c = await cli([
      'consume',
      '-t',
      topic,
      '--value-format',
      'avro',
      '--on-undecodable',
      'skip',
      '--json',
      ...kafka(),
    ]);
    expect(c.code).toBe(0);
    expect(c.stdout.trim().split('\n')).toHaveLength(2);
    expect(c.stderr).toContain(
      `1 message(s) were not avro: skipped; the first at ${topic}[0] offset 0 (its value): no schema id`,
    );
  });

  it('--on-undecodable show keeps it, raw; stop ends the read there, naming topic, partition and offset', async () => {
    const shown = await cli(['consume', '-t', topic, '--value-format', 'avro', ...kafka()]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('plain text, not avro');
    expect(shown.stderr).toContain('1 message(s) were not avro: shown raw');
    const stop = await cli(['consume', '-t', topic, '--value-format', 'avro', '--on-undecodable', 'stop', ...kafka()]);
    expect(stop.code).toBe(1);
    expect(stop.stdout).toBe('');
    expect(stop.stderr).toContain(`kafka-desk: Stopped at ${topic}[0] offset 0: its value is not avro (no schema id`);
  });

  it('listen --on-undecodable stop ends the Listen with a non-zero exit, naming the message', async () => {
    const r = await cli([
      'listen',
      '-t',
      topic,
      '--from',
      'earliest',
      '--value-format',
      'avro',
      '--on-undecodable',
      'stop',
      '--timeout',
      '30',
      ...kafka(),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`kafka-desk: Stopped at ${topic}[0] offset 0: its value is not avro`);
  });

  it("a value that does not fit the schema is refused with the core's sentence, and nothing is sent", async () => {
    const p = await cli(['produce', '-t', topic, '-v', '{"id":5,"total":1}', '--value-subject', subject, ...kafka()]);
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(/^kafka-desk: Message 1's value does not fit .*id/m);
    const c = await cli(['consume', '-t', topic, '--json', ...kafka()]);
    expect(c.stdout.trim().split('\n')).toHaveLength(3);
  });

  it("produce --value-format avro takes the topic's own subject; bytes takes base64; json checks the text", async () => {
    const t = `it-cli-formats-${run}`;
    await createTopic(k, t, 1);
    await cli(['schemas', 'register', `${t}-value`, '-f', path.join(files, 'v1.avsc'), ...open()]);
    const avro = await cli([
      'produce',
      '-t',
      t,
      '-v',
      JSON.stringify({ id: 'f-1', total: 1 }),
      '--value-format',
      'avro',
      ...kafka(),
    ]);
    expect(avro.stderr).toBe('');
    const bytes = await cli([
      'produce',
      '-t',
      t,
      '-v',
      Buffer.from([0xff, 0x00, 0x01]).toString('base64'),
      '--value-format',
      'bytes',
      ...kafka(),
    ]);
    expect(bytes.code).toBe(0);
    const notJson = await cli(['produce', '-t', t, '-v', '{not json', '--value-format', 'json', ...kafka()]);
    expect(notJson.code).not.toBe(0);
    expect(notJson.stderr).toContain("Message 1's value is not JSON (--value-format json)");
    const wrongType = await cli(['produce', '-t', t, '-v', '{}', '--value-format', 'protobuf', ...kafka()]);
    expect(wrongType.stderr).toContain(`--value-format protobuf, but subject ${t}-value holds a AVRO schema`);
    const c = await cli(['consume', '-t', t, '--json', ...kafka()]);
    const lines = c.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { value: unknown; decoded?: { value?: { json?: string } } });
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!.decoded!.value!.json!)).toEqual({ id: 'f-1', total: 1 });
    expect(lines[1]!.value).toEqual({ base64: '/wAB' });
  });

  it('schemas attach / local / detach: a saved connection decodes a topic of bare Avro with a local file', async () => {
    const t = `it-cli-attach-${run}`;
    await createTopic(k, t, 1);
    const core = createCore({ host: 'cli', dataDir, version: 'test', secrets: new KeyFileSecretBox(dataDir) });
    const inputs = await listenerInputs(k);
    const saved = await dispatch(core.handlers, 'connections.save', { ...inputs.PLAINTEXT, name: `attach ${run}` });
    expect(saved.ok).toBe(true);
    const conn = ['--connection', `attach ${run}`];
    const file = path.join(files, 'v1.avsc');
    // a bare Avro payload: written with the file and no registry
    expect(
      (
        await cli([
          'produce',
          '-t',
          t,
          '-v',
          JSON.stringify({ id: 'b-1', total: 2 }),
          '--value-schema-file',
          file,
          ...conn,
        ])
      ).code,
    ).toBe(0);
    const attach = await cli(['schemas', 'attach', t, '-f', file, ...conn]);
    expect(attach.stderr).toBe('');
    expect(attach.stdout).toContain(`v1.avsc (AVRO) now decodes the values of ${t} that carry no schema id.`);
    const listed = await cli(['schemas', 'local', ...conn]);
    expect(listed.stdout).toMatch(new RegExp(`v1\\.avsc\\s+AVRO\\s+${t} \\(value\\)`));
    const c = await cli(['consume', '-t', t, '--json', ...conn]);
    const line = JSON.parse(c.stdout.trim()) as { decoded?: { value?: { json?: string; localSchema?: string } } };
    expect(line.decoded?.value).toMatchObject({ localSchema: 'v1.avsc' });
    expect(JSON.parse(line.decoded!.value!.json!)).toEqual({ id: 'b-1', total: 2 });
    expect((await cli(['schemas', 'detach', t, ...conn])).code).toBe(0);
    expect(JSON.parse((await cli(['schemas', 'local', '--json', ...conn])).stdout)).toEqual({
      schemas: [],
      bindings: [],
    });
    // without a saved connection there is nowhere to keep the file: said
    const nowhere = await cli(['schemas', 'attach', t, '-f', file, ...open()]);
    expect(nowhere.stderr).toContain('Local schema files are kept with a saved connection');
  });

  it('--value-schema-file with --value-schema-id writes the wire header, and leaves no schema in the data folder', async () => {
    const id = (
      JSON.parse((await cli(['schemas', 'get', subject, ...open(), '--json'])).stdout) as { schemaId: number }
    ).schemaId;
    const v = { id: 'o-3', total: 7.25, note: null };
    const p = await cli([
      'produce',
      '-t',
      topic,
      '-v',
      JSON.stringify(v),
      '--value-schema-file',
      path.join(files, 'v2.avsc'),
      '--value-schema-id',
      String(id),
      ...kafka(),
    ]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const c = await cli(['consume', '-t', topic, '--from', '-1', '--json', ...kafka()]);
    const m = JSON.parse(c.stdout) as { decoded: { value: { json: string; schemaId: number } } };
    expect(JSON.parse(m.decoded.value.json)).toEqual(v);
    expect(m.decoded.value.schemaId).toBe(id);
    // the file was the core's local schema for that run only
    const list = JSON.parse(await readFile(path.join(dataDir, 'local-schemas.json'), 'utf8')) as { schemas: unknown[] };
    expect(list.schemas).toEqual([]);
    expect(await readdir(path.join(dataDir, 'local-schemas')).catch(() => [])).toEqual([]);
  });

  it('--value-schema-file alone needs no registry and writes the bare Avro payload', async () => {
    const bare = `${topic}-bare`;
    await cli(['topics', 'create', bare, '-b', k.listeners.plaintext]);
    const p = await cli([
      'produce',
      '-t',
      bare,
      '-v',
      '{"id":"b","total":1.5}',
      '--value-schema-file',
      path.join(files, 'v1.avsc'),
      '-b',
      k.listeners.plaintext,
    ]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const c = await cli(['consume', '-t', bare, '--value-format', 'bytes', '--json', '-b', k.listeners.plaintext]);
    const m = JSON.parse(c.stdout) as { value: { base64: string } | string };
    // Avro: the string "b" (length 1 as zig-zag 2, then "b"), then the double 1.5, little-endian; no wire header
    const bytes = typeof m.value === 'string' ? Buffer.from(m.value) : Buffer.from(m.value.base64, 'base64');
    expect(bytes.toString('hex')).toBe('0262000000000000f83f');
  });

  it('a schema file that does not compile is named, and nothing is sent', async () => {
    await writeFile(path.join(files, 'broken.avsc'), '{"type":"record","name":"X","fields":[{"name":"a"}]}');
    const p = await cli([
      'produce',
      '-t',
      topic,
      '-v',
      '{}',
      '--value-schema-file',
      path.join(files, 'broken.avsc'),
      ...kafka(),
    ]);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain("kafka-desk: 'broken.avsc' is not a valid");
  });
});

describe('cleanup', () => {
  it('deletes the test subject, soft then permanently', async () => {
    const soft = await cli(['schemas', 'delete', subject, '--yes', ...open(), '--json']);
    expect(JSON.parse(soft.stdout)).toEqual({ deleted: [2] });
    const hard = await cli(['schemas', 'delete', subject, '--permanent', '--yes', ...open()]);
    expect(hard.code).toBe(0);
    // every soft-deleted version goes: 1 (deleted alone earlier) and 2
    expect(hard.stdout).toBe(`Deleted ${subject} version(s) 1, 2 for good.\n`);
  });
});
