import { randomUUID } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { CaptureRowsPage, CapturedMessage, ConsumedMessage } from '../../contract';
import { consumeJsonShape } from '../captures/captureFiles';
import type { RowsQuery } from '../captures/captureQueries';
import { CaptureStore } from '../captures/captureStore';
import { CoreError } from '../coreError';
import { PRIVATE_DIR_MODE, tightenIfPresentSync } from '../store/privateFiles';

/** The folder of session databases in the data folder: one per running process, `<pid>.sqlite`. */
export const SESSIONS_DIR = 'sessions';
/** Sessions kept at once: the oldest is dropped when a new Consume or Listen starts beyond it. */
export const KEEP_SESSIONS = 8;

export interface SessionMeta {
  source: 'consume' | 'listen';
  connectionId: string | null;
  connectionName: string | null;
}

/**
 * The session store: every Consume or Listen run of the window keeps its messages here, in the main
 * process, so the window asks for the rows it shows (sorted and searched next to the data) and never
 * holds a million of them. A session is a capture in a scratch database of this process (created on
 * first use, removed on close; those of processes that are gone are removed at start); saving one as
 * a capture copies it into the capture store.
 *
 * Appends are queued (a Listen flushes every 200 ms while the window reads pages); `settled` waits for
 * what was queued and reports the first write that failed.
 */
export class MessageSessions {
  private readonly store: CaptureStore;
  private readonly file: string;
  private readonly meta = new Map<number, SessionMeta & { pending: Promise<unknown>; failure: unknown }>();
  /**
   * This process's store, told apart from the one before a restart: session ids are row ids of a
   * fresh scratch file, so after a restart the same number names another run's messages. A window
   * that remembers a session (a reloaded tab) checks this before it shows the rows.
   */
  readonly instance: string = randomUUID();

  constructor(dataDir: string) {
    const dir = path.join(dataDir, SESSIONS_DIR);
    removeStale(dir);
    this.file = path.join(dir, `${process.pid}.sqlite`);
    this.store = new CaptureStore(this.file);
  }

  async begin(meta: SessionMeta): Promise<number> {
    const c = await this.store.create(
      {
        name: `session ${randomUUID()}`,
        source: meta.source,
        connectionId: meta.connectionId,
        connectionName: meta.connectionName,
      },
      [],
    );
    this.meta.set(c.id, { ...meta, pending: Promise.resolve(), failure: null });
    const old = [...this.meta.keys()].slice(0, Math.max(0, this.meta.size - KEEP_SESSIONS));
    for (const id of old) await this.discard(id);
    return c.id;
  }

  private entry(id: number) {
    const e = this.meta.get(id);
    if (!e)
      throw new CoreError(
        'NOT_FOUND',
        'Those messages are no longer kept (only the last few Consume and Listen runs are); read them again.',
      );
    return e;
  }

  /** Queues messages at the end of a session (never throws: a failure is reported by `settled`). */
  add(id: number, messages: ConsumedMessage[]): void {
    const e = this.entry(id);
    if (!messages.length) return;
    e.pending = this.store.append(id, messages).catch((err: unknown) => {
      e.failure ??= err;
    });
  }

  /** Keeps only the newest `keep` messages (queued after the appends). */
  trim(id: number, keep: number): Promise<number> {
    return this.store.trimOldest(id, keep);
  }

  /** Waits for the queued appends; throws the first that failed. */
  async settled(id: number): Promise<void> {
    const e = this.entry(id);
    await e.pending;
    if (e.failure) throw e.failure;
  }

  count(id: number): number {
    this.entry(id);
    return this.store.get(id).messageCount;
  }

  info(id: number): SessionMeta & { topics: string[]; count: number } {
    const e = this.entry(id);
    const c = this.store.get(id);
    return {
      source: e.source,
      connectionId: e.connectionId,
      connectionName: e.connectionName,
      topics: c.topics,
      count: c.messageCount,
    };
  }

  /** A session if it is still kept (null when dropped or never made here): what a reloaded tab asks. */
  describe(id: number): (SessionMeta & { topics: string[]; count: number }) | null {
    return this.meta.has(id) ? this.info(id) : null;
  }

  rows(id: number, query: RowsQuery): CaptureRowsPage {
    this.entry(id);
    return this.store.rows(id, query);
  }

  /** A session's messages (all, or those `seqs` names) in batches, in saved order. */
  messages(id: number, seqs?: number[]): Generator<CapturedMessage[]> {
    this.entry(id);
    return this.store.messages(id, seqs);
  }

  /** The messages at positions (0 = the oldest kept), in order: what `listen.history` numbers. */
  page(id: number, offset: number, limit: number): ConsumedMessage[] {
    return this.rows(id, { offset, limit, sort: { field: 'seq', direction: 'asc' }, search: {} }).rows.map(plain);
  }

  async discard(id: number): Promise<boolean> {
    if (!this.meta.delete(id)) return false;
    await this.store.delete(id);
    return true;
  }

  close(): void {
    this.store.close();
    this.meta.clear();
    for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) rmSync(f, { force: true });
  }
}

/** A stored row as the consumed message it was. */
export function plain(m: CapturedMessage & { matchedIn?: unknown }): ConsumedMessage {
  return { ...consumeJsonShape(m), size: m.size };
}

/**
 * Session databases left by processes that no longer run (a crash): nothing reads them again. What
 * stays (other running processes' sessions) is tightened to 0600 in a folder of 0700: an older version
 * made them with the umask's 0644 / 0755. This process's own file is made private when it is opened.
 */
function removeStale(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  tightenIfPresentSync(dir, PRIVATE_DIR_MODE);
  for (const name of names) {
    const pid = Number(/^(\d+)\.sqlite/.exec(name)?.[1]);
    if (!pid) continue;
    if (pid === process.pid || alive(pid)) tightenIfPresentSync(path.join(dir, name));
    else rmSync(path.join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
