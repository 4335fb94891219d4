import type { z } from 'zod';
import type { ConsumedMessage, ConsumeInput, ConsumeResult, OversizedEntry } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import { openConsumer } from '../kafka/consumerFactory';
import { kafkaErrorToCore } from '../kafka/errorMapping';
import { KafkaSession } from '../kafka/gateway';
import { planRead, requireTopics } from '../kafka/readPlanner';
import type { InflatePlaceholder, KafkaRecord } from '../kafka/types';
import { assertWritable } from '../admin/readOnly';
import { compileRegex } from '../filters/safeRegex';
import { compileFilter } from '../filters/messageFilter';
import { silentOperation, type OperationHandle } from './operationRegistry';
import { toWire } from './wireBytes';
import { filterView, type MessageDecoder } from '../schemas/messageDecoder';
type Input = z.output<typeof ConsumeInput>;
interface Range {
  topic: string;
  partition: number;
  from: bigint;
  end: bigint;
}
const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Consume (the bounded "browse").
 *
 * By default it reads without disturbing anything: kafkajs has no group-less assign(), so the read
 * uses a throwaway consumer group that never commits and is deleted afterwards. Start offsets are
 * computed first (earliest, latest − N, an offset, a time, a group's committed offsets) and every
 * partition is sought explicitly. It stops after `max` messages, when each partition reaches the end
 * offset it had when the read started, at `stopAtTimestamp`, on an oversized message (when chosen),
 * or when cancelled.
 *
 * With `group`, it reads as that named group instead: refused while the group has live members
 * elsewhere unless `joinLiveGroup`; `commit: 'auto'` commits what was read, `'manual'` commits nothing
 * and returns the offsets to commit.
 */
export async function consume(
  conn: ResolvedConnection,
  input: Input,
  op: OperationHandle = silentOperation(),
  keep?: (messages: ConsumedMessage[]) => void,
  /** Decodes keys and values by schema or chosen format (absent: bytes as they are). */
  decoder?: MessageDecoder,
): Promise<ConsumeResult> {
  // joining a named group changes it (its members are rebalanced, offsets may be committed): a write
  if (input.group) {
    assertWritable(
      conn,
      `read as consumer group '${input.group.groupId}' (joining a group rebalances its members${input.group.commit === 'auto' ? ' and commits its offsets' : ''}; read without a group, or start from the group's committed offsets)`,
    );
  }
  const matches = compileFilter(input.filter);
  const session = new KafkaSession(conn);
  let ranges: Range[];
  try {
    const plan = await planRead(session, {
      topics: (existing) => chooseTopics(existing, input),
      partitions: input.partitions,
      start: input.start,
    });
    ranges = plan.partitions.map((p) => ({ topic: p.topic, partition: p.partition, from: p.start, end: p.high }));
    if (input.group) await refuseLiveGroup(session, input.group);
  } catch (e) {
    await session.close();
    throw e;
  }

  const commitMode = input.group?.commit ?? null;
  const onOversize = input.onOversize ?? (commitMode === 'auto' ? 'skip' : 'stop');
  const total = input.untilEnd
    ? Number(ranges.reduce((n, r) => n + (r.end > r.from ? r.end - r.from : 0n), 0n))
    : undefined;
  const result: ConsumeResult = {
    messages: [],
    ranges: ranges.map(show),
    reachedEnd: false,
    scanned: 0,
    oversized: [],
    cancelled: false,
    nextOffsets: [],
  };
  const byKey = new Map(ranges.map((r) => [tp(r.topic, r.partition), r]));
  const done = new Set<string>(
    ranges.filter((r) => r.from >= r.end && input.untilEnd).map((r) => tp(r.topic, r.partition)),
  );
  /** Next offset per partition (last read + 1): what a manual commit would commit. */
  const next = new Map<string, { topic: string; partition: number; offset: bigint }>();
  /** Messages kept: in the result, or handed to `keep` batch by batch (in the order they were read). */
  let kept = 0;
  const progress = () => ({ ...(matches ? { matched: kept } : {}), ...(total !== undefined ? { total } : {}) });
  if (ranges.length === 0 || (done.size === ranges.length && !input.group)) {
    await session.close();
    op.end('finished', 0, progress());
    return { ...result, reachedEnd: true };
  }

  const consumer = openConsumer(conn, {
    group: input.group ? { named: input.group.groupId } : { throwaway: 'browse' },
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    readUncommitted: input.readUncommitted,
  });
  const groupId = consumer.groupId;
  /** Partitions this member was given (all of them, unless it joined a group with live members). */
  let assigned: Set<string> | null = null;
  consumer.onGroupJoin((assignment) => {
    assigned = new Set(Object.entries(assignment).flatMap(([t, ps]) => ps.map((p) => tp(t, p))));
  });
  /**
   * Transaction markers and aborted records are never handed to eachBatch, yet they sit before a
   * partition's end offset: the end of each fetched batch (which counts them) tells when a
   * partition is read through. Not when a batch was only partly handled (max, records per poll).
   */
  const partly = new Set<string>();
  consumer.onBatchEnd((e) => {
    const key = tp(e.topic, e.partition);
    const range = byKey.get(key);
    if (partly.delete(key) || !range || !input.untilEnd) return;
    if (BigInt(e.lastOffset) + 1n >= range.end && !done.has(key)) {
      done.add(key);
      consumer.pause(e.topic, [e.partition]);
      if (allDone()) finish();
    }
  });
  const allDone = () => [...byKey.keys()].filter((k) => !assigned || assigned.has(k)).every((k) => done.has(k));
  /** When the last batch came: a read to the end waits while they keep coming. */
  let lastBatchAt = Date.now();
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const onAbort = () => {
    result.cancelled = true;
    result.stoppedBecause = 'Cancelled.';
    finish();
  };
  op.signal.addEventListener('abort', onAbort);
  let failure: unknown = null;
  // a consumer that fails (the cluster's ACLs refuse the group or the topic, the connection's retries used up) ends the
  // read with its error: kafkajs would start it again, for a bounded read that only hides why it stopped
  consumer.onCrash((error) => {
    failure ??= error ?? new Error('The consumer stopped.');
    finish();
  });
  try {
    await consumer.run({
      topics: [...new Set(ranges.map((r) => r.topic))],
      fromBeginning: true,
      autoCommit: commitMode === 'auto',
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, pause }) => {
        lastBatchAt = Date.now();
        const key = tp(batch.topic, batch.partition);
        const range = byKey.get(key);
        if (!range || done.has(key) || result.cancelled || result.stoppedBecause) return;
        let handled = 0;
        let whole = true;
        const out: ConsumedMessage[] = [];
        // the batch's schemas fetched once, before its messages are decoded one by one
        if (decoder && !decoder.idle) await decoder.prepare(batch.messages.flatMap((m) => [m.key, m.value]));
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          if (input.untilEnd && offset >= range.end) {
            done.add(key);
            break;
          }
          if (offset < range.from) continue;
          const bomb = inflatePlaceholder(m);
          if (!bomb && input.stopAtTimestamp !== undefined && Number(m.timestamp) > input.stopAtTimestamp) {
            done.add(key);
            break;
          }
          const size = messageSize(m);
          if (bomb) {
            // a compressed batch past the inflation cap: reported and skipped or stopped at, as an oversized message
            result.oversized.push(
              bombEntry(batch.topic, batch.partition, m.offset, bomb, onOversize === 'skip' ? 'skipped' : 'stopped'),
            );
            if (onOversize === 'stop') {
              result.stoppedBecause = `Stopped at ${describeBomb(batch.topic, batch.partition, m.offset, bomb, conn.maxMessageBytes)}; it was not read.`;
              whole = false;
              break;
            }
          } else if (input.maxMessageBytes !== undefined && size > input.maxMessageBytes) {
            result.oversized.push({
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              size,
              action: onOversize === 'skip' ? 'skipped' : 'stopped',
            });
            if (onOversize === 'stop') {
              result.stoppedBecause = `Stopped at ${batch.topic}[${batch.partition}] offset ${m.offset}: the message is ${size.toLocaleString('en')} bytes, over the ${input.maxMessageBytes.toLocaleString('en')}-byte limit.`;
              whole = false;
              break;
            }
          } else {
            let message = toConsumed(batch.topic, batch.partition, m);
            let action: 'keep' | 'skip' | 'stop' = 'keep';
            if (decoder && !decoder.idle)
              ({ message, action } = decoder.decode(message, m.key ?? null, m.value ?? null));
            if (action === 'stop') {
              result.stoppedBecause = `Stopped at ${describeUndecodable(decoder as MessageDecoder, input)}; it was not read.`;
              whole = false;
              break;
            }
            if (action === 'keep' && (!matches || matches(filterView(message)))) {
              out.push(message);
              kept++;
            }
          }
          result.scanned += bomb?.records || 1;
          next.set(key, { topic: batch.topic, partition: batch.partition, offset: offset + 1n });
          resolveOffset(m.offset);
          handled++;
          if (input.untilEnd && offset + 1n >= range.end) done.add(key);
          if (kept >= input.max || handled >= input.maxRecordsPerPoll || result.stoppedBecause) {
            whole = m === batch.messages.at(-1);
            break;
          }
        }
        if (keep) keep(out);
        else for (const x of out) result.messages.push(x);
        if (!whole) partly.add(key);
        if (done.has(key)) pause();
        op.progress(result.scanned, progress());
        if (kept >= input.max || result.stoppedBecause || (input.untilEnd && allDone())) finish();
        await heartbeat();
      },
    });
    for (const r of ranges) consumer.seek(r.topic, r.partition, r.from);
    // as a named group with nothing left to read: no batch will ever come to say so
    if (input.untilEnd && allDone()) finish();
    const limit = input.untilEnd ? Math.max(conn.timeouts.requestMs, 30_000) : input.waitMs;
    if (input.untilEnd) {
      // to the end: as long as batches keep coming (a read of millions takes minutes), until none came for `limit`
      let idle = false;
      while (!idle) {
        let timer: NodeJS.Timeout | undefined;
        const woke = await Promise.race([
          finished.then(() => 'finished' as const),
          new Promise<'tick'>((r) => (timer = setTimeout(() => r('tick'), Math.min(limit, 1000)))),
        ]);
        clearTimeout(timer);
        if (woke === 'finished') break;
        idle = Date.now() - lastBatchAt >= limit;
      }
      if (idle && !allDone() && !result.stoppedBecause && !result.cancelled)
        result.stoppedBecause = `Stopped before the end: no messages arrived for ${Math.round(limit / 1000)} s (the connection's request timeout) while partitions still had some to read.`;
    } else {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, limit)))]);
      clearTimeout(timer);
    }
    if (!failure && commitMode === 'auto' && next.size) {
      await consumer.commit(
        [...next.values()].map((n) => ({ topic: n.topic, partition: n.partition, offset: n.offset.toString() })),
      );
    }
  } catch (e) {
    // the consumer's own failure first: what kafkajs throws after it (seek on a stopped consumer) says less
    failure ??= e;
  } finally {
    op.signal.removeEventListener('abort', onAbort);
    // a throwaway group is deleted through the session already open
    await consumer.close(session);
    await session.close();
  }
  if (failure) {
    op.end('finished', result.scanned, progress());
    const error = kafkaErrorToCore(failure, conn);
    if (!input.group && error.code === 'FORBIDDEN' && error.message.includes('GROUP_AUTHORIZATION_FAILED'))
      throw new CoreError(
        'FORBIDDEN',
        `The cluster's ACLs do not let this connection's user read as the consumer group ${groupId}. Kafka Desk reads through a throwaway group of its own (deleted afterwards), so it needs READ on groups starting with 'kafka-desk-' (an ACL with pattern type PREFIXED); or read as a group the user may use.`,
        error.detail,
      );
    throw error;
  }
  // each partition's messages arrived in offset order and the sort is stable: topic and partition suffice
  result.messages.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) || a.partition - b.partition);
  result.messages = result.messages.slice(0, input.max);
  result.reachedEnd = allDone();
  result.nextOffsets = [...next.values()].map((n) => ({
    topic: n.topic,
    partition: n.partition,
    offset: n.offset.toString(),
  }));
  if (input.group) {
    result.group = {
      groupId,
      committed: commitMode === 'auto' && next.size > 0,
      offsets: [...next.values()].map((n) => ({ topic: n.topic, partition: n.partition, offset: n.offset.toString() })),
    };
  }
  if (decoder && decoder.summary.count) result.undecodable = decoder.summary;
  op.end(result.cancelled ? 'cancelled' : 'finished', result.scanned, progress());
  return result;
}

