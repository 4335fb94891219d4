/**
 * Kafka Desk against Confluent's own serializers (e2e/peers/confluent_peer.py), through the real broker
 * and registry: what Confluent's serializers write, Kafka Desk decodes to the same JSON; what Kafka
 * Desk writes, Confluent's deserializers read to the same value — every Avro logical type, JSON
 * Schema, and Protobuf with an import, well-known types and a nested message (non-zero indexes).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsumeResult } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { ensurePythonPeer, PythonPeerUnavailable, runPeer } from '../infra/pythonPeer';
import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { avroSchema, avroValues, jsonSchema, jsonValues, money, shop } from './schemaFixtures';
import { createTopic, freshCore, listenerInputs, readCluster, type ClusterInfo } from './support';

const exec = promisify(execFile);
let k: ClusterInfo;
let registry: RegistryInfo;
let core: Core;
let id: string;
let peerMissing: string | undefined;
let protocMissing: string | undefined;
const run = Date.now();

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  k = await readCluster();
  registry = await ensureSchemaRegistry({ log: (s) => console.log(`[registry] ${s}`) });
  try {
    await ensurePythonPeer({ log: (s) => console.log(`[peer] ${s}`) });
  } catch (e) {
    if (!(e instanceof PythonPeerUnavailable)) throw e;
    peerMissing = e.message;
    console.log(`skipped: ${peerMissing}`);
  }
  await exec('protoc', ['--version']).catch(() => {
    protocMissing =
      'protoc is not installed (Debian: protobuf-compiler), so the Protobuf peer cannot compile .proto files';
    console.log(`skipped (Protobuf): ${protocMissing}`);
  });
  ({ core } = await freshCore());
  const inputs = await listenerInputs(k);
  id = (await call<{ id: string }>('connections.save', { ...inputs.PLAINTEXT, name: 'cross-check' })).id;
  await call('registry.save', { connectionId: id, urls: [registry.url] });
}, 20 * 60_000);

async function topic(name: string): Promise<string> {
  const t = `xcheck-${name}-${run}`;
  await createTopic(k, t, 1);
  return t;
}

const base = () => ({ bootstrap: k.listeners.plaintext, registry: registry.url });

/** What Kafka Desk decoded: each value's JSON, parsed (a message that did not decode fails with its reason). */
async function decodedValues(t: string): Promise<unknown[]> {
  const r = await call<ConsumeResult>('operations.consume', { id, topic: t });
  return r.messages.map((m) => {
    const d = m.decoded?.value;
    if (!d?.json) throw new Error(`${t} offset ${m.offset} did not decode: ${d?.error ?? 'no decoded value'}`);
    return JSON.parse(d.json) as unknown;
  });
}

describe('Avro: Kafka Desk and Confluent’s AvroSerializer / AvroDeserializer', () => {
  it('decodes what Confluent wrote, every logical type included, to the same JSON', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    const t = await topic('avro-in');
    await runPeer({
      op: 'produce',
      ...base(),
      topic: t,
      format: 'avro',
      schema: JSON.stringify(avroSchema),
      values: avroValues,
    });
    const got = await decodedValues(t);
    expect(got).toEqual(avroValues);
  });

  it('writes what Confluent’s deserializer reads to the same value', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    const from = await topic('avro-subject');
    await runPeer({
      op: 'produce',
      ...base(),
      topic: from,
      format: 'avro',
      schema: JSON.stringify(avroSchema),
      values: [avroValues[0]],
    });
    const t = await topic('avro-out');
    await call('operations.produce', {
      id,
      topic: t,
      messages: avroValues.map((v) => ({ value: JSON.stringify(v) })),
      valueSchema: { kind: 'subject', subject: `${from}-value` },
    });
    const got = (await runPeer({ op: 'consume', ...base(), topic: t, format: 'avro', count: 2 })) as {
      values: unknown[];
    };
    expect(got.values).toEqual(avroValues);
  });
});

describe('JSON Schema: Kafka Desk and Confluent’s JSONSerializer / JSONDeserializer', () => {
  it('decodes (and validates) what Confluent wrote; Confluent reads what Kafka Desk wrote', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    const t = await topic('json');
    await runPeer({
      op: 'produce',
      ...base(),
      topic: t,
      format: 'json',
      schema: JSON.stringify(jsonSchema),
      values: jsonValues,
    });
    const r = await call<ConsumeResult>('operations.consume', { id, topic: t });
    expect(r.messages.map((m) => m.decoded?.value?.format)).toEqual(['json-schema', 'json-schema']);
    expect(r.messages.map((m) => m.decoded?.value?.invalid)).toEqual([undefined, undefined]);
    expect(r.messages.map((m) => JSON.parse(m.decoded!.value!.json!))).toEqual(jsonValues);

    const out = await topic('json-out');
    await call('operations.produce', {
      id,
      topic: out,
      messages: jsonValues.map((v) => ({ value: JSON.stringify(v) })),
      valueSchema: { kind: 'subject', subject: `${t}-value` },
    });
    const got = (await runPeer({ op: 'consume', ...base(), topic: out, format: 'json', count: 2 })) as {
      values: unknown[];
    };
    expect(got.values).toEqual(jsonValues);
    // one the schema refuses is refused before sending, naming the field
    const e = await dispatch(core.handlers, 'operations.produce', {
      id,
      topic: out,
      messages: [{ value: JSON.stringify({ id: 'three', name: 'Grace' }) }],
      valueSchema: { kind: 'subject', subject: `${t}-value` },
    });
    expect(e.ok).toBe(false);
    expect(!e.ok && e.error.message).toMatch(/id/);
  });
});

