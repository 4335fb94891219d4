import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureRowsQuery, type CaptureSchema, type ConsumedMessage, type Decoded } from '../../contract';
import { CoreError } from '../coreError';
import { dispatch } from '../dispatch';
import type { Handlers } from '../handlers';
import { fromWire } from '../operations/wireBytes';
import { compileSchema } from '../schemas/codecs';
import { MessageSessions } from '../sessions/messageSessions';
import { exportToFileWithSchemas, exportToText, importFile, importLines } from './captureFiles';
import { createCaptureHandlers } from './captureHandlers';
import { CAPTURE_SCHEMA_VERSION } from './captureSchema';
import { parseSchemasFile, readSchemasFile, schemasFileText, type SchemaLookup } from './captureSchemas';
import { CaptureStore } from './captureStore';

const orderSchema = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
  ],
});
const keySchema = JSON.stringify({ type: 'string' });

const schema = (schemaId: number, text: string, subject: string): CaptureSchema => ({
  schemaId,
  schemaType: 'AVRO',
  schema: text,
  references: [],
  referenced: {},
  usedBy: [{ subject, version: 1 }],
});
const ORDER = schema(7, orderSchema, 'orders-value');
const KEY = schema(8, keySchema, 'orders-key');
/** In the connection's cache but named by no saved message: never kept with a capture. */
const UNUSED = schema(9, JSON.stringify({ type: 'int' }), 'other-value');
const cache = new Map([ORDER, KEY, UNUSED].map((s) => [s.schemaId, s]));

/** Confluent's wire format: magic byte 0, the 4-byte id, the Avro bytes. */
function wire(s: CaptureSchema, value: unknown): Buffer {
  const { bytes } = compileSchema({ schemaType: s.schemaType, schema: s.schema, references: {} }).encode(value);
  const header = Buffer.alloc(5);
  header.writeInt32BE(s.schemaId, 1);
  return Buffer.concat([header, bytes]);
}

function order(i: number, decoded: boolean): ConsumedMessage {
  const v = { id: `o-${i}`, total: 10 * i };
  const value = wire(ORDER, v);
  const key = wire(KEY, `k-${i}`);
  const d: Decoded = {
    key: { format: 'avro', schemaId: 8, subject: 'orders-key', version: 1, json: JSON.stringify(`k-${i}`) },
    value: { format: 'avro', schemaId: 7, subject: 'orders-value', version: 1, json: JSON.stringify(v) },
  };
  return {
    topic: 'orders',
    partition: 0,
    offset: String(i),
    timestamp: String(1700000000000 + i),
    timestampType: 'CreateTime',
    key: { base64: key.toString('base64') },
    value: { base64: value.toString('base64') },
    headers: [],
    size: key.length + value.length,
    ...(decoded ? { decoded: d } : {}),
  };
}
/** A message no schema decoded (plain text). */
const plainMessage = (i: number): ConsumedMessage => ({ ...order(i, false), key: null, value: `text ${i}`, size: 6 });