/** "orders[2] offset 17: its value is not avro (no schema id …)" */
export function describeUndecodable(
  decoder: MessageDecoder,
  formats: { keyFormat?: string | undefined; valueFormat?: string | undefined },
): string {
  const f = decoder.summary.first;
  if (!f) return 'a message that is not of the chosen format';
  const format = f.part === 'key' ? formats.keyFormat : formats.valueFormat;
  return `${f.topic}[${f.partition}] offset ${f.offset}: its ${f.part} is not ${format ?? 'of the chosen format'} (${f.reason})`;
}

/** The topics a read names: one, a list (each must exist), or a regular expression over the cluster's names. */
export function chooseTopics(existing: string[], input: Input): string[] {
  if (input.topicPattern !== undefined) {
    const re = compileRegex(`^(?:${input.topicPattern})$`, {
      field: 'topicPattern',
      what: 'The topic pattern',
      shown: input.topicPattern,
    });
    const found = existing.filter((t) => re.test(t)).sort();
    if (!found.length) throw new CoreError('NOT_FOUND', `No topic on this cluster matches /${input.topicPattern}/.`);
    return found;
  }
  return requireTopics(existing, input.topics ?? [input.topic!]);
}

/** Reading as a group that has live members elsewhere would rebalance them: refused unless confirmed. */
async function refuseLiveGroup(session: KafkaSession, group: NonNullable<Input['group']>): Promise<void> {
  if (group.joinLiveGroup) return;
  const groups = await session.describeGroups([group.groupId]);
  const g = groups[0];
  if (!g || !g.members.length || g.state === 'Empty' || g.state === 'Dead') return;
  const who = g.members.map((m) => `${m.clientId} (${m.clientHost.replace(/^\//, '')})`);
  throw new CoreError(
    'CONFLICT',
    `Group '${group.groupId}' has ${g.members.length} live member${g.members.length === 1 ? '' : 's'}: ${who.slice(0, 5).join(', ')}${who.length > 5 ? ', …' : ''}. Reading as this group would rebalance them; confirm joining to go on, or read without a group.`,
    JSON.stringify(g.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost }))),
  );
}

