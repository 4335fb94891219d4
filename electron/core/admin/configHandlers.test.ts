import { describe, expect, it } from 'vitest';
import type { DescribedConfig } from '../../contract';
import { changeShows } from './configHandlers';

describe('when a change shows', () => {
  const cfg = (
    name: string,
    value: string | null,
    source: DescribedConfig['source'],
    sensitive = false,
  ): DescribedConfig => ({
    name,
    value,
    source,
    sensitive,
    readOnly: false,
    type: null,
    documentation: null,
    synonyms: [],
  });
  const broker = { type: 'broker', brokerId: 1 } as const;
  it('a set key has its value on the resource itself; a deleted key has none there', () => {
    const changes = { set: { a: '1' }, delete: ['b'] };
    expect(
      changeShows(broker, [cfg('a', '1', 'DYNAMIC_BROKER_CONFIG'), cfg('b', '9', 'DEFAULT_CONFIG')], changes),
    ).toBe(true);
    expect(changeShows(broker, [cfg('a', '1', 'DYNAMIC_DEFAULT_BROKER_CONFIG')], changes)).toBe(false);
    expect(
      changeShows(broker, [cfg('a', '1', 'DYNAMIC_BROKER_CONFIG'), cfg('b', '9', 'DYNAMIC_BROKER_CONFIG')], changes),
    ).toBe(false);
    // a sensitive value is never read back: its source is the sign
    expect(changeShows(broker, [cfg('a', null, 'DYNAMIC_BROKER_CONFIG', true)], { set: { a: 'x' }, delete: [] })).toBe(
      true,
    );
  });
});

describe('a deleted broker key', () => {
  it('shows once its value is the next source’s (a broker names the source a moment before the value)', () => {
    const c = (
      value: string,
      source: DescribedConfig['source'],
      synonyms: DescribedConfig['synonyms'],
    ): DescribedConfig => ({
      name: 'k',
      value,
      source,
      sensitive: false,
      readOnly: false,
      type: null,
      documentation: null,
      synonyms,
    });
    const changes = { set: {}, delete: ['k'] };
    const next = [
      { name: 'k', value: '17000', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' as const },
      { name: 'k', value: '15000', source: 'DEFAULT_CONFIG' as const },
    ];
    expect(
      changeShows({ type: 'broker', brokerId: 1 }, [c('16000', 'DYNAMIC_DEFAULT_BROKER_CONFIG', next)], changes),
    ).toBe(false);
    expect(
      changeShows({ type: 'broker', brokerId: 1 }, [c('17000', 'DYNAMIC_DEFAULT_BROKER_CONFIG', next)], changes),
    ).toBe(true);
  });
});
