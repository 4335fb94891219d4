import path from 'node:path';
import type Database from 'better-sqlite3';
import {
  CaptureSchema,
  type CaptureRowsPage,
  type CaptureSearch,
  type CaptureSource,
  type CaptureSummary,
  type CapturedMessage,
  type ConsumedMessage,
} from '../../contract';
import { CoreError } from '../coreError';
import { fromWire, toWire } from '../operations/wireBytes';
import { SerialQueue } from '../store/serialQueue';
import { CaptureQueries, type RowsQuery } from './captureQueries';
import { CAPTURES_FILE, openCaptureDatabase, toMessage } from './captureSchema';
import { namedSchemaIds, noSchemas, type SchemaLookup, type SchemasOf } from './captureSchemas';

/** What a new capture records besides its messages. */
export interface CaptureMeta {
  name: string;
  source: CaptureSource;
  connectionId?: string | null;
  connectionName?: string | null;
  tags?: string[];
  note?: string;
  /** Registry schemas at hand besides the connection's cache (an import's schemas file), looked up first. */
  schemas?: SchemaLookup;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * Captures: named, saved sets of consumed messages, in one SQLite database in the data folder (WAL
 * mode). Every save runs in one transaction, so a crash in the middle of one leaves the previous
 * state as it was. The schema and its rows are captureSchema's; searching, sorting and paging
 * (captureQueries) run in SQL next to the data, the message filter being core/filters' (compiled to
 * SQL, with its functions registered on the connection).
 *
 * Reads are synchronous; writes are queued one after another (an import streams a file inside one
 * open transaction, and no other write may interleave with it).
 *
 * Every save also keeps the registry schemas its messages' decoded parts name (`capture_schemas`),
 * taken from the connection's schema cache (`schemasOf`), the capture copied from, or an import's
 * schemas file: a capture then decodes, exports and imports with no registry and no network.
 */
export class CaptureStore {
  private db: Database.Database | null = null;
  private readonly writes = new SerialQueue();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly reads = new CaptureQueries((sql) => this.prepare(sql));

  constructor(
    readonly file: string,
    private readonly schemasOf: SchemasOf = async () => noSchemas,
  ) {}

  static inDataDir(dataDir: string, schemasOf?: SchemasOf): CaptureStore {
    return new CaptureStore(path.join(dataDir, CAPTURES_FILE), schemasOf);
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
    this.db ??= openCaptureDatabase(this.file);
    return this.db;
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
    return this.reads.list();
  }

  get(id: number): CaptureSummary {
    return this.reads.get(id);
  }

  findByName(name: string): CaptureSummary {
    return this.reads.findByName(name);
  }

