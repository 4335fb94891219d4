/**
 * `npm run bench`: Kafka Desk side by side with its peer (kcat) on the same broker, in the same run,
 * writing e2e/bench/RESULTS.md (case, Kafka Desk, peer, ratio, machine). Figures go in notes; tests
 * never assert on them. `--quick` runs small sizes (CI proves the script works); `--out FILE` writes
 * elsewhere; `--messages N` sets the size (`--avro-messages N` the Avro rows' size, default the same);
 * `--only avro` runs the Avro rows alone and prints them (RESULTS.md is written only by a whole run,
 * or to `--out FILE`).
 *
 * Cases: consume a 6-partition topic from earliest to end (to /dev/null, and into a capture vs kcat
 * into a file), produce the same messages from an NDJSON file; then the window (Chromium, browser
 * mode): the capture of N messages in the table, and a live tail under a steady producer; then Avro
 * with the Schema Registry (avroBench.ts): produce from NDJSON, consume decoded vs not, vs kcat raw
 * and vs Confluent's Python deserializer.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCore, KeyFileSecretBox } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { ensureKafka, type ClusterInfo } from '../infra/kafka';
import { createTopic } from '../integration/support';
import { avroCases, avroTable, readAll, type AvroRow } from './avroBench';
import { liveTailCase, tableCase, type TableFigures, type TailFigures } from './uiBench';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(arg('--messages') ?? (quick ? 20_000 : 1_000_000));
const avroN = Number(arg('--avro-messages') ?? N);
const only = arg('--only');
if (only !== undefined && only !== 'avro') throw new Error(`--only ${only}: the one section that runs alone is avro`);
// a partial run does not replace the whole table
const out = arg('--out') ?? (only ? null : path.join('e2e', 'bench', 'RESULTS.md'));
const bin = path.resolve('bin/kafka-desk.cjs');

interface Run {
  ms: number;
  /** lines written to stdout (only when counted) */
  lines: number;
  /** the end of what it wrote to stderr */
  stderr: string;
}

/**
 * Runs a command with stdout to a file (or /dev/null) and returns its wall time in ms. `'count'`:
 * to a scratch file whose lines are counted after the clock stops (then deleted), so a read proves
 * it read every message; a file, not a pipe, because the CLI writes a pipe without waiting for it
 * (a million lines into a pipe fail with ENOBUFS).
 */
async function run(cmd: string, argv: string[], opts: { stdoutTo?: string | 'count' } = {}): Promise<Run> {
  const count = opts.stdoutTo === 'count';
  const file = count ? path.join(os.tmpdir(), `kafka-desk-bench-out-${process.pid}-${Date.now()}`) : opts.stdoutTo;
  const r = await new Promise<Run>((resolve, reject) => {
    const t0 = performance.now();
    const stdout = createWriteStream(file ?? '/dev/null');
    stdout.once('open', () => {
      const p = spawn(cmd, argv, { stdio: ['ignore', stdout, 'pipe'] });
      let err = '';
      p.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
      p.once('error', reject);
      p.once('exit', (code) => {
        stdout.close();
        if (code === 0) resolve({ ms: performance.now() - t0, lines: 0, stderr: err });
        else reject(new Error(`${path.basename(cmd)} ${argv.slice(0, 3).join(' ')} … exited ${code}: ${err}`));
      });
    });
  });
  if (!count || !file) return r;
  try {
    for await (const d of createReadStream(file) as AsyncIterable<Buffer>)
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) r.lines++;
  } finally {
    await rm(file, { force: true });
  }
  return r;
}

const timed = async (cmd: string, argv: string[], opts: { stdoutTo?: string } = {}) => (await run(cmd, argv, opts)).ms;

const LONG_READS = 'bench (long reads)';

/**
 * The saved connection the reads use: \`consume --until-end\` stops at the connection's request
 * timeout (30 s unless changed), shorter than reading a million messages takes, and only a saved
 * connection can change it.
 */
