import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureSearch, MessageFilter, type ConsumedMessage, type WireBytes } from '../../contract';
import { CaptureStore } from '../captures/captureStore';
import { compileFilter, describeFilter, toPredicate } from './messageFilter';

/**
 * The message filter has one semantics and two compilers: the JavaScript predicate (Consume, Listen)
 * and the SQL next to a capture's rows. The same table of filters runs through both, over the same
 * messages, and must keep the same ones.
 */

const bytes = (...parts: (string | number[])[]): WireBytes => ({
  base64: Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))).toString(
    'base64',
  ),
});

let offset = 0;
const message = (key: WireBytes, value: WireBytes, headers: [string, WireBytes][] = []): ConsumedMessage => ({
  topic: 'orders',
  partition: 0,
  offset: String(offset++),
  timestamp: '1700000000000',
  timestampType: 'CreateTime',
  key,
  value,
  headers,
  size: 0,
});

const messages: ConsumedMessage[] = [
  message('alpha', '{"customer":{"id":"c-1"},"total":12}', [['trace', 'abc-1']]),
  message('beta', '{"customer":{"id":"c-2"},"total":30}', [
    ['trace', 'abc-2'],
    ['source', 'web'],
  ]),
  message('Gamma', 'plain text with NEEDLE inside'),
  message('delta', '{"customer":{"id":"c-1"},"items":[{"sku":"x"},{"sku":"y"}]}', [['source', 'Mobile Needle']]),
  message('épée', 'Größe ÜBER alles'),
  message('', ''),
  message(null, null),
  message('k_%', '100% done_ok \\ back'),
  // binary: never text, even when some of its bytes spell the needle or JSON
  message(bytes([0xff], 'needle'), bytes([0xff, 0xfe], '{"a":{"b":true}}'), [['bin', bytes([0xc3, 0x28])]]),
  message('json-invalid-utf8', bytes('{"a":{"b":"', [0xff], '"},"n":1}')),
  message('bom', bytes([0xef, 0xbb, 0xbf], '{"a":{"b":true}}')),
  message('nul', 'before\u0000needle after'),
  message('kelvin', 'temperature 300\u212A'),
  message('dotted', '\u0130stanbul'),
  message('headers', 'h', [
    ['nullh', null],
    ['trace', 'ABC-3'],
    ['empty', ''],
  ]),
  message('kinds-1', '{"a":{"b":"42"}}'),
  message('kinds-2', '{"a":{"b":42}}'),
  message('kinds-3', '{"a":{"b":42.5}}'),
  message('kinds-4', '{"a":{"b":true}}'),
  message('kinds-5', '{"a":{"b":false}}'),
  message('kinds-6', '{"a":{"b":null}}'),
  message('kinds-7', '{"a":{"b":[1,"x"]}}'),
  message('kinds-8', '{"a":{"b":{"c":1}}}'),
  message('kinds-9', '{"a":{"b":-0}}'),
  message('kinds-10', '{"a":{"b":1e3}}'),
  message('kinds-11', '[{"a":1}]'),
  message('kinds-12', '42'),
  message('kinds-13', '"text"'),
  message('kinds-14', 'not json'),
  message('kinds-15', '{"a":{"b":"é"}}'),
];

