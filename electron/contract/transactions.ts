import { z } from 'zod';
import { ConnectionId } from './connection';
import { TopicName } from './topics';

/**
 * The transactions domain (KIP-664): the transactions the cluster's coordinators keep, and per
 * partition the producers its leader knows — read only. The question it answers is the classic "why
 * does my consumer not see the messages": a read_committed consumer stops at a partition's last stable
 * offset (LSO), and an open transaction holds the LSO where it began until it commits or aborts.
 * Names are Kafka's own (`kafka-transactions`, the Java AdminClient).
 */

/** Kafka's transaction states (TransactionState in the coordinator); a newer broker's other names pass as they are. */
export const TRANSACTION_STATES = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
] as const;
export const TransactionState = z.enum(TRANSACTION_STATES);
export type TransactionState = z.infer<typeof TransactionState>;

/** The states of a transaction that has begun and not ended: it holds back the LSO of the partitions it wrote to. */
export const OPEN_TRANSACTION_STATES: readonly TransactionState[] = [
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'PrepareEpochFence',
];
export const isOpenState = (state: string): boolean => (OPEN_TRANSACTION_STATES as readonly string[]).includes(state);

/** What a person reads for each state. */
export const TRANSACTION_STATE_INFO: Record<TransactionState, string> = {
  Empty: 'no transaction in progress (the producer registered, or its last one ended long ago)',
  Ongoing: 'begun, writing; not committed or aborted yet',
  PrepareCommit: 'committing: the coordinator is writing the commit markers',
  PrepareAbort: 'aborting: the coordinator is writing the abort markers',
  CompleteCommit: 'committed',
  CompleteAbort: 'aborted',
  Dead: 'expired: the transactional id is being removed',
  PrepareEpochFence: 'a newer producer with the same transactional id is fencing this one (aborting its transaction)',
};

/** Since which Kafka each API is there: a broker without one is told so in these words. */
export const TRANSACTION_APIS_SINCE = {
  DescribeProducers: 'Kafka 2.8',
  DescribeTransactions: 'Kafka 3.0',
  ListTransactions: 'Kafka 3.0',
} as const;

/** Kafka's kafka-transactions find-hanging waits this long (its --max-transaction-timeout, 15 minutes). */
export const HANGING_AFTER_MS = 15 * 60_000;

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A transactional id as asked for: shown in a terminal and a table, so no control or bidi characters. */
export const TransactionalId = z
  .string()
  .min(1, 'cannot be empty')
  .max(4096, 'at most 4096 characters')
  .refine((s) => !CONTROL.test(s), 'no control or bidi characters');

const INT64_MAX = 2n ** 63n - 1n;
/** A producer id: a 64-bit whole number, as decimal text. */
export const ProducerIdText = z
  .string()
  .regex(/^\d{1,19}$/, 'a producer id: a whole number')
  // zod runs every check, also after the pattern failed: BigInt only of digits
  .refine((s) => !/^\d{1,19}$/.test(s) || BigInt(s) <= INT64_MAX, 'larger than a 64-bit producer id');

/** A transaction open longer than this is flagged as hung (without it: longer than its own timeout). */
export const HungAfterMs = z
  .number()
  .int('whole milliseconds')
  .min(0, 'cannot be negative')
  .max(30 * 86_400_000, 'at most 30 days');

export const TransactionPartitions = z.strictObject({ topic: z.string(), partitions: z.array(z.number().int()) });
export type TransactionPartitions = z.infer<typeof TransactionPartitions>;

export const Transaction = z.strictObject({
  transactionalId: z.string(),
  /** Kafka's name of the state (TRANSACTION_STATES; a newer broker's other names as they are). */
  state: z.string(),
  /** 64-bit, as decimal text. */
  producerId: z.string(),
  /** Null when the transaction was listed but could not be described (`problem` says why). */
  producerEpoch: z.number().int().nullable(),
  timeoutMs: z.number().int().nullable(),
  /** When the current (or last) transaction began, ISO; null when none has. */
  startedAt: z.string().nullable(),
  /** How long it had been open when read (open states only): the broker's start time against this computer's clock. */
  openMs: z.number().int().nullable(),
  /** The partitions it has written to, sorted; while it commits or aborts, those still without their marker. */
  partitions: z.array(TransactionPartitions),
  /** The broker that coordinates it (null: not found). */
  coordinator: z.number().int().nullable(),
  /** Open longer than its timeout (or than the threshold asked for): the coordinator should have aborted it by now. */
  hung: z.boolean(),
  /** Why it was listed but not described (it ended and expired in between, or a coordinator did not answer). */
  problem: z.string().nullable(),
});
export type Transaction = z.infer<typeof Transaction>;