describe('Protobuf: Kafka Desk and Confluent’s ProtobufSerializer / ProtobufDeserializer', () => {
  const references = (t: string) => [{ name: 'peer/common/money.proto', subject: `${t}-money`, schema: money }];
  const full = {
    id: 'o-1',
    status: 'PAID',
    lines: [{ sku: 'A-1', price: { currency: 'EUR', units: '12', nanos: 500000000 }, qty: 2 }],
    placed_at: '2024-02-29T13:14:15.123Z',
    ttl: '1.500s',
    signature: 'AQID',
    big: '9223372036854775807',
    counts: { a: 1 },
  };
  const line = { sku: 'B-2', price: { currency: 'USD', units: '-3', nanos: 0 }, qty: 0 };

  it('decodes what Confluent wrote: an import, Timestamp and Duration, a nested type (indexes [1, 0])', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    if (protocMissing) return ctx.skip(protocMissing);
    const t = await topic('proto-in');
    await runPeer({
      op: 'produce',
      ...base(),
      topic: t,
      format: 'protobuf',
      schema: shop,
      references: references(t),
      protoMessage: 'peer.shop.Order',
      values: [full],
    });
    const nested = await topic('proto-in-nested');
    await runPeer({
      op: 'produce',
      ...base(),
      topic: nested,
      format: 'protobuf',
      schema: shop,
      references: references(nested),
      protoMessage: 'peer.shop.Order.Line',
      values: [line],
    });
    const r = await call<ConsumeResult>('operations.consume', { id, topic: t });
    expect(r.messages[0]?.decoded?.value?.messageName).toBe('peer.shop.Order');
    expect(await decodedValues(t)).toEqual([full]);
    const n = await call<ConsumeResult>('operations.consume', { id, topic: nested });
    expect(n.messages[0]?.decoded?.value?.messageName).toBe('peer.shop.Order.Line');
    expect(await decodedValues(nested)).toEqual([line]);
  });

  it('writes what Confluent’s deserializer reads, a nested type included', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    if (protocMissing) return ctx.skip(protocMissing);
    const from = await topic('proto-subject');
    await runPeer({
      op: 'produce',
      ...base(),
      topic: from,
      format: 'protobuf',
      schema: shop,
      references: references(from),
      protoMessage: 'peer.shop.Order',
      values: [full],
    });
    const t = await topic('proto-out');
    await call('operations.produce', {
      id,
      topic: t,
      messages: [{ value: JSON.stringify(full) }],
      valueSchema: { kind: 'subject', subject: `${from}-value`, messageName: 'peer.shop.Order' },
    });
    const got = (await runPeer({
      op: 'consume',
      ...base(),
      topic: t,
      format: 'protobuf',
      schema: shop,
      references: references(from),
      protoMessage: 'peer.shop.Order',
      count: 1,
    })) as { values: unknown[] };
    expect(got.values).toEqual([full]);
    const t2 = await topic('proto-out-nested');
    await call('operations.produce', {
      id,
      topic: t2,
      messages: [{ value: JSON.stringify(line) }],
      valueSchema: { kind: 'subject', subject: `${from}-value`, messageName: 'peer.shop.Order.Line' },
    });
    const got2 = (await runPeer({
      op: 'consume',
      ...base(),
      topic: t2,
      format: 'protobuf',
      schema: shop,
      references: references(from),
      protoMessage: 'peer.shop.Order.Line',
      count: 1,
    })) as { values: unknown[] };
    expect(got2.values).toEqual([line]);
  });

  it('decodes raw Protobuf that protoc encoded, through a local .proto attached to the topic', async (ctx) => {
    if (protocMissing) return ctx.skip(protocMissing);
    const t = await topic('proto-raw');
    const { mkdtemp, writeFile, mkdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(tmpdir(), 'kd-protoc-'));
    await mkdir(path.join(dir, 'peer', 'common'), { recursive: true });
    await writeFile(path.join(dir, 'peer', 'common', 'money.proto'), money);
    await writeFile(path.join(dir, 'shop.proto'), shop);
    const encoded = await new Promise<Buffer>((resolve, reject) => {
      const p = execFile(
        'protoc',
        [`-I${dir}`, '--encode=peer.shop.Order.Line', 'shop.proto'],
        { cwd: dir, encoding: 'buffer' },
        (err, stdout) => (err ? reject(err) : resolve(stdout as Buffer)),
      );
      p.stdin?.end('sku: "C-3" price { currency: "GBP" units: 7 } qty: 4\n');
    });
    await call('operations.produce', { id, topic: t, messages: [{ value: { base64: encoded.toString('base64') } }] });
    const local = await call<{ id: string }>('localSchemas.add', {
      connectionId: id,
      schemaType: 'PROTOBUF',
      file: { name: 'shop.proto', content: shop },
      imports: [{ name: 'peer/common/money.proto', content: money }],
    });
    await call('localSchemas.bind', {
      connectionId: id,
      localSchemaId: local.id,
      messageName: 'peer.shop.Order.Line',
      target: { kind: 'topic', topic: t, part: 'value' },
    });
    const r = await call<ConsumeResult>('operations.consume', { id, topic: t });
    expect(r.messages[0]?.decoded?.value).toMatchObject({ format: 'protobuf', localSchema: 'shop.proto' });
    expect(JSON.parse(r.messages[0]!.decoded!.value!.json!)).toEqual({
      sku: 'C-3',
      price: { currency: 'GBP', units: '7', nanos: 0 },
      qty: 4,
    });
  });
});