  /** A new capture holding `messages` (iterated inside the save's one transaction). */
  create(meta: CaptureMeta, messages: Iterable<ConsumedMessage>): Promise<CaptureSummary> {
    return this.writes.run(async () => {
      const db = this.open();
      const lookup = await this.lookupFor(meta);
      const id = db.transaction(() => {
        const id = this.insertCapture(meta);
        const named = new Set<number>();
        this.insertMessages(id, 1, messages, named);
        this.keepSchemas(id, named, lookup);
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
      const lookup = await this.lookupFor(meta);
      db.exec('BEGIN IMMEDIATE');
      try {
        const id = this.insertCapture(meta, true);
        let seq = 1;
        const named = new Set<number>();
        for await (const batch of batches) seq += this.insertMessages(id, seq, batch, named);
        this.keepSchemas(id, named, lookup);
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
   * recounted: a Listen appends every 200 ms to a session of a million rows. `schemas`: schemas at
   * hand besides the capture's connection's cache (a connection given for one command, never saved).
   */
  append(id: number, messages: Iterable<ConsumedMessage>, schemas?: SchemaLookup): Promise<CaptureSummary> {
    return this.writes.run(async () => {
      const db = this.open();
      const lookup = await this.lookupFor({ connectionId: this.get(id).connectionId, ...(schemas ? { schemas } : {}) });
      db.transaction(() => {
        const c = this.get(id);
        const { next } = this.prepare(
          'SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM messages WHERE capture_id = ?',
        ).get(id) as { next: number };
        const batch = [...messages];
        const named = new Set<number>();
        const n = this.insertMessages(id, next, batch, named);
        this.keepSchemas(id, named, lookup);
        const topics = [...new Set([...c.topics, ...batch.map((m) => m.topic)])].sort();
        this.prepare('UPDATE captures SET topics = ?, message_count = message_count + ? WHERE id = ?').run(
          JSON.stringify(topics),
          n,
          id,
        );
      })();
      return this.get(id);
    });
  }

  /** Keeps only the newest `keep` messages of a capture (a long Listen's session); returns how many went. */
  trimOldest(id: number, keep: number): Promise<number> {
    return this.writes.run(async () => {
      const db = this.open();
      return db.transaction(() => {
        const { hi } = this.prepare('SELECT COALESCE(MAX(seq), 0) AS hi FROM messages WHERE capture_id = ?').get(
          id,
        ) as { hi: number };
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
      // the schemas the capture copied from keeps, then its connection's cache (a capture saved before schemas were kept)
      const kept = new Map(this.schemas(fromId).map((s) => [s.schemaId, s]));
      const cached = await this.lookupFor({ connectionId: from.connectionId });
      const lookup: SchemaLookup = (sid) => kept.get(sid) ?? cached(sid);
      const id = db.transaction(() => {
        const rows = this.reads.selected(fromId, seqs);
        if (rows.length !== new Set(seqs).size) {
          const have = new Set(rows.map((r) => r.seq));
          const missing = seqs.filter((s) => !have.has(s));
          throw new CoreError(
            'NOT_FOUND',
            `Capture '${from.name}' has no message ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}.`,
          );
        }
        const id = this.insertCapture({
          connectionId: from.connectionId,
          connectionName: from.connectionName,
          ...meta,
        });
        const named = new Set<number>();
        this.insertMessages(id, 1, rows.map(toMessage), named);
        this.keepSchemas(id, named, lookup);
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
    return this.writes.run(
      async () => this.prepare('DELETE FROM captures WHERE id = ? AND pending = 0').run(id).changes > 0,
    );
  }

  /** One page of a capture's messages, searched, filtered and sorted in SQL (see CaptureQueries.rows). */
  rows(id: number, query: RowsQuery): CaptureRowsPage {
    return this.reads.rows(id, query);
  }

  /** The seqs of the messages a search matches (the table's filter, run here), in saved order. */
  matchingSeqs(id: number, search: CaptureSearch): number[] {
    return this.reads.matchingSeqs(id, search);
  }

  /**
   * A capture's messages in seq order, in batches read one query at a time (no statement stays open
   * between batches, so writes may run while an export awaits its file).
   */
  messages(id: number, seqs?: number[], batchSize?: number): Generator<CapturedMessage[]> {
    return this.reads.messages(id, seqs, batchSize);
  }

  /**
   * The registry schemas a capture keeps, by id (`ids`: only those, e.g. what an exported selection
   * names). A row some other writer damaged is left out: its messages still show their decoded form.
   */
  schemas(id: number, ids?: Set<number>): CaptureSchema[] {
    this.get(id);
    const rows = this.prepare(
      'SELECT schema_id, body FROM capture_schemas WHERE capture_id = ? ORDER BY schema_id',
    ).all(id) as { schema_id: number; body: string }[];
    const out: CaptureSchema[] = [];
    for (const r of rows) {
      if (ids && !ids.has(r.schema_id)) continue;
      try {
        const s = CaptureSchema.safeParse(JSON.parse(r.body));
        if (s.success && s.data.schemaId === r.schema_id) out.push(s.data);
      } catch {
        // not JSON: left out
      }
    }
    return out;
  }

  /** The schemas a save can take its messages' schemas from: those given with it, then its connection's cache. */
  private async lookupFor(meta: Pick<CaptureMeta, 'connectionId' | 'schemas'>): Promise<SchemaLookup> {
    const given = meta.schemas ?? noSchemas;
    // a cache that cannot be read only means the schemas are not kept: the messages are saved all the same
    const cached = meta.connectionId ? await this.schemasOf(meta.connectionId).catch(() => noSchemas) : noSchemas;
    return (sid) => given(sid) ?? cached(sid);
  }

  /** Keeps the schemas `ids` names that the lookup has (an id names one schema for ever: a kept one stays). */
  private keepSchemas(id: number, ids: Set<number>, lookup: SchemaLookup): void {
    if (!ids.size) return;
    const insert = this.prepare('INSERT OR IGNORE INTO capture_schemas (capture_id, schema_id, body) VALUES (?, ?, ?)');
    for (const sid of ids) {
      const s = lookup(sid);
      if (s && s.schemaId === sid) insert.run(id, sid, JSON.stringify(s));
    }
  }

  private insertCapture(meta: CaptureMeta, pending = false): number {
    try {
      const r = this.prepare(
        'INSERT INTO captures (name, created_at, source, connection_id, connection_name, tags, note, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        meta.name.trim(),
        new Date().toISOString(),
        meta.source,
        meta.connectionId ?? null,
        meta.connectionName ?? null,
        JSON.stringify([...new Set(meta.tags ?? [])]),
        meta.note ?? '',
        pending ? 1 : 0,
      );
      return Number(r.lastInsertRowid);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CoreError('CONFLICT', `A capture named '${meta.name.trim()}' already exists.`);
      throw e;
    }
  }

  /** Inserts messages numbered from `firstSeq`, adding the schema ids they name to `named`; returns how many. */
  private insertMessages(
    id: number,
    firstSeq: number,
    messages: Iterable<ConsumedMessage>,
    named: Set<number>,
  ): number {
    const insert = this.prepare(
      'INSERT INTO messages (capture_id, seq, topic, partition_no, offset_no, ts, ts_type, key, value, headers, size, decoded, key_text, value_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let seq = firstSeq;
    for (const m of messages) {
      const key = fromWire(m.key);
      const value = fromWire(m.value);
      // headers kept in their canonical wire form: text exactly when the bytes are UTF-8
      const headers = m.headers.map(([k, v]) => [k, typeof v === 'string' || v === null ? v : toWire(fromWire(v))]);
      insert.run(
        id,
        seq,
        m.topic,
        m.partition,
        BigInt(m.offset),
        BigInt(m.timestamp),
        m.timestampType,
        key,
        value,
        JSON.stringify(headers),
        m.size,
        m.decoded ? JSON.stringify(m.decoded) : null,
        m.decoded?.key?.json ?? null,
        m.decoded?.value?.json ?? null,
      );
      namedSchemaIds(m, named);
      seq += 1;
    }
    return seq - firstSeq;
  }

  /** Recomputes a capture's count and topics after its messages changed. */
  private finish(id: number): void {
    const topics = (
      this.prepare('SELECT DISTINCT topic FROM messages WHERE capture_id = ? ORDER BY topic').all(id) as {
        topic: string;
      }[]
    ).map((t) => t.topic);
    const { n } = this.prepare('SELECT COUNT(*) AS n FROM messages WHERE capture_id = ?').get(id) as { n: number };
    this.prepare('UPDATE captures SET topics = ?, message_count = ? WHERE id = ?').run(JSON.stringify(topics), n, id);
  }
}
