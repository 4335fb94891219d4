import { describe, expect, it } from 'vitest';
import { OTHER_TOPIC, resetStrategy, resetTopic } from './groupForms';

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
