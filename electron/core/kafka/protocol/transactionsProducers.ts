/**
 * A topic's partitions as a read_committed consumer meets them: on each partition's leader the high
 * watermark and the last stable offset (ListOffsets, READ_UNCOMMITTED and READ_COMMITTED — kafkajs'
 * admin asks only the latter, so both are asked here on its broker connections) and the producers the
 * leader keeps (DescribeProducers); then the producer whose open transaction began at the LSO, named
 * through its producer id (ListTransactions with a producer-id filter) and described by its coordinator.
 */
import {
  HANGING_AFTER_MS,
  TRANSACTION_APIS_SINCE,
  type ActiveProducer,
  type HeldBy,
  type HoldKind,
  type PartitionProducers,
  type Transaction,
} from '../../../contract';
import { CoreError } from '../../coreError';
import type { RawBroker, RawCluster } from '../rawCluster';
import type { ClusterMetadata } from '../types';
import { describeTransactionsOnCluster, listTransactionsOnCluster, transactionOf } from './transactions';
import { DESCRIBE_PRODUCERS, describeProducersCall, type ProducerStateEntry } from './transactionsCodecs';
import { brokerError, negotiate, sendFlexible } from './transport';

const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;
const LATEST = -1;

/** kafkajs' Broker.listOffsets (kafkajs 2.2.4, pinned): it throws on a partition's error code. */
type ListOffsets = (args: {
  isolationLevel: number;
  topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
}) => Promise<{ responses: { topic: string; partitions: { partition: number; offset: string }[] }[] }>;
type OffsetsBroker = RawBroker & { listOffsets: ListOffsets };
type SeedBroker = { metadata(topics: string[]): Promise<ClusterMetadata> };

// Kafka's error codes a partition's leader answers with
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const TOPIC_AUTHORIZATION_FAILED = 29;
const MOVED = new Set([5, 6, 9, 74, 75]);

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]+/g;
/** The broker's own sentence, one line, bounded: it goes to a terminal and the window. */
const said = (m: string | null | undefined) => (m ?? '').replace(CONTROL, ' ').trim().slice(0, 300).replace(/\.$/, '');

interface PartitionRead {
  partition: number;
  leader: number;
  high: bigint | null;
  stable: bigint | null;
  producers: ProducerStateEntry[];
  error: string | null;
}

