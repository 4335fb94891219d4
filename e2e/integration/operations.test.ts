import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsumeResult, ProduceResult } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { kcatCommand } from '../../renderer/src/components/kcatCommand';
import { createTopic, freshCore, listenerInputs, readCluster, type ClusterInfo } from './support';

const exec = promisify(execFile);
let k: ClusterInfo;
let core: Core;
let id: string;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/**
 * kcat reads a partition with a length-prefixed format, so bytes (binary included) compare exactly.
 * On a topic created a moment ago kcat's first metadata may not know the partition's leader yet and
 * it ends with nothing read: it is asked again (a few times) until it sees at least `atLeast` rows.
 */
async function kcatRead(
  topic: string,
  partition: number,
  atLeast = 1,
): Promise<{ key: Buffer | null; value: Buffer; headers: string; offset: number; timestamp: number }[]> {
  for (let attempt = 0; ; attempt++) {
    const rows = await kcatReadOnce(topic, partition);
    if (rows.length >= atLeast || attempt >= 10) return rows;
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function kcatReadOnce(
  topic: string,
  partition: number,
): Promise<{ key: Buffer | null; value: Buffer; headers: string; offset: number; timestamp: number }[]> {
  const out = await new Promise<Buffer>((resolve, reject) => {
    const p = spawn('kcat', [
      '-b',
      k.listeners.plaintext,
      '-C',
      '-t',
      topic,
      '-p',
      String(partition),
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%R%K:%k%S:%s|%o|%T|%h\n',
    ]);
    const chunks: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => chunks.push(d));
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`kcat exited ${code}`))));
  });
  const rows = [];
  let i = 0;
  while (i < out.length) {
    i += 4; // %R: the record's total length (network order), not needed here
    const kColon = out.indexOf(':', i);
    const klen = Number(out.subarray(i, kColon).toString());
    i = kColon + 1;
    const key = klen < 0 ? null : out.subarray(i, i + klen);
    i += Math.max(klen, 0);
    const sColon = out.indexOf(':', i);
    const slen = Number(out.subarray(i, sColon).toString());
    i = sColon + 1;
    const value = out.subarray(i, i + Math.max(slen, 0));
    i += Math.max(slen, 0);
    const eol = out.indexOf('\n', i);
    const [, offset, ts, headers] = out.subarray(i, eol).toString('latin1').split('|');
    rows.push({ key, value, headers: headers ?? '', offset: Number(offset), timestamp: Number(ts) });
    i = eol + 1;
  }
  return rows;
}

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  id = (await call<{ id: string }>('connections.save', { ...(await listenerInputs(k)).PLAINTEXT, name: 'ops' })).id;
});

