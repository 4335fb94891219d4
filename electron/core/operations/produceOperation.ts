import type { ProduceOutcome, ProduceResult } from '../../contract';
import { assertWritable } from '../admin/readOnly';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import { kafkaErrorToCore } from '../kafka/errorMapping';
import { KafkaSession } from '../kafka/gateway';
import { partitionForKey } from '../kafka/producer';
import type { OutgoingRecord, PartitionInfo } from '../kafka/types';
import { renderTemplate } from './messageTemplate';
import { silentOperation, type OperationHandle } from './operationRegistry';
import { fromWire, wireSize } from './wireBytes';
import type { z } from 'zod';
import type { ProduceInput } from '../../contract';

/** The connection's name; for the command line's unsaved connection (`--bootstrap`), its bootstrap servers. */
const clusterLabel = (conn: ResolvedConnection) =>
  conn.name === 'command line' ? conn.bootstrapServers.join(', ') : conn.name;

/** The one sentence a run to a topic that is not there ends with. */
export function missingTopic(conn: ResolvedConnection, topic: string, cause?: string): CoreError {
  return new CoreError(
    'NOT_FOUND',
    `Topic '${topic}' does not exist on ${clusterLabel(conn)}; create it first or pick another topic.`,
    cause ?? 'The cluster metadata does not list it (Kafka Desk never creates a topic by producing to it).',
  );
}

/** Partition numbers given with the messages that the topic does not have: the run stops before sending. */
function checkPartitions(
  conn: ResolvedConnection,
  topic: string,
  partitions: PartitionInfo[],
  messages: Input['messages'],
): void {
  const have = new Set(partitions.map((p) => p.partitionId));
  const wanted = [
    ...new Set(messages.filter((m) => m.partition !== undefined && !have.has(m.partition)).map((m) => m.partition!)),
  ].sort((a, b) => a - b);
  if (!wanted.length) return;
  const n = partitions.length;
  throw new CoreError(
    'NOT_FOUND',
    `Topic '${topic}' on ${clusterLabel(conn)} has ${n} partition${n === 1 ? '' : 's'} (${n === 1 ? '0' : `0–${n - 1}`}); there is no partition ${wanted.slice(0, 5).join(', ')}${wanted.length > 5 ? '…' : ''} to send to. Nothing was sent.`,
  );
}

type Input = z.output<typeof ProduceInput>;

const ACKS = { all: -1, '1': 1, '0': 0 } as const;

/** Kafka's record overhead is small; the size checked is key + value + headers, as the broker sees it. */
function messageBytes(m: Input['messages'][number]): number {
  return (
    wireSize(m.key) + wireSize(m.value) + m.headers.reduce((n, [k, v]) => n + Buffer.byteLength(k) + wireSize(v), 0)
  );
}

/** Waits, or stops waiting when the batch is cancelled. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Produce: every message is checked before anything is sent (size, compression available), then
 * sent in order; each gets its own outcome — delivered (partition, offset, timestamp) or failed (why).
 */