/** A producer a partition's leader keeps state for (idempotent or transactional), DescribeProducers' fields. */
export const ActiveProducer = z.strictObject({
  producerId: z.string(),
  producerEpoch: z.number().int(),
  /** The sequence number of its last batch on this partition (-1: none). */
  lastSequence: z.number().int(),
  /** When its last batch on this partition was written (the batch's max timestamp), ISO; null when unknown. */
  lastTimestamp: z.string().nullable(),
  /** The epoch of the coordinator that last wrote a marker for it (-1: none). */
  coordinatorEpoch: z.number().int(),
  /** Where its open transaction on this partition began; null when it has none open here. */
  currentTxnStartOffset: z.string().nullable(),
  /** Its transactional id, matched through the producer id with ListTransactions; null for an idempotent producer. */
  transactionalId: z.string().nullable(),
});
export type ActiveProducer = z.infer<typeof ActiveProducer>;

/**
 * Why a partition's LSO is behind its high watermark:
 * - `open`: a transaction the coordinator has open, within its timeout;
 * - `hung`: open longer than its timeout (or the threshold asked for);
 * - `completing`: its coordinator has committed or aborted it and is writing the markers;
 * - `hanging`: the partition has it open but no coordinator does (KIP-664's hanging transaction) —
 *   only aborting it on the partition (`kafka-transactions abort`) moves the LSO on;
 * - `unnamed`: whose it is cannot be told (the broker lacks DescribeProducers or ListTransactions, or refused them).
 */
export const HOLD_KINDS = ['open', 'hung', 'completing', 'hanging', 'unnamed'] as const;
export const HoldKind = z.enum(HOLD_KINDS);
export type HoldKind = z.infer<typeof HoldKind>;

export const HeldBy = z.strictObject({
  kind: HoldKind,
  /** The producer whose open transaction began at the LSO; null when the broker cannot say. */
  producerId: z.string().nullable(),
  producerEpoch: z.number().int().nullable(),
  /** Where that transaction began: the LSO. */
  startOffset: z.string(),
  transactionalId: z.string().nullable(),
  /** The coordinator's view of that transaction, when found. */
  transaction: Transaction.nullable(),
  /** The producer's last write to the partition, ISO. */
  lastWriteAt: z.string().nullable(),
  /** Why it is `unnamed`, when it is. */
  why: z.string().nullable(),
});
export type HeldBy = z.infer<typeof HeldBy>;

export const PartitionProducers = z.strictObject({
  partition: z.number().int(),
  /** -1: no leader. */
  leader: z.number().int(),
  /** The end of the log as read_uncommitted sees it; null when the leader did not answer. */
  highWatermark: z.string().nullable(),
  /** Where read_committed consumers stop (ListOffsets with READ_COMMITTED). */
  lastStableOffset: z.string().nullable(),
  /** highWatermark − lastStableOffset: offsets a read_committed consumer cannot read yet. */
  pending: z.string().nullable(),
  producers: z.array(ActiveProducer),
  /** What holds the LSO back, when it is behind the high watermark. */
  heldBy: HeldBy.nullable(),
  /** The leader's answer for this partition, when it was not one. */
  error: z.string().nullable(),
});
export type PartitionProducers = z.infer<typeof PartitionProducers>;

const conn = { id: ConnectionId };
const hung = { hungAfterMs: HungAfterMs.optional() };

export const transactionChannels = {
  /**
   * The transactions every broker coordinates (ListTransactions), each described on its coordinator
   * (DescribeTransactions), sorted by transactional id. Filters are Kafka's: states, producer ids,
   * and `minOpenMs` (running longer than that: ListTransactions v1, Kafka 3.8; applied here for older brokers).
   */
  'transactions.list': {
    input: z.strictObject({
      ...conn,
      states: z.array(TransactionState).max(TRANSACTION_STATES.length).optional(),
      producerIds: z.array(ProducerIdText).max(1000).optional(),
      minOpenMs: HungAfterMs.optional(),
      ...hung,
    }),
    output: z.strictObject({
      transactions: z.array(Transaction),
      fetchedAt: z.string(),
      /** The threshold used for `hung` (null: each transaction's own timeout). */
      hungAfterMs: z.number().int().nullable(),
    }),
  },
  /** The transactional ids named, each on its coordinator (FindCoordinator, key type TRANSACTION); unknown ids in `notFound`. */
  'transactions.describe': {
    input: z.strictObject({ ...conn, transactionalIds: z.array(TransactionalId).min(1).max(1000), ...hung }),
    output: z.strictObject({
      transactions: z.array(Transaction),
      notFound: z.array(z.string()),
      fetchedAt: z.string(),
      hungAfterMs: z.number().int().nullable(),
    }),
  },
  /**
   * A topic's partitions (all, or those named): the active producers each leader keeps
   * (DescribeProducers), the high watermark and the LSO, and what holds an LSO back.
   */
  'transactions.producers': {
    input: z.strictObject({
      ...conn,
      topic: TopicName,
      partitions: z.array(z.number().int().min(0).max(1_000_000)).min(1).max(100_000).optional(),
      ...hung,
    }),
    output: z.strictObject({
      topic: z.string(),
      partitions: z.array(PartitionProducers),
      /** Why the producers could not be read (the LSO and the high watermark still are); null when they were. */
      producersUnavailable: z.string().nullable(),
      /** Why producer ids could not be matched to transactional ids; null when they were. */
      transactionsUnavailable: z.string().nullable(),
      fetchedAt: z.string(),
      hungAfterMs: z.number().int().nullable(),
    }),
  },
} as const;