const opened: (CaptureStore | MessageSessions)[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

/** A store whose connection 'conn-1' has the schema cache above; any other connection has an empty one. */
async function newStore(lookup: SchemaLookup = (id) => cache.get(id)) {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-capture-schemas-'));
  const asked: string[] = [];
  const store = CaptureStore.inDataDir(dir, async (connectionId) => {
    asked.push(connectionId);
    return connectionId === 'conn-1' ? lookup : () => undefined;
  });
  opened.push(store);
  return { store, dir, asked };
}

const rowsOf = (store: CaptureStore, id: number, query: CaptureRowsQuery = {}) =>
  store.rows(id, CaptureRowsQuery.parse(query)).rows;
const ids = (schemas: CaptureSchema[]) => schemas.map((s) => s.schemaId);
const decodedValues = (store: CaptureStore, id: number) =>
  rowsOf(store, id).map((m) => (m.decoded?.value?.json ? JSON.parse(m.decoded.value.json) : null));

describe('a capture keeps the registry schemas its messages name', () => {
  it('on every save path: messages, a session, a copy (from the capture copied), an append', async () => {
    const { store, dir } = await newStore();
    const saved = await store.create({ name: 'saved', source: 'consume', connectionId: 'conn-1' }, [
      order(1, true),
      plainMessage(2),
    ]);
    // the ones the decoded parts name; not the cache's other schemas
    expect(store.schemas(saved.id)).toEqual([ORDER, KEY]);

    // a session (a Consume's or a Listen's) streamed into a capture
    const sessions = new MessageSessions(dir);
    opened.push(sessions);
    const sid = await sessions.begin({ source: 'listen', connectionId: 'conn-1', connectionName: 'local' });
    sessions.add(sid, [order(3, true)]);
    await sessions.settled(sid);
    const handlers = createCaptureHandlers(store, sessions, {
      listenSession: () => sid,
      connectionName: async () => 'local',
      sampleFile: '',
      replay: async () => {
        throw new CoreError('INTERNAL', 'not here');
      },
    }) as unknown as Handlers;
    const fromSession = await dispatch(handlers, 'captures.save', { from: 'session', name: 'session', sessionId: sid });
    if (!fromSession.ok) throw new Error(fromSession.error.message);
    const sessionCapture = fromSession.value as { id: number };
    const viaChannel = await dispatch(handlers, 'captures.schemas', { id: sessionCapture.id });
    expect(viaChannel).toEqual({ ok: true, value: { schemas: [ORDER, KEY] } });
    const unknown = await dispatch(handlers, 'captures.schemas', { id: 999 });
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');

    // a copy takes them from the capture copied, even when the connection's cache no longer has them
    cache.clear();
    try {
      const copy = await store.copySelection({ name: 'copy', source: 'selection' }, saved.id, [1]);
      expect(store.schemas(copy.id)).toEqual([ORDER, KEY]);
      // only what the selection names: a copy of the plain message keeps none
      const plainCopy = await store.copySelection({ name: 'plain copy', source: 'selection' }, saved.id, [2]);
      expect(store.schemas(plainCopy.id)).toEqual([]);
    } finally {
      for (const s of [ORDER, KEY, UNUSED]) cache.set(s.schemaId, s);
    }

    // an append (consume --capture NAME --append) adds what the new messages name, from the capture's connection
    const plain = await store.create({ name: 'plain', source: 'consume', connectionId: 'conn-1' }, [plainMessage(1)]);
    expect(store.schemas(plain.id)).toEqual([]);
    await store.append(plain.id, [order(4, true)]);
    expect(ids(store.schemas(plain.id))).toEqual([7, 8]);
    await store.append(plain.id, [order(5, true)]);
    expect(ids(store.schemas(plain.id))).toEqual([7, 8]);

    // deleting the capture deletes its schemas
    await store.delete(saved.id);
    expect(() => store.schemas(saved.id)).toThrow(/no capture|not found|exist/i);
  });

  it('a save whose connection has no schema cache, or a cache that fails, saves its messages without schemas', async () => {
    const { store } = await newStore(() => {
      throw new Error('damaged cache');
    });
    const none = await store.create({ name: 'none', source: 'messages' }, [order(1, true)]);
    expect([none.messageCount, store.schemas(none.id)]).toEqual([1, []]);
    const other = await store.create({ name: 'other', source: 'consume', connectionId: 'conn-2' }, [order(1, true)]);
    expect(store.schemas(other.id)).toEqual([]);
  });

  it('migration 3 adds the schemas table to a database of schema 2, its captures kept', async () => {
    const { store } = await newStore();
    const c = await store.create({ name: 'old', source: 'messages' }, [plainMessage(1)]);
    store.close();
    const db = new Database(store.file);
    db.exec('DROP TABLE capture_schemas');
    db.pragma('user_version = 2');
    db.close();
    expect(store.schemaVersion()).toBe(CAPTURE_SCHEMA_VERSION);
    expect(CAPTURE_SCHEMA_VERSION).toBe(3);
    expect(store.get(c.id).messageCount).toBe(1);
    expect(store.schemas(c.id)).toEqual([]);
  });

  it('a damaged schema row is left out, the others read', async () => {
    const { store } = await newStore();
    const c = await store.create({ name: 'c', source: 'consume', connectionId: 'conn-1' }, [order(1, true)]);
    store.close();
    const db = new Database(store.file);
    db.prepare('UPDATE capture_schemas SET body = ? WHERE schema_id = 8').run('{not json');
    db.close();
    expect(store.schemas(c.id)).toEqual([ORDER]);
  });
});

describe('export carries the schemas beside the messages', () => {
  it('NDJSON stays one message per line with its decoded form; the schemas file holds what the exported messages name', async () => {
    const { store, dir } = await newStore();
    const c = await store.create({ name: 'orders', source: 'consume', connectionId: 'conn-1' }, [
      order(1, true),
      plainMessage(2),
    ]);
    const all = exportToText(store, c.id, 'ndjson', 1 << 20);
    const lines = all.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!).decoded.value.json).toBe('{"id":"o-1","total":10}');
    expect(JSON.parse(all.schemas!)).toEqual({ kafkaDeskSchemas: 1, schemas: [ORDER, KEY] });
    // a selection of the plain message only: no schemas file
    expect(exportToText(store, c.id, 'ndjson', 1 << 20, [2]).schemas).toBeUndefined();
    // the JSON format stays an array of the same objects, the schemas beside it too
    const json = exportToText(store, c.id, 'json', 1 << 20);
    expect(JSON.parse(json.text)).toHaveLength(2);
    expect(json.schemas).toBe(all.schemas);
    // too large with its schemas: refused, as a too large export is
    expect(() => exportToText(store, c.id, 'ndjson', Buffer.byteLength(all.text) + 10)).toThrow(/larger than/);

    const file = path.join(dir, 'orders.ndjson');
    expect(await exportToFileWithSchemas(store, c.id, 'ndjson', file)).toEqual({
      count: 2,
      schemasFile: `${file}.schemas.json`,
    });
    expect(await readFile(file, 'utf8')).toBe(all.text);
    expect(await readFile(`${file}.schemas.json`, 'utf8')).toBe(all.schemas);
    const plainFile = path.join(dir, 'plain.ndjson');
    expect(await exportToFileWithSchemas(store, c.id, 'ndjson', plainFile, [2])).toEqual({
      count: 1,
      schemasFile: null,
    });
    expect(existsSync(`${plainFile}.schemas.json`)).toBe(false);
    // exported again to the same name without schemas: the earlier schemas file goes, an import would read it
    expect(await exportToFileWithSchemas(store, c.id, 'ndjson', file, [2])).toEqual({ count: 1, schemasFile: null });
    expect(existsSync(`${file}.schemas.json`)).toBe(false);
  });

  it('the window export offers the schemas file as a second download', async () => {
    const { store, dir } = await newStore();
    const c = await store.create({ name: 'orders', source: 'consume', connectionId: 'conn-1' }, [order(1, true)]);
    const sessions = new MessageSessions(dir);
    opened.push(sessions);
    const handlers = createCaptureHandlers(store, sessions, {
      listenSession: () => 0,
      connectionName: async () => 'local',
      sampleFile: '',
      replay: async () => {
        throw new CoreError('INTERNAL', 'not here');
      },
    }) as unknown as Handlers;
    const r = await dispatch(handlers, 'captures.export', { id: c.id, format: 'ndjson' });
    if (!r.ok) throw new Error(r.error.message);
    const out = r.value as { fileName: string; schemas?: { fileName: string; text: string } };
    expect(out.schemas?.fileName).toBe('orders.ndjson.schemas.json');
    expect(parseSchemasFile(out.schemas!.text, 'it')).toEqual([ORDER, KEY]);
  });
});

