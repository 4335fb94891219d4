import kafkajs, { type Message, type Producer } from 'kafkajs';
import type { ProduceOutcome, ProduceResult } from '../../contract';
import { assertWritable } from '../admin/readOnly';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import { createKafka } from '../kafka/clientFactory';
import { kafkaErrorToCore } from '../kafka/errorMapping';
import { renderTemplate } from './messageTemplate';
import { silentOperation, type OperationHandle } from './operationRegistry';
import { fromWire, wireSize } from './wireBytes';
import type { z } from 'zod';
import type { ProduceInput } from '../../contract';

const { CompressionTypes } = kafkajs;

type Input = z.output<typeof ProduceInput>;

const CODEC = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD } as const;
const ACKS = { all: -1, '1': 1, '0': 0 } as const;

/** Kafka's record overhead is small; the size checked is key + value + headers, as the broker sees it. */
function messageBytes(m: Input['messages'][number]): number {
  return wireSize(m.key) + wireSize(m.value) + m.headers.reduce((n, [k, v]) => n + Buffer.byteLength(k) + wireSize(v), 0);
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
export async function produce(conn: ResolvedConnection, input: Omit<Input, 'id' | 'operationId'>, op: OperationHandle = silentOperation()): Promise<ProduceResult> {
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
  const kafka = createKafka(conn, { retries: 2 });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: input.idempotent && input.acks === 'all', maxInFlightRequests: input.idempotent ? 1 : 5 });
  try {
    try {
      await producer.connect();
    } catch (e) {
      throw kafkaErrorToCore(e, conn);
    }
    let stop = false;
    const started = Date.now();
    const render = (w: Input['messages'][number]['value'], seq: number) => (input.template && typeof w === 'string' ? renderTemplate(w, seq) : w);
    for (const [i, raw] of input.messages.entries()) {
      const m = input.template
        ? { ...raw, key: render(raw.key, i + 1), value: render(raw.value, i + 1), headers: raw.headers.map(([k, v]) => [k, render(v, i + 1)] as [string, typeof v]) }
        : raw;
      if (input.ratePerSecond > 0) {
        const due = started + (i * 1000) / input.ratePerSecond;
        if (due > Date.now()) await sleep(due - Date.now(), op.signal);
      }
      if (op.signal.aborted) cancelled = true;
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
        results.push({ status: 'failed', index: i, code: 'PAYLOAD_TOO_LARGE', message: `Over the ${(limit / 1048576).toFixed(1)} MiB limit; not sent.` });
        continue;
      }
      const message: Message = {
        key: fromWire(m.key),
        value: fromWire(m.value),
        headers: {},
      };
      // kafkajs takes headers as an object; an array value sends the key once per value, in order.
      const headers: Record<string, Buffer[]> = {};
      for (const [k, v] of m.headers) (headers[k] ??= []).push(fromWire(v) ?? Buffer.alloc(0));
      message.headers = headers as unknown as Message['headers'];
      if (m.partition !== undefined) message.partition = m.partition;
      if (m.timestamp !== undefined) message.timestamp = String(m.timestamp);
      try {
        const [meta] = await producer.send({ topic: input.topic, messages: [message], acks: ACKS[input.acks], compression: CODEC[input.compression] });
        results.push({ status: 'delivered', index: i, partition: meta!.partition, offset: meta!.baseOffset ?? '-1', timestamp: meta!.logAppendTime && meta!.logAppendTime !== '-1' ? meta!.logAppendTime : (message.timestamp ?? String(Date.now())) });
      } catch (e) {
        const err = kafkaErrorToCore(e, conn);
        const unknownTopic = /UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/.test(err.detail ?? err.message);
        results.push({ status: 'failed', index: i, code: unknownTopic ? 'NOT_FOUND' : err.code, message: unknownTopic ? `There is no topic named '${input.topic}' (or no partition ${m.partition ?? ''}) on this cluster.`.replace(' (or no partition )', '') : err.message });
        if (!input.continueOnError) stop = true;
      }
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  const delivered = results.filter((r) => r.status === 'delivered').length;
  op.end(cancelled ? 'cancelled' : 'finished', results.length, { total });
  return { delivered, failed: results.length - delivered, cancelled, results };
}