async function topicMetadata(cluster: RawCluster, topic: string): Promise<ClusterMetadata['topicMetadata'][number]> {
  await cluster.refreshMetadata();
  const seed = cluster.brokerPool.seedBroker as SeedBroker | undefined;
  if (!seed) throw new Error('kafkajs internals changed: no seed broker after connect');
  try {
    // the seed broker once, not the cluster's retrying metadata: a topic that is not there is said at once
    const md = await seed.metadata([topic]);
    const t = md.topicMetadata.find((x) => x.topic === topic);
    if (!t) throw new CoreError('NOT_FOUND', `Topic '${topic}' does not exist.`);
    return t;
  } catch (e) {
    if ((e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION')
      throw new CoreError('NOT_FOUND', `Topic '${topic}' does not exist.`);
    throw e;
  }
}

/** The latest offset of each partition at one isolation level; a leader that moved leaves its partitions out. */
async function latestOffsets(
  broker: OffsetsBroker,
  topic: string,
  partitions: number[],
  isolationLevel: number,
): Promise<Map<number, bigint> | string> {
  try {
    const { responses } = await broker.listOffsets({
      isolationLevel,
      topics: [{ topic, partitions: partitions.map((partition) => ({ partition, timestamp: LATEST })) }],
    });
    const out = new Map<number, bigint>();
    for (const r of responses) for (const p of r.partitions) out.set(p.partition, BigInt(p.offset));
    return out;
  } catch (e) {
    const type = (e as { type?: string }).type;
    if (type && /_AUTHORIZATION_FAILED$/.test(type)) throw e;
    // the leader moved (or is not there yet) since the metadata was read: said, read again later
    return `broker ${String(broker.nodeId)} did not give its offsets (${type ?? (e as Error).message})`;
  }
}

/** One leader's partitions: both offsets, and its producers where it offers DescribeProducers. */
async function readLeader(
  broker: OffsetsBroker,
  topic: string,
  partitions: number[],
): Promise<{ reads: PartitionRead[]; producersMissing: boolean }> {
  const describe = negotiate(broker, DESCRIBE_PRODUCERS.apiKey, DESCRIBE_PRODUCERS) !== null;
  const [high, stable, producers] = await Promise.all([
    latestOffsets(broker, topic, partitions, READ_UNCOMMITTED),
    latestOffsets(broker, topic, partitions, READ_COMMITTED),
    describe ? sendFlexible(broker, describeProducersCall([{ topic, partitions }])) : null,
  ]);
  const states = new Map(producers?.topics.find((t) => t.name === topic)?.partitions.map((p) => [p.partitionIndex, p]));
  const reads = partitions.map((partition): PartitionRead => {
    const errors: string[] = [];
    if (typeof high === 'string') errors.push(high);
    else if (typeof stable === 'string') errors.push(stable);
    const s = states.get(partition);
    if (s && s.errorCode === TOPIC_AUTHORIZATION_FAILED) throw brokerError(s.errorCode, s.errorMessage);
    if (s && s.errorCode !== 0) {
      const why = said(s.errorMessage);
      errors.push(
        MOVED.has(s.errorCode)
          ? `its leader moved while it was read (error ${s.errorCode}): read again`
          : s.errorCode === UNKNOWN_TOPIC_OR_PARTITION
            ? 'the leader does not know the partition (yet)'
            : `DescribeProducers answered error ${s.errorCode}${why ? `: ${why}` : ''}`,
      );
    }
    return {
      partition,
      leader: Number(broker.nodeId),
      high: typeof high === 'string' ? null : (high.get(partition) ?? null),
      stable: typeof stable === 'string' ? null : (stable.get(partition) ?? null),
      producers: s && s.errorCode === 0 ? s.activeProducers : [],
      error: errors.length ? errors.join('; ') : null,
    };
  });
  return { reads, producersMissing: !describe };
}

const iso = (ms: bigint) => (ms >= 0n && ms < 8_640_000_000_000_000n ? new Date(Number(ms)).toISOString() : null);

/** The producer whose open transaction began where the LSO stands (or, failing that, the earliest open one). */
function holderOf(p: PartitionRead): ProducerStateEntry | null {
  const open = p.producers.filter((s) => s.currentTxnStartOffset >= 0n);
  if (!open.length) return null;
  return (
    open.find((s) => s.currentTxnStartOffset === p.stable) ??
    open.reduce((a, b) => (b.currentTxnStartOffset < a.currentTxnStartOffset ? b : a))
  );
}

/**
 * Why the LSO waits for the holder's transaction, from what its coordinator says of it. A
 * transaction the coordinator has not open (or open without this partition), while the partition
 * has it open, is KIP-664's hanging transaction once the producer has been silent longer than
 * `hangingAfterMs`; until then its end may simply not have reached the partition yet.
 */
export function holdKind(
  holder: Pick<ProducerStateEntry, 'lastTimestamp'>,
  t: Transaction | null,
  topic: string,
  partition: number,
  now: number,
  hangingAfterMs: number,
): HoldKind {
  if (t?.hung) return 'hung';
  const silentMs = holder.lastTimestamp >= 0n ? now - Number(holder.lastTimestamp) : null;
  const old = silentMs !== null && silentMs > hangingAfterMs;
  if (t && (t.state === 'Ongoing' || t.state === 'PrepareEpochFence')) {
    const here = t.partitions.some((x) => x.topic === topic && x.partitions.includes(partition));
    return here || !old ? 'open' : 'hanging';
  }
  if (t && (t.state === 'PrepareCommit' || t.state === 'PrepareAbort')) return 'completing';
  if (old) return 'hanging';
  return t ? 'completing' : 'unnamed';
}

export interface TopicProducers {
  partitions: PartitionProducers[];
  producersUnavailable: string | null;
  transactionsUnavailable: string | null;
}

/** The topic's partitions (all, or those named), with their producers and what holds each LSO back. */
export async function topicProducers(
  cluster: RawCluster,
  topic: string,
  only: number[] | null,
  hungAfterMs: number | null,
): Promise<TopicProducers> {
  const md = await topicMetadata(cluster, topic);
  const all = [...md.partitionMetadata].sort((a, b) => a.partitionId - b.partitionId);
  if (only) {
    const missing = only.filter((n) => !all.some((p) => p.partitionId === n));
    if (missing.length)
      throw new CoreError(
        'NOT_FOUND',
        `Topic '${topic}' has no partition ${missing.join(', ')} (it has ${all.length === 1 ? 'partition 0' : `partitions 0–${all.length - 1}`}).`,
      );
  }
  const wanted = only ? all.filter((p) => only.includes(p.partitionId)) : all;
  const byLeader = new Map<number, number[]>();
  const reads: PartitionRead[] = [];
  for (const p of wanted) {
    if (p.leader < 0) {
      reads.push({
        partition: p.partitionId,
        leader: -1,
        high: null,
        stable: null,
        producers: [],
        error: 'no leader: nothing can be read from it',
      });
      continue;
    }
    byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partitionId]);
  }
  const leaders = await Promise.all(
    [...byLeader].map(async ([leader, partitions]) => {
      const broker = (await cluster.findBroker({ nodeId: String(leader) })) as OffsetsBroker;
      return { leader, ...(await readLeader(broker, topic, partitions)) };
    }),
  );
  reads.push(...leaders.flatMap((l) => l.reads));
  reads.sort((a, b) => a.partition - b.partition);
  const without = leaders.filter((l) => l.producersMissing).map((l) => l.leader);
  const producersMissing = without.length
    ? `${without.length === 1 ? `broker ${without[0]} does` : `brokers ${without.join(', ')} do`} not offer DescribeProducers (${TRANSACTION_APIS_SINCE.DescribeProducers} or later, KIP-664)`
    : null;

  // producer ids → transactional ids: what the coordinators list for those ids
  const pids = [...new Set(reads.flatMap((r) => r.producers.map((s) => s.producerId)))];
  const txnIdOf = new Map<bigint, string>();
  let transactionsUnavailable: string | null = null;
  if (pids.length) {
    try {
      for (let i = 0; i < pids.length; i += 500) {
        const { listed } = await listTransactionsOnCluster(cluster, {
          states: [],
          producerIds: pids.slice(i, i + 500),
          minOpenMs: null,
        });
        for (const l of listed) txnIdOf.set(l.producerId, l.transactionalId);
      }
    } catch (e) {
      if (!(e instanceof CoreError)) throw e;
      transactionsUnavailable = e.message;
    }
  }
  const now = Date.now();
  const holders = new Map<number, ProducerStateEntry>();
  for (const r of reads)
    if (r.high !== null && r.stable !== null && r.stable < r.high) {
      const h = holderOf(r);
      if (h) holders.set(r.partition, h);
    }
  const holderIds = [...new Set([...holders.values()].flatMap((h) => txnIdOf.get(h.producerId) ?? []))];
  const described = new Map<string, Transaction>();
  if (holderIds.length) {
    try {
      const { described: found } = await describeTransactionsOnCluster(cluster, holderIds);
      for (const d of found) described.set(d.transactionalId, transactionOf(d, now, hungAfterMs));
    } catch (e) {
      if (!(e instanceof CoreError)) throw e;
      transactionsUnavailable = e.message;
    }
  }

  const partitions = reads.map((r): PartitionProducers => {
    const producers: ActiveProducer[] = r.producers
      .map((s) => ({
        producerId: s.producerId.toString(),
        producerEpoch: s.producerEpoch,
        lastSequence: s.lastSequence,
        lastTimestamp: iso(s.lastTimestamp),
        coordinatorEpoch: s.coordinatorEpoch,
        currentTxnStartOffset: s.currentTxnStartOffset >= 0n ? s.currentTxnStartOffset.toString() : null,
        transactionalId: txnIdOf.get(s.producerId) ?? null,
      }))
      .sort((a, b) => (BigInt(a.producerId) < BigInt(b.producerId) ? -1 : 1));
    let heldBy: HeldBy | null = null;
    if (r.high !== null && r.stable !== null && r.stable < r.high) {
      const h = holders.get(r.partition) ?? null;
      const txnId = h ? (txnIdOf.get(h.producerId) ?? null) : null;
      const found = txnId ? (described.get(txnId) ?? null) : null;
      // the coordinator's transaction is this producer's (a producer id it has since replaced is not)
      const t = found && h && found.producerId === h.producerId.toString() ? found : null;
      const kind: HoldKind =
        !h || (transactionsUnavailable && !t)
          ? 'unnamed'
          : holdKind(h, t, topic, r.partition, now, hungAfterMs ?? HANGING_AFTER_MS);
      const why =
        kind !== 'unnamed'
          ? null
          : !h
            ? (producersMissing ??
              'the leader lists no producer with a transaction open here: it has probably just ended; read again')
            : transactionsUnavailable
              ? transactionsUnavailable.replace(/\.$/, '')
              : `no transaction coordinator has producer ${h.producerId} open (yet)`;
      heldBy = {
        kind,
        producerId: h ? h.producerId.toString() : null,
        producerEpoch: h ? h.producerEpoch : null,
        startOffset: r.stable.toString(),
        transactionalId: txnId,
        transaction: t,
        lastWriteAt: h ? iso(h.lastTimestamp) : null,
        why,
      };
    }
    return {
      partition: r.partition,
      leader: r.leader,
      highWatermark: r.high === null ? null : r.high.toString(),
      lastStableOffset: r.stable === null ? null : r.stable.toString(),
      pending: r.high !== null && r.stable !== null ? (r.high - r.stable).toString() : null,
      producers,
      heldBy,
      error: r.error,
    };
  });
  return { partitions, producersUnavailable: producersMissing, transactionsUnavailable };
}
