/** A cross-process lock around starting and stopping (Vitest and Playwright may start at the same time). */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataDir, lockDir } from './paths.js';
import { isPidAlive, sleep } from './processes.js';

const LOCK_TIMEOUT_MS = 15 * 60_000;

/** Runs `fn` holding the lock of `where` (the single broker's folder unless told). */
export async function withLock<T>(log: (s: string) => void, fn: () => Promise<T>, where = dataDir()): Promise<T> {
  await mkdir(where, { recursive: true });
  const dir = lockDir(where);
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      await mkdir(dir);
      await writeFile(path.join(dir, 'owner'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number((await readFile(path.join(dir, 'owner'), 'utf8').catch(() => '')).trim());
      let stale = false;
      if (owner > 0) {
        stale = !isPidAlive(owner);
      } else {
        // owner file not written yet (or lost): stale only if the lock is old
        const st = await stat(dir).catch(() => undefined);
        stale = st !== undefined && Date.now() - st.mtimeMs > 60_000;
      }
      if (stale) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for the Kafka lock ${dir} (held by pid ${owner || '?'})`);
      }
      if (!announced) {
        log(`waiting for another process (pid ${owner || '?'}) that is starting/stopping Kafka...`);
        announced = true;
      }
      await sleep(300);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
