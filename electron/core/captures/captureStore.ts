import path from 'node:path';
import Database from 'better-sqlite3';
import type { CaptureRowsPage, CaptureRowsQueryParsed, CaptureSearch, CaptureSource, CaptureSummary, CapturedMessage, ConsumedMessage, WireBytes } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { describeFilter, registerFilterFunctions, toSql } from '../filters/messageFilter';
import { fromWire, toWire } from '../operations/wireBytes';
import { privateDatabaseFileSync, privateDirSync } from '../store/privateFiles';
import { SerialQueue } from '../store/serialQueue';

/** The capture database's file name in the data folder. */
export const CAPTURES_FILE = 'captures.sqlite';

/**
 * Schema migrations, in order: the database's `PRAGMA user_version` says how many have run. A new
 * version appends a step here; steps never change once released.
 */
const migrations: ((db: Database.Database) => void)[] = [
  (db) =>
    db.exec(`
      CREATE TABLE captures (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL,
        source TEXT NOT NULL,
        connection_id TEXT,
        connection_name TEXT,
        topics TEXT NOT NULL DEFAULT '[]',
        tags TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        message_count INTEGER NOT NULL DEFAULT 0,
        -- 1 while an import streams in (inside its transaction): hidden from lists
        pending INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE messages (
        capture_id INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        topic TEXT NOT NULL,
        partition_no INTEGER NOT NULL,
        -- int64, exact: bound as BigInt, read back as CAST(... AS TEXT)
        offset_no INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        ts_type TEXT NOT NULL,
        key BLOB,
        value BLOB,
        -- JSON of [name, WireBytes] pairs: text when the bytes are UTF-8, {"base64"} otherwise (exact)
        headers TEXT NOT NULL,
        size INTEGER NOT NULL,
        note TEXT,
        PRIMARY KEY (capture_id, seq)
      );
      CREATE INDEX messages_by_offset ON messages (capture_id, offset_no);
      CREATE INDEX messages_by_time ON messages (capture_id, ts);
      CREATE INDEX messages_by_partition ON messages (capture_id, partition_no, offset_no);
    `),
];
export const CAPTURE_SCHEMA_VERSION = migrations.length;

/** A page query as `rows` takes it (`quick` may be left out: false). */
export type RowsQuery = Omit<CaptureRowsQueryParsed, 'quick'> & { quick?: boolean };

/** What a new capture records besides its messages. */
export interface CaptureMeta {
  name: string;
  source: CaptureSource;
  connectionId?: string | null;
  connectionName?: string | null;
  tags?: string[];
  note?: string;
}

interface CaptureRow {
  id: number;
  name: string;
  created_at: string;
  source: CaptureSource;
  connection_id: string | null;
  connection_name: string | null;
  topics: string;
  tags: string;
  note: string;
  message_count: number;
}

interface MessageRow {
  seq: number;
  topic: string;
  partition_no: number;
  offset: string;
  timestamp: string;
  ts_type: 'CreateTime' | 'LogAppendTime';
  key: Buffer | null;
  value: Buffer | null;
  headers: string;
  size: number;
  note: string | null;
}

const MESSAGE_COLUMNS = `seq, topic, partition_no, CAST(offset_no AS TEXT) AS offset, CAST(ts AS TEXT) AS timestamp, ts_type, key, value, headers, size, note`;
const SORT_COLUMNS = { seq: ['seq'], offset: ['offset_no'], timestamp: ['ts'], partition: ['partition_no', 'offset_no'], key: ['key'] } as const;

const wireText = (w: WireBytes): string | null => (typeof w === 'string' ? w : null);
const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * Captures: named, saved sets of consumed messages, in one SQLite database in the data folder (WAL
 * mode). Every save runs in one transaction, so a crash in the middle of one leaves the previous
 * state as it was. Searching, sorting and paging run in SQL next to the data; the message filter is
 * core/filters' (compiled to SQL, with its functions registered on the connection).
 *
 * Reads are synchronous; writes are queued one after another (an import streams a file inside one
 * open transaction, and no other write may interleave with it).
 */
export class CaptureStore {
  private db: Database.Database | null = null;
  private readonly writes = new SerialQueue();
  private readonly statements = new Map<string, Database.Statement>();
  /** Ordered seqs of the last searches (see `rows`), least recently used first. */
  private readonly seqCache = new Map<string, number[]>();

  constructor(readonly file: string) {}

  static inDataDir(dataDir: string): CaptureStore {
    return new CaptureStore(path.join(dataDir, CAPTURES_FILE));
  }

