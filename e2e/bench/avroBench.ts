/**
 * The Schema Registry rows of `npm run bench` (issue 16): N Avro messages of about 1 KiB decoded,
 * produced by Kafka Desk from NDJSON with a subject's schema, then read to the end decoded, beside
 * the same read without decoding (`--value-format bytes`: what decoding costs), kcat reading the
 * topic raw, and Confluent's Python AvroDeserializer consumer (the reference decoder).
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ClusterInfo } from '../infra/kafka';
import { ensurePythonPeer, PythonPeerUnavailable, runPeer } from '../infra/pythonPeer';
import { ensureSchemaRegistry } from '../infra/schemaRegistry';
import { createTopic } from '../integration/support';

const exec = promisify(execFile);

export interface AvroRow {
  name: string;
  desk: number | null;
  /** who the peer is, and its wall time */
  peer: string;
  peerMs: number | null;
  /** Kafka Desk against the peer, as the target reads it */
  comparison: string;
  target: string;
  met: boolean | null;
  note: string;
}

type Timed = (cmd: string, argv: string[]) => Promise<number>;
type Counted = (cmd: string, argv: string[], opts: { stdoutTo: 'count' }) => Promise<{ ms: number; lines: number }>;

/** ~15 fields of the kinds real order events carry: strings, longs, doubles, an enum, a nested record, arrays, a timestamp. */
export const ORDER_SCHEMA = {
  type: 'record',
  name: 'Order',
  namespace: 'bench.shop',
  fields: [
    { name: 'seq', type: 'long' },
    { name: 'orderId', type: 'string' },
    { name: 'customerId', type: 'string' },
    { name: 'createdAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    {
      name: 'status',
      type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'] },
    },
    { name: 'total', type: 'double' },
    { name: 'tax', type: 'double' },
    { name: 'currency', type: 'string' },
    { name: 'quantity', type: 'int' },
    { name: 'loyaltyPoints', type: 'long' },
    {
      name: 'shipping',
      type: {
        type: 'record',
        name: 'Address',
        fields: [
          { name: 'street', type: 'string' },
          { name: 'city', type: 'string' },
          { name: 'postcode', type: 'string' },
          { name: 'country', type: 'string' },
        ],
      },
    },
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Item',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'name', type: 'string' },
            { name: 'quantity', type: 'int' },
            { name: 'price', type: 'double' },
          ],
        },
      },
    },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'channel', type: 'string' },
    { name: 'description', type: 'string' },
  ],
};

