/**
 * Run as a child process by captureCrash.test.ts. Saves a small capture 'kept', then starts saving a
 * large one 'big'; in the middle of that save's transaction (after enough messages that SQLite has
 * written uncommitted pages to its WAL file) it prints "mid-save <wal bytes>" and waits there for the
 * parent to kill it with SIGKILL: a crash mid-transaction at a known point, no cleanup running.
 */
import { statSync } from 'node:fs';
import type { ConsumedMessage } from '../../contract';
import { CaptureStore } from './captureStore';

const [dataDir] = process.argv.slice(2) as [string];
const store = CaptureStore.inDataDir(dataDir);

const message = (i: number, size: number): ConsumedMessage => ({
  topic: 'crash',
  partition: i % 3,
  offset: String(i),
  timestamp: String(1700000000000 + i),
  timestampType: 'CreateTime',
  key: `k${i}`,
  value: { base64: Buffer.alloc(size, i % 251).toString('base64') },
  headers: [['i', String(i)]],
  size: size + `k${i}`.length,
});

await store.create(
  { name: 'kept', source: 'messages' },
  Array.from({ length: 100 }, (_, i) => message(i, 100)),
);

function* big(): Generator<ConsumedMessage> {
  for (let i = 0; ; i++) {
    if (i === 20_000) {
      const wal = statSync(`${store.file}-wal`).size;
      process.stdout.write(`mid-save ${wal}\n`);
      // hold the transaction open until the parent's SIGKILL arrives
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
      process.stdout.write('not killed\n');
      process.exit(3);
    }
    yield message(i, 1024);
  }
}
await store.create({ name: 'big', source: 'messages' }, big());
