import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureRowsQuery, type CaptureRowsPage, type ConsumedMessage } from '../../contract';
import {
  byteLines,
  exportChunks,
  exportToFile,
  exportToText,
  importFile,
  importLines,
  parseImportLine,
} from './captureFiles';
import { CaptureStore } from './captureStore';

const stores: CaptureStore[] = [];
async function tempDir() {
  return mkdtemp(path.join(tmpdir(), 'kafka-desk-capture-files-'));
}
async function newStore() {
  const s = CaptureStore.inDataDir(await tempDir());
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const b64 = (bytes: number[]) => ({ base64: Buffer.from(bytes).toString('base64') });
const bytes = (w: ConsumedMessage['key']) =>
  w === null ? 0 : typeof w === 'string' ? Buffer.byteLength(w) : Buffer.from(w.base64, 'base64').length;
/** A consumed message; its size is its key's and value's bytes, as Consume counts them. */
const m = (p: Partial<Omit<ConsumedMessage, 'size'>> & { offset: string }): ConsumedMessage => {
  const x = {
    topic: 't',
    partition: 0,
    timestamp: '1700000000000',
    timestampType: 'CreateTime' as const,
    key: null,
    value: null,
    headers: [],
    ...p,
  };
  return { ...x, size: bytes(x.key) + bytes(x.value) };
};

/** Text, JSON, invalid UTF-8 (lone continuation byte, truncated sequence, 0xFF), a BOM, NUL bytes, null and empty keys. */
const tricky: ConsumedMessage[] = [
  m({
    offset: '0',
    key: 'k1',
    value: '{"a":1}',
    headers: [
      ['h', 'v'],
      ['h', 'v2'],
    ],
  }),
  m({
    offset: '1',
    key: null,
    value: b64([0x80, 0x41, 0xff]),
    headers: [
      ['bin', b64([0xe2, 0x82])],
      ['nul', null],
    ],
  }),
  m({ offset: '2', key: b64([0xc3]), value: b64([0xef, 0xbb, 0xbf, 0x68, 0x69]) }),
  m({ offset: '3', partition: 4, key: '', value: 'a\u0000b\nc,"d"', timestampType: 'LogAppendTime' }),
  m({ offset: '9007199254740993', topic: 'other', key: 'x', value: null, timestamp: '-1' }),
];

async function saved(s: CaptureStore, messages = tricky) {
  return s.create({ name: 'src', source: 'messages' }, messages);
}
const strip = (rows: CaptureRowsPage['rows']): ConsumedMessage[] =>
  rows.map(({ seq: _s, note: _n, matchedIn: _m, ...rest }) => rest);
const all = (s: CaptureStore, id: number) => strip(s.rows(id, CaptureRowsQuery.parse({ limit: 1000 })).rows);

describe('capture export', () => {
  it('NDJSON is consume --json lines, in its field order', async () => {
    const s = await newStore();
    const c = await saved(s);
    const lines = exportToText(s, c.id, 'ndjson', 1e9).text.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      '{"topic":"t","partition":0,"offset":"0","timestamp":"1700000000000","timestampType":"CreateTime","key":"k1","value":"{\\"a\\":1}","headers":[["h","v"],["h","v2"]]}',
    );
    expect(JSON.parse(lines[1]!)).toEqual({
      topic: 't',
      partition: 0,
      offset: '1',
      timestamp: '1700000000000',
      timestampType: 'CreateTime',
      key: null,
      value: b64([0x80, 0x41, 0xff]),
      headers: [
        ['bin', b64([0xe2, 0x82])],
        ['nul', null],
      ],
    });
  });

  it('JSON is an array of the same objects; a selection exports only its messages', async () => {
    const s = await newStore();
    const c = await saved(s);
    const ndjson = exportToText(s, c.id, 'ndjson', 1e9)
      .text.trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(JSON.parse(exportToText(s, c.id, 'json', 1e9).text)).toEqual(ndjson);
    expect(JSON.parse(exportToText(s, c.id, 'json', 1e9, [4, 2]).text)).toEqual([ndjson[1], ndjson[3]]);
    expect(exportToText(s, c.id, 'json', 1e9, [99])).toEqual({ text: '[]\n', count: 0 });
    expect(exportToText(s, c.id, 'ndjson', 1e9, [1, 99, 1]).count).toBe(1);
  });

  it('CSV names its columns and says how each key and value is encoded', async () => {
    const s = await newStore();
    const c = await saved(s);
    const parsed = Papa.parse<Record<string, string>>(exportToText(s, c.id, 'csv', 1e9).text, {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([
      'topic',
      'partition',
      'offset',
      'timestamp',
      'timestampType',
      'keyEncoding',
      'key',
      'valueEncoding',
      'value',
      'headers',
    ]);
    expect(parsed.data.map((r) => [r.keyEncoding, r.key, r.valueEncoding, r.value])).toEqual([
      ['utf8', 'k1', 'utf8', '{"a":1}'],
      ['null', '', 'base64', b64([0x80, 0x41, 0xff]).base64],
      ['base64', b64([0xc3]).base64, 'base64', b64([0xef, 0xbb, 0xbf, 0x68, 0x69]).base64],
      ['utf8', '', 'utf8', 'a\u0000b\nc,"d"'],
      ['utf8', 'x', 'null', ''],
    ]);
    expect(JSON.parse(parsed.data[1]!.headers!)).toEqual([
      ['bin', b64([0xe2, 0x82])],
      ['nul', null],
    ]);
  });

  it('an export too large for the window is refused with what to do instead', async () => {
    const s = await newStore();
    const c = await saved(s);
    expect(() => exportToText(s, c.id, 'ndjson', 100)).toThrow(
      /larger than 0 MiB; export a selection, or use the command line: kafka-desk captures export 'src'/,
    );
  });

  it('an empty selection still makes valid JSON and CSV', async () => {
    const s = await newStore();
    const c = await saved(s);
    expect(JSON.parse([...exportChunks(s, c.id, 'json', [])].join(''))).toEqual([]);
    expect([...exportChunks(s, c.id, 'csv', [])].join('')).toBe(
      'topic,partition,offset,timestamp,timestampType,keyEncoding,key,valueEncoding,value,headers\n',
    );
  });
});

describe('capture import', () => {
  it('export → file → import is byte-exact, binary and null keys included', async () => {
    const s = await newStore();
    const c = await saved(s);
    const file = path.join(await tempDir(), 'dump.ndjson');
    expect(await exportToFile(s, c.id, 'ndjson', file)).toBe(5);
    const r = await importFile(s, { name: 'back' }, file);
    expect(r.warnings).toEqual([]);
    expect(r.capture).toMatchObject({ name: 'back', source: 'import', messageCount: 5, topics: ['other', 't'] });
    expect(all(s, r.capture.id)).toEqual(all(s, c.id));
    expect(all(s, r.capture.id)).toEqual(tricky);
    // and the bytes themselves, not only their wire form
    const [one] = s.rows(r.capture.id, CaptureRowsQuery.parse({ offset: 1, limit: 1 })).rows;
    expect(Buffer.from((one!.value as { base64: string }).base64, 'base64')).toEqual(Buffer.from([0x80, 0x41, 0xff]));
  });

  it('imports kcat -J output', async () => {
    const s = await newStore();
    const r = await importFile(
      s,
      { name: 'from kcat', tags: ['kcat'] },
      path.join(import.meta.dirname, 'kcatSample.fixture.ndjson'),
    );
    expect(r.capture).toMatchObject({ messageCount: 4, topics: ['orders'], tags: ['kcat'] });
    expect(all(s, r.capture.id)).toEqual([
      {
        topic: 'orders',
        partition: 0,
        offset: '41',
        timestamp: '1700000000000',
        timestampType: 'CreateTime',
        key: 'order-1',
        value: '{"id":1,"total":12.5}',
        headers: [
          ['trace', 'abc-1'],
          ['source', 'web'],
        ],
        size: 28,
      },
      {
        topic: 'orders',
        partition: 0,
        offset: '42',
        timestamp: '1700000000500',
        timestampType: 'CreateTime',
        key: null,
        value: 'no key here',
        headers: [],
        size: 11,
      },
      {
        topic: 'orders',
        partition: 3,
        offset: '7',
        timestamp: '1700000001000',
        timestampType: 'LogAppendTime',
        key: 'order-2',
        value: null,
        headers: [['empty', null]],
        size: 7,
      },
      {
        topic: 'orders',
        partition: 3,
        offset: '8',
        timestamp: '-1',
        timestampType: 'CreateTime',
        key: '',
        value: 'tab\there é 😀 /slash',
        headers: [],
        size: 23,
      },
    ]);
  });

  it('kcat header maps (its -J header map option) keep every value', () => {
    const msg = parseImportLine(
      '{"topic":"t","partition":1,"offset":2,"headers":{"a":["1","2"],"b":[null]},"key":null,"payload":"x"}',
      'Line 1 of x',
    );
    expect(msg.headers).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', null],
    ]);
  });

  it('a kcat line holding raw non-UTF-8 bytes is imported with a warning, never silently', async () => {
    const s = await newStore();
    const line = Buffer.concat([
      Buffer.from('{"topic":"t","partition":0,"offset":1,"key":null,"payload":"a'),
      Buffer.from([0xff]),
      Buffer.from('b"}\n'),
    ]);
    const r = await importLines(s, { name: 'raw' }, [line], 'raw.json');
    expect(r.warnings).toEqual([
      'Line 1 of raw.json is not UTF-8 (kcat writes binary keys and values raw); its bad bytes were replaced.',
    ]);
    expect(all(s, r.capture.id)[0]!.value).toBe('a\ufffdb');
  });

  it('a bad line stops the import with its number, and nothing is kept', async () => {
    const s = await newStore();
    const dir = await tempDir();
    const file = path.join(dir, 'dump.json');
    await writeFile(
      file,
      '{"topic":"t","partition":0,"offset":"1","timestamp":"5","key":"a","value":"b","headers":[]}\n\n{"topic":"t", oops\n',
    );
    await expect(importFile(s, { name: 'bad' }, file)).rejects.toThrow(/^Line 3 of dump\.json is not JSON: /);
    await writeFile(file, '{"topic":"t","partition":-1,"offset":"1","timestamp":"5"}\n');
    await expect(importFile(s, { name: 'bad' }, file)).rejects.toThrow(
      /^Line 1 of dump\.json is not a message: partition /,
    );
    await writeFile(file, '[1,2]\n');
    await expect(importFile(s, { name: 'bad' }, file)).rejects.toThrow('Line 1 of dump.json is not a JSON object');
    await writeFile(file, '\n\n');
    await expect(importFile(s, { name: 'bad' }, file)).rejects.toThrow('dump.json holds no messages.');
    await expect(importFile(s, { name: 'bad' }, path.join(dir, 'missing.ndjson'))).rejects.toThrow(
      /^Cannot read .*missing\.ndjson: ENOENT/,
    );
    expect(s.list()).toEqual([]);
  });

  it('splits lines across chunk boundaries, multi-byte characters and CRLF included', async () => {
    const text = Buffer.from('é1\r\n\nzwei😀\nlast');
    const chunks = [...text].map((b) => Buffer.from([b]));
    const lines: string[] = [];
    for await (const l of byteLines(chunks)) lines.push(l.toString('utf8'));
    expect(lines).toEqual(['é1', '', 'zwei😀', 'last']);
  });

  it('a file larger than one batch imports in order', async () => {
    const s = await newStore();
    const many = Array.from({ length: 5000 }, (_, i) =>
      m({ offset: String(i), key: `k${i}`, value: b64([i & 0xff, 0xff]) }),
    );
    const file = path.join(await tempDir(), 'many.ndjson');
    await writeFile(file, many.map((x) => JSON.stringify(x) + '\n').join(''));
    const r = await importFile(s, { name: 'many' }, file);
    expect(r.capture.messageCount).toBe(5000);
    const last = s.rows(r.capture.id, CaptureRowsQuery.parse({ offset: 4999, limit: 1 })).rows[0]!;
    expect([last.seq, last.offset, last.key]).toEqual([5000, '4999', 'k4999']);
    expect((await readFile(file, 'utf8')).length).toBeGreaterThan(0);
  });
});
