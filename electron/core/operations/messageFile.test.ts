import { describe, expect, it } from 'vitest';
import { parseMessageFile as parse } from './messageFile';

const v = (value: string) => ({ key: null, value, headers: [] });
const parseMessageFile = parse;

describe('messages from a file', () => {
  it('lines: one value per non-empty line', () => {
    expect(parseMessageFile('a\r\nb\n\nc\n', 'lines')).toEqual([v('a'), v('b'), v('c')]);
  });

  it('ndjson in consume --json shape, binary included; names the line of a broken one', () => {
    const line = JSON.stringify({
      topic: 't',
      partition: 2,
      offset: '5',
      timestamp: '1700000000000',
      timestampType: 'CreateTime',
      key: { base64: '//4=' },
      value: 'v',
      headers: [
        ['h', 'a'],
        ['h', { base64: 'AA==' }],
      ],
    });
    expect(parseMessageFile(line + '\n', 'ndjson')).toEqual([
      {
        key: { base64: '//4=' },
        value: 'v',
        headers: [
          ['h', 'a'],
          ['h', { base64: 'AA==' }],
        ],
        partition: 2,
        timestamp: 1_700_000_000_000,
      },
    ]);
    expect(() => parseMessageFile('{"value":"a"}\n{oops\n', 'ndjson', 'msgs.ndjson')).toThrow(
      /msgs.ndjson line 2 is not valid JSON/,
    );
    expect(() => parseMessageFile('{"value": 5}\n', 'ndjson')).toThrow(/value must be a string/);
  });

  it('json: an array of messages or strings', () => {
    expect(parseMessageFile('["a", {"key": "k", "value": "b"}]', 'json')).toEqual([
      v('a'),
      { key: 'k', value: 'b', headers: [] },
    ]);
    expect(() => parseMessageFile('{"value": "a"}', 'json')).toThrow(/expected a JSON array/);
  });

  it('csv with named columns, quoted commas and newlines, headers in column order', () => {
    const csv =
      'key,value,partition,timestamp,header:trace,header:trace\nk1,"a, b",1,2026-11-23T10:00:00Z,x,y\n,"line1\nline2",,,,\n';
    expect(parseMessageFile(csv, 'csv')).toEqual([
      {
        key: 'k1',
        value: 'a, b',
        headers: [
          ['trace', 'x'],
          ['trace', 'y'],
        ],
        partition: 1,
        timestamp: Date.parse('2026-11-23T10:00:00Z'),
      },
      {
        key: null,
        value: 'line1\nline2',
        headers: [
          ['trace', ''],
          ['trace', ''],
        ],
      },
    ]);
  });

  it('csv: a single unnamed column is values; unknown columns and ragged rows are named', () => {
    expect(parseMessageFile('hello\nworld\n', 'csv')).toEqual([v('hello'), v('world')]);
    expect(() => parseMessageFile('key,colour\na,b\n', 'csv', 'x.csv')).toThrow("x.csv: unknown column 'colour'");
    expect(() => parseMessageFile('key,value\na\n', 'csv', 'x.csv')).toThrow(
      'x.csv row 2 has 1 fields, the header row 2.',
    );
    expect(() => parseMessageFile('value,partition\na,two\n', 'csv')).toThrow("partition 'two' is not a whole number");
  });
});

