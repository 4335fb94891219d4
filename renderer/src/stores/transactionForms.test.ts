import { describe, expect, it } from 'vitest';
import type { ChannelOutput, PartitionProducers, Transaction } from '../../../electron/contract';
import {
  emptyTransactionsForm,
  heldPartitions,
  holdAlert,
  listInput,
  openParts,
  stateTag,
  transactionsSummary,
  visibleTransactions,
} from './transactionForms';

const txn = (over: Partial<Transaction> = {}): Transaction => ({
  transactionalId: 'orders-tx',
  state: 'Ongoing',
  producerId: '1022',
  producerEpoch: 0,
  timeoutMs: 60_000,
  startedAt: '2026-01-01T00:00:00.000Z',
  openMs: 12_000,
  partitions: [{ topic: 'orders', partitions: [0, 2] }],
  coordinator: 1,
  hung: false,
  problem: null,
  ...over,
});

describe('the transactions filter', () => {
  it('open by default: Ongoing and the Prepare states, each transaction’s own timeout', () => {
    expect(listInput(emptyTransactionsForm())).toEqual({
      states: ['Ongoing', 'PrepareCommit', 'PrepareAbort', 'PrepareEpochFence'],
    });
  });

  it('every state sends no state filter; one state sends that one; a threshold in milliseconds', () => {
    expect(listInput({ state: 'all', hung: '900000', search: '' })).toEqual({ hungAfterMs: 900_000 });
    expect(listInput({ state: 'CompleteAbort', hung: 'timeout', search: 'x' })).toEqual({ states: ['CompleteAbort'] });
  });

  it('the search narrows to a transactional id (any case) or a producer id', () => {
    const list = [txn(), txn({ transactionalId: 'Payments-TX', producerId: '77' })];
    expect(visibleTransactions(list, 'payments').map((t) => t.producerId)).toEqual(['77']);
    expect(visibleTransactions(list, '102').map((t) => t.transactionalId)).toEqual(['orders-tx']);
    expect(visibleTransactions(list, '  ')).toHaveLength(2);
  });

  it('the count says how many are shown of how many, and how many are hung', () => {
    const list = [txn(), txn({ transactionalId: 'b', hung: true })];
    expect(transactionsSummary(list, 2)).toBe('2 transactions, 1 hung');
    expect(transactionsSummary([list[0]!], 2)).toBe('1 transaction of 2');
  });

  it('the Open for cell: how long, against its timeout or the threshold (the timeout then too)', () => {
    expect(openParts(txn(), null)).toEqual({ open: '12 s', limit: 'of its 1 min timeout' });
    expect(openParts(txn({ openMs: 95_000 }), null)).toEqual({ open: '1 min 35 s', limit: 'past its 1 min timeout' });
    expect(openParts(txn({ openMs: 95_000 }), 900_000)).toEqual({
      open: '1 min 35 s',
      limit: 'under the 15 min threshold; timeout 1 min',
    });
    expect(openParts(txn({ openMs: null }), null)).toEqual({ open: null, limit: 'timeout 1 min' });
  });

  it('states are drawn by what they mean', () => {
    expect(['Ongoing', 'PrepareCommit', 'CompleteCommit', 'CompleteAbort', 'Empty', 'Later'].map(stateTag)).toEqual([
      'info',
      'warning',
      'success',
      'error',
      'default',
      'default',
    ]);
  });
});

describe('the partitions held back', () => {
  const part = (over: Partial<PartitionProducers>): PartitionProducers => ({
    partition: 0,
    leader: 1,
    highWatermark: '10',
    lastStableOffset: '10',
    pending: '0',
    producers: [],
    heldBy: null,
    error: null,
    ...over,
  });
  const reply = (partitions: PartitionProducers[]): ChannelOutput<'transactions.producers'> => ({
    topic: 'orders',
    partitions,
    producersUnavailable: null,
    transactionsUnavailable: null,
    fetchedAt: '2026-01-01T00:00:00.000Z',
    hungAfterMs: null,
  });

  it('only the partitions with a hold, each with its sentence; a hung or hanging one is a warning', () => {
    const held = heldPartitions(
      reply([
        part({}),
        part({
          partition: 3,
          highWatermark: '12',
          lastStableOffset: '8',
          pending: '4',
          heldBy: {
            kind: 'hung',
            producerId: '1022',
            producerEpoch: 0,
            startOffset: '8',
            transactionalId: 'orders-tx',
            transaction: txn({ openMs: 120_000, hung: true }),
            lastWriteAt: null,
            why: null,
          },
        }),
      ]),
    );
    expect(held).toEqual([
      {
        partition: 3,
        kind: 'hung',
        sentence:
          "Partition 3: read_committed consumers stop at offset 8 (4 offsets after it not readable yet): transaction 'orders-tx' (producer 1022, epoch 0) began there and is hung — Ongoing for 2 min, past its 1 min timeout. Its coordinator should have aborted it; until it ends, those consumers see nothing after it.",
      },
    ]);
    expect(heldPartitions(null)).toEqual([]);
    expect(['open', 'hung', 'completing', 'hanging', 'unnamed'].map((k) => holdAlert(k as never))).toEqual([
      'info',
      'warning',
      'info',
      'warning',
      'info',
    ]);
  });
});
