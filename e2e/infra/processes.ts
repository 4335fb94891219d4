/**
 * Process helpers shared by the broker, the KDC's and the Connect worker's lifecycles: is a pid
 * alive, stop one and wait, run a tool, read a log's tail.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

const STOP_TIMEOUT_MS = 20_000;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

export function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A zombie (exited, not yet reaped) still answers kill(0); treat it as dead.
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  // Linux only; elsewhere we cannot tell, assume alive.
  const statLine = readProcSync(`/proc/${pid}/stat`);
  if (statLine === undefined) return false;
  const state = statLine.slice(statLine.lastIndexOf(')') + 2).charAt(0);
  return state === 'Z' || state === 'X';
}

export function readProcSync(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

export async function tailFile(p: string, lines: number): Promise<string> {
  try {
    const text = await readFile(p, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

export async function killAndWait(pid: number, log: (s: string) => void): Promise<void> {
  if (!isPidAlive(pid)) return;
  log(`stopping Kafka (pid ${pid})...`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isPidAlive(pid)) {
    if (Date.now() > deadline) {
      log(`pid ${pid} still alive after ${STOP_TIMEOUT_MS / 1000} s: SIGKILL`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      const killDeadline = Date.now() + 5000;
      while (isPidAlive(pid) && Date.now() < killDeadline) await sleep(100);
      break;
    }
    await sleep(200);
  }
}
