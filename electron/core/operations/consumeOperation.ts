import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { z } from 'zod';
import type { ConsumedMessage, ConsumeInput, ConsumeResult } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import { createKafka } from '../kafka/clientFactory';
import { kafkaErrorToCore } from '../kafka/errorMapping';
import { KafkaSession } from '../kafka/gateway';
import { compileFilter } from './messageFilter';
import { toWire } from './wireBytes';

type Input = z.output<typeof ConsumeInput>;

/**
 * Consume (the bounded "browse"). It reads without disturbing anything: kafkajs has no group-less
 * assign(), so the read uses a throwaway consumer group that never commits and is deleted afterwards;
 * start offsets are computed first (earliest, latest − N, an offset, a time, a group's committed
 * offsets) and every partition is sought explicitly. It stops after `max` messages, or when each
 * partition reaches the end offset it had when the read started.
 */
export async function consume(conn: ResolvedConnection, input: Input): Promise<ConsumeResult> {
  const matches = compileFilter(input.filter);
  const session = new KafkaSession(conn, { retries: 1 });
  const admin = await session.adminClient();
  let ranges: { partition: number; from: bigint; end: bigint }[];
  try {
    const md = await session.metadata(null);
    const t = md.topicMetadata.find((x) => x.topic === input.topic);
    if (!t) throw new CoreError('NOT_FOUND', `There is no topic named '${input.topic}' on this cluster.`);
    const all = t.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b);
    const chosen = input.partitions ?? all;
    const missing = chosen.filter((p) => !all.includes(p));
    if (missing.length) throw new CoreError('NOT_FOUND', `Topic '${input.topic}' has no partition ${missing.join(', ')} (it has ${all.length}).`);
    const offsets = new Map((await session.wrap(() => admin.fetchTopicOffsets(input.topic))).map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
    const start = await startOffsets(session, input, chosen, offsets);
    ranges = chosen.map((p) => ({ partition: p, from: start.get(p)!, end: offsets.get(p)!.high }));
  } catch (e) {
    await session.close();
    throw e;
  }

  const pending = ranges.filter((r) => r.from < r.end || !input.untilEnd);
  const messages: ConsumedMessage[] = [];
  let scanned = 0;
  if (pending.length === 0) {
    await session.close();
    return { messages, ranges: ranges.map(show), reachedEnd: true, scanned };
  }

  const groupId = `kafka-desk-browse-${randomUUID()}`;
  const consumer = createKafka(conn, { retries: 1 }).consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 250, readUncommitted: input.readUncommitted });
  const done = new Set<number>(ranges.filter((r) => r.from >= r.end && input.untilEnd).map((r) => r.partition));
  const wanted = new Set(ranges.map((r) => r.partition));
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let failure: unknown = null;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [input.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        if (!wanted.has(batch.partition) || done.has(batch.partition)) return;
        const range = ranges.find((r) => r.partition === batch.partition)!;
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          if (input.untilEnd && offset >= range.end) break;
          if (offset < range.from) continue;
          scanned++;
          const message = toConsumed(batch.topic, batch.partition, m);
          if (!matches || matches(message)) messages.push(message);
          resolveOffset(m.offset);
          if (messages.length >= input.max) break;
        }
        const last = batch.messages.at(-1);
        if (input.untilEnd && last && BigInt(last.offset) + 1n >= range.end) done.add(batch.partition);
        if (messages.length >= input.max || (input.untilEnd && done.size >= wanted.size)) finish();
        await heartbeat();
      },
    });
    for (const r of ranges) consumer.seek({ topic: input.topic, partition: r.partition, offset: r.from.toString() });
    const limit = input.untilEnd ? Math.max(conn.timeouts.requestMs, 30_000) : input.waitMs;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, limit)))]);
    clearTimeout(timer);
  } catch (e) {
    failure = e;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    // the throwaway group never committed; remove it so nothing is left behind
    await session.wrap(() => admin.deleteGroups([groupId])).catch(() => undefined);
    await session.close();
  }
  if (failure) throw kafkaErrorToCore(failure, conn);
  messages.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  return { messages: messages.slice(0, input.max), ranges: ranges.map(show), reachedEnd: done.size >= wanted.size, scanned };
}

/** A kafkajs message as the contract carries it: bytes never decoded lossily. */
export function toConsumed(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    timestamp: m.timestamp,
    timestampType: (m as { attributes?: number }).attributes !== undefined && ((m as { attributes: number }).attributes & 0x08) !== 0 ? 'LogAppendTime' : 'CreateTime',
    key: toWire(m.key),
    value: toWire(m.value),
    headers: headerPairs(m.headers),
    size: (m.key?.length ?? 0) + (m.value?.length ?? 0),
  };
}

const show = (r: { partition: number; from: bigint; end: bigint }) => ({ partition: r.partition, from: r.from.toString(), end: r.end.toString() });

/** kafkajs gives headers as an object (repeated keys as arrays); the pairs keep its order. */
function headerPairs(h: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): [string, ReturnType<typeof toWire>][] {
  const out: [string, ReturnType<typeof toWire>][] = [];
  for (const [k, v] of Object.entries(h ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, one === undefined ? null : toWire(Buffer.isBuffer(one) ? one : Buffer.from(one))]);
  }
  return out;
}

async function startOffsets(session: KafkaSession, input: Input, partitions: number[], offsets: Map<number, { low: bigint; high: bigint }>): Promise<Map<number, bigint>> {
  const admin = await session.adminClient();
  const clamp = (p: number, v: bigint) => {
    const { low, high } = offsets.get(p)!;
    return v < low ? low : v > high ? high : v;
  };
  const s = input.start;
  const out = new Map<number, bigint>();
  if (s.from === 'timestamp') {
    const byTime = new Map((await session.wrap(() => admin.fetchTopicOffsetsByTimestamp(input.topic, s.timestamp))).map((r) => [r.partition, BigInt(r.offset)]));
    for (const p of partitions) {
      const t = byTime.get(p) ?? -1n;
      out.set(p, t < 0n ? offsets.get(p)!.high : clamp(p, t));
    }
  } else if (s.from === 'group') {
    const committed = await session.wrap(() => admin.fetchOffsets({ groupId: s.groupId, topics: [input.topic] }));
    const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    for (const p of partitions) {
      const c = byPartition.get(p) ?? -1n;
      out.set(p, c < 0n ? offsets.get(p)!.low : clamp(p, c));
    }
  } else {
    for (const p of partitions) {
      const { low, high } = offsets.get(p)!;
      out.set(p, s.from === 'earliest' ? low : s.from === 'latest' ? clamp(p, high - BigInt(s.minus)) : clamp(p, BigInt(s.offset)));
    }
  }
  return out;
}