/** The placeholder of a batch a codec refused to inflate, if this record is one. */
export const inflatePlaceholder = (m: KafkaRecord): InflatePlaceholder | undefined => m.inflateLimit;

export function bombEntry(
  topic: string,
  partition: number,
  lastOffset: string,
  b: InflatePlaceholder,
  action: 'skipped' | 'stopped',
): OversizedEntry {
  return {
    topic,
    partition,
    offset: b.firstOffset,
    size: b.limit,
    action,
    batch: { lastOffset, records: b.records, compressedBytes: b.compressedBytes, codec: b.codec },
  };
}

/** "orders[0] offsets 100–199: that gzip batch of 100 messages (12 KB compressed) inflates to more than 1,000,000,000 bytes …" */
export function describeBomb(
  topic: string,
  partition: number,
  lastOffset: string,
  b: InflatePlaceholder,
  largest: number,
): string {
  const where = b.firstOffset === lastOffset ? `offset ${b.firstOffset}` : `offsets ${b.firstOffset}–${lastOffset}`;
  const what = b.records
    ? `that ${b.codec} batch of ${b.records.toLocaleString('en')} message${b.records === 1 ? '' : 's'}`
    : `that ${b.codec} message set`;
  return `${topic}[${partition}] ${where}: ${what} (${b.compressedBytes.toLocaleString('en')} bytes compressed) inflates to more than ${b.limit.toLocaleString('en')} bytes — a decompression bomb, or messages over this connection's largest message (${largest.toLocaleString('en')} bytes; raise it in the connection's settings if they are real)`;
}