describe('produce, read back by kcat byte for byte', () => {
  const topic = `it-produce-${Date.now()}`;
  beforeAll(() => createTopic(k, topic, 3));

  for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`keys, duplicate-key headers, binary bytes, an explicit partition and timestamp, ${compression}`, async () => {
      const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
      const r = await call<ProduceResult>('operations.produce', {
        id,
        topic,
        compression,
        messages: [
          {
            key: 'order-1',
            value: '{"total": 12.5}',
            headers: [
              ['trace', 'a'],
              ['trace', 'b'],
            ],
            partition: 2,
            timestamp: 1_700_000_000_000,
          },
          {
            key: { base64: binary.toString('base64') },
            value: { base64: binary.toString('base64') },
            partition: 2,
            timestamp: 1_700_000_000_001,
          },
        ],
      });
      expect(r.delivered).toBe(2);
      expect(r.results.map((x) => x.status === 'delivered' && x.partition)).toEqual([2, 2]);
      const rows = await kcatRead(topic, 2, 2);
      const mine = rows
        .filter((row) => row.timestamp === 1_700_000_000_000 || row.timestamp === 1_700_000_000_001)
        .slice(-2);
      expect(mine[0]!.key?.toString()).toBe('order-1');
      expect(mine[0]!.value.toString()).toBe('{"total": 12.5}');
      expect(mine[0]!.headers).toBe('trace=a,trace=b');
      expect(mine[1]!.key?.equals(binary)).toBe(true);
      expect(mine[1]!.value.equals(binary)).toBe(true);
      expect(String(mine[0]!.offset)).toBe((r.results[0] as { offset: string }).offset);
    });
  }

  it('keyed messages land on the partition the Java client (murmur2) picks, as kcat with murmur2_random', async () => {
    const t = `it-murmur-${Date.now()}`;
    await createTopic(k, t, 6);
    const keys = Array.from({ length: 12 }, (_, i) => `customer-${i}`);
    const ours = await call<ProduceResult>('operations.produce', {
      id,
      topic: t,
      messages: keys.map((key) => ({ key, value: 'x' })),
    });
    await new Promise<void>((resolve, reject) => {
      const p = execFile(
        'kcat',
        ['-b', k.listeners.plaintext, '-P', '-t', `${t}`, '-K', ':', '-X', 'topic.partitioner=murmur2_random'],
        (e) => (e ? reject(e) : resolve()),
      );
      p.stdin!.end(keys.map((key) => `${key}:y`).join('\n') + '\n');
    });
    const read = await call<ConsumeResult>('operations.consume', { id, topic: t, max: 100 });
    for (const [i, key] of keys.entries()) {
      const theirs = read.messages.find((m) => m.key === key && m.value === 'y');
      expect(theirs?.partition, key).toBe((ours.results[i] as { partition: number }).partition);
    }
  });

  it('refuses a message over the size limit before sending anything', async () => {
    const e = await dispatch(core.handlers, 'operations.produce', {
      id,
      topic,
      maxMessageBytes: 1024 * 1024,
      messages: [{ value: 'small' }, { value: 'x'.repeat(2 * 1024 * 1024) }],
    });
    expect(e).toMatchObject({
      ok: false,
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'Message 2 is 2.0 MiB, over the 1.0 MiB limit for this connection; nothing was sent.',
      },
    });
  });

  it('a missing topic fails the whole run at once with one sentence, not one error per message', async () => {
    const missing = `no-such-topic-${Date.now()}`;
    const r = await dispatch(core.handlers, 'operations.produce', {
      id,
      topic: missing,
      continueOnError: true,
      messages: Array.from({ length: 39 }, (_, i) => ({ value: `m${i}` })),
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: `Topic '${missing}' does not exist on ops; create it first or pick another topic.`,
      },
    });
    // the producer never creates it on the way
    expect(await dispatch(core.handlers, 'topics.describe', { id, name: missing })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('a partition the topic does not have fails the whole run at once, and nothing is sent', async () => {
    const before = await call<{ partitions: { partition: number; endOffset: string }[] }>('topics.describe', {
      id,
      name: topic,
    });
    const r = await dispatch(core.handlers, 'operations.produce', {
      id,
      topic,
      continueOnError: true,
      messages: [
        { value: 'fine', partition: 0 },
        { value: 'nowhere', partition: 7 },
      ],
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: `Topic '${topic}' on ops has 3 partitions (0–2); there is no partition 7 to send to. Nothing was sent.`,
      },
    });
    const after = await call<{ partitions: { partition: number; endOffset: string }[] }>('topics.describe', {
      id,
      name: topic,
    });
    expect(after.partitions.map((p) => p.endOffset)).toEqual(before.partitions.map((p) => p.endOffset));
  });
});