describe('messages from a file, read incrementally', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => v(`m${i}`));

  it('limit: exactly the limit passes; the first message past it is named by line, row or item', () => {
    const lines = 'a\n\nb\r\nc\n';
    expect(parseMessageFile(lines, 'lines', 'f', { limit: 3 })).toEqual([v('a'), v('b'), v('c')]);
    expect(() => parseMessageFile(lines + 'd\n', 'lines', 'f.txt', { limit: 3 })).toThrow(
      'f.txt holds more than 3 messages (line 5 is the first past the limit); the app sends at most 3 at once (the command line has no limit).',
    );
    // blank lines are not messages: the limit counts messages, the line number is the file's
    expect(() => parseMessageFile('{"value":"a"}\n\n   \n{"value":"b"}\n', 'ndjson', 'f', { limit: 1 })).toThrow(
      '(line 4 is the first past the limit)',
    );
    expect(() => parseMessageFile('value\na\nb\n', 'csv', 'f', { limit: 1 })).toThrow(
      '(row 3 is the first past the limit)',
    );
    expect(() => parseMessageFile('hello\nworld\n', 'csv', 'f', { limit: 1 })).toThrow(
      '(row 2 is the first past the limit)',
    );
    expect(() => parseMessageFile('["a", "b"]', 'json', 'f', { limit: 1 })).toThrow(
      '(item 2 is the first past the limit)',
    );
  });

  it('limit: the message past it is refused before it is parsed (a broken one after the limit is not what is reported)', () => {
    expect(() => parseMessageFile('{"value":"a"}\n{oops\n', 'ndjson', 'f', { limit: 1 })).toThrow(
      /line 2 is the first past the limit/,
    );
    expect(() => parseMessageFile('["a", oops]', 'json', 'f', { limit: 1 })).toThrow(
      /item 2 is the first past the limit/,
    );
    expect(() => parseMessageFile('key,value\na,b\nragged\n', 'csv', 'f', { limit: 1 })).toThrow(
      /row 3 is the first past the limit/,
    );
  });

  it('no limit (the command line): more than 100,000 messages in every format', () => {
    const n = 150_000;
    const expected = many(n);
    expect(parseMessageFile(expected.map((m) => m.value).join('\n'), 'lines')).toEqual(expected);
    expect(parseMessageFile(expected.map((m) => JSON.stringify({ value: m.value })).join('\n'), 'ndjson')).toEqual(
      expected,
    );
    expect(parseMessageFile(JSON.stringify(expected.map((m) => m.value)), 'json')).toEqual(expected);
    expect(parseMessageFile('value\n' + expected.map((m) => m.value).join('\n'), 'csv')).toEqual(expected);
  });

  it('lines: only \\n ends a line (a \\r before it is dropped, a lone \\r is kept, as before)', () => {
    expect(parseMessageFile('a\rb\r\nc\r', 'lines')).toEqual([v('a\rb'), v('c\r')]);
    expect(parseMessageFile('', 'lines')).toEqual([]);
    expect(parseMessageFile('\n\n', 'lines')).toEqual([]);
  });

  it('json: items with brackets, commas and escaped quotes inside strings; nesting; whitespace', () => {
    const items = [{ key: 'k]', value: 'a, "b" ] } \\', headers: [['h[', '{x}']] }, 'plain', { value: '\\"' }];
    const text = ' \n[\n ' + items.map((i) => JSON.stringify(i)).join(' ,\n\t') + ' \r\n] \n';
    expect(parseMessageFile(text, 'json')).toEqual([
      { key: 'k]', value: 'a, "b" ] } \\', headers: [['h[', '{x}']] },
      v('plain'),
      { key: null, value: '\\"', headers: [] },
    ]);
    expect(parseMessageFile('[]', 'json')).toEqual([]);
    expect(parseMessageFile(' [ ] ', 'json')).toEqual([]);
  });

  it('json: a "__proto__" key is an own field, as JSON.parse makes it (never a prototype)', () => {
    const [m] = parseMessageFile('[{"__proto__": {"value": "inherited"}}]', 'json');
    expect(m).toEqual({ key: null, value: null, headers: [] });
  });

  it('json: malformed arrays are named, with the item', () => {
    const bad: [string, RegExp][] = [
      ['', /is not valid JSON: it is empty/],
      ['"a"', /expected a JSON array of messages/],
      ['["a",]', /item 2 is missing/],
      ['[,"a"]', /item 1 is missing/],
      ['["a" "b"]', /expected , or \] after item 1/],
      ['["a"] x', /more after the array's closing \]/],
      ['["a", "b', /ends inside item 2/],
      ['["a", {"value": "b"', /ends inside item 2/],
      ['["a",', /ends before item 2/],
      ['["a"', /ends after item 1 without a closing \]/],
      ['["a", {"value": nope}]', /f item 2 is not valid JSON/],
      ['["a", tru]', /f item 2 is not valid JSON/],
      ['["a", {"value": "b"]]', /f item 2 is not valid JSON/],
      ['[5]', /f item 1: expected an object/],
    ];
    for (const [text, message] of bad) expect(() => parseMessageFile(text, 'json', 'f'), text).toThrow(message);
  });

  it("csv: a quoted field across PapaParse's chunks (4 Mi characters each) is read whole; row numbers go on", () => {
    const long = 'x'.repeat(4 * 1024 * 1024 - 20);
    const csv = `key,value\nk1,"${long}\n,still the value"\nk2,b\nk3\n`;
    expect(() => parseMessageFile(csv, 'csv', 'big.csv')).toThrow('big.csv row 4 has 1 fields, the header row 2.');
    const ok = parseMessageFile(csv.replace('k3\n', ''), 'csv');
    expect(ok).toEqual([
      { key: 'k1', value: `${long}\n,still the value`, headers: [] },
      { key: 'k2', value: 'b', headers: [] },
    ]);
  });

  it('csv: a broken quote names its row; a byte-order mark is dropped; other delimiters are still guessed', () => {
    expect(() => parseMessageFile('key,value\na,b\nc,"d\n', 'csv', 'q.csv')).toThrow(/^q\.csv row 3: /);
    expect(parseMessageFile('\uFEFFkey,value\na,b\n', 'csv')).toEqual([{ key: 'a', value: 'b', headers: [] }]);
    expect(parseMessageFile('key;value\na;b\n', 'csv')).toEqual([{ key: 'a', value: 'b', headers: [] }]);
  });
});
