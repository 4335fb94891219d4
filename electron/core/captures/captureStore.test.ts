import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureRowsQuery, type CaptureRowsQuery as RowsQuery, type ConsumedMessage } from '../../contract';
import { compileFilter } from '../filters/messageFilter';
import { CAPTURE_SCHEMA_VERSION } from './captureSchema';
import { CaptureStore } from './captureStore';

const open: CaptureStore[] = [];
async function newStore(): Promise<CaptureStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-captures-'));
  const s = CaptureStore.inDataDir(dir);
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

export function message(partial: Partial<ConsumedMessage> & { offset: string }): ConsumedMessage {
  return {
    topic: 'orders',
    partition: 0,
    timestamp: '1700000000000',
    timestampType: 'CreateTime',
    key: null,
    value: null,
    headers: [],
    size: 0,
    ...partial,
  };
}

/** Eight messages over two topics and three partitions, with text, JSON, binary and headers. */
const sample: ConsumedMessage[] = [
  message({
    partition: 0,
    offset: '10',
    timestamp: '1700000000000',
    key: 'alpha',
    value: '{"customer":{"id":"c-1"},"total":12}',
    headers: [['trace', 'abc-1']],
  }),
  message({
    partition: 0,
    offset: '11',
    timestamp: '1700000001000',
    key: 'beta',
    value: '{"customer":{"id":"c-2"},"total":30}',
    headers: [
      ['trace', 'abc-2'],
      ['source', 'web'],
    ],
  }),
  message({
    partition: 1,
    offset: '5',
    timestamp: '1700000002000',
    key: 'Gamma',
    value: 'plain text with NEEDLE inside',
  }),
  message({
    partition: 1,
    offset: '6',
    timestamp: '1700000003000',
    key: null,
    value: { base64: Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64') },
    headers: [['bin', { base64: Buffer.from([0xc3, 0x28]).toString('base64') }]],
  }),
  message({
    partition: 2,
    offset: '9007199254740993',
    timestamp: '1700000004000',
    key: 'delta',
    value: '{"customer":{"id":"c-1"},"total":7}',
    headers: [['source', 'Mobile Needle']],
  }),
  message({
    topic: 'payments',
    partition: 0,
    offset: '1',
    timestamp: '1700000005000',
    key: 'épée',
    value: 'Größe ÜBER alles',
  }),
  message({ topic: 'payments', partition: 0, offset: '2', timestamp: '1700000006000', key: '', value: '' }),
  message({
    topic: 'payments',
    partition: 2,
    offset: '3',
    timestamp: '1700000007000',
    key: 'k_%',
    value: '100% done_ok',
  }),
];

const q = (query: RowsQuery) => CaptureRowsQuery.parse(query);
const keysOf = (s: CaptureStore, id: number, query: RowsQuery) =>
  s.rows(id, q({ limit: 100, ...query })).rows.map((r) => r.key);

describe('CaptureStore', () => {
  it('a plain JSON path runs in SQLite and finds what the JavaScript filter finds, for every kind of value', async () => {
    const s = await newStore();
    const values = [
      '{"a":{"b":"42"}}',
      '{"a":{"b":42}}',
      '{"a":{"b":42.5}}',
      '{"a":{"b":true}}',
      '{"a":{"b":false}}',
      '{"a":{"b":null}}',
      '{"a":{"b":[1,"x"]}}',
      '{"a":{"b":{"c":1}}}',
      '{"a":[{"b":7},{"b":"7"}]}',
      '[{"a":1}]',
      '42',
      '"text"',
      'not json',
      '{"a":{"b":"é"}}',
      '{"a":{"b":-0}}',
      '{"a":{"b":1e3}}',
    ];
    const c = await s.create(
      { name: 'kinds', source: 'import' },
      values.map((value, i) => message({ offset: String(i), value })),
    );
    for (const [path, equals] of [
      ['$.a.b', undefined],
      ['$.a.b', '42'],
      ['$.a.b', '42.5'],
      ['$.a.b', 'true'],
      ['$.a.b', 'false'],
      ['$.a.b', 'null'],
      ['$.a.b', '[1,"x"]'],
      ['$.a.b', '{"c":1}'],
      ['$.a.b', 'é'],
      ['$.a.b', '0'],
      ['$.a.b', '1000'],
      ['$.a[1].b', '7'],
      ['$[0].a', '1'],
      ['$.a.b.c', undefined],
    ] as const) {
      const jsonPath = equals === undefined ? { path } : { path, equals };
      const js = compileFilter({ jsonPath })!;
      const expected = values
        .filter((value, i) => js(message({ offset: String(i), value })))
        .map((v) => values.indexOf(v));
      const found = s.rows(c.id, q({ limit: 100, search: { jsonPath } })).rows.map((r) => Number(r.offset));
      expect([path, equals, found]).toEqual([path, equals, expected]);
    }
  });

  it('creates the schema in an empty database, at the current version', async () => {
    const s = await newStore();
    expect(s.list()).toEqual([]);
    expect(s.schemaVersion()).toBe(CAPTURE_SCHEMA_VERSION);
    s.close();
    const db = new Database(s.file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    ).toEqual(['capture_schemas', 'captures', 'messages']);
    db.close();
  });

  it('refuses a database written by a newer version', async () => {
    const s = await newStore();
    s.list();
    s.close();
    const db = new Database(s.file);
    db.pragma(`user_version = ${CAPTURE_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => s.list()).toThrow(/newer Kafka Desk/);
  });

  it('saves, lists, gets, renames, tags, annotates and deletes', async () => {
    const s = await newStore();
    const c = await s.create(
      { name: 'first', source: 'consume', connectionId: 'conn-1', connectionName: 'local', tags: ['bug-42'] },
      sample,
    );
    expect(c).toMatchObject({
      name: 'first',
      source: 'consume',
      connectionId: 'conn-1',
      connectionName: 'local',
      topics: ['orders', 'payments'],
      tags: ['bug-42'],
      note: '',
      messageCount: 8,
    });
    expect(s.get(c.id)).toEqual(c);
    expect(s.findByName('FIRST').id).toBe(c.id);
    await expect(s.create({ name: 'First', source: 'messages' }, sample)).rejects.toThrow(
      "A capture named 'First' already exists.",
    );

    expect((await s.rename(c.id, 'renamed')).name).toBe('renamed');
    expect(() => s.findByName('first')).toThrow("No capture named 'first'. There are 'renamed'.");
    expect((await s.setTags(c.id, ['a', 'b', 'a'])).tags).toEqual(['a', 'b']);
    expect((await s.setNote(c.id, 'seen in prod')).note).toBe('seen in prod');
    await s.setMessageNote(c.id, 3, 'this one');
    expect(s.rows(c.id, q({ limit: 3 })).rows.map((r) => r.note)).toEqual([null, null, 'this one']);
    await s.setMessageNote(c.id, 3, null);
    expect(s.rows(c.id, q({ offset: 2, limit: 1 })).rows[0]!.note).toBeNull();
    await expect(s.setMessageNote(c.id, 99, 'x')).rejects.toThrow("Capture 'renamed' has no message 99.");

    const d = await s.create({ name: 'second', source: 'messages' }, sample.slice(0, 2));
    await expect(s.rename(d.id, 'RENAMED')).rejects.toThrow("A capture named 'RENAMED' already exists.");
    expect(
      s
        .list()
        .map((x) => x.name)
        .sort(),
    ).toEqual(['renamed', 'second']);
    expect(await s.delete(c.id)).toBe(true);
    expect(await s.delete(c.id)).toBe(false);
    expect(() => s.get(c.id)).toThrow('That capture no longer exists.');
    expect(s.list().map((x) => x.name)).toEqual(['second']);
    const db = new Database(s.file, { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n).toBe(2);
    db.close();
  });

  it('keeps every message exactly: binary bytes, null and empty keys, int64 offsets, headers', async () => {
    const s = await newStore();
    const c = await s.create({ name: 'exact', source: 'messages' }, sample);
    const rows = s.rows(c.id, q({ limit: 100 })).rows;
    expect(rows.map(({ seq: _seq, note: _note, matchedIn: _m, ...m }) => m)).toEqual(sample);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // reopened from disk, the same
    s.close();
    expect(s.rows(c.id, q({ limit: 100 })).rows).toEqual(rows);
  });

  it('appends after the last message and copies a selection into a new capture', async () => {
    const s = await newStore();
    const c = await s.create({ name: 'a', source: 'messages' }, sample.slice(0, 3));
    const after = await s.append(c.id, sample.slice(3, 5));
    expect(after.messageCount).toBe(5);
    expect(s.rows(c.id, q({ limit: 100 })).rows.map((r) => [r.seq, r.offset])).toEqual([
      [1, '10'],
      [2, '11'],
      [3, '5'],
      [4, '6'],
      [5, '9007199254740993'],
    ]);
    const sel = await s.copySelection({ name: 'picked', source: 'selection' }, c.id, [5, 2]);
    expect(sel.messageCount).toBe(2);
    expect(s.rows(sel.id, q({})).rows.map((r) => [r.seq, r.offset])).toEqual([
      [1, '11'],
      [2, '9007199254740993'],
    ]);
    await expect(s.copySelection({ name: 'bad', source: 'selection' }, c.id, [1, 77])).rejects.toThrow(
      "Capture 'a' has no message 77.",
    );
    expect(() => s.findByName('bad')).toThrow(/No capture named 'bad'/);
  });

  describe('search', () => {
    async function filled() {
      const s = await newStore();
      const c = await s.create({ name: 'search', source: 'messages' }, sample);
      return { s, id: c.id };
    }

    it('full text: case-insensitive substring of key, value or header value', async () => {
      const { s, id } = await filled();
      expect(keysOf(s, id, { search: { text: 'needle' } })).toEqual(['Gamma', 'delta']);
      expect(keysOf(s, id, { search: { text: 'GAMMA' } })).toEqual(['Gamma']);
      expect(keysOf(s, id, { search: { text: 'abc-' } })).toEqual(['alpha', 'beta']);
      // non-ASCII folds too, and LIKE's wildcards are plain characters
      expect(keysOf(s, id, { search: { text: 'größe über' } })).toEqual(['épée']);
      expect(keysOf(s, id, { search: { text: 'ÉPÉE' } })).toEqual(['épée']);
      expect(keysOf(s, id, { search: { text: '0% d' } })).toEqual(['k_%']);
      expect(keysOf(s, id, { search: { text: '_' } })).toEqual(['k_%']);
      const page = s.rows(id, q({ search: { text: 'needle' } }));
      expect(page.highlight).toBe('needle');
      expect(page.rows.map((r) => r.matchedIn)).toEqual([['value'], ['header']]);
    });

    it('partitions, topics, offset range and time range', async () => {
      const { s, id } = await filled();
      expect(keysOf(s, id, { search: { partitions: [1] } })).toEqual(['Gamma', null]);
      expect(keysOf(s, id, { search: { topics: ['payments'] } })).toEqual(['épée', '', 'k_%']);
      expect(keysOf(s, id, { search: { offsetFrom: '6', offsetTo: '11' } })).toEqual(['alpha', 'beta', null]);
      expect(keysOf(s, id, { search: { offsetFrom: '9007199254740993' } })).toEqual(['delta']);
      expect(keysOf(s, id, { search: { offsetTo: '9007199254740992', offsetFrom: '9007199254740992' } })).toEqual([]);
      expect(keysOf(s, id, { search: { timeFrom: 1700000002000, timeTo: 1700000004000 } })).toEqual([
        'Gamma',
        null,
        'delta',
      ]);
    });

    it('header key, header key = value', async () => {
      const { s, id } = await filled();
      expect(keysOf(s, id, { search: { header: { key: 'source' } } })).toEqual(['beta', 'delta']);
      expect(keysOf(s, id, { search: { header: { key: 'source', value: 'web' } } })).toEqual(['beta']);
      expect(keysOf(s, id, { search: { header: { key: 'trace', value: 'web' } } })).toEqual([]);
      expect(keysOf(s, id, { search: { header: { key: 'bin' } } })).toEqual([null]);
    });

    it('JSON path on the value, with and without a value to equal', async () => {
      const { s, id } = await filled();
      expect(keysOf(s, id, { search: { jsonPath: { path: '$.customer.id' } } })).toEqual(['alpha', 'beta', 'delta']);
      expect(keysOf(s, id, { search: { jsonPath: { path: '$.customer.id', equals: 'c-1' } } })).toEqual([
        'alpha',
        'delta',
      ]);
      expect(keysOf(s, id, { search: { jsonPath: { path: '$.total', equals: '30' } } })).toEqual(['beta']);
      expect(keysOf(s, id, { search: { jsonPath: { path: '$..id', equals: 'c-2' } } })).toEqual(['beta']);
      // a filter expression is script: refused, saying what is supported
      expect(() => s.rows(id, q({ search: { jsonPath: { path: '$[?(@property === "total" && @ > 10)]' } } }))).toThrow(
        /is not supported: '\?' \(filters and script are not supported\)/,
      );
    });

    it('a regular expression on key and value; an invalid one is an error value', async () => {
      const { s, id } = await filled();
      expect(keysOf(s, id, { search: { regex: '^(al|be)' } })).toEqual(['alpha', 'beta']);
      expect(() => s.rows(id, q({ search: { regex: '(' } }))).toThrow(
        /The regular expression \/\(\/ is not valid here: missing closing \)/,
      );
      expect(() => s.rows(id, q({ search: { regex: 'al(?=pha)' } }))).toThrow(/look-ahead and look-behind/);
    });

    it('combines conditions (all must hold)', async () => {
      const { s, id } = await filled();
      expect(
        keysOf(s, id, { search: { jsonPath: { path: '$.customer.id', equals: 'c-1' }, partitions: [0] } }),
      ).toEqual(['alpha']);
      expect(keysOf(s, id, { search: { text: 'needle', header: { key: 'source' } } })).toEqual(['delta']);
      expect(
        keysOf(s, id, { search: { text: 'c-', timeFrom: 1700000001000, partitions: [0, 2], topics: ['orders'] } }),
      ).toEqual(['beta', 'delta']);
      expect(keysOf(s, id, { search: { text: 'needle', partitions: [0] } })).toEqual([]);
      const page = s.rows(id, q({ limit: 1, search: { jsonPath: { path: '$.customer.id' }, offsetFrom: '11' } }));
      expect([page.total, page.captureTotal, page.rows.length]).toEqual([2, 8, 1]);
    });
  });

  it('pages and sorts by offset, timestamp, partition and key, both ways', async () => {
    const s = await newStore();
    const c = await s.create({ name: 'sorted', source: 'messages' }, sample);
    const offsets = (query: RowsQuery) => s.rows(c.id, q({ limit: 100, ...query })).rows.map((r) => r.offset);
    expect(offsets({ sort: { field: 'offset', direction: 'asc' } })).toEqual([
      '1',
      '2',
      '3',
      '5',
      '6',
      '10',
      '11',
      '9007199254740993',
    ]);
    expect(offsets({ sort: { field: 'offset', direction: 'desc' } })).toEqual([
      '9007199254740993',
      '11',
      '10',
      '6',
      '5',
      '3',
      '2',
      '1',
    ]);
    expect(offsets({ sort: { field: 'timestamp', direction: 'desc' } })).toEqual([
      '3',
      '2',
      '1',
      '9007199254740993',
      '6',
      '5',
      '11',
      '10',
    ]);
    expect(offsets({ sort: { field: 'partition', direction: 'asc' } })).toEqual([
      '1',
      '2',
      '10',
      '11',
      '5',
      '6',
      '3',
      '9007199254740993',
    ]);
    expect(keysOf(s, c.id, { sort: { field: 'key', direction: 'asc' } })).toEqual([
      null,
      '',
      'Gamma',
      'alpha',
      'beta',
      'delta',
      'k_%',
      'épée',
    ]);
    const page = s.rows(c.id, q({ offset: 2, limit: 3, sort: { field: 'offset', direction: 'asc' } }));
    expect(page.rows.map((r) => r.offset)).toEqual(['3', '5', '6']);
    expect([page.total, page.offset]).toEqual([8, 2]);
    expect(s.rows(c.id, q({ offset: 8 })).rows).toEqual([]);
  });

  it('a streamed save that fails keeps nothing, and its name stays free', async () => {
    const s = await newStore();
    async function* batches() {
      yield sample.slice(0, 4);
      throw new Error('the file broke');
    }
    await expect(s.createStreaming({ name: 'half', source: 'import' }, batches())).rejects.toThrow('the file broke');
    expect(s.list()).toEqual([]);
    const ok = await s.createStreaming(
      { name: 'half', source: 'import' },
      (async function* () {
        yield sample.slice(0, 4);
        yield sample.slice(4);
      })(),
    );
    expect(ok.messageCount).toBe(8);
  });

  it('reads messages in seq order in batches, all or a selection', async () => {
    const s = await newStore();
    const c = await s.create({ name: 'batches', source: 'messages' }, sample);
    expect([...s.messages(c.id, undefined, 3)].map((b) => b.length)).toEqual([3, 3, 2]);
    expect([...s.messages(c.id, [8, 1, 4], 2)].flat().map((m) => m.seq)).toEqual([1, 4, 8]);
  });
});