const cases: [string, MessageFilter][] = [
  // text: case-insensitive, key / value / header values, non-ASCII, LIKE's special characters
  ['text in a value', { text: 'needle' }],
  ['text in any case', { text: 'NEEDLE' }],
  ['text in a key', { text: 'alp' }],
  ['text in a header value', { text: 'web' }],
  ['non-ASCII text', { text: 'größe' }],
  ['non-ASCII text in upper case', { text: 'ÜBER' }],
  ['a letter others lowercase into (k)', { text: 'k' }],
  ['a letter others lowercase into (i)', { text: 'ist' }],
  ['LIKE wildcard %', { text: '%' }],
  ['LIKE wildcard _', { text: '_o' }],
  ['a backslash', { text: '\\' }],
  ['text after a NUL', { text: 'after' }],
  ['empty text (no condition)', { text: '' }],
  // regex: key, value and header values, case
  ['regex on keys', { regex: '^(alpha|beta)$' }],
  ['regex, case-sensitive', { regex: 'NEE' }],
  ['regex ignoring case', { regex: 'nee', regexIgnoreCase: true }],
  ['regex on header values', { regex: '^abc-\\d$' }],
  ['regex on header values ignoring case', { regex: '^abc-\\d$', regexIgnoreCase: true }],
  ['regex matching empty text (not null, not binary)', { regex: '^$' }],
  ['regex on non-ASCII', { regex: 'ß' }],
  ['empty regex (no condition)', { regex: '' }],
  // headers
  ['a header key', { header: { key: 'trace' } }],
  ['a header key and value', { header: { key: 'trace', value: 'abc-1' } }],
  ['a header value is compared exactly', { header: { key: 'trace', value: 'abc-3' } }],
  ['a null header value is not the empty text', { header: { key: 'nullh', value: '' } }],
  ['an empty header value', { header: { key: 'empty', value: '' } }],
  ['a binary header by key', { header: { key: 'bin' } }],
  ['a binary header is not text', { header: { key: 'bin', value: '' } }],
  // JSON path: simple (SQLite's json_extract) and complex (the JavaScript matcher)
  ['a simple path', { jsonPath: { path: '$.customer.id' } }],
  ['a simple path equal to a string', { jsonPath: { path: '$.customer.id', equals: 'c-1' } }],
  ['a simple path equal to an integer', { jsonPath: { path: '$.total', equals: '12' } }],
  ['a simple path: anything', { jsonPath: { path: '$.a.b' } }],
  ...(['42', '42.5', 'true', 'false', 'null', '[1,"x"]', '{"c":1}', 'é', '0', '1000', '"42"'] as const).map(
    (equals): [string, MessageFilter] => [`a simple path equal to ${equals}`, { jsonPath: { path: '$.a.b', equals } }],
  ),
  ['a simple index path', { jsonPath: { path: '$[0].a', equals: '1' } }],
  ['a path that finds nothing', { jsonPath: { path: '$.a.b.c' } }],
  ['a wildcard path', { jsonPath: { path: '$.items[*].sku', equals: 'y' } }],
  ['a recursive path', { jsonPath: { path: '$..id', equals: 'c-1' } }],
  ['a recursive path to a number', { jsonPath: { path: '$..b', equals: '42' } }],
  // all together
  ['text and a header', { text: 'c-1', header: { key: 'trace' } }],
  ['regex and a JSON path', { regex: 'c-2', jsonPath: { path: '$.total', equals: '30' } }],
  ['header and a JSON path', { header: { key: 'source' }, jsonPath: { path: '$..id', equals: 'c-1' } }],
];

describe('the message filter in JavaScript and in SQL', () => {
  let store: CaptureStore;
  let id: number;
  beforeAll(async () => {
    store = CaptureStore.inDataDir(await mkdtemp(path.join(tmpdir(), 'kafka-desk-filters-')));
    id = (await store.create({ name: 'filters', source: 'import' }, messages)).id;
  });
  afterAll(() => store.close());

  it('stores the messages as they were read (the SQL sees the same bytes)', () => {
    const rows = [...store.messages(id)].flat();
    expect(rows.map((r) => [r.key, r.value, r.headers])).toEqual(messages.map((m) => [m.key, m.value, m.headers]));
  });

  it.each(cases)('%s: the same messages', (_what, filter) => {
    expect(MessageFilter.safeParse(filter).success).toBe(true);
    const test = compileFilter(filter);
    const inJs = messages.flatMap((m, i) => (test === null || test(m) ? [i + 1] : []));
    const inSql = store.matchingSeqs(id, CaptureSearch.parse(filter));
    expect(inSql).toEqual(inJs);
  });

  it('the table covers matches and misses of every kind of condition', () => {
    const counts = cases.map(([, f]) => {
      const d = describeFilter(f, 'filter');
      return d ? messages.filter(toPredicate(d)).length : messages.length;
    });
    expect(counts.filter((n) => n > 0 && n < messages.length).length).toBeGreaterThan(cases.length / 2);
  });

  it('refuses what cannot run before reading, naming the field of each channel', () => {
    expect(() => compileFilter({ regex: '(a)\\1' })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ path: 'filter.regex' })] }),
    );
    expect(() => store.matchingSeqs(id, { regex: '(a)\\1' })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ path: 'search.regex' })] }),
    );
    expect(() => store.matchingSeqs(id, { jsonPath: { path: '$[?(@.a)]' } })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ path: 'search.jsonPath.path' })] }),
    );
  });
});
