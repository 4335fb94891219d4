import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicJsonFile } from './atomicJsonFile';

const fixture = path.join(import.meta.dirname, 'crashWriter.fixture.ts');

/** Starts the writer, lets it rewrite the file for `ms`, then kills it with SIGKILL (no cleanup runs). */
function writeThenCrash(file: string, ms: number | 'mid-write'): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', fixture, file, ...(ms === 'mid-write' ? ['--crash-mid-write'] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    if (ms !== 'mid-write') child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), ms));
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code}: ${err}`)),
    );
  });
}

describe('AtomicJsonFile', () => {
  it('survives a crash in the middle of a write: the previous version is intact', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-crash-'));
    const file = path.join(dir, 'connections.json');
    await writeThenCrash(file, 'mid-write');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { generation: number; connections: unknown[] };
    expect(doc.generation).toBe(1);
    expect(doc.connections).toHaveLength(400);
  }, 60_000);

  it('survives being killed at random moments: the file is always one complete version', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-crash-'));
    const file = path.join(dir, 'connections.json');
    let lastGeneration = 0;
    for (const ms of [3, 17, 41, 90, 160]) {
      await writeThenCrash(file, ms);
      const text = await readFile(file, 'utf8');
      const doc = JSON.parse(text) as { schemaVersion: number; generation: number; connections: unknown[] };
      expect(doc.schemaVersion).toBe(2);
      expect(doc.connections).toHaveLength(400);
      expect(doc.generation).toBeGreaterThanOrEqual(1);
      lastGeneration = doc.generation;
    }
    expect(lastGeneration).toBeGreaterThan(0);
    // leftover temp files from killed writers never replace the document
    const store = new AtomicJsonFile<{ schemaVersion: number; generation: number }>(
      file,
      2,
      {},
      () => ({ schemaVersion: 2, generation: 0 }),
      (d) => d as { schemaVersion: number; generation: number },
    );
    expect((await store.read()).generation).toBe(lastGeneration);
    expect((await readdir(dir)).filter((f) => f === 'connections.json')).toHaveLength(1);
  }, 60_000);

  it('migrates an older schema on read and refuses a newer one without touching it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-migrate-'));
    const file = path.join(dir, 'doc.json');
    const store = new AtomicJsonFile<{ schemaVersion: number; items: string[] }>(
      file,
      3,
      {
        1: (d) => ({ items: String(d.csv).split(',') }),
        2: (d) => ({ items: (d.items as string[]).map((s) => s.trim()) }),
      },
      () => ({ schemaVersion: 3, items: [] }),
      (d) => d as { schemaVersion: number; items: string[] },
    );
    await writeFile(file, JSON.stringify({ schemaVersion: 1, csv: 'a, b,c' }));
    expect(await store.read()).toEqual({ schemaVersion: 3, items: ['a', 'b', 'c'] });
    const newer = JSON.stringify({ schemaVersion: 9, items: [] });
    await writeFile(file, newer);
    await expect(store.read()).rejects.toThrow(/newer Kafka Desk \(schema 9/);
    expect(await readFile(file, 'utf8')).toBe(newer);
  });

  it('returns the empty document when there is no file yet', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-empty-'));
    const store = new AtomicJsonFile(
      path.join(dir, 'none.json'),
      1,
      {},
      () => ({ schemaVersion: 1, fresh: true }),
      (d) => d as { schemaVersion: number },
    );
    expect(await store.read()).toEqual({ schemaVersion: 1, fresh: true });
  });
});
