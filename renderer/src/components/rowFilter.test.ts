import { describe, expect, it } from 'vitest';
import { describeRowFilter, describeView, emptyRowFilter, rowFilterToSearch, type RowFilter } from './rowFilter';

const search = (f: Partial<RowFilter>) => {
  const r = rowFilterToSearch({ ...emptyRowFilter(), ...f });
  if (r.error) throw new Error(r.error);
  return r.search;
};

describe('the message table filter, as the store searches', () => {
  it('text, or a case-insensitive regular expression', () => {
    expect(search({ text: '  needle ' })).toEqual({ text: 'needle' });
    expect(search({ text: '^k[34]$', regex: true })).toEqual({ regex: '^k[34]$', regexIgnoreCase: true });
    expect(search({})).toEqual({});
  });
  it('partitions, offset ranges and time ranges (ISO, local or epoch milliseconds)', () => {
    expect(search({ partitions: [1], offsetFrom: '2', offsetTo: '3' })).toEqual({
      partitions: [1],
      offsetFrom: '2',
      offsetTo: '3',
    });
    expect(search({ timeFrom: new Date(1_700_000_003_000).toISOString(), timeTo: '1700000004000' })).toEqual({
      timeFrom: 1_700_000_003_000,
      timeTo: 1_700_000_004_000,
    });
  });
  it('a header key or key=value, and a JSON path with or without a value (= inside the value kept)', () => {
    expect(search({ header: 'trace' })).toEqual({ header: { key: 'trace' } });
    expect(search({ header: 'trace=abc' })).toEqual({ header: { key: 'trace', value: 'abc' } });
    expect(search({ jsonPath: '$.customer.id' })).toEqual({ jsonPath: { path: '$.customer.id' } });
    expect(search({ jsonPath: '$.expr=a=b' })).toEqual({ jsonPath: { path: '$.expr', equals: 'a=b' } });
  });
  it('names the field that is wrong instead of showing nothing', () => {
    const err = (f: Partial<RowFilter>) => rowFilterToSearch({ ...emptyRowFilter(), ...f }).error;
    // a regular expression is judged where it runs (RE2 in the main process), not here
    expect(err({ text: '(', regex: true })).toBe(null);
    expect(err({ offsetFrom: 'ten' })).toBe('Offset from: write a whole number.');
    expect(err({ timeTo: 'yesterday-ish' })).toMatch(/^Time to: write a date and time/);
    expect(err({ jsonPath: 'customer.id' })).toBe('A JSON path starts with $, e.g. $.customer.id=C-42.');
  });
});

describe('the filter in words (shown above the table, in the save-preset dialog and in a preset)', () => {
  it('names each condition, or nothing when there is none', () => {
    expect(describeRowFilter(emptyRowFilter())).toEqual([]);
    expect(describeRowFilter(undefined)).toEqual([]);
    expect(
      describeRowFilter({
        ...emptyRowFilter(),
        text: ' abc ',
        partitions: [2, 0],
        offsetFrom: '10',
        offsetTo: '20',
        header: 'trace=x',
        jsonPath: '$.a=1',
      }),
    ).toEqual(['text ‘abc’', 'partitions 0, 2', 'offsets 10–20', 'header ‘trace=x’', 'JSON path ‘$.a=1’']);
    expect(describeRowFilter({ text: '^k', regex: true, offsetTo: '5' })).toEqual(['regex ‘^k’', 'offset ≤ 5']);
    expect(describeRowFilter({ text: 'x'.repeat(100) })[0]).toHaveLength(5 + 2 + 58);
  });
  it('a preset view: its filter and decoding, or null when it keeps nothing', () => {
    expect(describeView({ rowFilter: { ...emptyRowFilter(), text: 'abc' }, decoding: 'auto' })).toBe(
      'table filter: text ‘abc’; decoding: auto',
    );
    expect(describeView({ rowFilter: emptyRowFilter() })).toBe(null);
    expect(describeView(undefined)).toBe(null);
  });
});