const STATUS = ['NEW', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'];
const CITIES = ['Lyon', 'Porto', 'Gdańsk', 'København', 'Zürich'];
/** Decoded JSON of about this many bytes per message (the description field pads to it). */
const DECODED_BYTES = 1024;

/** The readable value of message i, as Kafka Desk's decoder shows it (and as the NDJSON gives it to encode). */
export function orderOf(i: number): Record<string, unknown> {
  const o: Record<string, unknown> = {
    seq: i,
    orderId: `ord-${String(i).padStart(9, '0')}`,
    customerId: `cust-${(i * 7919) % 100_000}`,
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    status: STATUS[i % STATUS.length],
    total: Math.round((i % 10_000) * 1.37 * 100) / 100 + 0.5,
    tax: Math.round((i % 10_000) * 0.26 * 100) / 100 + 0.25,
    currency: 'EUR',
    quantity: (i % 9) + 1,
    loyaltyPoints: i * 3,
    shipping: {
      street: `${(i % 300) + 1} Rue de la République`,
      city: CITIES[i % 5],
      postcode: '69002',
      country: 'FR',
    },
    items: [0, 1, 2].map((n) => ({
      sku: `SKU-${(i + n) % 5000}`,
      name: `Article ${(i + n) % 5000} in blue`,
      quantity: n + 1,
      price: 9.99 + n * 10,
    })),
    tags: ['web', i % 2 ? 'gift' : 'self', 'priority'],
    note: i % 3 ? null : 'leave at the door',
    channel: 'checkout-v2',
    description: '',
  };
  o.description = 'lorem ipsum '.repeat(90).slice(0, Math.max(0, DECODED_BYTES - JSON.stringify(o).length));
  return o;
}

/** A read that stopped short would make its time meaningless: the bench fails instead. */
export function readAll(what: string, got: number, n: number): void {
  if (got !== n) throw new Error(`${what} read ${got.toLocaleString('en')} of ${n.toLocaleString('en')} messages`);
}

const subjectOf = (topic: string) => `${topic}-value`;

async function register(registry: string, subject: string): Promise<number> {
  const r = await fetch(`${registry}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(ORDER_SCHEMA) }),
  });
  if (!r.ok) throw new Error(`registering ${subject} failed: HTTP ${r.status} ${await r.text()}`);
  return ((await r.json()) as { id: number }).id;
}

async function writeNdjson(file: string, n: number): Promise<void> {
  const w = createWriteStream(file);
  for (let i = 0; i < n; i++)
    if (!w.write(JSON.stringify({ key: `k${i}`, value: JSON.stringify(orderOf(i)) }) + '\n'))
      await new Promise<void>((r) => w.once('drain', () => r()));
  await new Promise((r) => w.end(r));
}

interface JsonLine {
  key: string;
  value: unknown;
  decoded?: { value?: { format?: string; schemaId?: number; json?: string; error?: string } };
}

/**
 * What the timed runs print, checked on a few messages: decoded, each the value that was produced
 * (so the timed decode is real), and nothing decoded with `--value-format bytes`.
 */
async function checkOutput(deskArgs: (extra: string[]) => string[], schemaId: number): Promise<void> {
  const lines = async (extra: string[]) => {
    const { stdout } = await exec(process.execPath, deskArgs(['--max', '5', ...extra]), { maxBuffer: 1 << 24 });
    const parsed = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonLine);
    if (parsed.length !== 5) throw new Error(`expected 5 messages, got ${parsed.length}`);
    return parsed;
  };
  for (const m of await lines([])) {
    const d = m.decoded?.value;
    if (d?.format !== 'avro' || d.schemaId !== schemaId || d.json === undefined)
      throw new Error(`message ${m.key} was not decoded as Avro id ${schemaId}: ${JSON.stringify(m.decoded)}`);
    const want = orderOf(Number(m.key.slice(1)));
    if (!isDeepStrictEqual(JSON.parse(d.json), want))
      throw new Error(`message ${m.key} decoded to ${d.json}, not ${JSON.stringify(want)}`);
  }
  for (const m of await lines(['--value-format', 'bytes']))
    if (m.decoded?.value) throw new Error(`--value-format bytes still decoded ${m.key}`);
}

export async function avroCases(opts: {
  k: ClusterInfo;
  dir: string;
  n: number;
  bin: string;
  /** the connection flags of the reads (a saved connection that waits long enough for N messages) */
  reads: string[];
  timed: Timed;
  run: Counted;
  log: (s: string) => void;
}): Promise<AvroRow[]> {
  const { k, dir, n, bin, reads, timed, run, log } = opts;
  const N = n.toLocaleString('en');
  const registry = (await ensureSchemaRegistry({ log: (s) => log(`[registry] ${s}`) })).url;
  const topic = `bench-avro-${n}-${Date.now()}`;
  await createTopic(k, topic, 6);
  const schemaId = await register(registry, subjectOf(topic));
  const ndjson = path.join(dir, 'orders.ndjson');
  log(`preparing ${N} Avro orders (${DECODED_BYTES} B of JSON each) as NDJSON…`);
  await writeNdjson(ndjson, n);
  const connection = [...reads, '--schema-registry', registry];
  const rows: AvroRow[] = [];

  log(`Kafka Desk produces ${N} Avro messages with ${subjectOf(topic)}…`);
  const produce = await timed(process.execPath, [
    bin,
    'produce',
    '--topic',
    topic,
    '--file',
    ndjson,
    '--format',
    'ndjson',
    '--value-subject',
    subjectOf(topic),
    ...connection,
  ]);
  rows.push({
    name: `Produce ${N} Avro messages from NDJSON (~1 KiB JSON each, encoded with the subject's latest schema)`,
    desk: produce,
    peer: '—',
    peerMs: null,
    comparison: '—',
    target: '—',
    met: null,
    note:
      'kafka-desk produce --file F --format ndjson --value-subject S. No peer: kcat here has no Avro, and the ' +
      "Python peer's produce takes every value inline in one JSON request (a test tool, no streaming path)",
  });

  // consume prints batch by batch as it reads: Node's default heap is enough for any count
  const consume = (extra: string[]) => [
    bin,
    'consume',
    '--topic',
    topic,
    '--from',
    'earliest',
    '--until-end',
    '--json',
    ...connection,
    ...extra,
  ];
  await checkOutput(consume, schemaId);

  log(`Kafka Desk reads them back, decoded and not…`);
  const counted = async (what: string, cmd: string, argv: string[]) => {
    const r = await run(cmd, argv, { stdoutTo: 'count' });
    readAll(what, r.lines, n);
    return r.ms;
  };
  const decoded = await counted('kafka-desk consume (decoded)', process.execPath, consume(['--max', String(n)]));
  const raw = await counted(
    'kafka-desk consume --value-format bytes',
    process.execPath,
    consume(['--max', String(n), '--value-format', 'bytes']),
  );
  const overhead = (decoded / raw - 1) * 100;
  rows.push({
    name: `Consume ${N} Avro messages to the end, decoded (--json to a file)`,
    desk: decoded,
    peer: 'Kafka Desk, --value-format bytes',
    peerMs: raw,
    comparison: `${overhead >= 0 ? '+' : ''}${overhead.toFixed(0)} %`,
    target: 'decoding ≤ +30 %',
    met: overhead <= 30,
    note:
      'the same command without decoding, default heap. Decoded lines carry the raw value and the decoded ' +
      'JSON as a JSON string (escaped), so they are more than twice as long',
  });

  log(`kcat reads the topic raw…`);
  const kcat = await counted('kcat -C -J', 'kcat', [
    '-b',
    k.listeners.plaintext,
    '-C',
    '-e',
    '-o',
    'beginning',
    '-J',
    '-t',
    topic,
  ]);
  rows.push({
    name: `Consume ${N} Avro messages to the end: Kafka Desk decoded vs kcat raw`,
    desk: decoded,
    peer: 'kcat -C -e -J (raw, no Avro)',
    peerMs: kcat,
    comparison: `${(decoded / kcat).toFixed(2)}× kcat`,
    target: '—',
    met: null,
    note: 'kcat here is built without Avro, so it prints the undecoded bytes',
  });

  log(`Confluent's Python AvroDeserializer reads them…`);
  let python: { wallMs: number; inner: { count: number; seconds: number } } | null = null;
  let why = '';
  try {
    await ensurePythonPeer({ log: (s) => log(`[python] ${s}`) });
    const t0 = performance.now();
    const inner = (await runPeer(
      { op: 'bench-consume', bootstrap: k.listeners.plaintext, registry, topic, count: n },
      { timeoutMs: 60 * 60_000 },
    )) as { count: number; seconds: number };
    python = { wallMs: performance.now() - t0, inner };
    if (inner.count !== n) throw new Error(`the Python consumer read ${inner.count} of ${n} messages`);
  } catch (e) {
    if (!(e instanceof PythonPeerUnavailable)) throw e;
    why = e.message.split('\n')[0] ?? '';
  }
  rows.push({
    name: `Consume ${N} Avro messages to the end: Kafka Desk decoded vs Confluent's Python AvroDeserializer`,
    desk: decoded,
    peer: 'confluent-kafka AvroDeserializer (Python)',
    peerMs: python?.wallMs ?? null,
    comparison: python ? speed(python.wallMs / decoded) : '—',
    target: 'Kafka Desk ≥ 2× faster',
    met: python ? python.wallMs / decoded >= 2 : null,
    note: python
      ? `wall times of both processes; inside Python, its consume loop alone took ${python.inner.seconds.toFixed(2)} s ` +
        `(${(python.inner.seconds / (decoded / 1000)).toFixed(2)}× Kafka Desk's wall time). It decodes to Python ` +
        'objects and prints nothing; Kafka Desk also writes every message as JSON'
      : `not run: ${why}`,
  });
  return rows;
}

/** "2.53× faster", or "1.06× slower" (never "0.94× faster"). */
const speed = (x: number) => (x >= 1 ? `${x.toFixed(2)}× faster` : `${(1 / x).toFixed(2)}× slower`);

/** The rows as a Markdown table of their own (the peers differ from the kcat table's). */
export function avroTable(rows: AvroRow[]): string[] {
  if (!rows.length) return [];
  const s = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`);
  const met = (m: boolean | null) => (m === null ? '' : m ? ' (met)' : ' (MISSED)');
  return [
    '## Schemas: Avro with the Schema Registry',
    '',
    '| case | Kafka Desk | peer | peer time | Kafka Desk vs peer | target | notes |',
    '| --- | ---: | --- | ---: | ---: | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${s(r.desk)} | ${r.peer} | ${s(r.peerMs)} | ${r.comparison} | ${r.target}${met(r.met)} | ${r.note} |`,
    ),
    '',
  ];
}
