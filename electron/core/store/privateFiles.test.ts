import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  copyPrivateFile,
  createPrivateFileIfAbsent,
  privateDatabaseFileSync,
  privateDir,
  privateDirSync,
  writePrivateFile,
} from './privateFiles';

const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);
const temp = () => mkdtemp(path.join(tmpdir(), 'kafka-desk-private-'));

let umask: number;
beforeEach(() => {
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
});

describe("SQLite gives -wal, -shm and the journal the database file's mode (the claim privateDatabaseFileSync rests on)", () => {
  it('without it, under umask 022, they are 0644 (the control)', async () => {
    const file = path.join(await temp(), 'plain.sqlite');
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(['644', '644', '644']);
    } finally {
      db.close();
    }
  });

  it('with the database file made 0600 first, the WAL and shared memory files are 0600', async () => {
    const file = path.join(await temp(), 'private.sqlite');
    privateDatabaseFileSync(file);
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      db.close();
    }
  });

  it('and the rollback journal (journal_mode DELETE), seen inside a transaction', async () => {
    const file = path.join(await temp(), 'journal.sqlite');
    privateDatabaseFileSync(file);
    const db = new Database(file);
    try {
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      let journal = '';
      db.transaction(() => {
        db.exec('INSERT INTO t VALUES (2); UPDATE t SET x = x + 1');
        journal = existsSync(`${file}-journal`) ? modeOf(`${file}-journal`) : 'absent';
      })();
      expect(journal).toBe('600');
    } finally {
      db.close();
    }
  });

  it('tightens a database and its -wal / -shm an older version left 0644, and keeps its rows', async () => {
    const file = path.join(await temp(), 'old.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x); INSERT INTO t VALUES (42)');
    // still open elsewhere: its -wal and -shm are on disk, 0644
    try {
      expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(['644', '644', '644']);
      privateDatabaseFileSync(file);
      expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(['600', '600', '600']);
      const db = new Database(file);
      expect(db.prepare('SELECT x FROM t').pluck().get()).toBe(42);
      db.close();
    } finally {
      old.close();
    }
  });
});

describe('private folders and files', () => {
  it('makes folders 0700 (missing parents too) and tightens one left 0755', async () => {
    const root = await temp();
    await privateDir(path.join(root, 'a', 'b'));
    privateDirSync(path.join(root, 'c', 'd'));
    expect([
      modeOf(path.join(root, 'a')),
      modeOf(path.join(root, 'a', 'b')),
      modeOf(path.join(root, 'c')),
      modeOf(path.join(root, 'c', 'd')),
    ]).toEqual(['700', '700', '700', '700']);
    mkdirSync(path.join(root, 'old'), { mode: 0o755 });
    await privateDir(path.join(root, 'old'));
    expect(modeOf(path.join(root, 'old'))).toBe('700');
  });

  it('refuses a shared folder (sticky bit, as /tmp) instead of chmod-ing it', async () => {
    const shared = path.join(await temp(), 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    await expect(privateDir(shared)).rejects.toThrow(
      `${shared} is a shared folder (like /tmp): choose a folder of its own for Kafka Desk's data.`,
    );
    expect(() => privateDirSync(shared)).toThrow('is a shared folder');
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
  });

  it('writes and replaces a file 0600, and a copy of a 0644 file is 0600', async () => {
    const root = await temp();
    const file = path.join(root, 'doc.json');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    await writePrivateFile(file, 'new');
    expect([modeOf(file), await readFile(file, 'utf8')]).toEqual(['600', 'new']);
    chmodSync(file, 0o644);
    await copyPrivateFile(file, path.join(root, 'copy.json'));
    expect(modeOf(path.join(root, 'copy.json'))).toBe('600');
  });

  it("creates a file once: the second call keeps the first one's bytes and leaves no temp file", async () => {
    const root = await temp();
    const file = path.join(root, 'once');
    const results = await Promise.all(['first', 'second', 'third'].map((d) => createPrivateFileIfAbsent(file, d)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = ['first', 'second', 'third'][results.indexOf(true)];
    expect(await readFile(file, 'utf8')).toBe(winner);
    expect(modeOf(file)).toBe('600');
    expect(readdirSync(root)).toEqual(['once']);
  });
});
