import path from 'node:path';
import Database from 'better-sqlite3';
import type { CaptureSource, CaptureSummary, CapturedMessage, WireBytes } from '../../contract';
import { Decoded } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { registerFilterFunctions } from '../filters/messageFilter';
import { toWire } from '../operations/wireBytes';
import { privateDatabaseFileSync, privateDirSync } from '../store/privateFiles';

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
  // schemas: a message's decoded key / value kept beside its bytes (so a capture reads with no registry
  // and no network), and their JSON text, which the filters search instead of the bytes
  (db) =>
    db.exec(`
      ALTER TABLE messages ADD COLUMN decoded TEXT;
      ALTER TABLE messages ADD COLUMN key_text TEXT;
      ALTER TABLE messages ADD COLUMN value_text TEXT;
    `),
  // the registry schemas a capture's decoded messages name (a CaptureSchema's JSON each), so the capture
  // decodes again, exports and imports with no registry and no network
  (db) =>
    db.exec(`
      CREATE TABLE capture_schemas (
        capture_id INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
        schema_id INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (capture_id, schema_id)
      );
    `),
];
export const CAPTURE_SCHEMA_VERSION = migrations.length;

/**
 * Opens the capture database (created 0600 on first use), brings its schema up to date and registers
 * the message filter's functions on the connection.
 */
export function openCaptureDatabase(file: string): Database.Database {
  privateDirSync(path.dirname(file));
  let db: Database.Database;
  try {
    // 0600 before SQLite opens it: its -wal and -shm are then made 0600 too, and an older version's are tightened
    privateDatabaseFileSync(file);
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    throw new CoreError('STORE_CORRUPT', `The capture database ${file} cannot be opened.`, describeCause(e));
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    db.close();
    throw new CoreError(
      'STORE_CORRUPT',
      `The capture database was written by a newer Kafka Desk (schema ${version}; this one knows ${migrations.length}).`,
    );
  }
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      migrations[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  registerFilterFunctions(db);
  return db;
}

/** A row of `captures` as SQLite returns it. */
export interface CaptureRow {
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

/** A row of `messages` as `MESSAGE_COLUMNS` reads it (the int64 offset and timestamp as text). */
export interface MessageRow {
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
  decoded: string | null;
}

export const MESSAGE_COLUMNS = `seq, topic, partition_no, CAST(offset_no AS TEXT) AS offset, CAST(ts AS TEXT) AS timestamp, ts_type, key, value, headers, size, note, decoded`;

export function summary(r: CaptureRow): CaptureSummary {
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

export function toMessage(r: MessageRow): CapturedMessage {
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
    ...(r.decoded ? { decoded: parseDecoded(r.decoded) } : {}),
  };
}

/** The decoded column as written by insertMessages; a row some other writer damaged shows its bytes only. */
function parseDecoded(text: string): Decoded | undefined {
  try {
    const d = Decoded.safeParse(JSON.parse(text));
    return d.success ? d.data : undefined;
  } catch {
    return undefined;
  }
}
