import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppError, CaptureRowsPage, CaptureSummary, ConsumeResult, DoctorReport } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { createTopic, freshCore, listenerInputs, readCluster, type ClusterInfo } from './support';

/**
 * Schemas through the core against the real broker and a real Schema Registry: the registry's
 * settings, subjects, producing with a subject's schema, Consume decoding it (filters on the decoded
 * form, sessions and captures keeping it), messages not of a chosen format, the cache that keeps
 * decoding when the registry is gone, and read-only.
 */
let k: ClusterInfo;
let sr: RegistryInfo;
let core: Core;
let id: string;
const run = randomUUID().slice(0, 8);

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
async function fail(channel: string, input: unknown): Promise<AppError> {
  const r = await dispatch(core.handlers, channel, input);
  if (r.ok) throw new Error(`${channel} went through`);
  return r.error;
}

const orderV1 = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
    { name: 'placed', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
  ],
};
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'note', type: ['null', 'string'], default: null }] };
const incompatible = { ...orderV1, fields: [{ name: 'id', type: 'int' }] };

beforeAll(async () => {
  k = await readCluster();
  sr = await ensureSchemaRegistry({ log: (s) => console.log(`[registry] ${s}`) });
  ({ core } = await freshCore());
  const inputs = await listenerInputs(k);
  id = (await call<{ id: string }>('connections.save', { ...inputs.PLAINTEXT, name: `schemas ${run}` })).id;
  await call('registry.save', { connectionId: id, urls: [sr.url] });
});