/** 3 s, 4 min 10 s, 2 h 5 min, 3 d 4 h: a duration as a person reads it, two units at most. */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const i = units.findIndex(([u]) => s >= u);
  const [u, name] = units[i]!;
  const first = `${Math.floor(s / u)} ${name}`;
  const next = units[i + 1];
  if (!next) return first;
  const rest = Math.floor((s % u) / next[0]);
  return rest ? `${first} ${rest} ${next[1]}` : first;
}

/**
 * Whether a transaction counts as hung: open, and open longer than the threshold given or (without
 * one) than its own timeout — past which its coordinator aborts it on its own.
 */
export function isHung(
  t: { state: string; openMs: number | null; timeoutMs: number | null },
  hungAfterMs: number | null,
): boolean {
  if (!isOpenState(t.state) || t.openMs === null) return false;
  const limit = hungAfterMs ?? t.timeoutMs;
  return limit !== null && t.openMs > limit;
}

/** How long a transaction has been open, against its timeout or the threshold: "12 s of its 1 min timeout". */
export function openAgainstTimeout(t: Pick<Transaction, 'openMs' | 'timeoutMs'>, hungAfterMs: number | null): string {
  if (t.openMs === null) return '';
  const open = durationText(t.openMs);
  const timeout = t.timeoutMs === null ? null : durationText(t.timeoutMs);
  if (hungAfterMs !== null)
    return `${open}${timeout ? ` (timeout ${timeout})` : ''}, ${t.openMs > hungAfterMs ? 'longer' : 'less'} than the ${durationText(hungAfterMs)} threshold`;
  if (timeout === null) return open;
  return t.openMs > (t.timeoutMs ?? 0) ? `${open}, past its ${timeout} timeout` : `${open} of its ${timeout} timeout`;
}

/** Kafka's own command that aborts a hanging transaction on a partition (it writes the abort marker there). */
export function abortCommand(
  topic: string,
  partition: number,
  startOffset: string,
  bootstrap = '<broker:port>',
): string {
  return `kafka-transactions.sh --bootstrap-server ${bootstrap} abort --topic ${topic} --partition ${partition} --start-offset ${startOffset}`;
}

const plural = (n: bigint, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1n ? '' : 's'}`;

/**
 * The sentence the window and the terminal show for a partition whose LSO is held back: where
 * read_committed consumers stop, how much they cannot see, and whose transaction it is.
 */
export function heldBackSentence(
  topic: string,
  p: Pick<PartitionProducers, 'partition' | 'lastStableOffset' | 'pending' | 'heldBy'>,
  hungAfterMs: number | null,
): string | null {
  const h = p.heldBy;
  if (!h || p.lastStableOffset === null) return null;
  const pending = p.pending !== null && /^\d+$/.test(p.pending) ? BigInt(p.pending) : null;
  const stop =
    `Partition ${p.partition}: read_committed consumers stop at offset ${BigInt(p.lastStableOffset).toLocaleString('en-US')}` +
    (pending !== null && pending > 0n ? ` (${plural(pending, 'offset')} after it not readable yet)` : '');
  const producer =
    h.producerId === null
      ? null
      : `producer ${h.producerId}${h.producerEpoch === null ? '' : `, epoch ${h.producerEpoch}`}`;
  const named = h.transactionalId === null ? null : `transaction '${h.transactionalId}'`;
  const who = named && producer ? `${named} (${producer})` : (named ?? producer ?? 'an open transaction');
  const t = h.transaction;
  switch (h.kind) {
    case 'open':
      return `${stop}: ${who} began there and is ${t?.state ?? 'open'}${t && t.openMs !== null ? `, open ${openAgainstTimeout(t, hungAfterMs)}` : ''}. They read on once it commits or aborts.`;
    case 'hung':
      return `${stop}: ${who} began there and is hung — ${t?.state ?? 'open'}${t && t.openMs !== null ? ` for ${openAgainstTimeout(t, hungAfterMs)}` : ''}. Its coordinator should have aborted it; until it ends, those consumers see nothing after it.`;
    case 'completing':
      return `${stop}: ${who} began there; its coordinator has it ${t?.state ?? 'ended'} and is writing the markers, after which the offset moves on.`;
    case 'hanging':
      return `${stop}: ${who} began a transaction there that no transaction coordinator has open — a hanging transaction. It stays until aborted on the partition: ${abortCommand(topic, p.partition, h.startOffset)}`;
    case 'unnamed':
      return `${stop}: ${who} holds it${h.why ? ` (${h.why})` : ''}.`;
  }
}
