/**
 * Transactions over kafkajs' connections (./transactionsCodecs.ts): every broker lists the
 * transactions its share of the transaction log holds (ListTransactions), and each transactional id
 * is described on its coordinator (FindCoordinator with key type TRANSACTION, as kafkajs' own
 * transactional producer finds it; then DescribeTransactions). Only reads: nothing here changes a
 * transaction.
 */
import { isHung, isOpenState, TRANSACTION_APIS_SINCE, type Transaction } from '../../../contract';
import { CoreError } from '../../coreError';
import type { RawBroker, RawCluster } from '../rawCluster';
import {
  DESCRIBE_TRANSACTIONS,
  describeTransactionsCall,
  LIST_TRANSACTIONS,
  listTransactionsCall,
  type DescribedTransactionEntry,
  type ListedTransactionEntry,
} from './transactionsCodecs';
import { brokerError, COORDINATOR_RETRIABLE, negotiate, sendFlexible } from './transport';

/** FindCoordinator's key type for a transactional id. */
const COORDINATOR_TRANSACTION = 1;
const TRANSACTIONAL_ID_NOT_FOUND = 105;

/** kafkajs' cluster finds a transaction coordinator with the coordinator type it takes (kafkajs 2.2.4, pinned). */
type FindCoordinator = (args: { groupId: string; coordinatorType: number }) => Promise<RawBroker>;