describe('the Schema Registry of a connection', () => {
  it('registers versions, lists subjects with version, type and compatibility, checks and diffs drafts', async () => {
    const subject = `orders-${run}-value`;
    const v1 = await call<{ schemaId: number; version: number | null }>('schemas.register', {
      id,
      subject,
      draft: { schemaType: 'AVRO', schema: JSON.stringify(orderV1) },
    });
    const v2 = await call<{ schemaId: number; version: number | null }>('schemas.register', {
      id,
      subject,
      draft: { schema: JSON.stringify(orderV2) },
    });
    expect(v2.schemaId).not.toBe(v1.schemaId);
    expect(v2.version).toBe(2);
    const list = await call<{ subjects: { subject: string; latestVersion: number; schemaType: string }[] }>(
      'schemas.subjects',
      { id },
    );
    expect(list.subjects.find((s) => s.subject === subject)).toMatchObject({ latestVersion: 2, schemaType: 'AVRO' });
    expect(await call('schemas.versions', { id, subject })).toEqual({ subject, versions: [1, 2] });
    const got = await call<{ schema: string; schemaId: number }>('schemas.get', { id, subject, version: 1 });
    expect(JSON.parse(got.schema)).toMatchObject({ name: 'Order' });
    expect(got.schemaId).toBe(v1.schemaId);

    const ok = await call<{ compatible: boolean }>('schemas.check', {
      id,
      subject,
      draft: { schema: JSON.stringify(orderV2) },
    });
    expect(ok.compatible).toBe(true);
    const bad = await call<{ compatible: boolean; messages: string[] }>('schemas.check', {
      id,
      subject,
      draft: { schema: JSON.stringify(incompatible) },
    });
    expect(bad.compatible).toBe(false);
    // against a version the subject does not hold: the registry's 404, never "compatible"
    const noSuchVersion = await fail('schemas.check', {
      id,
      subject,
      version: 99,
      draft: { schema: JSON.stringify(orderV2) },
    });
    expect(noSuchVersion.message).toMatch(/not found|99/i);
    // a subject with no versions yet: anything is compatible (Confluent's registry answers 404, AxonOps 200)
    const fresh = await call<{ compatible: boolean; subjectExists: boolean }>('schemas.check', {
      id,
      subject: `never-registered-${run}-value`,
      draft: { schema: JSON.stringify(orderV2) },
    });
    expect(fresh.compatible).toBe(true);
    // a draft that does not parse is refused by Kafka Desk with the parser's reason, before the registry
    const broken = await fail('schemas.check', { id, subject, draft: { schema: '{"type": "record", "name": "X"' } });
    expect(broken.code).toBe('SCHEMA_INVALID');

    expect(await call('schemas.setCompatibility', { id, subject, level: 'FULL' })).toEqual({ level: 'FULL' });
    const after = await call<{ subjects: { subject: string; compatibility: string | null }[] }>('schemas.subjects', {
      id,
    });
    expect(after.subjects.find((s) => s.subject === subject)?.compatibility).toBe('FULL');

    expect(await call('schemas.delete', { id, subject, version: 2 })).toEqual({ deleted: [2] });
    expect(await call('schemas.versions', { id, subject })).toEqual({ subject, versions: [1] });

    // a soft-deleted subject is listed only on request, marked; a permanent delete needs the soft one first
    const gone = `gone-${run}-value`;
    await call('schemas.register', { id, subject: gone, draft: { schema: '"string"' } });
    expect(await call('schemas.delete', { id, subject: gone })).toEqual({ deleted: [1] });
    const listed = async (includeDeleted: boolean) =>
      (
        await call<{ subjects: { subject: string; deleted: boolean }[] }>('schemas.subjects', { id, includeDeleted })
      ).subjects.find((s) => s.subject === gone);
    expect(await listed(false)).toBeUndefined();
    expect(await listed(true)).toMatchObject({ deleted: true, latestVersion: 1 });
    expect(await call('schemas.delete', { id, subject: gone, permanent: true })).toEqual({ deleted: [1] });
    expect(await listed(true)).toBeUndefined();
    const topic = await call<{ value: { subject: string } | null; key: unknown }>('schemas.topicSubjects', {
      id,
      topic: `orders-${run}`,
    });
    expect(topic.value?.subject).toBe(subject);
    expect(topic.key).toBeNull();
    // the topic itself does not exist: the subjects are still told, with why no message was read
    expect(topic).toMatchObject({ sampled: 0, carried: [] });
    expect((topic as unknown as { sampleError: string }).sampleError).toMatch(/orders-/);
  });

  it('the doctor checks the registry as a step of its own', async () => {
    const report = await call<DoctorReport>('connections.doctor', { id });
    const step = report.steps.find((s) => s.kind === 'schema-registry');
    expect(step?.status).toBe('ok');
    expect(step?.target).toBe(sr.url);
  });

  it('basic auth: the right password is accepted, a wrong one and a read-only user are refused with the reason', async () => {
    const inputs = await listenerInputs(k);
    const other = (await call<{ id: string }>('connections.save', { ...inputs.PLAINTEXT, name: `auth ${run}` })).id;
    await call('registry.save', {
      connectionId: other,
      urls: [sr.auth.url],
      username: sr.auth.admin.username,
      password: sr.auth.admin.password,
      allowPlainHttp: true,
    });
    expect((await call<{ subjects: unknown[] }>('schemas.subjects', { id: other })).subjects).toBeInstanceOf(Array);
    const saved = await call<{ passwordSet: boolean; username: string }>('registry.get', { connectionId: other });
    expect(saved).toMatchObject({ passwordSet: true, username: sr.auth.admin.username });
    expect(JSON.stringify(saved)).not.toContain(sr.auth.admin.password);

    await call('registry.save', {
      connectionId: other,
      urls: [sr.auth.url],
      username: 'admin',
      password: 'wrong',
      allowPlainHttp: true,
    });
    expect((await fail('schemas.subjects', { id: other })).code).toBe('AUTH_FAILED');

    await call('registry.save', {
      connectionId: other,
      urls: [sr.auth.url],
      username: sr.auth.readonly.username,
      password: sr.auth.readonly.password,
      allowPlainHttp: true,
    });
    const e = await fail('schemas.register', { id: other, subject: `ro-${run}`, draft: { schema: '"string"' } });
    expect(e.code).toBe('FORBIDDEN');

    // the password goes only to the URL it was saved for
    const moved = await fail('registry.save', {
      connectionId: other,
      urls: ['http://127.0.0.1:1'],
      allowPlainHttp: true,
      username: 'readonly',
    });
    expect(moved.code).toBe('SECRET_REQUIRED');
    // and never in the clear without the user's yes
    const plain = await fail('registry.save', {
      connectionId: other,
      urls: [sr.auth.url],
      username: 'a',
      password: 'b',
    });
    expect(plain.code).toBe('INSECURE_ENDPOINT');
  });
});

