/**
 * Run as a child process by atomicJsonFile.test.ts. Writes a large connections document, prints
 * "ready", then keeps rewriting it until killed. With `--crash-mid-write`, the second write puts
 * half of its bytes on disk and then kills its own process with SIGKILL: a crash in the middle of
 * a write, at a known point, with no cleanup handlers running.
 */
import fs from 'node:fs';
import { AtomicJsonFile } from './atomicJsonFile';

const [file, mode] = process.argv.slice(2) as [string, string | undefined];
interface Doc {
  schemaVersion: number;
  generation: number;
  connections: { id: string; name: string; padding: string }[];
}
const store = new AtomicJsonFile<Doc>(
  file,
  2,
  {},
  () => ({ schemaVersion: 2, generation: 0, connections: [] }),
  (d) => d as Doc,
);

function crashHalfwayThrough(): void {
  const halfThenDie = (fd: number, data: Buffer | string) => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    fs.writeSync(fd, bytes.subarray(0, bytes.length >> 1));
    fs.fsyncSync(fd);
    process.kill(process.pid, 'SIGKILL');
  };
  (fs as { write: unknown }).write = (fd: number, data: Buffer | string) => halfThenDie(fd, data);
}

const connections = Array.from({ length: 400 }, (_, i) => ({
  id: `c-${i}`,
  name: `connection ${i}`,
  padding: 'x'.repeat(2000),
}));
let generation = 0;
for (;;) {
  generation += 1;
  await store.write({ schemaVersion: 2, generation, connections });
  if (generation === 1) {
    process.stdout.write('ready\n');
    if (mode === '--crash-mid-write') crashHalfwayThrough();
  }
}
