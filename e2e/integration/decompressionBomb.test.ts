import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsumeResult, ListenStatus } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import '../../electron/core/kafka/compressionCodecs';
import { createTopic, freshCore, listenerInputs, readCluster, type ClusterInfo } from './support';

/**
 * A compressed batch is inflated with a cap: no more than its message count times the connection's
 * largest message. A batch of one message of 16 MiB of zeros (16 KB to 800 KB compressed, which the broker
 * takes) is a decompression bomb for a connection whose largest message is 1 MiB: it is named by topic,
 * partition and offsets, and skipped or stopped at as an oversized message; the messages after it are
 * read. With a largest message of 64 MiB it is a real message and is read whole. Every codec.
 */
let k: ClusterInfo;
let core: Core;
let small: string;
let large: string;
const run = Date.now();
const BOMB = 16 * 1024 * 1024;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

const codecs = [
  ['gzip', CompressionTypes.GZIP],
  ['snappy', CompressionTypes.Snappy],
  ['lz4', CompressionTypes.LZ4],
  ['zstd', CompressionTypes.ZSTD],
] as const;

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  const plaintext = (await listenerInputs(k)).PLAINTEXT!;
  small = (
    await call<{ id: string }>('connections.save', {
      ...plaintext,
      name: 'largest 1 MiB',
      maxMessageBytes: 1024 * 1024,
    })
  ).id;
  large = (
    await call<{ id: string }>('connections.save', {
      ...plaintext,
      name: 'largest 64 MiB',
      maxMessageBytes: 64 * 1024 * 1024,
    })
  ).id;
  // a producer of someone else's: one message of zeros per compressed batch, then ordinary messages
  const producer = new Kafka({ brokers: [k.listeners.plaintext], logLevel: logLevel.NOTHING }).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  for (const [name, type] of codecs) {
    const topic = `it-bomb-${name}-${run}`;
    await createTopic(k, topic, 1);
    await producer.send({ topic, compression: type, messages: [{ key: 'before', value: 'ordinary' }] });
    await producer.send({ topic, compression: type, messages: [{ key: 'bomb', value: Buffer.alloc(BOMB) }] });
    await producer.send({
      topic,
      compression: type,
      messages: [
        { key: 'after-1', value: 'ordinary' },
        { key: 'after-2', value: 'ordinary' },
      ],
    });
  }
  await producer.disconnect();
});

describe('a compressed batch that inflates past the cap', () => {
  for (const [name] of codecs) {
    it(`${name}: stopped at by default, named by topic, partition and offset; nothing past the cap is inflated`, async () => {
      const topic = `it-bomb-${name}-${run}`;
      const r = await call<ConsumeResult>('operations.consume', { id: small, topic });
      expect(r.messages.map((m) => m.key)).toEqual(['before']);
      expect(r.oversized).toEqual([
        {
          topic,
          partition: 0,
          offset: '1',
          size: 1024 * 1024,
          action: 'stopped',
          batch: { lastOffset: '1', records: 1, compressedBytes: expect.any(Number), codec: name },
        },
      ]);
      expect(r.oversized[0]!.batch!.compressedBytes).toBeLessThan(1024 * 1024);
      expect(r.stoppedBecause).toBe(
        `Stopped at ${topic}[0] offset 1: that ${name} batch of 1 message (${r.oversized[0]!.batch!.compressedBytes.toLocaleString('en')} bytes compressed) inflates to more than 1,048,576 bytes — a decompression bomb, or messages over this connection's largest message (1,048,576 bytes; raise it in the connection's settings if they are real); it was not read.`,
      );
    });

    it(`${name}: skipped when asked, and the messages after it are read`, async () => {
      const topic = `it-bomb-${name}-${run}`;
      const r = await call<ConsumeResult>('operations.consume', { id: small, topic, onOversize: 'skip' });
      expect(r.messages.map((m) => m.key)).toEqual(['before', 'after-1', 'after-2']);
      expect(r.oversized).toMatchObject([{ offset: '1', action: 'skipped', batch: { codec: name } }]);
      expect(r.reachedEnd).toBe(true);
    });

    it(`${name}: with a largest message of 64 MiB it is a real message, read whole`, async () => {
      const r = await call<ConsumeResult>('operations.consume', {
        id: large,
        topic: `it-bomb-${name}-${run}`,
        into: 'reply',
        max: 2,
        start: { from: 'offset', offset: '1' },
      });
      expect(r.oversized).toEqual([]);
      const v = r.messages[0]!.value as { base64: string } | string;
      expect(typeof v === 'string' ? v.length : Buffer.from(v.base64, 'base64').length).toBe(BOMB);
    });
  }

  it('a Listen goes on past it and says which batch it skipped', async () => {
    const topic = `it-bomb-gzip-${run}`;
    const seen: string[] = [];
    const off = core.events.onAny((event, payload) => {
      if (event === 'listen.batch')
        seen.push(...(payload as { messages: { key: string }[] }).messages.map((m) => m.key));
    });
    const status = await call<ListenStatus>('listen.start', { id: small, topic, start: { from: 'earliest' } });
    const deadline = Date.now() + 30_000;
    while (!seen.includes('after-2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const stopped = await call<ListenStatus>('listen.stop', { listenId: status.listenId });
    off();
    expect(seen).toEqual(['before', 'after-1', 'after-2']);
    expect(stopped.skippedBatches).toMatchObject([
      { topic, partition: 0, offset: '1', action: 'skipped', batch: { codec: 'gzip', records: 1 } },
    ]);
    expect(stopped.error).toMatch(new RegExp(`^Skipped ${topic}\\[0\\] offset 1: that gzip batch of 1 message`));
  });
});

describe('what other clients compress is read exactly', () => {
  it('kcat (librdkafka, linked LZ4 blocks), every codec, messages of 300 KB', async () => {
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
      const topic = `it-kcat-${codec}-${run}`;
      await createTopic(k, topic, 1);
      // text that compresses, spread over several LZ4 blocks
      const lines = [0, 1, 2].map((n) =>
        Array.from({ length: 3000 }, (_, i) => `${n}:${i} ${randomBytes(24).toString('hex')}`).join(' '),
      );
      execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-z', codec, '-X', 'linger.ms=100'], {
        input: lines.join('\n') + '\n',
      });
      const r = await call<ConsumeResult>('operations.consume', { id: small, topic, into: 'reply' });
      expect(r.oversized, codec).toEqual([]);
      expect(
        r.messages.map((m) => m.value),
        codec,
      ).toEqual(lines);
    }
  });
});