/** The broker lacks one of KIP-664's APIs: which, and since which Kafka it is there. */
export function transactionApiMissing(broker: Pick<RawBroker, 'nodeId'>, api: keyof typeof TRANSACTION_APIS_SINCE) {
  return new CoreError(
    'KAFKA_ERROR',
    `Broker ${String(broker.nodeId)} does not offer ${api}: reading ${api === 'DescribeProducers' ? "a partition's producers" : 'transactions'} needs ${TRANSACTION_APIS_SINCE[api]} or later (KIP-664).`,
    `ApiVersions of broker ${String(broker.nodeId)} has no ${api}`,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` again (a few times, backing off) while a coordinator moves or loads its part of the transaction log. */
async function whileCoordinatorsSettle<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (attempt >= 4 || typeof code !== 'number' || !COORDINATOR_RETRIABLE.has(code)) throw e;
      await sleep(Math.min(200 * 2 ** attempt, 2000));
    }
  }
}

export async function everyBroker(cluster: RawCluster): Promise<RawBroker[]> {
  await cluster.refreshMetadata();
  const ids = Object.keys(cluster.brokerPool.brokers).sort((a, b) => Number(a) - Number(b));
  return Promise.all(ids.map((nodeId) => cluster.findBroker({ nodeId })));
}

export interface ListFilter {
  states: string[];
  producerIds: bigint[];
  /** Only transactions running longer than this (ms); null: every one. */
  minOpenMs: number | null;
}

/**
 * The transactions of every broker, each once. `durationFiltered`: every broker applied `minOpenMs`
 * itself (ListTransactions v1); otherwise the caller applies it to what it describes.
 */
export async function listTransactionsOnCluster(
  cluster: RawCluster,
  filter: ListFilter,
): Promise<{ listed: ListedTransactionEntry[]; durationFiltered: boolean }> {
  const brokers = await everyBroker(cluster);
  const versions = brokers.map((b) => {
    const v = negotiate(b, LIST_TRANSACTIONS.apiKey, LIST_TRANSACTIONS);
    if (v === null) throw transactionApiMissing(b, 'ListTransactions');
    return v;
  });
  const lists = await Promise.all(
    brokers.map((b, i) =>
      whileCoordinatorsSettle(async () => {
        const res = await sendFlexible(
          b,
          listTransactionsCall(versions[i]!, {
            stateFilters: filter.states,
            producerIdFilters: filter.producerIds,
            durationFilterMs: filter.minOpenMs === null ? -1n : BigInt(filter.minOpenMs),
          }),
        );
        if (res.errorCode !== 0) throw brokerError(res.errorCode, null);
        return res.transactionStates;
      }),
    ),
  );
  const byId = new Map<string, ListedTransactionEntry>();
  // an id listed twice while its coordinator moves: the first answer is kept
  for (const t of lists.flat()) if (!byId.has(t.transactionalId)) byId.set(t.transactionalId, t);
  return { listed: [...byId.values()], durationFiltered: versions.every((v) => v >= 1) };
}

export type DescribedTransaction = DescribedTransactionEntry & { coordinator: number };

/** The ids named, each described by its coordinator; those it does not know in `notFound`. */
export async function describeTransactionsOnCluster(
  cluster: RawCluster,
  transactionalIds: string[],
): Promise<{ described: DescribedTransaction[]; notFound: string[] }> {
  const ids = [...new Set(transactionalIds)];
  if (!ids.length) return { described: [], notFound: [] };
  const find = cluster.findGroupCoordinator as unknown as FindCoordinator;
  return whileCoordinatorsSettle(async () => {
    const byNode = new Map<string, { broker: RawBroker; ids: string[] }>();
    for (let i = 0; i < ids.length; i += 16) {
      const found = await Promise.all(
        ids.slice(i, i + 16).map(async (id) => ({
          id,
          broker: await find.call(cluster, { groupId: id, coordinatorType: COORDINATOR_TRANSACTION }),
        })),
      );
      for (const { id, broker } of found) {
        const key = String(broker.nodeId);
        const entry = byNode.get(key) ?? { broker, ids: [] };
        entry.ids.push(id);
        byNode.set(key, entry);
      }
    }
    const described: DescribedTransaction[] = [];
    const notFound: string[] = [];
    await Promise.all(
      [...byNode.values()].map(async ({ broker, ids: mine }) => {
        if (negotiate(broker, DESCRIBE_TRANSACTIONS.apiKey, DESCRIBE_TRANSACTIONS) === null)
          throw transactionApiMissing(broker, 'DescribeTransactions');
        for (let i = 0; i < mine.length; i += 500) {
          const res = await sendFlexible(broker, describeTransactionsCall(mine.slice(i, i + 500)));
          for (const t of res.transactionStates) {
            if (t.errorCode === TRANSACTIONAL_ID_NOT_FOUND) notFound.push(t.transactionalId);
            else if (t.errorCode !== 0) throw brokerError(t.errorCode, null);
            else described.push({ ...t, coordinator: Number(broker.nodeId) });
          }
        }
      }),
    );
    return { described, notFound };
  });
}

const byName = (a: { topic: string }, b: { topic: string }) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0);

/** A described transaction as the contract shows it, open time and hung flag as of `now`. */
export function transactionOf(t: DescribedTransaction, now: number, hungAfterMs: number | null): Transaction {
  const start = t.transactionStartTimeMs >= 0n ? Number(t.transactionStartTimeMs) : null;
  const openMs = start !== null && isOpenState(t.transactionState) ? Math.max(0, now - start) : null;
  const out: Transaction = {
    transactionalId: t.transactionalId,
    state: t.transactionState,
    producerId: t.producerId.toString(),
    producerEpoch: t.producerEpoch,
    timeoutMs: t.transactionTimeoutMs,
    startedAt: start === null ? null : new Date(start).toISOString(),
    openMs,
    partitions: t.topics
      .map((p) => ({ topic: p.topic, partitions: [...p.partitions].sort((a, b) => a - b) }))
      .sort(byName),
    coordinator: t.coordinator,
    hung: false,
    problem: null,
  };
  out.hung = isHung(out, hungAfterMs);
  return out;
}

/** Listed, then gone before it could be described: what the listing said. */
function listedOnly(l: ListedTransactionEntry, problem: string): Transaction {
  return {
    transactionalId: l.transactionalId,
    state: l.transactionState,
    producerId: l.producerId.toString(),
    producerEpoch: null,
    timeoutMs: null,
    startedAt: null,
    openMs: null,
    partitions: [],
    coordinator: null,
    hung: false,
    problem,
  };
}

const byId = (a: Transaction, b: Transaction) =>
  a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0;

/** Every transaction the filter matches, described, sorted by transactional id. */
export async function listTransactions(
  cluster: RawCluster,
  filter: ListFilter,
  hungAfterMs: number | null,
): Promise<Transaction[]> {
  const { listed, durationFiltered } = await listTransactionsOnCluster(cluster, filter);
  const { described, notFound } = await describeTransactionsOnCluster(
    cluster,
    listed.map((l) => l.transactionalId),
  );
  const now = Date.now();
  const gone = new Set(notFound);
  const byListed = new Map(described.map((d) => [d.transactionalId, d]));
  const out: Transaction[] = [];
  for (const l of listed) {
    const d = byListed.get(l.transactionalId);
    if (d) out.push(transactionOf(d, now, hungAfterMs));
    else if (gone.has(l.transactionalId))
      out.push(listedOnly(l, 'Listed, then no longer known to its coordinator when described (it expired).'));
  }
  const states = new Set(filter.states);
  const pids = new Set(filter.producerIds.map(String));
  return out
    .filter((t) => {
      // described after it was listed: what it is now has to match still
      if (states.size && !states.has(t.state)) return false;
      if (pids.size && !pids.has(t.producerId)) return false;
      // a broker before Kafka 3.8 has no duration filter: Kafka's rule (running longer than that) applied here
      if (!durationFiltered && filter.minOpenMs !== null) {
        const start = t.startedAt === null ? null : Date.parse(t.startedAt);
        return start !== null && now - start > filter.minOpenMs;
      }
      return true;
    })
    .sort(byId);
}

/** The ids named, described; the ones no coordinator knows in `notFound`, in the order asked. */
export async function describeTransactions(
  cluster: RawCluster,
  transactionalIds: string[],
  hungAfterMs: number | null,
): Promise<{ transactions: Transaction[]; notFound: string[] }> {
  const { described, notFound } = await describeTransactionsOnCluster(cluster, transactionalIds);
  const now = Date.now();
  const found = new Map(described.map((d) => [d.transactionalId, transactionOf(d, now, hungAfterMs)]));
  const missing = new Set(notFound);
  const order = [...new Set(transactionalIds)];
  return {
    transactions: order.flatMap((id) => found.get(id) ?? []),
    notFound: order.filter((id) => missing.has(id)),
  };
}