describe('producing and consuming with a schema', () => {
  it('encodes with a subject, decodes on Consume, filters on the decoded form, keeps it in sessions and captures', async () => {
    const topic = `avro-${run}`;
    await createTopic(k, topic, 1);
    const subject = `${topic}-value`;
    const { schemaId } = await call<{ schemaId: number }>('schemas.register', {
      id,
      subject,
      draft: { schema: JSON.stringify(orderV1) },
    });
    const values = [
      { id: 'o-1', total: 12.5, placed: '2026-11-30T10:00:00.000Z', status: 'NEW' },
      { id: 'o-2', total: 99, placed: '2026-12-01T08:30:15.250Z', status: 'PAID' },
    ];
    await call('operations.produce', {
      id,
      topic,
      messages: values.map((v) => ({ value: JSON.stringify(v) })),
      valueSchema: { kind: 'subject', subject },
    });
    const r = await call<ConsumeResult>('operations.consume', { id, topic });
    expect(r.messages.map((m) => m.decoded?.value?.json && JSON.parse(m.decoded.value.json))).toEqual(values);
    expect(r.messages[0]?.decoded?.value).toMatchObject({ format: 'avro', schemaId, subject, version: 1 });
    // the bytes are Confluent's wire format: magic byte 0, then the id
    const raw = r.messages[0]!.value as { base64: string };
    const bytes = Buffer.from(raw.base64, 'base64');
    expect(bytes[0]).toBe(0);
    expect(bytes.readUInt32BE(1)).toBe(schemaId);

    // what the messages actually carry: the id in their wire headers, and the subject holding it
    const carried = await call<{
      carried: { part: string; schemaId: number; messages: number; subjects: { subject: string }[] }[];
      sampled: number;
    }>('schemas.topicSubjects', { id, topic });
    expect(carried.sampled).toBe(2);
    expect(carried.carried).toHaveLength(1);
    expect(carried.carried[0]).toMatchObject({ part: 'value', schemaId, messages: 2 });
    expect(carried.carried[0]!.subjects.map((s) => s.subject)).toContain(subject);

    const byText = await call<ConsumeResult>('operations.consume', { id, topic, filter: { text: 'PAID' } });
    expect(byText.messages.map((m) => JSON.parse(m.decoded!.value!.json!).id)).toEqual(['o-2']);
    const byPath = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      filter: { jsonPath: { path: '$.id', equals: 'o-1' } },
    });
    expect(byPath.messages).toHaveLength(1);

    const inSession = await call<ConsumeResult>('operations.consume', { id, topic, into: 'session' });
    const page = await call<CaptureRowsPage>('sessions.rows', {
      sessionId: inSession.session!.id,
      search: { jsonPath: { path: '$.status', equals: 'PAID' } },
    });
    expect(page.rows.map((m) => JSON.parse(m.decoded!.value!.json!).id)).toEqual(['o-2']);
    const capture = await call<CaptureSummary>('captures.save', {
      from: 'session',
      name: `avro ${run}`,
      sessionId: inSession.session!.id,
    });

    // replayed: the bytes as captured; re-encoded with v2 of another subject when asked
    const copy = `${topic}-copy`;
    await createTopic(k, copy, 1);
    const v2 = await call<{ schemaId: number }>('schemas.register', {
      id,
      subject: `${copy}-value`,
      draft: { schema: JSON.stringify(orderV2) },
    });
    await call('captures.replay', { id: capture.id, connectionId: id, topic: copy });
    await call('captures.replay', {
      id: capture.id,
      connectionId: id,
      topic: copy,
      reencode: { valueSchema: { kind: 'subject', subject: `${copy}-value` } },
    });
    const replayed = await call<ConsumeResult>('operations.consume', { id, topic: copy });
    expect(replayed.messages.map((m) => m.decoded?.value?.schemaId)).toEqual([
      schemaId,
      schemaId,
      v2.schemaId,
      v2.schemaId,
    ]);
    expect(replayed.messages.slice(0, 2).map((m) => m.value)).toEqual(r.messages.map((m) => m.value));
    expect(replayed.messages.slice(2).map((m) => JSON.parse(m.decoded!.value!.json!))).toEqual(
      values.map((v) => ({ ...v, note: null })),
    );

    // the registry goes down (reached through a relay that is then shut): the capture keeps its
    // decoded messages, and Consume decodes from the cache
    const sockets = new Set<Socket>();
    const relay = createServer((client) => {
      const upstream = connect(Number(new URL(sr.url).port), '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    try {
      await call('registry.save', { connectionId: id, urls: [relayUrl] });
      const through = await call<ConsumeResult>('operations.consume', { id, topic });
      expect(through.messages.map((m) => m.decoded?.value?.error)).toEqual([undefined, undefined]);
      await new Promise<void>((r) => {
        relay.close(() => r());
        for (const s of sockets) s.destroy();
      });
      const rows = await call<CaptureRowsPage>('captures.rows', { id: capture.id, search: { text: 'o-2' } });
      expect(rows.rows.map((m) => m.decoded?.value?.json && JSON.parse(m.decoded.value.json).total)).toEqual([99]);
      const offline = await call<ConsumeResult>('operations.consume', { id, topic });
      expect(offline.messages.map((m) => m.decoded?.value?.error)).toEqual([undefined, undefined]);
      expect(offline.messages.map((m) => JSON.parse(m.decoded!.value!.json!).id)).toEqual(['o-1', 'o-2']);

      // pointed at another registry (no URL in common): its ids are other schemas, the cache is dropped
      await call('registry.save', { connectionId: id, urls: ['http://127.0.0.1:1'] });
      const elsewhere = await call<ConsumeResult>('operations.consume', { id, topic });
      expect(elsewhere.messages.map((m) => m.decoded?.value?.json)).toEqual([undefined, undefined]);
      expect(elsewhere.messages[0]!.decoded?.value?.error).toMatch(/Schema Registry at http:\/\/127\.0\.0\.1:1/);
    } finally {
      relay.close();
      await call('registry.save', { connectionId: id, urls: [sr.url] });
    }
  });

  it('an Avro schema that references a type in another subject encodes and decodes', async () => {
    const topic = `avro-ref-${run}`;
    await createTopic(k, topic, 1);
    const money = {
      type: 'record',
      name: 'Money',
      namespace: 'shop',
      fields: [
        { name: 'cents', type: 'long' },
        { name: 'currency', type: 'string' },
      ],
    };
    await call('schemas.register', { id, subject: `money-${run}`, draft: { schema: JSON.stringify(money) } });
    const invoice = {
      type: 'record',
      name: 'Invoice',
      namespace: 'shop',
      fields: [
        { name: 'no', type: 'string' },
        { name: 'amount', type: 'shop.Money' },
      ],
    };
    await call('schemas.register', {
      id,
      subject: `${topic}-value`,
      draft: {
        schema: JSON.stringify(invoice),
        references: [{ name: 'shop.Money', subject: `money-${run}`, version: 1 }],
      },
    });
    const value = { no: 'INV-7', amount: { cents: 1250, currency: 'EUR' } };
    await call('operations.produce', {
      id,
      topic,
      messages: [{ value: JSON.stringify(value) }],
      valueSchema: { kind: 'subject', subject: `${topic}-value` },
    });
    const r = await call<ConsumeResult>('operations.consume', { id, topic });
    expect(JSON.parse(r.messages[0]!.decoded!.value!.json!)).toEqual(value);
  });

  it('resolves a schema for the editor: a JSON Schema of the value and a sample that encodes', async () => {
    const topic = `avro-sample-${run}`;
    await createTopic(k, topic, 1);
    const { schemaId } = await call<{ schemaId: number }>('schemas.register', {
      id,
      subject: `${topic}-value`,
      draft: { schema: JSON.stringify(orderV2) },
    });
    const r = await call<{ sample: string; jsonSchema: string; subject: string; version: number; schemaId: number }>(
      'schemas.resolve',
      { id, choice: { kind: 'subject', subject: `${topic}-value` } },
    );
    expect(r).toMatchObject({ subject: `${topic}-value`, version: 1, schemaId });
    // a draft-07 JSON Schema of the record (named types as definitions), for the editor's completion
    const js = JSON.parse(r.jsonSchema) as {
      $ref: string;
      definitions: Record<string, { properties: Record<string, unknown>; required: string[] }>;
    };
    const order = js.definitions[js.$ref.replace('#/definitions/', '')]!;
    expect(Object.keys(order.properties)).toEqual(['id', 'total', 'placed', 'status', 'note']);
    expect(order.required).toEqual(['id', 'total', 'placed', 'status']);
    // the generated sample is sent as it is
    await call('operations.produce', {
      id,
      topic,
      messages: [{ value: r.sample }],
      valueSchema: { kind: 'id', schemaId },
    });
    const back = await call<ConsumeResult>('operations.consume', { id, topic });
    expect(JSON.parse(back.messages[0]!.decoded!.value!.json!)).toEqual(JSON.parse(r.sample));
    const byId = await call<{ schemaType: string; usedBy: { subject: string }[] }>('schemas.byId', { id, schemaId });
    expect(byId.schemaType).toBe('AVRO');
    expect(byId.usedBy.map((u) => u.subject)).toContain(`${topic}-value`);
  });

  it('without a registry: a local .avsc attached to a topic decodes bare payloads; a registry id mapped to a local file decodes the wire format', async () => {
    const inputs = await listenerInputs(k);
    const offline = (await call<{ id: string }>('connections.save', { ...inputs.PLAINTEXT, name: `local ${run}` })).id;
    const bare = `bare-${run}`;
    const framed = `framed-${run}`;
    await createTopic(k, bare, 1);
    await createTopic(k, framed, 1);
    const local = await call<{ id: string; name: string }>('localSchemas.add', {
      connectionId: offline,
      schemaType: 'AVRO',
      file: { name: 'order.avsc', content: JSON.stringify(orderV1) },
    });
    const value = { id: 'l-1', total: 3.5, placed: '2026-12-01T00:00:00.000Z', status: 'NEW' };
    // a bare Avro payload (no wire header), written with the local file
    await call('operations.produce', {
      id: offline,
      topic: bare,
      messages: [{ value: JSON.stringify(value) }],
      valueSchema: { kind: 'local', localSchemaId: local.id },
    });
    // the same framed with a registry id this connection's (absent) registry would know
    await call('operations.produce', {
      id: offline,
      topic: framed,
      messages: [{ value: JSON.stringify(value) }],
      valueSchema: { kind: 'local', localSchemaId: local.id, schemaId: 4242 },
    });
    const unmapped = await call<ConsumeResult>('operations.consume', { id: offline, topic: bare });
    expect(unmapped.messages[0]?.decoded).toBeUndefined();
    await call('localSchemas.bind', {
      connectionId: offline,
      localSchemaId: local.id,
      target: { kind: 'topic', topic: bare, part: 'value' },
    });
    await call('localSchemas.bind', {
      connectionId: offline,
      localSchemaId: local.id,
      target: { kind: 'schemaId', schemaId: 4242 },
    });
    const listed = await call<{ schemas: { id: string }[]; bindings: unknown[] }>('localSchemas.list', {
      connectionId: offline,
    });
    expect(listed.schemas.map((x) => x.id)).toEqual([local.id]);
    expect(listed.bindings).toHaveLength(2);
    for (const topic of [bare, framed]) {
      const r = await call<ConsumeResult>('operations.consume', { id: offline, topic });
      expect(r.messages[0]?.decoded?.value, topic).toMatchObject({ format: 'avro', localSchema: 'order.avsc' });
      expect(JSON.parse(r.messages[0]!.decoded!.value!.json!)).toEqual(value);
    }
    expect(await call('localSchemas.delete', { connectionId: offline, localSchemaId: local.id })).toEqual({
      deleted: true,
    });
    expect(await call('localSchemas.list', { connectionId: offline })).toEqual({ schemas: [], bindings: [] });
    // a registry removed is forgotten
    await call('registry.save', { connectionId: offline, urls: [sr.url] });
    expect(await call('registry.delete', { connectionId: offline })).toEqual({ deleted: true });
    expect(await call('registry.get', { connectionId: offline })).toBeNull();
  });

  it('an encoding error names the message, the field and the problem; nothing is sent', async () => {
    const topic = `avro-bad-${run}`;
    await createTopic(k, topic, 1);
    await call('schemas.register', { id, subject: `${topic}-value`, draft: { schema: JSON.stringify(orderV1) } });
    const e = await fail('operations.produce', {
      id,
      topic,
      messages: [{ value: JSON.stringify({ id: 'x', total: '12,5', placed: 0, status: 'NEW' }) }],
      valueSchema: { kind: 'subject', subject: `${topic}-value` },
    });
    expect(e.code).toBe('SCHEMA_INVALID');
    expect(e.message).toMatch(/Message 1's value does not fit subject .* v1 \(id \d+\): total: /);
    expect(e.message).toContain('12,5');
    expect(e.fields?.[0]?.path).toBe('messages.0.value');
    expect((await call<ConsumeResult>('operations.consume', { id, topic })).messages).toEqual([]);
  });

  it('a chosen format: a message not of it is shown marked, skipped or stopped at, counted and named', async () => {
    const topic = `mixed-${run}`;
    await createTopic(k, topic, 1);
    const subject = `${topic}-value`;
    await call('schemas.register', { id, subject, draft: { schema: JSON.stringify(orderV1) } });
    const good = JSON.stringify({ id: 'g', total: 1, placed: 0, status: 'NEW' });
    await call('operations.produce', {
      id,
      topic,
      messages: [{ value: good }],
      valueSchema: { kind: 'subject', subject },
    });
    await call('operations.produce', { id, topic, messages: [{ value: 'plain text, not Avro' }] });
    await call('operations.produce', {
      id,
      topic,
      messages: [{ value: good }],
      valueSchema: { kind: 'subject', subject },
    });

    const shown = await call<ConsumeResult>('operations.consume', { id, topic, valueFormat: 'avro' });
    expect(shown.messages).toHaveLength(3);
    expect(shown.undecodable).toMatchObject({
      count: 1,
      action: 'show',
      first: { topic, partition: 0, offset: '1', part: 'value' },
    });
    const skipped = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      valueFormat: 'avro',
      onUndecodable: 'skip',
    });
    expect(skipped.messages.map((m) => m.offset)).toEqual(['0', '2']);
    expect(skipped.undecodable?.count).toBe(1);
    const stopped = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      valueFormat: 'avro',
      onUndecodable: 'stop',
    });
    expect(stopped.messages.map((m) => m.offset)).toEqual(['0']);
    expect(stopped.stoppedBecause).toMatch(new RegExp(`^Stopped at ${topic}\\[0\\] offset 1: its value is not avro`));
    // auto: the text message is simply text, not marked
    const auto = await call<ConsumeResult>('operations.consume', { id, topic });
    expect(auto.undecodable).toBeUndefined();
    expect(auto.messages[1]?.value).toBe('plain text, not Avro');
  });

  it('a read-only connection reads subjects and decodes, and refuses to register, change or delete', async () => {
    const inputs = await listenerInputs(k);
    const ro = (
      await call<{ id: string }>('connections.save', { ...inputs.PLAINTEXT, name: `ro ${run}`, readOnly: true })
    ).id;
    await call('registry.save', { connectionId: ro, urls: [sr.url] });
    expect((await call<{ subjects: unknown[] }>('schemas.subjects', { id: ro })).subjects.length).toBeGreaterThan(0);
    for (const [channel, input] of [
      ['schemas.register', { id: ro, subject: `ro-${run}`, draft: { schema: '"string"' } }],
      ['schemas.setCompatibility', { id: ro, level: 'NONE' }],
      ['schemas.delete', { id: ro, subject: `orders-${run}-value` }],
    ] as const) {
      const e = await fail(channel, input);
      expect(e.code, channel).toBe('READ_ONLY');
    }
  });
});
