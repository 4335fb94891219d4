import type { Handlers } from '../handlers';
import { sessionRunner, type ResolveConnection } from './adminSession';

type TransactionChannel = 'transactions.list' | 'transactions.describe' | 'transactions.producers';

/** Transactions and producers: read only (nothing here aborts or changes a transaction). */
export function createTransactionHandlers(resolve: ResolveConnection): Pick<Handlers, TransactionChannel> {
  const run = sessionRunner(resolve);
  return {
    'transactions.list': ({ id, states, producerIds, minOpenMs, hungAfterMs }) =>
      run(id, async (s) => {
        const transactions = await s.listTransactions(
          { states: states ?? [], producerIds: (producerIds ?? []).map(BigInt), minOpenMs: minOpenMs ?? null },
          hungAfterMs ?? null,
        );
        return { transactions, fetchedAt: new Date().toISOString(), hungAfterMs: hungAfterMs ?? null };
      }),

    'transactions.describe': ({ id, transactionalIds, hungAfterMs }) =>
      run(id, async (s) => ({
        ...(await s.describeTransactions(transactionalIds, hungAfterMs ?? null)),
        fetchedAt: new Date().toISOString(),
        hungAfterMs: hungAfterMs ?? null,
      })),

    'transactions.producers': ({ id, topic, partitions, hungAfterMs }) =>
      run(id, async (s) => ({
        topic,
        ...(await s.topicProducers(topic, partitions ? [...new Set(partitions)] : null, hungAfterMs ?? null)),
        fetchedAt: new Date().toISOString(),
        hungAfterMs: hungAfterMs ?? null,
      })),
  };
}