async function longReadsConnection(k: ClusterInfo, dataDir: string): Promise<string[]> {
  const core = createCore({ host: 'cli', dataDir, version: 'bench', secrets: new KeyFileSecretBox(dataDir) });
  try {
    const saved = await dispatch(core.handlers, 'connections.save', {
      name: LONG_READS,
      bootstrapServers: [k.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
      timeouts: { connectionMs: 10_000, requestMs: 600_000, authenticationMs: 10_000 },
    });
    if (!saved.ok) throw new Error(saved.error.message);
  } finally {
    core.sessions.close();
  }
  return ['--connection', LONG_READS, '--data-dir', dataDir];
}

const valueOf = (i: number) => {
  const head = `{"seq":${i},"payload":"`;
  return head + 'x'.repeat(1024 - head.length - 2) + '"}';
};

async function prepare(k: ClusterInfo, dir: string) {
  const topic = `bench-${N}-${Date.now()}`;
  const ndjson = path.join(dir, 'messages.ndjson');
  const b = createWriteStream(ndjson);
  for (let i = 0; i < N; i++)
    if (!b.write(JSON.stringify({ key: `k${i}`, value: valueOf(i) }) + '\n'))
      await new Promise<void>((r) => b.once('drain', () => r()));
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
  for (let i = 0; i < N; i++)
    if (!w.write(`k${i}\t${valueOf(i)}\n`)) await new Promise<void>((r) => w.once('drain', () => r()));
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
  let avroRows: AvroRow[] = [];
  let tableFigures: TableFigures | null = null;
  let tail: TailFigures | null = null;
  const tailRate = Number(arg('--tail-rate') ?? (quick ? 2_000 : 20_000));
  const tailSeconds = Number(arg('--tail-seconds') ?? (quick ? 3 : 60));
  try {
    const reads = await longReadsConnection(k, dataDir);
    if (!only) await plainAndWindow(reads);
    avroRows = await avroCases({ k, dir, n: avroN, bin, reads, timed, run, log: (s) => console.log(s) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  async function plainAndWindow(reads: string[]) {
    console.log(`preparing ${N.toLocaleString()} messages of 1 KiB on 6 partitions…`);
    const { topic, ndjson } = await prepare(k, dir);
    const b = ['--bootstrap', k.listeners.plaintext, '--data-dir', dataDir];

    const deskConsume = await run(
      process.execPath,
      [bin, 'consume', '--topic', topic, '--from', 'earliest', '--until-end', '--max', String(N), '--json', ...reads],
      { stdoutTo: 'count' },
    );
    readAll('kafka-desk consume --json', deskConsume.lines, N);
    const kcatConsume = await run(
      'kcat',
      ['-b', k.listeners.plaintext, '-C', '-e', '-o', 'beginning', '-J', '-t', topic],
      { stdoutTo: 'count' },
    );
    readAll('kcat -C -J', kcatConsume.lines, N);
    rows.push({
      name: `Consume ${N.toLocaleString()} × 1 KiB, 6 partitions, earliest → end, --json to a file`,
      desk: deskConsume.ms,
      peer: kcatConsume.ms,
      note: 'kafka-desk consume --until-end --json vs kcat -C -e -o beginning -J; both to a file, its lines counted after (every message read)',
    });

    const captureName = `bench ${Date.now()}`;
    const deskCapture = await run(process.execPath, [
      bin,
      'consume',
      '--topic',
      topic,
      '--from',
      'earliest',
      '--until-end',
      '--max',
      String(N),
      '--capture',
      captureName,
      ...reads,
    ]);
    // its summary line: "1000000 message(s), reached the end."
    readAll(
      'kafka-desk consume --capture',
      Number(/(\d+) message\(s\), reached the end/.exec(deskCapture.stderr)?.[1]),
      N,
    );
    const kcatFile = path.join(dir, 'kcat-out.json');
    const kcatToFile = await timed(
      'kcat',
      ['-b', k.listeners.plaintext, '-C', '-e', '-o', 'beginning', '-J', '-t', topic],
      { stdoutTo: kcatFile },
    );
    rows.push({
      name: `Consume ${N.toLocaleString()} into a capture (SQLite) vs kcat into a file`,
      desk: deskCapture.ms,
      peer: kcatToFile,
      note: `kcat file ${((await stat(kcatFile)).size / 1048576).toFixed(0)} MiB`,
    });

    const deskProduce = await timed(process.execPath, [
      bin,
      'produce',
      '--topic',
      `${topic}-kd`,
      '--file',
      ndjson,
      '--format',
      'ndjson',
      ...b,
    ]);
    const kcatProduce = await timed('kcat', [
      '-b',
      k.listeners.plaintext,
      '-P',
      '-t',
      `${topic}-kcat`,
      '-K',
      '\t',
      '-l',
      path.join(dir, 'keyed.txt'),
    ]);
    rows.push({
      name: `Produce ${N.toLocaleString()} × 1 KiB from a file`,
      desk: deskProduce,
      peer: kcatProduce,
      note: 'kafka-desk produce --file (NDJSON) vs kcat -P -l',
    });

    console.log(`the window: a capture of ${N.toLocaleString()} messages in the table…`);
    tableFigures = await tableCase(dataDir, captureName, quick ? 2_000 : 10_000);
    console.log(`the window: Listen while kcat writes ${tailRate.toLocaleString()} msg/s for ${tailSeconds} s…`);
    await createTopic(k, `${topic}-tail`, 6);
    tail = await liveTailCase(dataDir, k, `${topic}-tail`, tailRate, tailSeconds);
  }
  const cpu = os.cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, Kafka ${k.version}`;
  const s = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`);
  const table = [
    `# Kafka Desk benchmarks${quick ? ' (quick mode)' : ''}`,
    '',
    `Run ${new Date().toISOString()} by \`npm run bench${args.length ? ` -- ${args.filter((a, i) => a !== '--out' && args[i - 1] !== '--out').join(' ')}` : ''}\` (${N.toLocaleString()} messages). Wall times; the ratio is Kafka Desk ÷ kcat (lower is better; target ≤ 2.0). Kafka Desk reads through a saved connection with a 10-minute request timeout (\`consume --until-end\` stops at it; 30 s by default), and every read is checked to have read every message.`,
    '',
    `Machine: ${machine}`,
    '',
    ...(rows.length
      ? [
          '| case | Kafka Desk | kcat | ratio | notes |',
          '| --- | ---: | ---: | ---: | --- |',
          ...rows.map(
            (r) =>
              `| ${r.name} | ${s(r.desk)} | ${s(r.peer)} | ${r.desk !== null && r.peer ? (r.desk / r.peer).toFixed(2) + '×' : '—'} | ${r.note} |`,
          ),
          '',
        ]
      : []),
    ...windowTable(tableFigures, tail, tailRate, tailSeconds),
    ...avroTable(avroRows),
  ].join('\n');
  console.log(table);
  if (out) {
    await writeFile(path.resolve(out), table);
    console.log(`written: ${path.resolve(out)}`);
  }
}

/** The window's figures beside their targets (issue 6). */
function windowTable(t: TableFigures | null, l: TailFigures | null, rate: number, seconds: number): string[] {
  if (!t || !l) return [];
  const ms = (x: number) => `${Math.round(x).toLocaleString('en')} ms`;
  const f = (x: number) => `${x.toFixed(1)} ms`;
  return [
    `## The window (Chromium ${'headless'}, browser mode, the core in the bench process)`,
    '',
    '| case | measured | target |',
    '| --- | ---: | ---: |',
    `| Table, ${N.toLocaleString('en')} messages: open the capture → first rows drawn | ${ms(t.firstRowsMs)} | ≤ 300 ms |`,
    `| Table: frame time while scrolling (${t.scroll.frames} frames; steady scroll + a long jump each second) p50 / p95 | ${f(t.scroll.p50)} / ${f(t.scroll.p95)} | p95 ≤ 20 ms |`,
    `| Table: substring filter \`"seq":42\` → first matching rows drawn / all counted (${t.substringMatches}; both include the 200 ms typing pause) | ${ms(t.substringFirstMs)} / ${ms(t.substringMs)} | ≤ 1 s |`,
    `| Table: JSON path filter \`$.seq=42\` → first matching rows drawn / all counted (${t.jsonPathMatches}; both include the 200 ms typing pause) | ${ms(t.jsonPathFirstMs)} / ${ms(t.jsonPathMs)} | — |`,
    `| Table: renderer JS heap after the filters (after GC) | ${t.heapMB} MB | ≤ 250 MB |`,
    `| Table: main-process RSS (core + browser-mode server) | ${t.rssMB} MB | ≤ 600 MB |`,
    `| Live tail, ${rate.toLocaleString('en')} msg/s × ${seconds} s: received / produced | ${l.received.toLocaleString('en')} / ${l.produced.toLocaleString('en')} | no loss |`,
    `| Live tail: producer timestamp → row drawn, p50 / p99 (${l.latency.samples.toLocaleString('en')} rows drawn) | ${ms(l.latency.p50)} / ${ms(l.latency.p99)} | p99 ≤ 500 ms |`,
    `| Live tail: frames over 33 ms / frames | ${l.dropped} / ${l.frames} | — |`,
    `| Live tail: renderer JS heap / main RSS after | ${l.heapMB} MB / ${l.rssMB} MB | — |`,
    '',
  ];
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
