import { describe, expect, it } from 'vitest';
import { msDuration, noun } from './format';

describe('msDuration: a config value in milliseconds as a person reads it', () => {
  it('names whole units', () => {
    expect(msDuration('604800000')).toBe('7 days');
    expect(msDuration(86_400_000)).toBe('1 day');
    expect(msDuration('3600000')).toBe('1 hour');
    expect(msDuration('5400000')).toBe('90 minutes');
    expect(msDuration('30000')).toBe('30 seconds');
    expect(msDuration('250')).toBe('250 ms');
    expect(msDuration('0')).toBe('0 ms');
  });
  it('rounds what is not a whole unit, and says so', () => {
    expect(msDuration('129600000')).toBe('36 hours');
    expect(msDuration('131400000')).toBe('≈ 1.5 days');
    expect(msDuration('90061000')).toBe('≈ 1 day');
  });
  it('reads -1 as no limit, and refuses what is not a number of milliseconds', () => {
    expect(msDuration('-1')).toBe('no limit');
    expect(msDuration('-5')).toBeNull();
    expect(msDuration('abc')).toBeNull();
    expect(msDuration('1.5')).toBeNull();
    expect(msDuration('')).toBeNull();
    expect(msDuration(null)).toBeNull();
  });
});

describe('noun', () => {
  it('is singular for one only', () => {
    expect(noun(1, 'replica')).toBe('replica');
    expect(noun('1', 'message')).toBe('message');
    expect(noun(0, 'partition')).toBe('partitions');
    expect(noun('12345678901234567890', 'message')).toBe('messages');
  });
});
