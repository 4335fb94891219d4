import {
  durationText,
  heldBackSentence,
  OPEN_TRANSACTION_STATES,
  TRANSACTION_STATE_INFO,
  TRANSACTION_STATES,
  type ChannelInput,
  type ChannelOutput,
  type HoldKind,
  type Transaction,
  type TransactionState,
} from '../../../electron/contract';

/** The transactions screen's filter: which states, and when an open transaction counts as hung. */
export interface TransactionsForm {
  /** `open`: Ongoing and the Prepare states; `all`: every state; or one state. */
  state: 'open' | 'all' | TransactionState;
  /** `timeout`: past its own timeout; else a threshold in milliseconds, as text (a select's value). */
  hung: 'timeout' | '60000' | '300000' | '900000';
  /** Narrows the rows shown to a transactional id or producer id containing it. */
  search: string;
}

export const emptyTransactionsForm = (): TransactionsForm => ({ state: 'open', hung: 'timeout', search: '' });

export const stateOptions = [
  { value: 'open', label: 'Open transactions' },
  { value: 'all', label: 'Every state' },
  ...TRANSACTION_STATES.map((s) => ({ value: s, label: s })),
];

export const hungOptions = [
  { value: 'timeout', label: 'Hung: past its own timeout' },
  { value: '60000', label: 'Hung: open over 1 minute' },
  { value: '300000', label: 'Hung: open over 5 minutes' },
  // kafka-transactions find-hanging's --max-transaction-timeout default
  { value: '900000', label: 'Hung: open over 15 minutes' },
];

/** The form as `transactions.list`'s input (without the connection id). */
export function listInput(f: TransactionsForm): Omit<ChannelInput<'transactions.list'>, 'id'> {
  const states: TransactionState[] | undefined =
    f.state === 'open' ? [...OPEN_TRANSACTION_STATES] : f.state === 'all' ? undefined : [f.state];
  return {
    ...(states ? { states } : {}),
    ...(f.hung === 'timeout' ? {} : { hungAfterMs: Number(f.hung) }),
  };
}

/** The rows whose transactional id or producer id contain the search text (case-insensitive). */
export function visibleTransactions(list: Transaction[], search: string): Transaction[] {
  const q = search.trim().toLowerCase();
  if (!q) return list;
  return list.filter((t) => t.transactionalId.toLowerCase().includes(q) || t.producerId.includes(q));
}

export type TagType = 'default' | 'info' | 'success' | 'warning' | 'error';

/** How a state is drawn: running blue, finishing amber, ended neutral, aborted red. */
export function stateTag(state: string): TagType {
  if (state === 'Ongoing') return 'info';
  if (state === 'PrepareCommit' || state === 'PrepareAbort' || state === 'PrepareEpochFence') return 'warning';
  if (state === 'CompleteCommit') return 'success';
  if (state === 'CompleteAbort' || state === 'Dead') return 'error';
  return 'default';
}

/** What the state means, for its tooltip; a state this app does not know says so. */
export const stateAbout = (state: string): string =>
  (TRANSACTION_STATE_INFO as Record<string, string>)[state] ?? 'a state this version of Kafka Desk does not know';

/**
 * The "Open for" cell: how long (null when not open), and against what — its own timeout, or the
 * threshold chosen (the timeout then too).
 */
export function openParts(
  t: Pick<Transaction, 'openMs' | 'timeoutMs'>,
  hungAfterMs: number | null,
): { open: string | null; limit: string | null } {
  if (t.openMs === null)
    return { open: null, limit: t.timeoutMs === null ? null : `timeout ${durationText(t.timeoutMs)}` };
  const timeout = t.timeoutMs === null ? null : durationText(t.timeoutMs);
  if (hungAfterMs !== null)
    return {
      open: durationText(t.openMs),
      limit: `${t.openMs > hungAfterMs ? 'over' : 'under'} the ${durationText(hungAfterMs)} threshold${timeout ? `; timeout ${timeout}` : ''}`,
    };
  if (timeout === null || t.timeoutMs === null) return { open: durationText(t.openMs), limit: null };
  return { open: durationText(t.openMs), limit: `${t.openMs > t.timeoutMs ? 'past' : 'of'} its ${timeout} timeout` };
}

/** "3 transactions, 1 hung" over what is shown. */
export function transactionsSummary(shown: Transaction[], total: number): string {
  const n = (k: number, w: string) => `${k.toLocaleString('en-US')} ${w}${k === 1 ? '' : 's'}`;
  const hung = shown.filter((t) => t.hung).length;
  const base = shown.length === total ? n(total, 'transaction') : `${n(shown.length, 'transaction')} of ${total}`;
  return hung ? `${base}, ${hung} hung` : base;
}

/** A transaction's partitions, grouped by topic: what the table links to. */
export const partitionCount = (t: Transaction): number => t.partitions.reduce((s, p) => s + p.partitions.length, 0);

type Producers = ChannelOutput<'transactions.producers'>;

/** Every producer of every partition read, one row each, with its partition. */
export function producerRows(r: Producers) {
  return r.partitions.flatMap((p) => p.producers.map((s) => ({ partition: p.partition, ...s })));
}

/** How many held partitions the topic detail's notice spells out; the Producers tab lists every one past that. */
export const NOTICE_SHOWN = 3;

export interface HeldPartition {
  partition: number;
  kind: HoldKind;
  sentence: string;
}

/** The partitions whose LSO is held back, each with the sentence the notice and the panel show. */
export function heldPartitions(r: Producers | null): HeldPartition[] {
  if (!r) return [];
  return r.partitions.flatMap((p) => {
    const sentence = heldBackSentence(r.topic, p, r.hungAfterMs);
    return p.heldBy && sentence ? [{ partition: p.partition, kind: p.heldBy.kind, sentence }] : [];
  });
}

/** A hold that needs someone to act (hung or hanging) is a warning; one that will end by itself is information. */
export const holdAlert = (kind: HoldKind): 'warning' | 'info' =>
  kind === 'hung' || kind === 'hanging' ? 'warning' : 'info';
