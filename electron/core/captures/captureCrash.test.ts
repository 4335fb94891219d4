import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CaptureRowsQuery } from '../../contract';
import { CaptureStore } from './captureStore';

const fixture = path.join(import.meta.dirname, 'captureSaver.fixture.ts');

/** Runs the saver until it reports being inside the big save's transaction, then kills it with SIGKILL; returns the WAL's size then. */
function saveThenKill(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let walBytes = -1;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^mid-save (\d+)$/m.exec(out);
      if (m && walBytes < 0) {
        walBytes = Number(m[1]);
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' && walBytes >= 0
        ? resolve(walBytes)
        : reject(new Error(`saver exited ${code} ${signal}: ${out} ${err}`)),
    );
  });
}

describe('CaptureStore and a crash', () => {
  it('a process killed in the middle of a save leaves the previous captures readable', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-capture-crash-'));
    const walBytes = await saveThenKill(dir);
    // the half-done save had reached the disk: 20,000 messages of 1 KiB were in the WAL, uncommitted
    expect(walBytes).toBeGreaterThan(10 * 1024 * 1024);

    const store = CaptureStore.inDataDir(dir);
    try {
      expect(store.list().map((c) => [c.name, c.messageCount])).toEqual([['kept', 100]]);
      const kept = store.findByName('kept');
      const rows = store.rows(kept.id, CaptureRowsQuery.parse({ limit: 1000 })).rows;
      expect(rows.map((r) => r.offset)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
      expect(rows[99]!.value).toBe('c'.repeat(100)); // byte 99, as text
      // the name of the save that never finished is free, and the store takes new saves
      const again = await store.create({ name: 'big', source: 'messages' }, rows.slice(0, 3));
      expect(again.messageCount).toBe(3);
    } finally {
      store.close();
    }
    const db = new Database(path.join(dir, 'captures.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(
      (
        db.prepare('SELECT COUNT(*) AS n FROM messages WHERE capture_id NOT IN (SELECT id FROM captures)').get() as {
          n: number;
        }
      ).n,
    ).toBe(0);
    db.close();
  }, 120_000);
});
