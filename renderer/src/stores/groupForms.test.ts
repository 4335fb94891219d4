import { describe, expect, it } from 'vitest';
import {
  assignmentText,
  groupStateType,
  groupTypeLabel,
  OTHER_TOPIC,
  reconciled,
  resetStrategy,
  resetTopic,
} from './groupForms';

describe('group offset reset: the panel as the core takes it', () => {
  const form = { strategy: 'earliest' as const, offset: ' 42 ', shiftBy: -5, timestamp: 1_700_000_000_000 };
  it('sends the value of the strategy chosen, and only that one', () => {
    expect(resetStrategy(form)).toEqual({ to: 'earliest' });
    expect(resetStrategy({ ...form, strategy: 'latest' })).toEqual({ to: 'latest' });
    expect(resetStrategy({ ...form, strategy: 'offset' })).toEqual({ to: 'offset', offset: '42' });
    expect(resetStrategy({ ...form, strategy: 'shift' })).toEqual({ to: 'shift', by: -5 });
    expect(resetStrategy({ ...form, strategy: 'timestamp' })).toEqual({
      to: 'timestamp',
      timestamp: 1_700_000_000_000,
    });
  });
  it('resets the topic picked, or the one typed for another topic', () => {
    expect(resetTopic('orders', 'typed')).toBe('orders');
    expect(resetTopic(OTHER_TOPIC, ' payments ')).toBe('payments');
    expect(resetTopic(null, 'typed')).toBe('');
  });
});

describe('a group as the list and the detail show it', () => {
  it('names the protocol of each type, and what a newer broker adds as it is', () => {
    expect(groupTypeLabel('classic').text).toBe('classic');
    expect(groupTypeLabel('consumer').text).toBe('consumer (KIP-848)');
    expect(groupTypeLabel('share').text).toBe('share (KIP-932)');
    expect(groupTypeLabel('future-kind').text).toBe('future-kind');
    expect(groupTypeLabel('').text).toBe('unknown');
  });

  it('colours classic and KIP-848 states', () => {
    expect(['Stable', 'Empty', 'Dead', 'Assigning', 'Reconciling', 'PreparingRebalance'].map(groupStateType)).toEqual([
      'success',
      'default',
      'error',
      'warning',
      'warning',
      'warning',
    ]);
  });

  it('shows an assignment sorted, and tells a member that has not reached its target yet', () => {
    const held = [
      { topic: 'orders', partitions: [2, 0] },
      { topic: 'audit', partitions: [1] },
      { topic: 'empty', partitions: [] },
    ];
    expect(assignmentText(held)).toBe('audit [1]; orders [0, 2]');
    expect(assignmentText([])).toBe('—');
    expect(reconciled({ assignment: held })).toBe(true);
    expect(
      reconciled({
        assignment: held,
        targetAssignment: [
          { topic: 'orders', partitions: [0, 2] },
          { topic: 'audit', partitions: [1] },
        ],
      }),
    ).toBe(true);
    expect(reconciled({ assignment: held, targetAssignment: [{ topic: 'orders', partitions: [0] }] })).toBe(false);
  });
});