export async function produce(
  conn: ResolvedConnection,
  input: Omit<Input, 'id' | 'operationId'>,
  op: OperationHandle = silentOperation(),
  /** Keys / values already encoded with a schema (by index): sent in place of the messages' own. */
  encoded?: { keys?: (Buffer | null)[]; values?: (Buffer | null)[] },
): Promise<ProduceResult> {
  assertWritable(conn, `produce to '${input.topic}'`);
  const limit = input.maxMessageBytes ?? conn.maxMessageBytes;
  const results: ProduceOutcome[] = [];
  const tooBig = input.messages.map((m, i) => ({ i, size: messageBytes(m) })).filter((x) => x.size > limit);
  if (tooBig.length && !input.continueOnError) {
    const first = tooBig[0]!;
    throw new CoreError(
      'PAYLOAD_TOO_LARGE',
      `Message ${first.i + 1} is ${(first.size / 1048576).toFixed(1)} MiB, over the ${(limit / 1048576).toFixed(1)} MiB limit for this connection; nothing was sent.`,
      undefined,
      [{ path: `messages.${first.i}`, message: 'too large' }],
    );
  }
  let cancelled = false;
  const total = input.messages.length;
  const session = new KafkaSession(conn);
  // Before anything connects to send: the topic and the partitions asked for exist. The topic is not
  // created by producing to it (the producer's allowAutoTopicCreation is off).
  const partitions = await session.partitionsOf(input.topic, (cause) => missingTopic(conn, input.topic, cause));
  checkPartitions(conn, input.topic, partitions, input.messages);
  const producer = session.producer({
    idempotent: input.idempotent && input.acks === 'all',
    maxInFlightRequests: input.idempotent ? 1 : 5,
  });
  try {
    await producer.connect();
    let stop = false;
    const started = Date.now();
    const render = (w: Input['messages'][number]['value'], seq: number) =>
      input.template && typeof w === 'string' ? renderTemplate(w, seq) : w;
    // Partitions are chosen here, as the client's default (Java-compatible murmur2) partitioner would choose them,
    // so that many messages can go in one request and each still gets its own partition and offset.
    let roundRobin = 0;
    const toMessage = (i: number): OutgoingRecord => {
      const raw = input.messages[i]!;
      const m = input.template
        ? {
            ...raw,
            key: render(raw.key, i + 1),
            value: render(raw.value, i + 1),
            headers: raw.headers.map(([k, v]) => [k, render(v, i + 1)] as [string, typeof v]),
          }
        : raw;
      // headers as an object of arrays: a repeated key is sent once per value, in order
      const headers: Record<string, Buffer[]> = {};
      for (const [k, v] of m.headers) (headers[k] ??= []).push(fromWire(v) ?? Buffer.alloc(0));
      const message: OutgoingRecord = {
        key: encoded?.keys ? (encoded.keys[i] ?? null) : fromWire(m.key),
        value: encoded?.values ? (encoded.values[i] ?? null) : fromWire(m.value),
        headers,
      };
      if (m.partition !== undefined) message.partition = m.partition;
      else if (partitions.length) {
        message.partition = message.key
          ? partitionForKey(input.topic, partitions, message.key)
          : partitions[roundRobin++ % partitions.length]!.partitionId;
      }
      if (m.timestamp !== undefined) message.timestamp = String(m.timestamp);
      return message;
    };
    const failedResult = (i: number, e: unknown, partition: number | undefined): ProduceOutcome => {
      const err = kafkaErrorToCore(e, conn);
      const unknownTopic = /UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/.test(
        err.detail ?? err.message,
      );
      return {
        status: 'failed',
        index: i,
        code: unknownTopic ? 'NOT_FOUND' : err.code,
        message: unknownTopic
          ? `There is no topic named '${input.topic}' (or no partition ${partition ?? ''}) on this cluster.`.replace(
              ' (or no partition )',
              '',
            )
          : err.message,
      };
    };
    /** One request for several messages; on any failure each is sent alone, for its own outcome. */
    const sendChunk = async (chunk: Array<{ i: number; message: OutgoingRecord }>): Promise<void> => {
      if (chunk.length > 1) {
        try {
          const metas = await producer.send(
            input.topic,
            chunk.map((c) => c.message),
            { acks: ACKS[input.acks], compression: input.compression },
          );
          const next = new Map(metas.map((m) => [m.partition, m]));
          const seen = new Map<number, number>();
          for (const c of chunk) {
            const p = c.message.partition!;
            const meta = next.get(p);
            const k = seen.get(p) ?? 0;
            seen.set(p, k + 1);
            const offset =
              meta?.baseOffset !== undefined && meta.baseOffset !== '-1'
                ? String(BigInt(meta.baseOffset) + BigInt(k))
                : '-1';
            results.push({
              status: 'delivered',
              index: c.i,
              partition: p,
              offset,
              timestamp:
                meta?.logAppendTime && meta.logAppendTime !== '-1'
                  ? meta.logAppendTime
                  : (c.message.timestamp ?? String(Date.now())),
            });
          }
          return;
        } catch {
          // fall through: one at a time says which message failed and why
        }
      }
      for (const c of chunk) {
        if (stop) {
          results.push({ status: 'not-sent', index: c.i, message: 'Not sent: an earlier message failed.' });
          continue;
        }
        try {
          const [meta] = await producer.send(input.topic, [c.message], {
            acks: ACKS[input.acks],
            compression: input.compression,
          });
          results.push({
            status: 'delivered',
            index: c.i,
            partition: meta!.partition,
            offset: meta!.baseOffset ?? '-1',
            timestamp:
              meta!.logAppendTime && meta!.logAppendTime !== '-1'
                ? meta!.logAppendTime
                : (c.message.timestamp ?? String(Date.now())),
          });
        } catch (e) {
          results.push(failedResult(c.i, e, c.message.partition));
          if (!input.continueOnError) stop = true;
        }
      }
    };
    // requests stay well under the broker's default message.max.bytes (1 MiB per batch); one message at a time with a rate
    const CHUNK_BYTES = 512 * 1024;
    const CHUNK_COUNT = input.ratePerSecond > 0 ? 1 : 1000;
    let chunk: Array<{ i: number; message: OutgoingRecord }> = [];
    let chunkBytes = 0;
    const flush = async () => {
      if (chunk.length) await sendChunk(chunk);
      chunk = [];
      chunkBytes = 0;
    };
    for (let i = 0; i < input.messages.length; i++) {
      if (input.ratePerSecond > 0) {
        const due = started + (i * 1000) / input.ratePerSecond;
        if (due > Date.now()) await sleep(due - Date.now(), op.signal);
      }
      if (op.signal.aborted && !cancelled) {
        await flush();
        cancelled = true;
      }
      op.progress(i, { total });
      if (cancelled) {
        results.push({ status: 'not-sent', index: i, message: 'Not sent: the batch was cancelled.' });
        continue;
      }
      if (stop) {
        results.push({ status: 'not-sent', index: i, message: 'Not sent: an earlier message failed.' });
        continue;
      }
      if (tooBig.some((t) => t.i === i)) {
        await flush();
        results.push({
          status: 'failed',
          index: i,
          code: 'PAYLOAD_TOO_LARGE',
          message: `Over the ${(limit / 1048576).toFixed(1)} MiB limit; not sent.`,
        });
        continue;
      }
      const message = toMessage(i);
      const size = messageBytes(input.messages[i]!);
      if (chunk.length && (chunk.length >= CHUNK_COUNT || chunkBytes + size > CHUNK_BYTES)) await flush();
      chunk.push({ i, message });
      chunkBytes += size;
    }
    await flush();
    results.sort((a, b) => a.index - b.index);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  const delivered = results.filter((r) => r.status === 'delivered').length;
  op.end(cancelled ? 'cancelled' : 'finished', results.length, { total });
  return { delivered, failed: results.length - delivered, cancelled, results };
}
