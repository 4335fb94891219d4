import { describe, expect, it } from 'vitest';
import { parseMessageFile as parse } from './messageFile';

const v = (value: string) => ({ key: null, value, headers: [] });
const parseMessageFile = parse;

describe('messages from a file', () => {
  it('lines: one value per non-empty line', () => {
    expect(parseMessageFile('a\r\nb\n\nc\n', 'lines')).toEqual([v('a'), v('b'), v('c')]);
  });

  it('ndjson in consume --json shape, binary included; names the line of a broken one', () => {
    const line = JSON.stringify({ topic: 't', partition: 2, offset: '5', timestamp: '1700000000000', timestampType: 'CreateTime', key: { base64: '//4=' }, value: 'v', headers: [['h', 'a'], ['h', { base64: 'AA==' }]] });
    expect(parseMessageFile(line + '\n', 'ndjson')).toEqual([{ key: { base64: '//4=' }, value: 'v', headers: [['h', 'a'], ['h', { base64: 'AA==' }]], partition: 2, timestamp: 1_700_000_000_000 }]);
    expect(() => parseMessageFile('{"value":"a"}\n{oops\n', 'ndjson', 'msgs.ndjson')).toThrow(/msgs.ndjson line 2 is not valid JSON/);
    expect(() => parseMessageFile('{"value": 5}\n', 'ndjson')).toThrow(/value must be a string/);
  });

  it('json: an array of messages or strings', () => {
    expect(parseMessageFile('["a", {"key": "k", "value": "b"}]', 'json')).toEqual([v('a'), { key: 'k', value: 'b', headers: [] }]);
    expect(() => parseMessageFile('{"value": "a"}', 'json')).toThrow(/expected a JSON array/);
  });

  it('csv with named columns, quoted commas and newlines, headers in column order', () => {
    const csv = 'key,value,partition,timestamp,header:trace,header:trace\nk1,"a, b",1,2026-11-23T10:00:00Z,x,y\n,"line1\nline2",,,,\n';
    expect(parseMessageFile(csv, 'csv')).toEqual([
      { key: 'k1', value: 'a, b', headers: [['trace', 'x'], ['trace', 'y']], partition: 1, timestamp: Date.parse('2026-11-23T10:00:00Z') },
      { key: null, value: 'line1\nline2', headers: [['trace', ''], ['trace', '']] },
    ]);
  });

  it('csv: a single unnamed column is values; unknown columns and ragged rows are named', () => {
    expect(parseMessageFile('hello\nworld\n', 'csv')).toEqual([v('hello'), v('world')]);
    expect(() => parseMessageFile('key,colour\na,b\n', 'csv', 'x.csv')).toThrow("x.csv: unknown column 'colour'");
    expect(() => parseMessageFile('key,value\na\n', 'csv', 'x.csv')).toThrow('x.csv row 2 has 1 fields, the header row 2.');
    expect(() => parseMessageFile('value,partition\na,two\n', 'csv')).toThrow("partition 'two' is not a whole number");
  });
});