describe('consume, what kcat produced, identically', () => {
  const topic = `it-consume-${Date.now()}`;
  beforeAll(async () => {
    await createTopic(k, topic, 2);
    await new Promise<void>((resolve, reject) => {
      const p = execFile(
        'kcat',
        [
          '-b',
          k.listeners.plaintext,
          '-P',
          '-t',
          topic,
          '-p',
          '1',
          '-K',
          '|',
          '-H',
          'source=kcat',
          '-H',
          'dup=1',
          '-H',
          'dup=2',
        ],
        (e) => (e ? reject(e) : resolve()),
      );
      p.stdin!.end(Array.from({ length: 10 }, (_, i) => `k${i}|value ${i}`).join('\n') + '\n');
    });
  });

  it('reads from earliest to the end: keys, values, headers in wire order, offsets', async () => {
    const r = await call<ConsumeResult>('operations.consume', { id, topic });
    expect(r.reachedEnd).toBe(true);
    expect(r.messages.map((m) => `${m.partition}:${m.offset} ${String(m.key)}=${String(m.value)}`)).toEqual(
      Array.from({ length: 10 }, (_, i) => `1:${i} k${i}=value ${i}`),
    );
    expect(r.messages[0]!.headers).toEqual([
      ['source', 'kcat'],
      ['dup', '1'],
      ['dup', '2'],
    ]);
    expect(r.messages[0]!.timestampType).toBe('CreateTime');
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`reads what kcat compressed with ${codec}`, async () => {
      const t = `it-kcat-${codec}-${Date.now()}`;
      await createTopic(k, t, 1);
      const lines = Array.from({ length: 50 }, (_, i) => `k${i}|${codec} value ${i} ${'x'.repeat(i * 20)}`);
      await new Promise<void>((resolve, reject) => {
        const p = execFile(
          'kcat',
          ['-b', k.listeners.plaintext, '-P', '-t', t, '-K', '|', '-z', codec, '-X', 'linger.ms=50'],
          (e) => (e ? reject(e) : resolve()),
        );
        p.stdin!.end(lines.join('\n') + '\n');
      });
      const r = await call<ConsumeResult>('operations.consume', { id, topic: t, max: 100 });
      expect(r.messages.map((m) => `${String(m.key)}|${String(m.value)}`)).toEqual(lines);
    });
  }

  it('latest minus N, an offset, and max return exactly the expected offsets', async () => {
    const last3 = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      partitions: [1],
      start: { from: 'latest', minus: 3 },
    });
    expect(last3.messages.map((m) => m.offset)).toEqual(['7', '8', '9']);
    const fromFive = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      partitions: [1],
      start: { from: 'offset', offset: '5' },
      max: 2,
    });
    expect(fromFive.messages.map((m) => m.offset)).toEqual(['5', '6']);
    const empty = await call<ConsumeResult>('operations.consume', { id, topic, partitions: [0] });
    expect(empty).toMatchObject({ messages: [], reachedEnd: true });
  });

  it('by timestamp: from the first message at or after the time', async () => {
    const all = await call<ConsumeResult>('operations.consume', { id, topic, partitions: [1] });
    const t = Number(all.messages[4]!.timestamp);
    const r = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      partitions: [1],
      start: { from: 'timestamp', timestamp: t },
    });
    expect(r.messages[0]!.offset).toBe(all.messages.find((m) => Number(m.timestamp) >= t)!.offset);
  });

  it('leaves no consumer group behind', async () => {
    const before = await exec('kcat', ['-b', k.listeners.plaintext, '-L', '-J']).then(() => undefined);
    void before;
    await call<ConsumeResult>('operations.consume', { id, topic });
    const groups = (await call<{ groupId: string }[]>('groups.list', { id })).filter((g) =>
      g.groupId.startsWith('kafka-desk-browse-'),
    );
    expect(groups).toEqual([]);
  });

  it('a missing topic and a missing partition are named', async () => {
    expect(await dispatch(core.handlers, 'operations.consume', { id, topic: 'nope-nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: "There is no topic named 'nope-nope' on this cluster." },
    });
    expect(await dispatch(core.handlers, 'operations.consume', { id, topic, partitions: [7] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: `Topic '${topic}' has no partition 7 (it has 2).` },
    });
  });
});

