import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * The data folder holds saved connections, sealed secrets, the key that opens them and captured
 * messages: nobody but its owner may read any of it, whatever the umask (022 on most accounts would
 * make new files 0644 and folders 0755). Everything the core creates there goes through here.
 *
 * Modes are set with chmod after creating, not only passed to mkdir / open: those are masked by the
 * umask, and a folder or file an older version left looser is tightened the next time it is opened.
 * (On Windows chmod only toggles read-only; the folder's ACL, inherited from the profile, applies.)
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Group or other may do something with it. Only then is it chmod-ed: a private one is left as it is (even on a read-only disk). */
const loose = (mode: number) => (mode & 0o077) !== 0;

/**
 * A folder with the sticky bit is shared by design (/tmp): never one of ours to chmod (as root that
 * would lock everyone else out of it), and nothing private belongs directly in it.
 */
function refuseShared(dir: string, mode: number): void {
  if (mode & 0o1000)
    throw new Error(`${dir} is a shared folder (like /tmp): choose a folder of its own for Kafka Desk's data.`);
}

/** Makes `dir` (missing parents are made 0700 too) and tightens it to 0700. */
export async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const { mode } = await stat(dir);
  refuseShared(dir, mode);
  if (loose(mode)) await chmod(dir, PRIVATE_DIR_MODE);
}

/** `privateDir` for the synchronous paths (creating the core, opening SQLite). */
export function privateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const { mode } = statSync(dir);
  refuseShared(dir, mode);
  if (loose(mode)) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Replaces `file` atomically (temp file in the same folder, fsync, rename): 0600, and a crash leaves the previous version whole. */
export async function writePrivateFile(file: string, data: string | Buffer): Promise<void> {
  // write-file-atomic chmods its temp file to `mode` before the rename, so the umask does not loosen it
  await writeFileAtomic(file, data, { mode: PRIVATE_FILE_MODE, fsync: true });
}

/** Copies a file (copyFile keeps the source's mode, which an older version may have left looser) and sets 0600. */
export async function copyPrivateFile(from: string, to: string): Promise<void> {
  await copyFile(from, to);
  await chmod(to, PRIVATE_FILE_MODE);
}

/** Tightens a file that exists (an older version's, a restored backup's) to 0600 when others may read it. */
export async function tightenFile(file: string): Promise<void> {
  if (loose((await stat(file)).mode)) await chmod(file, PRIVATE_FILE_MODE);
}

/** `tightenFile` (or a folder, with `mode`) for a path that may be gone: another process removed its own -wal, say. */
export function tightenIfPresentSync(file: string, mode: number = PRIVATE_FILE_MODE): void {
  try {
    if (loose(statSync(file).mode)) chmodSync(file, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * Creates `file` holding `data` (0600) unless it exists, so that no reader ever sees it part-written:
 * the bytes go to a temp file in the same folder and are fsync'ed, then link(2) gives them the name.
 * link never replaces an existing name (EEXIST), so when two processes race exactly one file wins,
 * complete, and the loser reads the winner's. Answers whether this call created it.
 */
export async function createPrivateFileIfAbsent(file: string, data: Buffer | string): Promise<boolean> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    const fh = await open(tmp, 'wx', PRIVATE_FILE_MODE);
    try {
      await fh.chmod(PRIVATE_FILE_MODE);
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await link(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    await syncDir(dir);
    return true;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The new name reaches the disk too (a crash right after would otherwise lose it); folders cannot be opened for this on Windows. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Before SQLite opens `file`: creates it empty (a valid empty database) with 0600 if absent, and sets
 * 0600 on it and on the -wal, -shm and -journal an older version may have left 0644. SQLite's unix VFS
 * creates a database's -wal, -shm and rollback journal with the permissions of the database file
 * itself, not from the umask (os_unix.c: findCreateFileMode(), robust_open()'s fchmod), so from then
 * on they are 0600 too; privateFiles.test.ts checks that against the better-sqlite3 in use.
 */
export function privateDatabaseFileSync(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tightenIfPresentSync(f);
}
