/**
 * An independent peer for Schema Registry formats: Confluent's own Python serializers
 * (confluent-kafka with its Avro, Protobuf and JSON Schema extras), in a virtual environment created
 * once in a cache outside the repo, ${KAFKA_DESK_CACHE:-~/.cache/kafka-desk}/confluent-python-2.16.1/.
 * `runPeer(request)` runs e2e/peers/confluent_peer.py with the request as JSON on stdin and returns
 * its JSON answer; the script's header documents the requests and the value conventions.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { withLock } from './lock.js';
import { repoRoot } from './paths.js';
import { errMsg, execFileAsync, exists } from './processes.js';

export const CONFLUENT_KAFKA_VERSION = '2.16.1';
const REQUIREMENT = `confluent-kafka[avro,protobuf,json,schemaregistry]==${CONFLUENT_KAFKA_VERSION}`;
/** What the peer imports: a venv that cannot import these is rebuilt. */
const IMPORT_CHECK =
  'import confluent_kafka, fastavro, jsonschema, google.protobuf; ' +
  'from confluent_kafka.schema_registry.avro import AvroSerializer; ' +
  'from confluent_kafka.schema_registry.protobuf import ProtobufSerializer; ' +
  'from confluent_kafka.schema_registry.json_schema import JSONSerializer';
const PEER_TIMEOUT_MS = 120_000;

/** The peer cannot run on this machine (no python3, no venv module, pip cannot install): tests skip. */
export class PythonPeerUnavailable extends Error {}

function venvDir(): string {
  const base = process.env.KAFKA_DESK_CACHE || path.join(homedir(), '.cache', 'kafka-desk');
  return path.join(path.resolve(base), `confluent-python-${CONFLUENT_KAFKA_VERSION}`, 'venv');
}

export function peerScript(): string {
  return path.join(repoRoot(), 'e2e', 'peers', 'confluent_peer.py');
}

async function importable(python: string): Promise<boolean> {
  try {
    await execFileAsync(python, ['-c', IMPORT_CHECK], { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const outputOf = (e: unknown) => {
  const err = e as { stdout?: string; stderr?: string };
  return `${err.stdout ?? ''}\n${err.stderr ?? errMsg(e)}`.trim();
};

async function createVenv(log: (s: string) => void): Promise<string> {
  const dir = venvDir();
  const python = path.join(dir, 'bin', 'python');
  const marker = path.join(dir, '.complete');
  if ((await exists(marker)) && (await importable(python))) return python;
  log(`creating a Python virtual environment with ${REQUIREMENT} in ${dir} (first run only)...`);
  const t0 = Date.now();
  await rm(dir, { recursive: true, force: true });
  try {
    await execFileAsync('python3', ['-m', 'venv', dir], { timeout: 120_000 });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PythonPeerUnavailable('python3 is not installed, so Confluent’s Python serializers cannot run');
    }
    throw new PythonPeerUnavailable(`\`python3 -m venv\` failed (on Debian install python3-venv):\n${outputOf(e)}`);
  }
  try {
    await execFileAsync(python, ['-m', 'pip', 'install', '--quiet', REQUIREMENT], {
      timeout: 15 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new PythonPeerUnavailable(`pip could not install ${REQUIREMENT}:\n${outputOf(e)}`);
  }
  if (!(await importable(python))) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${REQUIREMENT} installed but its modules do not import`);
  }
  await writeFile(marker, `${REQUIREMENT}\n`);
  log(`Python peer ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return python;
}

let ready: Promise<{ python: string }> | undefined;

/** The venv's python (created once, reused while it imports the peer's modules). */
export function ensurePythonPeer(opts: { log?: (s: string) => void } = {}): Promise<{ python: string }> {
  const log = opts.log ?? (() => undefined);
  ready ??= withLock(log, async () => ({ python: await createVenv(log) }));
  ready.catch(() => (ready = undefined));
  return ready;
}

/**
 * Runs one peer request: JSON on stdin (never on a command line), JSON answer on stdout. A failing
 * request throws with the script's stderr (its traceback and librdkafka's log).
 */
export async function runPeer(request: object, opts: { timeoutMs?: number } = {}): Promise<unknown> {
  const { python } = await ensurePythonPeer();
  const timeoutMs = opts.timeoutMs ?? PEER_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(python, [peerScript()], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8').trim();
      const op = (request as { op?: unknown }).op;
      if (code !== 0) {
        const why = timedOut
          ? `timed out after ${timeoutMs / 1000} s`
          : signal
            ? `signal ${signal}`
            : `exit code ${code}`;
        reject(new Error(`confluent peer ${String(op)} failed (${why}):\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as unknown);
      } catch (e) {
        reject(new Error(`confluent peer ${String(op)} answered no JSON (${errMsg(e)}):\n${stdout}\n${stderr}`));
      }
    });
    child.stdin.on('error', () => undefined); // an early exit is reported by 'close'
    child.stdin.end(JSON.stringify(request));
  });
}

/**
 * A folder to put first on kcat's LD_LIBRARY_PATH so that it runs with the librdkafka that
 * confluent-kafka's wheel bundles (2.16, the same soname librdkafka.so.1, ABI-stable) instead of the
 * system's: Debian's 2.0.2 repeats the nonce in its SCRAM proof, which Kafka 4 refuses
 * (librdkafka #4895). Null when the wheel holds no such library.
 */
export async function bundledLibrdkafkaDir(python: string, into: string): Promise<string | null> {
  const { stdout } = await execFileAsync(python, [
    '-c',
    'import confluent_kafka, os; print(os.path.dirname(os.path.dirname(confluent_kafka.__file__)))',
  ]);
  const libs = path.join(stdout.trim(), 'confluent_kafka.libs');
  const lib = (await readdir(libs).catch(() => [] as string[])).find((f) => /^librdkafka.*\.so\.1$/.test(f));
  if (!lib) return null;
  const dir = path.join(into, 'librdkafka');
  await mkdir(dir, { recursive: true });
  await rm(path.join(dir, 'librdkafka.so.1'), { force: true });
  await symlink(path.join(libs, lib), path.join(dir, 'librdkafka.so.1'));
  return dir;
}