describe('search while reading', () => {
  const topic = `it-search-${Date.now()}`;
  beforeAll(async () => {
    await createTopic(k, topic, 3);
    const messages = Array.from({ length: 300 }, (_, i) => ({
      key: `order-${i}`,
      value: JSON.stringify({ customer: { id: i % 50 === 7 ? 'C-42' : `C-${i}` }, total: i }),
      headers: i === 123 ? [['trace', 'needle-trace']] : [],
    }));
    await call<ProduceResult>('operations.produce', { id, topic, messages });
  });

  it('keeps only matches, counting what it scanned: text, regex, header, JSON path', async () => {
    const byText = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      max: 1000,
      filter: { text: 'NEEDLE-trace' },
    });
    expect(byText.scanned).toBe(300);
    expect(byText.messages.map((m) => m.key)).toEqual(['order-123']);
    const byRegex = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      max: 1000,
      filter: { regex: '^order-29\\d$' },
    });
    expect(byRegex.messages.map((m) => m.key).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `order-29${i}`));
    const byHeader = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      max: 1000,
      filter: { header: { key: 'trace' } },
    });
    expect(byHeader.messages).toHaveLength(1);
    const byPath = await call<ConsumeResult>('operations.consume', {
      id,
      topic,
      max: 1000,
      filter: { jsonPath: { path: '$.customer.id', equals: 'C-42' } },
    });
    // i % 50 == 7 gives C-42, and so does i = 42 itself
    expect(byPath.messages.map((m) => m.key).sort()).toEqual([
      'order-107',
      'order-157',
      'order-207',
      'order-257',
      'order-42',
      'order-57',
      'order-7',
    ]);
  });

  it('a broken regular expression is named before anything is read', async () => {
    expect(await dispatch(core.handlers, 'operations.consume', { id, topic, filter: { regex: '(' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: [{ path: 'filter.regex' }] },
    });
  });
});

describe('batches from a template', () => {
  it('renders {{seq}} and {{pick}} per message, and keeps to the rate limit order', async () => {
    const t = `it-template-${Date.now()}`;
    await createTopic(k, t, 1);
    const r = await call<ProduceResult>('operations.produce', {
      id,
      topic: t,
      template: true,
      ratePerSecond: 50,
      messages: Array.from({ length: 5 }, () => ({
        key: 'k-{{seq}}',
        value: '{"n": {{seq}}, "color": "{{pick "red" "blue"}}"}',
        headers: [['batch', 'b-{{seq}}']],
      })),
    });
    expect(r.delivered).toBe(5);
    const read = await call<ConsumeResult>('operations.consume', { id, topic: t });
    expect(read.messages.map((m) => m.key)).toEqual(['k-1', 'k-2', 'k-3', 'k-4', 'k-5']);
    expect(read.messages.map((m) => (JSON.parse(String(m.value)) as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
    expect(
      read.messages.every((m) => ['red', 'blue'].includes((JSON.parse(String(m.value)) as { color: string }).color)),
    ).toBe(true);
    expect(read.messages.map((m) => m.headers[0]![1])).toEqual(['b-1', 'b-2', 'b-3', 'b-4', 'b-5']);
  });
});

describe("the inspector's 'copy as kcat' command", () => {
  it('reproduces the message when run: key, multi-line value, duplicate headers, partition; binary values too', async () => {
    const t = `it-kcat-cmd-${Date.now()}`;
    await createTopic(k, t, 3);
    const original = [
      {
        key: "it's a key",
        value: 'line one\nline "two" $HOME `x`',
        headers: [
          ['h', 'a'],
          ['h', "b'c"],
        ] as [string, string][],
        partition: 2,
      },
      {
        key: 'bin',
        value: { base64: Buffer.from([0xff, 0x00, 0x0a, 0x80]).toString('base64') },
        headers: [] as [string, string][],
        partition: 1,
      },
      { key: 'tombstone', value: null, headers: [] as [string, string][], partition: 0 },
    ];
    for (const m of original) {
      await exec('bash', ['-c', kcatCommand({ topic: t, ...m }, k.listeners.plaintext)]);
    }
    const r = await call<ConsumeResult>('operations.consume', { id, topic: t });
    const byPartition = new Map(r.messages.map((m) => [m.partition, m]));
    expect(byPartition.get(2)).toMatchObject({
      key: "it's a key",
      value: 'line one\nline "two" $HOME `x`',
      headers: [
        ['h', 'a'],
        ['h', "b'c"],
      ],
    });
    expect(byPartition.get(1)).toMatchObject({ key: 'bin', value: original[1]!.value });
    expect(byPartition.get(0)).toMatchObject({ key: 'tombstone', value: null });
    expect(r.messages).toHaveLength(3);
  });
});