  /** A statement, prepared once per connection (the append and paging paths run many times a second). */
  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      if (this.statements.size > 200) this.statements.clear();
      st = this.open().prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** Opened on first use (a command that never touches captures creates no database). */
  private open(): Database.Database {
    if (this.db) return this.db;
    privateDirSync(path.dirname(this.file));
    let db: Database.Database;
    try {
      // 0600 before SQLite opens it: its -wal and -shm are then made 0600 too, and an older version's are tightened
      privateDatabaseFileSync(this.file);
      db = new Database(this.file);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    } catch (e) {
      throw new CoreError('STORE_CORRUPT', `The capture database ${this.file} cannot be opened.`, describeCause(e));
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > migrations.length) {
      db.close();
      throw new CoreError('STORE_CORRUPT', `The capture database was written by a newer Kafka Desk (schema ${version}; this one knows ${migrations.length}).`);
    }
    for (let v = version; v < migrations.length; v++) {
      db.transaction(() => {
        migrations[v]!(db);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
    registerFilterFunctions(db);
    this.db = db;
    return db;
  }

  close(): void {
    this.statements.clear();
    this.db?.close();
    this.db = null;
  }

  /** The schema version of the open database. */
  schemaVersion(): number {
    return this.open().pragma('user_version', { simple: true }) as number;
  }

  list(): CaptureSummary[] {
    const rows = this.prepare('SELECT * FROM captures WHERE pending = 0 ORDER BY created_at DESC, id DESC').all() as CaptureRow[];
    return rows.map(summary);
  }

  get(id: number): CaptureSummary {
    const row = this.prepare('SELECT * FROM captures WHERE id = ? AND pending = 0').get(id) as CaptureRow | undefined;
    if (!row) throw new CoreError('NOT_FOUND', 'That capture no longer exists.');
    return summary(row);
  }

  findByName(name: string): CaptureSummary {
    const row = this.prepare('SELECT * FROM captures WHERE name = ? AND pending = 0').get(name.trim()) as CaptureRow | undefined;
    if (!row) {
      const names = this.list().map((c) => `'${c.name}'`);
      throw new CoreError('NOT_FOUND', `No capture named '${name}'. ${names.length ? `There are ${names.slice(0, 10).join(', ')}${names.length > 10 ? '…' : ''}.` : 'None are saved yet.'}`);
    }
    return summary(row);
  }

  /** A new capture holding `messages` (iterated inside the save's one transaction). */
  create(meta: CaptureMeta, messages: Iterable<ConsumedMessage>): Promise<CaptureSummary> {
    return this.writes.run(async () => {
      const db = this.open();
      const id = db.transaction(() => {
        const id = this.insertCapture(meta);
        this.insertMessages(id, 1, messages);
        this.finish(id);
        return id;
      })();
      return this.get(id);
    });
  }

  /**
   * A new capture whose messages arrive in batches (a file read line by line): one transaction held
   * open across the batches, the capture hidden until it commits. Nothing is kept if a batch throws.
   */
  createStreaming(meta: CaptureMeta, batches: AsyncIterable<ConsumedMessage[]>): Promise<CaptureSummary> {
    return this.writes.run(async () => {
      const db = this.open();
      db.exec('BEGIN IMMEDIATE');
      try {
        const id = this.insertCapture(meta, true);
        let seq = 1;
        for await (const batch of batches) seq += this.insertMessages(id, seq, batch);
        this.finish(id);
        this.prepare('UPDATE captures SET pending = 0 WHERE id = ?').run(id);
        db.exec('COMMIT');
        return this.get(id);
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  /**
   * Adds messages at the end of a capture. The count and topics are updated from the batch, not
   * recounted: a Listen appends every 200 ms to a session of a million rows.
   */
  append(id: number, messages: Iterable<ConsumedMessage>): Promise<CaptureSummary> {
    return this.writes.run(async () => {
      const db = this.open();
      db.transaction(() => {
        const c = this.get(id);
        const { next } = this.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM messages WHERE capture_id = ?').get(id) as { next: number };
        const batch = [...messages];
        const n = this.insertMessages(id, next, batch);
        const topics = [...new Set([...c.topics, ...batch.map((m) => m.topic)])].sort();
        this.prepare('UPDATE captures SET topics = ?, message_count = message_count + ? WHERE id = ?').run(JSON.stringify(topics), n, id);
      })();
      return this.get(id);
    });
  }

  /** Keeps only the newest `keep` messages of a capture (a long Listen's session); returns how many went. */
  trimOldest(id: number, keep: number): Promise<number> {
    return this.writes.run(async () => {
      const db = this.open();
      return db.transaction(() => {
        const { hi } = this.prepare('SELECT COALESCE(MAX(seq), 0) AS hi FROM messages WHERE capture_id = ?').get(id) as { hi: number };
        const gone = this.prepare('DELETE FROM messages WHERE capture_id = ? AND seq <= ?').run(id, hi - keep).changes;
        if (gone) this.prepare('UPDATE captures SET message_count = message_count - ? WHERE id = ?').run(gone, id);
        return gone;
      })();
    });
  }

  /** A new capture from some messages of another (by seq, in seq order). */
  copySelection(meta: CaptureMeta, fromId: number, seqs: number[]): Promise<CaptureSummary> {
    return this.writes.run(async () => {
      const db = this.open();
      const from = this.get(fromId);
      const id = db.transaction(() => {
        const rows = this.selected(fromId, seqs);
        if (rows.length !== new Set(seqs).size) {
          const have = new Set(rows.map((r) => r.seq));
          const missing = seqs.filter((s) => !have.has(s));
          throw new CoreError('NOT_FOUND', `Capture '${from.name}' has no message ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}.`);
        }
        const id = this.insertCapture({ connectionId: from.connectionId, connectionName: from.connectionName, ...meta });
        this.insertMessages(id, 1, rows.map(toMessage));
        this.finish(id);
        return id;
      })();
      return this.get(id);
    });
  }

  rename(id: number, name: string): Promise<CaptureSummary> {
    return this.update(id, 'name = ?', name.trim());
  }

  setTags(id: number, tags: string[]): Promise<CaptureSummary> {
    return this.update(id, 'tags = ?', JSON.stringify([...new Set(tags.map((t) => t.trim()))]));
  }

  setNote(id: number, note: string): Promise<CaptureSummary> {
    return this.update(id, 'note = ?', note);
  }

  private update(id: number, set: string, value: string): Promise<CaptureSummary> {
    return this.writes.run(async () => {
      this.get(id);
      try {
        this.prepare(`UPDATE captures SET ${set} WHERE id = ?`).run(value, id);
      } catch (e) {
        if (isUniqueViolation(e)) throw new CoreError('CONFLICT', `A capture named '${value}' already exists.`);
        throw e;
      }
      return this.get(id);
    });
  }

  /** A note on one message (null removes it). */
  setMessageNote(id: number, seq: number, note: string | null): Promise<{ seq: number; note: string | null }> {
    return this.writes.run(async () => {
      const c = this.get(id);
      const r = this.prepare('UPDATE messages SET note = ? WHERE capture_id = ? AND seq = ?').run(note, id, seq);
      if (!r.changes) throw new CoreError('NOT_FOUND', `Capture '${c.name}' has no message ${seq}.`);
      return { seq, note };
    });
  }

  delete(id: number): Promise<boolean> {
    return this.writes.run(async () => this.prepare('DELETE FROM captures WHERE id = ? AND pending = 0').run(id).changes > 0);
  }

  /**
   * One page of a capture's messages, searched, filtered and sorted in SQL. Unfiltered in saved order,
   * a page is a range of seq (seq runs without gaps); otherwise one query lists the matching seqs in
   * order, kept for the next pages of the same search (a million rows are scanned once, not per
   * page), and a page reads just its rows.
   */
  rows(id: number, query: RowsQuery): CaptureRowsPage {
    const capture = this.get(id);
    const asc = query.sort.direction !== 'desc';
    try {
      let total: number;
      let counted = true;
      let rows: MessageRow[];
      // two queries: SQLite answers a lone MIN or MAX from the index's ends, both together by scanning it
      const bounds = {
        lo: (this.prepare('SELECT COALESCE(MIN(seq), 1) FROM messages WHERE capture_id = ?').pluck().get(id) as number),
        hi: (this.prepare('SELECT COALESCE(MAX(seq), 0) FROM messages WHERE capture_id = ?').pluck().get(id) as number),
      };
      const unsearched = Object.values(query.search).every((v) => v === undefined);
      if (unsearched && query.sort.field === 'seq' && bounds.hi - bounds.lo + 1 === capture.messageCount) {
        total = capture.messageCount;
        rows = asc
          ? (this.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE capture_id = ? AND seq >= ? ORDER BY seq LIMIT ?`).all(id, bounds.lo + query.offset, query.limit) as MessageRow[])
          : (this.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE capture_id = ? AND seq <= ? ORDER BY seq DESC LIMIT ?`).all(id, bounds.hi - query.offset, query.limit) as MessageRow[]);
      } else {
        const seqs = this.orderedSeqs(id, capture.messageCount, bounds.hi, query);
        total = seqs.length;
        counted = seqs.counted;
        const slice = seqs.slice(query.offset, query.offset + query.limit);
        const bySeq = new Map(this.selected(id, slice).map((r) => [r.seq, r]));
        rows = slice.map((s) => bySeq.get(s)).filter((r): r is MessageRow => r !== undefined);
      }
      const needle = query.search.text?.toLowerCase() ?? null;
      return {
        rows: rows.map((r) => {
          const m = toMessage(r);
          return { ...m, matchedIn: needle === null ? [] : matchedIn(m, needle) };
        }),
        total,
        counted,
        captureTotal: capture.messageCount,
        offset: query.offset,
        highlight: query.search.text ?? null,
      };
    } catch (e) {
      if (e instanceof CoreError) throw e;
      throw new CoreError('INVALID_INPUT', `The search could not run: ${(e as Error).message}`, describeCause(e));
    }
  }

  /** The seqs a search matches, in the sort's order (cached by capture, content, search and sort). */
  private orderedSeqs(id: number, count: number, lastSeq: number, query: RowsQuery): number[] & { counted: boolean } {
    const key = JSON.stringify([id, count, lastSeq, query.search, query.sort]);
    const hit = this.seqCache.get(key);
    if (hit) {
      this.seqCache.delete(key);
      this.seqCache.set(key, hit);
      return Object.assign(hit, { counted: true });
    }
    const { where, params } = this.whereClause(id, query.search);
    const dir = query.sort.direction === 'desc' ? 'DESC' : 'ASC';
    const order = [...SORT_COLUMNS[query.sort.field], 'seq'].map((c) => `${c} ${dir}`).join(', ');
    if (query.quick && query.sort.field === 'seq') {
      // in saved order the scan stops at the first page's last match: those rows now, the count in a second call
      const want = query.offset + query.limit;
      const first = this.prepare(`SELECT seq FROM messages m WHERE ${where} ORDER BY ${order} LIMIT @want`).pluck().all({ ...params, want: want + 1 }) as number[];
      if (first.length > want) return Object.assign(first.slice(0, want), { counted: false });
    }
    const seqs = this.prepare(`SELECT seq FROM messages m WHERE ${where} ORDER BY ${order}`).pluck().all(params) as number[];
    this.seqCache.set(key, seqs);
    while (this.seqCache.size > 4) this.seqCache.delete(this.seqCache.keys().next().value!);
    return Object.assign(seqs, { counted: true });
  }

  /** The seqs of the messages a search matches (the table's filter, run here), in saved order. */
  matchingSeqs(id: number, search: CaptureSearch): number[] {
    const capture = this.get(id);
    const lastSeq = this.prepare('SELECT COALESCE(MAX(seq), 0) FROM messages WHERE capture_id = ?').pluck().get(id) as number;
    try {
      return [...this.orderedSeqs(id, capture.messageCount, lastSeq, { offset: 0, limit: 1, sort: { field: 'seq', direction: 'asc' }, search })];
    } catch (e) {
      if (e instanceof CoreError) throw e;
      throw new CoreError('INVALID_INPUT', `The search could not run: ${(e as Error).message}`, describeCause(e));
    }
  }

  /**
   * A capture's messages in seq order, in batches read one query at a time (no statement stays open
   * between batches, so writes may run while an export awaits its file).
   */
  *messages(id: number, seqs?: number[], batchSize = 2000): Generator<CapturedMessage[]> {
    this.get(id);
    if (seqs) {
      const sorted = [...new Set(seqs)].sort((a, b) => a - b);
      for (let i = 0; i < sorted.length; i += batchSize) {
        const rows = this.selected(id, sorted.slice(i, i + batchSize));
        if (rows.length) yield rows.map(toMessage);
      }
      return;
    }
    const page = this.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE capture_id = ? AND seq > ? ORDER BY seq LIMIT ?`);
    let after = 0;
    for (;;) {
      const rows = page.all(id, after, batchSize) as MessageRow[];
      if (!rows.length) return;
      after = rows[rows.length - 1]!.seq;
      yield rows.map(toMessage);
    }
  }

  private selected(id: number, seqs: number[]): MessageRow[] {
    return this.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE capture_id = ? AND seq IN (SELECT value FROM json_each(?)) ORDER BY seq`)
      .all(id, JSON.stringify(seqs)) as MessageRow[];
  }

  private whereClause(id: number, s: CaptureSearch): { where: string; params: Record<string, unknown> } {
    const where = ['m.capture_id = @id'];
    const params: Record<string, unknown> = { id };
    // the message filter (text, regex, header, JSON path): core/filters, the same semantics as Consume's
    const filter = describeFilter(s, 'search');
    if (filter) {
      const sql = toSql(filter, { key: 'm.key', value: 'm.value', headers: 'm.headers' });
      where.push(...sql.where);
      Object.assign(params, sql.params);
    }
    if (s.topics) {
      params.topics = JSON.stringify(s.topics);
      where.push('m.topic IN (SELECT value FROM json_each(@topics))');
    }
    if (s.partitions) {
      params.partitions = JSON.stringify(s.partitions);
      where.push('m.partition_no IN (SELECT value FROM json_each(@partitions))');
    }
    if (s.offsetFrom !== undefined) {
      params.offsetFrom = BigInt(s.offsetFrom);
      where.push('m.offset_no >= @offsetFrom');
    }
    if (s.offsetTo !== undefined) {
      params.offsetTo = BigInt(s.offsetTo);
      where.push('m.offset_no <= @offsetTo');
    }
    if (s.timeFrom !== undefined) {
      params.timeFrom = s.timeFrom;
      where.push('m.ts >= @timeFrom');
    }
    if (s.timeTo !== undefined) {
      params.timeTo = s.timeTo;
      where.push('m.ts <= @timeTo');
    }
    return { where: where.join(' AND '), params };
  }

  private insertCapture(meta: CaptureMeta, pending = false): number {
    try {
      const r = this.prepare('INSERT INTO captures (name, created_at, source, connection_id, connection_name, tags, note, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(meta.name.trim(), new Date().toISOString(), meta.source, meta.connectionId ?? null, meta.connectionName ?? null, JSON.stringify([...new Set(meta.tags ?? [])]), meta.note ?? '', pending ? 1 : 0);
      return Number(r.lastInsertRowid);
    } catch (e) {
      if (isUniqueViolation(e)) throw new CoreError('CONFLICT', `A capture named '${meta.name.trim()}' already exists.`);
      throw e;
    }
  }

  /** Inserts messages numbered from `firstSeq`; returns how many. */
  private insertMessages(id: number, firstSeq: number, messages: Iterable<ConsumedMessage>): number {
    const insert = this.prepare(
      'INSERT INTO messages (capture_id, seq, topic, partition_no, offset_no, ts, ts_type, key, value, headers, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let seq = firstSeq;
    for (const m of messages) {
      const key = fromWire(m.key);
      const value = fromWire(m.value);
      // headers kept in their canonical wire form: text exactly when the bytes are UTF-8
      const headers = m.headers.map(([k, v]) => [k, typeof v === 'string' || v === null ? v : toWire(fromWire(v))]);
      insert.run(id, seq, m.topic, m.partition, BigInt(m.offset), BigInt(m.timestamp), m.timestampType, key, value, JSON.stringify(headers), m.size);
      seq += 1;
    }
    return seq - firstSeq;
  }

  /** Recomputes a capture's count and topics after its messages changed. */
  private finish(id: number): void {
    const topics = (this.prepare('SELECT DISTINCT topic FROM messages WHERE capture_id = ? ORDER BY topic').all(id) as { topic: string }[]).map((t) => t.topic);
    const { n } = this.prepare('SELECT COUNT(*) AS n FROM messages WHERE capture_id = ?').get(id) as { n: number };
    this.prepare('UPDATE captures SET topics = ?, message_count = ? WHERE id = ?').run(JSON.stringify(topics), n, id);
  }
}

function summary(r: CaptureRow): CaptureSummary {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    source: r.source,
    connectionId: r.connection_id,
    connectionName: r.connection_name,
    topics: JSON.parse(r.topics) as string[],
    tags: JSON.parse(r.tags) as string[],
    note: r.note,
    messageCount: r.message_count,
  };
}

function toMessage(r: MessageRow): CapturedMessage {
  return {
    seq: r.seq,
    topic: r.topic,
    partition: r.partition_no,
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType: r.ts_type,
    key: toWire(r.key),
    value: toWire(r.value),
    headers: JSON.parse(r.headers) as [string, WireBytes][],
    size: r.size,
    note: r.note,
  };
}

function matchedIn(m: CapturedMessage, needle: string): ('key' | 'value' | 'header')[] {
  const has = (w: WireBytes) => wireText(w)?.toLowerCase().includes(needle) ?? false;
  const out: ('key' | 'value' | 'header')[] = [];
  if (has(m.key)) out.push('key');
  if (has(m.value)) out.push('value');
  if (m.headers.some(([, v]) => has(v))) out.push('header');
  return out;
}