describe('import carries the schemas and decodes with them, offline', () => {
  it("Kafka Desk's export with its schemas file: decoded as exported, schemas kept, into a store whose connections have none", async () => {
    const from = await newStore();
    const c = await from.store.create({ name: 'orders', source: 'consume', connectionId: 'conn-1' }, [
      order(1, true),
      order(2, true),
    ]);
    const file = path.join(from.dir, 'orders.ndjson');
    await exportToFileWithSchemas(from.store, c.id, 'ndjson', file);

    const to = await newStore(() => undefined);
    const r = await importFile(to.store, { name: 'back' }, file, await readSchemasFile(`${file}.schemas.json`));
    expect(r.warnings).toEqual([]);
    expect(decodedValues(to.store, r.capture.id)).toEqual([
      { id: 'o-1', total: 10 },
      { id: 'o-2', total: 20 },
    ]);
    expect(to.store.schemas(r.capture.id)).toEqual([ORDER, KEY]);
    // searched on the decoded form, as a saved capture is
    expect(to.store.rows(r.capture.id, CaptureRowsQuery.parse({ search: { text: 'o-2' } })).total).toBe(1);
  });

  it('a decoded form in the file is kept even without schemas (an export read back never loses it)', async () => {
    const { store } = await newStore(() => undefined);
    const line = JSON.stringify({ ...order(1, true), size: undefined });
    const r = await importLines(store, { name: 'kept' }, [line + '\n'], 'a.ndjson');
    expect(decodedValues(store, r.capture.id)).toEqual([{ id: 'o-1', total: 10 }]);
    // one that is not the contract's shape is dropped, the bytes stay
    const bad = JSON.stringify({ ...order(1, false), decoded: { value: { json: 5, sql: 'x' } } });
    const r2 = await importLines(store, { name: 'bad decoded' }, [bad + '\n'], 'b.ndjson');
    const row = rowsOf(store, r2.capture.id)[0]!;
    expect([row.decoded, fromWire(row.value)]).toEqual([undefined, fromWire(order(1, false).value)]);
  });

  it('raw lines (no decoded form: another tool, kcat) in the wire format are decoded with the schemas file; others stay as they are', async () => {
    const { store } = await newStore(() => undefined);
    const lines = [order(1, false), plainMessage(2), order(3, false)]
      .map((m) => JSON.stringify({ ...m, size: undefined }))
      .join('\n');
    // a schema id the file does not hold: that message keeps its bytes
    const stranger = wire({ ...ORDER, schemaId: 99 }, { id: 'x', total: 1 });
    const extra = JSON.stringify({ ...order(4, false), value: { base64: stranger.toString('base64') } });
    const r = await importLines(store, { name: 'raw' }, [lines + '\n' + extra + '\n'], 'raw.ndjson', [ORDER, KEY]);
    const rows = rowsOf(store, r.capture.id);
    expect(rows.map((m) => m.decoded?.value?.json ?? null)).toEqual([
      '{"id":"o-1","total":10}',
      null,
      '{"id":"o-3","total":30}',
      null,
    ]);
    expect(rows[0]!.decoded).toEqual({
      key: { format: 'avro', schemaId: 8, subject: 'orders-key', version: 1, json: '"k-1"' },
      value: { format: 'avro', schemaId: 7, subject: 'orders-value', version: 1, json: '{"id":"o-1","total":10}' },
    });
    expect(rows[3]!.decoded?.key?.json).toBe('"k-4"');
    expect(ids(store.schemas(r.capture.id))).toEqual([7, 8]);
  });

  it("names the topic's own subject among those holding the id, as a Consume does", async () => {
    const { store } = await newStore(() => undefined);
    const shared: CaptureSchema = {
      ...ORDER,
      usedBy: [
        { subject: 'audit-value', version: 4 },
        { subject: 'orders-value', version: 2 },
      ],
    };
    const r = await importLines(store, { name: 'shared' }, [JSON.stringify(order(1, false))], 's.ndjson', [shared]);
    expect(rowsOf(store, r.capture.id)[0]!.decoded?.value).toMatchObject({ subject: 'orders-value', version: 2 });
  });

  it('a message whose export says its schema was missing is decoded when the schemas file has it', async () => {
    const { store } = await newStore(() => undefined);
    const m = { ...order(1, false), decoded: { value: { schemaId: 7, error: 'schema id 7 is not known here' } } };
    const r = await importLines(store, { name: 'late' }, [JSON.stringify(m)], 'late.ndjson', [ORDER]);
    expect(decodedValues(store, r.capture.id)).toEqual([{ id: 'o-1', total: 10 }]);
  });

  it('a schema that does not compile is reported; its messages keep their bytes, the others decode', async () => {
    const { store } = await newStore(() => undefined);
    const broken: CaptureSchema = { ...KEY, schema: '{"type": "record", "name": "X", "fields": [{"name": "a"}]}' };
    const line = JSON.stringify({ ...order(1, false), size: undefined });
    const r = await importLines(
      store,
      { name: 'half' },
      [line, '\n', JSON.stringify({ ...order(2, false), size: undefined })],
      'h.ndjson',
      [ORDER, broken],
    );
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^Schema id 8 of the schemas file does not compile: /);
    const rows = rowsOf(store, r.capture.id);
    expect(rows.map((m) => m.decoded?.value?.json)).toEqual(['{"id":"o-1","total":10}', '{"id":"o-2","total":20}']);
    expect(rows[0]!.decoded?.key?.error).toMatch(/schema id 8 \(AVRO\) does not compile/);
    expect(fromWire(rows[0]!.key)).toEqual(fromWire(order(1, false).key));
  });

  it('the import channel takes the schemas file as text', async () => {
    const { store, dir } = await newStore(() => undefined);
    const sessions = new MessageSessions(dir);
    opened.push(sessions);
    const handlers = createCaptureHandlers(store, sessions, {
      listenSession: () => 0,
      connectionName: async () => 'local',
      sampleFile: '',
      replay: async () => {
        throw new CoreError('INTERNAL', 'not here');
      },
    }) as unknown as Handlers;
    const text = JSON.stringify({ ...order(1, false), size: undefined }) + '\n';
    const r = await dispatch(handlers, 'captures.import', {
      name: 'via window',
      fileName: 'raw.ndjson',
      text,
      schemas: schemasFileText([ORDER, KEY]),
    });
    if (!r.ok) throw new Error(r.error.message);
    const { capture } = r.value as { capture: { id: number } };
    expect(decodedValues(store, capture.id)).toEqual([{ id: 'o-1', total: 10 }]);
    const bad = await dispatch(handlers, 'captures.import', { name: 'x', fileName: 'a.ndjson', text, schemas: '[]' });
    expect(bad.ok ? null : [bad.error.code, bad.error.message]).toEqual([
      'INVALID_INPUT',
      'The schemas file for a.ndjson is not a Kafka Desk schemas file ({"kafkaDeskSchemas": 1, "schemas": [...]}): (file) Invalid input: expected object, received array.',
    ]);
    // nothing was kept of the refused import
    expect(store.list().map((c) => c.name)).toEqual(['via window']);
  });
});

