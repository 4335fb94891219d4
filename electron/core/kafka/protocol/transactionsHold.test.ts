import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../../contract';
import { holdKind } from './transactionsProducers';

/** Why a partition's LSO waits for the producer whose transaction began there, from what its coordinator says. */
const now = Date.now();

describe('why an LSO waits', () => {
  const t = (state: string, over: Partial<Transaction> = {}): Transaction => ({
    transactionalId: 'x',
    state,
    producerId: '1',
    producerEpoch: 0,
    timeoutMs: 60_000,
    startedAt: null,
    openMs: 1000,
    partitions: [{ topic: 'orders', partitions: [0] }],
    coordinator: 1,
    hung: false,
    problem: null,
    ...over,
  });
  const recent = { lastTimestamp: BigInt(now - 1000) };
  const silent = { lastTimestamp: BigInt(now - 3_600_000) };
  const kind = (h: { lastTimestamp: bigint }, x: Transaction | null) => holdKind(h, x, 'orders', 0, now, 900_000);

  it('open and hung transactions of the coordinator', () => {
    expect(kind(recent, t('Ongoing'))).toBe('open');
    expect(kind(silent, t('Ongoing', { hung: true }))).toBe('hung');
    expect(kind(recent, t('PrepareEpochFence'))).toBe('open');
  });

  it('a coordinator writing markers, or done with them: completing', () => {
    expect(kind(recent, t('PrepareCommit'))).toBe('completing');
    expect(kind(silent, t('PrepareAbort'))).toBe('completing');
    expect(kind(recent, t('CompleteCommit'))).toBe('completing');
  });

  it('the coordinator has it ended, or open on other partitions, while the partition waits long: hanging', () => {
    expect(kind(silent, t('CompleteAbort'))).toBe('hanging');
    expect(kind(silent, t('Empty'))).toBe('hanging');
    expect(kind(silent, t('Ongoing', { partitions: [{ topic: 'orders', partitions: [1] }] }))).toBe('hanging');
    expect(kind(recent, t('Ongoing', { partitions: [] }))).toBe('open');
    expect(kind(silent, null)).toBe('hanging');
    expect(kind(recent, null)).toBe('unnamed');
  });
});
