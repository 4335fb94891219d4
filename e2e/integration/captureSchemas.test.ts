import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaptureRowsPage, CaptureSchema, CaptureSummary, ConsumeResult } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { createTopic, freshCore, listenerInputs, readCluster, type ClusterInfo } from './support';

/**
 * A capture keeps the registry schemas its messages need, against the real broker and a real Schema
 * Registry: an Avro topic consumed decoded and saved, exported as NDJSON with its schemas file, and
 * imported into another data folder whose connection has no registry, where it reads decoded — and
 * so does a raw dump of the same bytes (no decoded form) imported with that schemas file.
 */
let k: ClusterInfo;
let sr: RegistryInfo;
const run = randomUUID().slice(0, 8);

async function call<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

const order = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
  ],
};
const values = [
  { id: 'o-1', total: 12.5, status: 'NEW' },
  { id: 'o-2', total: 99, status: 'PAID' },
];

beforeAll(async () => {
  k = await readCluster();
  sr = await ensureSchemaRegistry({ log: (s) => console.log(`[registry] ${s}`) });
});

const decodedValues = (page: CaptureRowsPage) =>
  page.rows.map((m) => (m.decoded?.value?.json ? JSON.parse(m.decoded.value.json) : null));

describe('captures carry their schemas', () => {
  it('saved with the schemas, exported beside NDJSON, imported decoded where the connection has no registry', async () => {
    const inputs = await listenerInputs(k);
    // the first data folder: a connection with its registry
    const { core } = await freshCore();
    const id = (await call<{ id: string }>(core, 'connections.save', { ...inputs.PLAINTEXT, name: `with ${run}` })).id;
    await call(core, 'registry.save', { connectionId: id, urls: [sr.url] });
    const topic = `capture-schemas-${run}`;
    await createTopic(k, topic, 1);
    const { schemaId } = await call<{ schemaId: number }>(core, 'schemas.register', {
      id,
      subject: `${topic}-value`,
      draft: { schema: JSON.stringify(order) },
    });
    await call(core, 'operations.produce', {
      id,
      topic,
      messages: values.map((v, i) => ({ key: `k-${i}`, value: JSON.stringify(v) })),
      valueSchema: { kind: 'subject', subject: `${topic}-value` },
    });

    // saved from a Consume's session and from its messages: both keep the schema
    const consumed = await call<ConsumeResult>(core, 'operations.consume', { id, topic, into: 'session' });
    const fromSession = await call<CaptureSummary>(core, 'captures.save', {
      from: 'session',
      name: `session ${run}`,
      sessionId: consumed.session!.id,
    });
    const fromMessages = await call<CaptureSummary>(core, 'captures.save', {
      from: 'messages',
      source: 'consume',
      name: `messages ${run}`,
      connectionId: id,
      messages: (await call<ConsumeResult>(core, 'operations.consume', { id, topic })).messages,
    });
    for (const c of [fromSession, fromMessages]) {
      const { schemas } = await call<{ schemas: CaptureSchema[] }>(core, 'captures.schemas', { id: c.id });
      expect(schemas.map((s) => [s.schemaId, s.schemaType, JSON.parse(s.schema).name])).toEqual([
        [schemaId, 'AVRO', 'Order'],
      ]);
      expect(schemas[0]!.usedBy).toContainEqual({ subject: `${topic}-value`, version: 1 });
    }

    const exported = await call<{
      text: string;
      count: number;
      schemas?: { fileName: string; text: string };
    }>(core, 'captures.export', { id: fromSession.id, format: 'ndjson' });
    expect(exported.count).toBe(2);
    const lines = exported.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(exported.schemas?.fileName).toBe(`session-${run}.ndjson.schemas.json`);
    const schemasFile = JSON.parse(exported.schemas!.text) as { kafkaDeskSchemas: number; schemas: CaptureSchema[] };
    expect([schemasFile.kafkaDeskSchemas, schemasFile.schemas.map((s) => s.schemaId)]).toEqual([1, [schemaId]]);

    // the second data folder: the same broker, a connection with no registry
    const { core: offline } = await freshCore();
    const bare = (await call<{ id: string }>(offline, 'connections.save', { ...inputs.PLAINTEXT, name: `bare ${run}` }))
      .id;
    expect(await call(offline, 'registry.get', { connectionId: bare })).toBeNull();
    // reading the topic there shows bytes: nothing here knows the schema
    const undecoded = await call<ConsumeResult>(offline, 'operations.consume', { id: bare, topic });
    expect(undecoded.messages.map((m) => m.decoded?.value?.json)).toEqual([undefined, undefined]);

    const imported = await call<{ capture: CaptureSummary; warnings: string[] }>(offline, 'captures.import', {
      name: `imported ${run}`,
      fileName: 'orders.ndjson',
      text: exported.text,
      schemas: exported.schemas!.text,
    });
    expect(imported.warnings).toEqual([]);
    const page = await call<CaptureRowsPage>(offline, 'captures.rows', { id: imported.capture.id });
    expect(decodedValues(page)).toEqual(values);
    expect(page.rows[0]!.decoded?.value).toMatchObject({ format: 'avro', schemaId });
    // searched on the decoded form
    const paid = await call<CaptureRowsPage>(offline, 'captures.rows', {
      id: imported.capture.id,
      search: { jsonPath: { path: '$.status', equals: 'PAID' } },
    });
    expect(decodedValues(paid)).toEqual([values[1]]);
    const kept = await call<{ schemas: CaptureSchema[] }>(offline, 'captures.schemas', { id: imported.capture.id });
    expect(kept.schemas).toEqual(schemasFile.schemas);

    // a raw dump of the same messages (no decoded form, as another tool writes it) decodes with the schemas file
    const raw = lines
      .map((l) => {
        const { decoded: _decoded, ...bytesOnly } = JSON.parse(l) as Record<string, unknown>;
        return JSON.stringify(bytesOnly);
      })
      .join('\n');
    expect(raw).not.toContain('decoded');
    const fromRaw = await call<{ capture: CaptureSummary; warnings: string[] }>(offline, 'captures.import', {
      name: `raw ${run}`,
      fileName: 'raw.ndjson',
      text: raw,
      schemas: exported.schemas!.text,
    });
    const rawPage = await call<CaptureRowsPage>(offline, 'captures.rows', { id: fromRaw.capture.id });
    expect(decodedValues(rawPage)).toEqual(values);
    expect(rawPage.rows[1]!.decoded?.value).toMatchObject({
      format: 'avro',
      schemaId,
      subject: `${topic}-value`,
      version: 1,
    });
    // and without the schemas file it stays bytes
    const noSchemas = await call<{ capture: CaptureSummary }>(offline, 'captures.import', {
      name: `raw alone ${run}`,
      fileName: 'raw.ndjson',
      text: raw,
    });
    const bytesPage = await call<CaptureRowsPage>(offline, 'captures.rows', { id: noSchemas.capture.id });
    expect(decodedValues(bytesPage)).toEqual([null, null]);
  });
});