describe('a hostile schemas file', () => {
  const where = 'x.schemas.json';
  const refusal = (text: string) => {
    try {
      parseSchemasFile(text, where);
      return null;
    } catch (e) {
      return e instanceof CoreError ? e.code : String(e);
    }
  };

  it('larger than the cap is refused before it is parsed (text and file)', async () => {
    const huge = '{"kafkaDeskSchemas":1,"schemas":[' + ' '.repeat(17 * 1024 * 1024) + ']}';
    expect(refusal(huge)).toBe('PAYLOAD_TOO_LARGE');
    const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-capture-schemas-'));
    const file = path.join(dir, 'huge.schemas.json');
    await writeFile(file, huge);
    await expect(readSchemasFile(file)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(readSchemasFile(path.join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'FILE_ERROR' });
  });

  it('deeply nested JSON is refused as not a schemas file, without a crash', () => {
    const depth = 200_000;
    expect(refusal('['.repeat(depth) + ']'.repeat(depth))).toBe('INVALID_INPUT');
    const nestedField = `{"kafkaDeskSchemas":1,"schemas":[{"schemaId":1,"schemaType":"AVRO","schema":${'['.repeat(depth)}${']'.repeat(depth)},"references":[],"referenced":{}}]}`;
    expect(refusal(nestedField)).toBe('INVALID_INPUT');
  });

  it('malformed: not JSON, a wrong version, bad ids, too many references, two schemas under one id', () => {
    const doc = (schemas: unknown[], version: unknown = 1) => JSON.stringify({ kafkaDeskSchemas: version, schemas });
    expect(refusal('{"kafkaDeskSchemas":1,')).toBe('INVALID_INPUT');
    expect(refusal(doc([ORDER], 2))).toBe('INVALID_INPUT');
    expect(refusal(doc([{ ...ORDER, schemaId: -1 }]))).toBe('INVALID_INPUT');
    expect(refusal(doc([{ ...ORDER, schemaId: 2 ** 31 }]))).toBe('INVALID_INPUT');
    expect(refusal(doc([{ ...ORDER, schemaType: 'XML' }]))).toBe('INVALID_INPUT');
    expect(refusal(doc([{ ...ORDER, schema: 5 }]))).toBe('INVALID_INPUT');
    const manyRefs = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`r${i}`, 'x']));
    expect(refusal(doc([{ ...ORDER, referenced: manyRefs }]))).toBe('INVALID_INPUT');
    expect(refusal(doc([ORDER, { ...ORDER, schema: keySchema }]))).toBe('INVALID_INPUT');
    // the same schema twice is one schema
    expect(parseSchemasFile(doc([ORDER, ORDER]), where)).toEqual([ORDER]);
    // fields it does not know are ignored (a later version may add some)
    expect(parseSchemasFile(doc([{ ...ORDER, comment: 'x' }]), where)).toEqual([ORDER]);
  });

  it('a schema nested deeper than a parser goes is a warning for its messages, never fatal for the import', async () => {
    const { store } = await newStore(() => undefined);
    const depth = 50_000;
    const deep: CaptureSchema = {
      ...ORDER,
      schemaId: 7,
      schema: '{"type":"array","items":'.repeat(depth) + '"int"' + '}'.repeat(depth),
    };
    const line = JSON.stringify({ ...order(1, false), size: undefined });
    const r = await importLines(store, { name: 'deep' }, [line], 'deep.ndjson', [deep, KEY]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^Schema id 7 of the schemas file does not compile/);
    const row = rowsOf(store, r.capture.id)[0]!;
    expect(row.decoded?.key?.json).toBe('"k-1"');
    expect(row.decoded?.value?.error).toMatch(/does not compile/);
  });
});
