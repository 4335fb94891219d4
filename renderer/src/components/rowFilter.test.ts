import { describe, expect, it } from 'vitest';
import type { ConsumedMessage } from '../../../electron/contract';
import { compileRowFilter, emptyRowFilter, type RowFilter } from './rowFilter';

const msg = (partition: number, offset: number, value: ConsumedMessage['value'], headers: ConsumedMessage['headers'] = [], ts = 1_700_000_000_000 + offset * 1000): ConsumedMessage => ({
  topic: 't', partition, offset: String(offset), timestamp: String(ts), timestampType: 'CreateTime', key: `k${offset}`, value, headers, size: 1,
});
const rows = [
  msg(0, 1, '{"customer": {"id": "C-42"}, "total": 5}', [['trace', 'abc']]),
  msg(0, 2, 'plain text Needle'),
  msg(1, 3, { base64: '//4=' }, [['trace', 'xyz']]),
  msg(1, 4, '{"customer": {"id": "C-7"}}'),
];
const keep = (f: Partial<RowFilter>) => {
  const c = compileRowFilter({ ...emptyRowFilter(), ...f });
  if (c.error) throw new Error(c.error);
  return rows.filter((m) => (c.test ? c.test(m) : true)).map((m) => Number(m.offset));
};

describe('the message table filter', () => {
  it('text (case-insensitive, keys, values, header values) and regular expressions', () => {
    expect(keep({ text: 'needle' })).toEqual([2]);
    expect(keep({ text: 'XYZ' })).toEqual([3]);
    expect(keep({ text: '^k[34]$', regex: true })).toEqual([3, 4]);
  });
  it('partitions, offset ranges and time ranges', () => {
    expect(keep({ partitions: [1] })).toEqual([3, 4]);
    expect(keep({ offsetFrom: '2', offsetTo: '3' })).toEqual([2, 3]);
    expect(keep({ timeFrom: new Date(1_700_000_003_000).toISOString() })).toEqual([3, 4]);
    expect(keep({ timeTo: String(1_700_000_002_000) })).toEqual([1, 2]);
  });
  it('a header key or key=value, and a JSON path with or without a value', () => {
    expect(keep({ header: 'trace' })).toEqual([1, 3]);
    expect(keep({ header: 'trace=abc' })).toEqual([1]);
    expect(keep({ jsonPath: '$.customer.id' })).toEqual([1, 4]);
    expect(keep({ jsonPath: '$.customer.id=C-7' })).toEqual([4]);
    expect(keep({ jsonPath: '$.total=5', partitions: [0] })).toEqual([1]);
  });
  it('names the field that is wrong instead of showing nothing', () => {
    expect(compileRowFilter({ ...emptyRowFilter(), text: '(', regex: true }).error).toMatch(/^The regular expression is not valid/);
    expect(compileRowFilter({ ...emptyRowFilter(), offsetFrom: 'ten' }).error).toBe('Offset from: write a whole number.');
    expect(compileRowFilter({ ...emptyRowFilter(), timeTo: 'yesterday-ish' }).error).toMatch(/^Time to: write a date and time/);
    expect(compileRowFilter({ ...emptyRowFilter(), jsonPath: 'customer.id' }).error).toBe('A JSON path starts with $, e.g. $.customer.id=C-42.');
  });
});
