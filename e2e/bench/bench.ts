/**
 * `npm run bench`: Kafka Desk side by side with its peer (kcat) on the same broker, in the same run,
 * writing e2e/bench/RESULTS.md (case, Kafka Desk, peer, ratio, machine). Figures go in notes; tests
 * never assert on them. `--quick` runs small sizes (CI proves the script works); `--out FILE` writes
 * elsewhere; `--messages N` sets the size.
 *
 * Cases measured: consume a 6-partition topic from earliest to end (to /dev/null, and into a
 * capture vs kcat into a file), produce the same messages from an NDJSON file. The UI table and the
 * live-tail cases of issue 6 are listed as not measured yet.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureKafka, type ClusterInfo } from '../infra/kafka';
import { createTopic } from '../integration/support';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(arg('--messages') ?? (quick ? 20_000 : 1_000_000));
const out = path.resolve(arg('--out') ?? path.join('e2e', 'bench', 'RESULTS.md'));
const bin = path.resolve('bin/kafka-desk.cjs');

/** Runs a command with stdout to a file (or /dev/null) and returns its wall time in ms. */
function timed(cmd: string, argv: string[], opts: { stdoutTo?: string; stdinFrom?: string; env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const stdout = createWriteStream(opts.stdoutTo ?? '/dev/null');
    stdout.once('open', () => {
      const p = spawn(cmd, argv, { stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, ...opts.env } });
      let err = '';
      p.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
      p.once('error', reject);
      p.once('exit', (code) => {
        stdout.close();
        if (code === 0) resolve(performance.now() - t0);
        else reject(new Error(`${path.basename(cmd)} ${argv.slice(0, 3).join(' ')} … exited ${code}: ${err}`));
      });
    });
  });
}

const valueOf = (i: number) => {
  const head = `{"seq":${i},"payload":"`;
  return head + 'x'.repeat(1024 - head.length - 2) + '"}';
};

async function prepare(k: ClusterInfo, dir: string) {
  const topic = `bench-${N}-${Date.now()}`;
  const ndjson = path.join(dir, 'messages.ndjson');
  const b = createWriteStream(ndjson);
  for (let i = 0; i < N; i++) if (!b.write(JSON.stringify({ key: `k${i}`, value: valueOf(i) }) + '\n')) await new Promise<void>((r) => b.once('drain', () => r()));
  await new Promise((r) => b.end(r));
  for (const t of [topic, `${topic}-kd`, `${topic}-kcat`]) await createTopic(k, t, 6);
  // the data to read: written once by kcat (the peer), spread over the 6 partitions by key
  await timed('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-K', '\t', '-l', await keyed(dir)]);
  return { topic, ndjson };
}

/** kcat -K: key<TAB>value per line, so both tools produce keyed messages. */
async function keyed(dir: string): Promise<string> {
  const file = path.join(dir, 'keyed.txt');
  const w = createWriteStream(file);
  for (let i = 0; i < N; i++) if (!w.write(`k${i}\t${valueOf(i)}\n`)) await new Promise<void>((r) => w.once('drain', () => r()));
  await new Promise((r) => w.end(r));
  return file;
}

interface Row {
  name: string;
  desk: number | null;
  peer: number | null;
  note: string;
}

async function main() {
  const { cluster: k } = await ensureKafka({ log: (s) => console.log(`[kafka] ${s}`) });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kafka-desk-bench-'));
  const dataDir = path.join(dir, 'data');
  const rows: Row[] = [];
  try {
    console.log(`preparing ${N.toLocaleString()} messages of 1 KiB on 6 partitions…`);
    const { topic, ndjson } = await prepare(k, dir);
    const b = ['--bootstrap', k.listeners.plaintext, '--data-dir', dataDir];

    const deskConsume = await timed(process.execPath, [bin, 'consume', '--topic', topic, '--from', 'earliest', '--until-end', '--max', String(N), '--json', ...b]);
    const kcatConsume = await timed('kcat', ['-b', k.listeners.plaintext, '-C', '-e', '-o', 'beginning', '-J', '-t', topic]);
    rows.push({ name: `Consume ${N.toLocaleString()} × 1 KiB, 6 partitions, earliest → end, --json to /dev/null`, desk: deskConsume, peer: kcatConsume, note: 'kafka-desk consume --until-end --json vs kcat -C -e -o beginning -J' });

    const deskCapture = await timed(process.execPath, [bin, 'consume', '--topic', topic, '--from', 'earliest', '--until-end', '--max', String(N), '--capture', `bench ${Date.now()}`, ...b]);
    const kcatFile = path.join(dir, 'kcat-out.json');
    const kcatToFile = await timed('kcat', ['-b', k.listeners.plaintext, '-C', '-e', '-o', 'beginning', '-J', '-t', topic], { stdoutTo: kcatFile });
    rows.push({ name: `Consume ${N.toLocaleString()} into a capture (SQLite) vs kcat into a file`, desk: deskCapture, peer: kcatToFile, note: `kcat file ${((await stat(kcatFile)).size / 1048576).toFixed(0)} MiB` });

    const deskProduce = await timed(process.execPath, [bin, 'produce', '--topic', `${topic}-kd`, '--file', ndjson, '--format', 'ndjson', ...b]);
    const kcatProduce = await timed('kcat', ['-b', k.listeners.plaintext, '-P', '-t', `${topic}-kcat`, '-K', '\t', '-l', path.join(dir, 'keyed.txt')]);
    rows.push({ name: `Produce ${N.toLocaleString()} × 1 KiB from a file`, desk: deskProduce, peer: kcatProduce, note: 'kafka-desk produce --file (NDJSON) vs kcat -P -l' });

    rows.push({ name: 'Table: 1,000,000-message session in the UI (first rows, scroll p50/p95, filters, heap, RSS)', desk: null, peer: null, note: 'not measured yet (issue 6)' });
    rows.push({ name: 'Live tail: Listen at 20,000 msg/s for 60 s (latency p50/p99, frames dropped)', desk: null, peer: null, note: 'not measured yet (issue 6)' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const cpu = os.cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, Kafka ${k.version}`;
  const s = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`);
  const table = [
    `# Kafka Desk benchmarks${quick ? ' (quick mode)' : ''}`,
    '',
    `Run ${new Date().toISOString()} by \`npm run bench${args.length ? ` -- ${args.filter((a, i) => a !== '--out' && args[i - 1] !== '--out').join(' ')}` : ''}\` (${N.toLocaleString()} messages). Wall times; the ratio is Kafka Desk ÷ kcat (lower is better; target ≤ 2.0).`,
    '',
    `Machine: ${machine}`,
    '',
    '| case | Kafka Desk | kcat | ratio | notes |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.name} | ${s(r.desk)} | ${s(r.peer)} | ${r.desk !== null && r.peer ? (r.desk / r.peer).toFixed(2) + '×' : '—'} | ${r.note} |`),
    '',
  ].join('\n');
  await writeFile(out, table);
  console.log(table);
  console.log(`written: ${out}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