function messageSize(m: KafkaRecord): number {
  let n = (m.key?.length ?? 0) + (m.value?.length ?? 0);
  for (const [k, v] of Object.entries(m.headers ?? {}))
    for (const one of Array.isArray(v) ? v : [v])
      n += Buffer.byteLength(k) + (one === undefined ? 0 : Buffer.byteLength(one));
  return n;
}

/** A record as the contract carries it: bytes never decoded lossily. */
export function toConsumed(topic: string, partition: number, m: KafkaRecord): ConsumedMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    timestamp: m.timestamp,
    timestampType: m.attributes !== undefined && (m.attributes & 0x08) !== 0 ? 'LogAppendTime' : 'CreateTime',
    key: toWire(m.key),
    value: toWire(m.value),
    headers: headerPairs(m.headers),
    size: (m.key?.length ?? 0) + (m.value?.length ?? 0),
  };
}

const show = (r: Range) => ({ topic: r.topic, partition: r.partition, from: r.from.toString(), end: r.end.toString() });

/** Headers come as an object (repeated keys as arrays); the pairs keep its order. */
function headerPairs(
  h: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): [string, ReturnType<typeof toWire>][] {
  const out: [string, ReturnType<typeof toWire>][] = [];
  for (const [k, v] of Object.entries(h ?? {})) {
    for (const one of Array.isArray(v) ? v : [v])
      out.push([k, one === undefined ? null : toWire(Buffer.isBuffer(one) ? one : Buffer.from(one))]);
  }
  return out;
}
