/**
 * The independent peer (e2e/peers/confluent_peer.py): Confluent's own Python serializers write
 * Avro, JSON Schema and Protobuf to the real broker through the real registry, and its deserializers
 * read back exactly the values written, in the readable convention Kafka Desk's decoder will show.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensurePythonPeer, PythonPeerUnavailable, runPeer } from '../infra/pythonPeer';
import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { avroSchema, avroValues, jsonSchema, jsonValues, money, shop } from './schemaFixtures';
import { createTopic, readCluster, type ClusterInfo } from './support';

const exec = promisify(execFile);
let k: ClusterInfo;
let registry: RegistryInfo;
let peerMissing: string | undefined;
let protocMissing: string | undefined;
const run = Date.now();

interface Produced {
  produced: number;
  schemaId: number;
}
interface Consumed {
  values: unknown[];
  keys: (string | null)[];
  schemaIds: (number | null)[];
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
}, 20 * 60_000);

async function topic(name: string): Promise<string> {
  const t = `peer-${name}-${run}`;
  await createTopic(k, t, 1);
  return t;
}

async function latestId(subject: string): Promise<number> {
  const r = await fetch(`${registry.url}/subjects/${subject}/versions/latest`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { id: number }).id;
}

/** The framed bytes of the topic's only message, read by kcat (a third program). */
function rawMessage(t: string): Buffer {
  return execFileSync('kcat', [
    '-b',
    k.listeners.plaintext,
    '-C',
    '-t',
    t,
    '-o',
    'beginning',
    '-c',
    '1',
    '-e',
    '-q',
    '-f',
    '%s',
  ]);
}

const base = () => ({ bootstrap: k.listeners.plaintext, registry: registry.url });

describe('Avro through Confluent’s AvroSerializer / AvroDeserializer', () => {
  const schema = avroSchema;
  const values = avroValues;

  it('round-trips every logical type, a union, an enum, a map, an array and fixed', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    const t = await topic('avro');
    const sent = (await runPeer({
      op: 'produce',
      ...base(),
      topic: t,
      format: 'avro',
      schema: JSON.stringify(schema),
      values,
      keys: ['order-1', null],
    })) as Produced;
    expect(sent.produced).toBe(2);
    // the serializer registered the schema under TopicNameStrategy's subject
    expect(sent.schemaId).toBe(await latestId(`${t}-value`));
    const head = rawMessage(t);
    expect(head[0]).toBe(0); // Confluent's magic byte, then the schema id
    expect(head.readUInt32BE(1)).toBe(sent.schemaId);

    const got = (await runPeer({ op: 'consume', ...base(), topic: t, format: 'avro', count: 2 })) as Consumed;
    expect(got.values).toEqual(values);
    expect(got.keys).toEqual(['order-1', null]);
    expect(got.schemaIds).toEqual([sent.schemaId, sent.schemaId]);
  });

  it('refuses a value that does not fit the schema (an unknown enum symbol)', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    const t = await topic('avro-bad');
    const bad = { ...values[0], status: 'LOST' };
    await expect(
      runPeer({ op: 'produce', ...base(), topic: t, format: 'avro', schema: JSON.stringify(schema), values: [bad] }),
    ).rejects.toThrow(/LOST/);
  });

  it('counts Avro messages to the end for the benchmark', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    const t = await topic('avro-bench');
    const many = Array.from({ length: 50 }, (_, i) => ({ ...values[1], big: i }));
    await runPeer({ op: 'produce', ...base(), topic: t, format: 'avro', schema: JSON.stringify(schema), values: many });
    const bench = (await runPeer({ op: 'bench-consume', ...base(), topic: t })) as { count: number; seconds: number };
    expect(bench.count).toBe(50);
    expect(bench.seconds).toBeGreaterThan(0);
  });
});

describe('JSON Schema through Confluent’s JSONSerializer / JSONDeserializer', () => {
  const schema = jsonSchema;
  const values = jsonValues;

  it('round-trips documents and refuses one the schema rejects', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    const t = await topic('json');
    const request = { op: 'produce', ...base(), topic: t, format: 'json', schema: JSON.stringify(schema) };
    const sent = (await runPeer({ ...request, values })) as Produced;
    expect(sent).toEqual({ produced: 2, schemaId: await latestId(`${t}-value`) });
    const got = (await runPeer({ op: 'consume', ...base(), topic: t, format: 'json', count: 2 })) as Consumed;
    expect(got.values).toEqual(values);
    await expect(runPeer({ ...request, values: [{ id: 'three', name: 'Grace' }] })).rejects.toThrow(/three/);
  });
});

describe('Protobuf through Confluent’s ProtobufSerializer / ProtobufDeserializer', () => {
  async function produceProto(t: string, protoMessage: string, values: unknown[]): Promise<Produced> {
    return (await runPeer({
      op: 'produce',
      ...base(),
      topic: t,
      format: 'protobuf',
      schema: shop,
      references: [{ name: 'peer/common/money.proto', subject: `${t}-money`, schema: money }],
      protoMessage,
      values,
    })) as Produced;
  }
  async function consumeProto(t: string, protoMessage: string, count: number): Promise<Consumed> {
    return (await runPeer({
      op: 'consume',
      ...base(),
      topic: t,
      format: 'protobuf',
      schema: shop,
      references: [{ name: 'peer/common/money.proto', subject: `${t}-money`, schema: money }],
      protoMessage,
      count,
    })) as Consumed;
  }

  it('round-trips the second top-level message (index 1) with an import and well-known types', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    if (protocMissing) return ctx.skip(protocMissing);
    const t = await topic('proto');
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
    const sent = await produceProto(t, 'peer.shop.Order', [full, { id: 'o-2' }]);
    expect(sent.schemaId).toBe(await latestId(`${t}-value`));
    // Confluent framing: magic 0, the id, then the message indexes [1] as zig-zag varints (count 1, index 1)
    const head = rawMessage(t);
    expect([head[0], head.readUInt32BE(1), head[5], head[6]]).toEqual([0, sent.schemaId, 2, 2]);

    const got = await consumeProto(t, 'peer.shop.Order', 2);
    expect(got.values).toEqual([
      full,
      // fields at their default value are shown too
      { id: 'o-2', status: 'STATUS_UNSPECIFIED', lines: [], signature: '', big: '0', counts: {} },
    ]);
  });

  it('round-trips a nested message type (indexes [1, 0]) whose field comes from the import', async (ctx) => {
    if (peerMissing) return ctx.skip(peerMissing);
    if (protocMissing) return ctx.skip(protocMissing);
    const t = await topic('proto-nested');
    const line = { sku: 'B-2', price: { currency: 'USD', units: '-3', nanos: 0 }, qty: 0 };
    const sent = await produceProto(t, 'peer.shop.Order.Line', [line]);
    expect([...rawMessage(t).subarray(5, 8)]).toEqual([4, 2, 0]);
    const got = await consumeProto(t, 'peer.shop.Order.Line', 1);
    expect(got.values).toEqual([line]);
    expect(got.schemaIds).toEqual([sent.schemaId]);
  });
});
