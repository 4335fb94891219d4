/**
 * A real Schema Registry for development and tests: AxonOps Schema Registry (Go, Apache-2.0; speaks
 * Confluent's REST API), built once from the Go module proxy into a cache outside the repo,
 * ${KAFKA_DESK_CACHE:-~/.cache/kafka-desk}/schema-registry-v0.2.1/. Two instances, both on 127.0.0.1
 * with in-memory storage (empty after every start):
 *
 * - open:  http://127.0.0.1:18081, no authentication;
 * - auth:  http://127.0.0.1:18082, HTTP basic auth with RBAC: `admin` (super admin) and `readonly`
 *   (may read, gets 403 on writes), random passwords per start.
 *
 * They cost ~20 MB each and start in well under a second, but the first build takes ~30 s, so they run
 * only when asked: `npm run kafka:up -- --registry`, or `ensureSchemaRegistry()` in the tests that need
 * them. Recorded in `.dev-kafka/registry.json` and in `cluster.json` (`registry`); logs in
 * `.dev-kafka/registry-open.log` and `.dev-kafka/registry-auth.log`. `stopKafka` stops them too.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { readCluster, writeCluster, type UserCredentials } from './clusterInfo.js';
import { withLock } from './lock.js';
import { dataDir } from './paths.js';
import { errMsg, execFileAsync, exists, isPidAlive, killAndWait, readProcSync, sleep, tailFile } from './processes.js';

export const REGISTRY_MODULE = 'github.com/axonops/axonops-schema-registry';
export const REGISTRY_VERSION = 'v0.2.1';
export const REGISTRY_PORTS = { open: 18081, auth: 18082 } as const;
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 30_000;

/** What `.dev-kafka/registry.json` and `cluster.json` (`registry`) record. */
export interface RegistryInfo {
  /** The open registry (no authentication). */
  url: string;
  /** The registry that requires HTTP basic auth. */
  auth: { url: string; admin: UserCredentials; readonly: UserCredentials };
  pids: { open: number; auth: number };
  version: string;
}

type Instance = keyof typeof REGISTRY_PORTS;

const registryFile = () => path.join(dataDir(), 'registry.json');
const configFile = (which: Instance) => path.join(dataDir(), `registry-${which}.yaml`);
const instanceLog = (which: Instance) => path.join(dataDir(), `registry-${which}.log`);
const urlOf = (which: Instance) => `http://${HOST}:${REGISTRY_PORTS[which]}`;

function cacheRoot(): string {
  const base = process.env.KAFKA_DESK_CACHE || path.join(homedir(), '.cache', 'kafka-desk');
  return path.join(path.resolve(base), `schema-registry-${REGISTRY_VERSION}`);
}

/**
 * Fixes applied to the module's source before it is built, as exact text replacements (a change in
 * the list builds a new binary). v0.2.1 dereferences a nil message descriptor for every enum field
 * when it answers `?format=serialized` (HTTP 500), the form Confluent's Protobuf serializers always
 * ask for: enum fields would not work with them at all.
 */
const SOURCE_FIXES: { file: string; from: string; to: string }[] = [
  {
    file: 'internal/schema/protobuf/parser.go',
    from: `\tif fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.EnumKind {
\t\ttn := string(fd.Message().FullName())
\t\tif fd.Kind() == protoreflect.EnumKind {
\t\t\ttn = string(fd.Enum().FullName())
\t\t}
\t\tfp.TypeName = &tn
\t}`,
    to: `\tif fd.Kind() == protoreflect.EnumKind {
\t\ttn := string(fd.Enum().FullName())
\t\tfp.TypeName = &tn
\t} else if fd.Message() != nil {
\t\ttn := string(fd.Message().FullName())
\t\tfp.TypeName = &tn
\t}`,
  },
];

/** The built binary's path (it may not exist yet). */
export function registryBinary(): string {
  const fixes = createHash('sha256').update(JSON.stringify(SOURCE_FIXES)).digest('hex').slice(0, 8);
  return path.join(cacheRoot(), 'bin', `schema-registry-${fixes}`);
}

async function findGo(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'go');
    if (await exists(candidate)) return candidate;
  }
  // the official Go tarball's place, often not on a non-login shell's PATH
  if (await exists('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error(
    `Go (\`go\`, 1.26 or newer) is required to build the test Schema Registry (${REGISTRY_MODULE}@${REGISTRY_VERSION}) ` +
      'but was found neither on PATH nor in /usr/local/go/bin: install Go from https://go.dev/dl/.',
  );
}

/**
 * Builds the registry binary once. `go install …@version` does not work for this module (the proxy
 * refuses its version list, which `go install` needs for its deprecation check), so it is built
 * through a throw-away module of our own that requires it. All Go caches live in the cache folder.
 */
async function buildBinary(log: (s: string) => void): Promise<string> {
  const bin = registryBinary();
  if (await exists(bin)) return bin;
  const go = await findGo();
  const root = cacheRoot();
  const mod = path.join(root, 'build-module');
  const tmpBin = `${bin}.tmp-${process.pid}`;
  log(
    `building the test Schema Registry (${REGISTRY_MODULE}@${REGISTRY_VERSION}) with Go into ${root} (first run only)...`,
  );
  const t0 = Date.now();
  await rm(mod, { recursive: true, force: true });
  await mkdir(mod, { recursive: true });
  await mkdir(path.dirname(bin), { recursive: true });
  await writeFile(path.join(mod, 'go.mod'), 'module kafkadesk-registry-build\n\ngo 1.26.0\n');
  const env = {
    ...process.env,
    GOPATH: path.join(root, 'go'),
    GOMODCACHE: path.join(root, 'go', 'pkg', 'mod'),
    GOCACHE: path.join(root, 'go-build'),
    // -modcacherw: the module cache can be deleted with rm -rf like any other cache
    GOFLAGS: '-mod=mod -modcacherw',
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    CGO_ENABLED: '0',
  };
  const pkg = `${REGISTRY_MODULE}/cmd/schema-registry`;
  const run = async (args: string[]) => {
    try {
      return (await execFileAsync(go, args, { cwd: mod, env, maxBuffer: 64 * 1024 * 1024 })).stdout;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      await rm(tmpBin, { force: true });
      throw new Error(`\`go ${args.join(' ')}\` failed:\n${err.stdout ?? ''}\n${err.stderr ?? errMsg(e)}`.trim());
    }
  };
  await run(['get', `${pkg}@${REGISTRY_VERSION}`]);
  // the fixed copy of the module's source replaces the downloaded one for this build
  const downloaded = (await run(['list', '-m', '-f', '{{.Dir}}', REGISTRY_MODULE])).trim();
  const fixed = path.join(mod, 'registry-source');
  await cp(downloaded, fixed, { recursive: true });
  for (const fix of SOURCE_FIXES) {
    const file = path.join(fixed, fix.file);
    const text = await readFile(file, 'utf8');
    if (!text.includes(fix.from))
      throw new Error(`${REGISTRY_MODULE}@${REGISTRY_VERSION}: ${fix.file} changed; cannot apply the fix`);
    await writeFile(file, text.replace(fix.from, fix.to));
  }
  await run(['mod', 'edit', `-replace=${REGISTRY_MODULE}=./registry-source`]);
  const t1 = Date.now();
  await run(['build', '-trimpath', '-o', tmpBin, pkg]);
  await rename(tmpBin, bin);
  log(
    `built ${bin} in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
      `(download ${((t1 - t0) / 1000).toFixed(1)} s, compile ${((Date.now() - t1) / 1000).toFixed(1)} s)`,
  );
  return bin;
}

function basic(user: UserCredentials): string {
  return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
}

/** HTTP status of `GET /subjects`, or 0 when nothing answers. */
async function subjectsStatus(url: string, user?: UserCredentials): Promise<number> {
  try {
    const r = await fetch(`${url}/subjects`, {
      headers: user ? { authorization: basic(user) } : {},
      signal: AbortSignal.timeout(2000),
    });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

async function readInfo(): Promise<RegistryInfo | null> {
  try {
    return JSON.parse(await readFile(registryFile(), 'utf8')) as RegistryInfo;
  } catch {
    return null;
  }
}

async function liveRegistry(): Promise<RegistryInfo | null> {
  const info = await readInfo();
  if (!info || !isPidAlive(info.pids.open) || !isPidAlive(info.pids.auth)) return null;
  if ((await subjectsStatus(info.url)) !== 200) return null;
  return (await subjectsStatus(info.auth.url, info.auth.admin)) === 200 ? info : null;
}

/**
 * Pids of registries started from this checkout (their command line names one of our config files),
 * including ones whose registry.json was lost when the broker's fresh start wiped `.dev-kafka/`.
 */
function ourRegistryPids(): number[] {
  if (process.platform !== 'linux') return [];
  const configs = new Set([configFile('open'), configFile('auth')]);
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = readProcSync(`/proc/${entry}/cmdline`)?.split('\0') ?? [];
    if (args[0] === registryBinary() && args.some((a) => configs.has(a)) && isPidAlive(Number(entry))) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

async function stopPids(pids: Iterable<number>, log: (s: string) => void): Promise<void> {
  for (const pid of new Set(pids)) {
    if (!isPidAlive(pid)) continue;
    log(`stopping Schema Registry (pid ${pid})...`);
    await killAndWait(pid, () => undefined);
  }
}

function yamlConfig(which: Instance): string {
  const lines = [
    '# generated by kafka-desk e2e/infra/schemaRegistry.ts',
    'server:',
    `  host: ${HOST}`,
    `  port: ${REGISTRY_PORTS[which]}`,
    'storage:',
    '  type: memory',
  ];
  if (which === 'auth') {
    // the password comes from the environment (the registry expands ${...}), so it is in no file
    lines.push(
      'security:',
      '  auth:',
      '    enabled: true',
      '    methods: [basic]',
      '    bootstrap:',
      '      enabled: true',
      '      username: admin',
      '      password: ${SR_ADMIN_PASSWORD}',
      '    rbac:',
      '      enabled: true',
      '      default_role: readonly',
    );
  }
  return `${lines.join('\n')}\n`;
}

async function startInstance(bin: string, which: Instance, adminPassword: string, log: (s: string) => void) {
  await writeFile(configFile(which), yamlConfig(which));
  const out = openSync(instanceLog(which), 'a');
  let child;
  try {
    child = spawn(bin, ['-config', configFile(which)], {
      cwd: dataDir(),
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        SCHEMA_REGISTRY_HOST: HOST,
        SCHEMA_REGISTRY_PORT: String(REGISTRY_PORTS[which]),
        ...(which === 'auth' ? { SR_ADMIN_PASSWORD: adminPassword } : {}),
      },
    });
  } finally {
    closeSync(out);
  }
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `exit code ${code}`));
  child.unref();
  if (child.pid === undefined) throw new Error(`Could not start the Schema Registry (${bin}).`);
  const pid = child.pid;
  log(`starting Schema Registry ${REGISTRY_VERSION} (${which}, pid ${pid}) on ${urlOf(which)}...`);
  const admin = { username: 'admin', password: adminPassword };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      throw new Error(`Schema Registry (${which}) exited (${exited}):\n${await tailFile(instanceLog(which), 20)}`);
    }
    if ((await subjectsStatus(urlOf(which), which === 'auth' ? admin : undefined)) === 200) return pid;
    if (Date.now() > deadline) {
      await stopPids([pid], log);
      throw new Error(
        `Schema Registry (${which}) did not answer within ${READY_TIMEOUT_MS / 1000} s; see ${instanceLog(which)}`,
      );
    }
    await sleep(100);
  }
}

async function createUser(url: string, admin: UserCredentials, user: UserCredentials, role: string): Promise<void> {
  const r = await fetch(`${url}/admin/users`, {
    method: 'POST',
    headers: { authorization: basic(admin), 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password, role, enabled: true }),
    signal: AbortSignal.timeout(5000),
  });
  if (!r.ok) throw new Error(`Creating the registry user ${user.username} failed: HTTP ${r.status} ${await r.text()}`);
}

async function recordInCluster(info: RegistryInfo | undefined): Promise<void> {
  const cluster = await readCluster().catch(() => null);
  if (!cluster) return; // no broker: registry.json alone tells where the registries are
  if (info === undefined) {
    if (!cluster.registry) return;
    const { registry: _gone, ...rest } = cluster;
    await writeCluster(rest);
    return;
  }
  if (JSON.stringify(cluster.registry) === JSON.stringify(info)) return;
  await writeCluster({ ...cluster, registry: info });
}

/** Reuse the running registries, or build (once) and start both; waits until each answers `GET /subjects`. */
export async function ensureSchemaRegistry(opts: { log?: (s: string) => void } = {}): Promise<RegistryInfo> {
  const log = opts.log ?? (() => undefined);
  const live = await liveRegistry();
  if (live) {
    await withLock(log, () => recordInCluster(live));
    return live;
  }
  return withLock(log, async () => {
    const again = await liveRegistry();
    if (again) {
      await recordInCluster(again);
      return again;
    }
    const bin = await buildBinary(log);
    await mkdir(dataDir(), { recursive: true });
    // half-started or orphaned registries of ours go first
    const old = await readInfo();
    await stopPids([...(old ? [old.pids.open, old.pids.auth] : []), ...ourRegistryPids()], log);
    await rm(registryFile(), { force: true });
    for (const which of ['open', 'auth'] as const) {
      if ((await subjectsStatus(urlOf(which))) !== 0) {
        throw new Error(`Something else answers on ${urlOf(which)}: stop it first (try \`ss -ltnp\`).`);
      }
    }
    const admin = { username: 'admin', password: randomBytes(12).toString('hex') };
    const readonly = { username: 'readonly', password: randomBytes(12).toString('hex') };
    const t0 = Date.now();
    const open = await startInstance(bin, 'open', admin.password, log);
    let auth: number;
    try {
      auth = await startInstance(bin, 'auth', admin.password, log);
      await createUser(urlOf('auth'), admin, readonly, 'readonly');
    } catch (e) {
      await stopPids([open, ...ourRegistryPids()], log);
      throw e;
    }
    const info: RegistryInfo = {
      url: urlOf('open'),
      auth: { url: urlOf('auth'), admin, readonly },
      pids: { open, auth },
      version: REGISTRY_VERSION,
    };
    await writeFile(registryFile(), `${JSON.stringify(info, null, 2)}\n`);
    await recordInCluster(info);
    log(`Schema Registry ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return info;
  });
}

/** The recorded registries (from `.dev-kafka/registry.json`); throws when none was started. */
export async function registryInfo(): Promise<RegistryInfo> {
  const info = await readInfo();
  if (!info) throw new Error(`No Schema Registry is running: call ensureSchemaRegistry() (no ${registryFile()})`);
  return info;
}

/** Stops both registries if ours run (also called when the broker stops). */
export async function stopSchemaRegistry(opts: { log?: (s: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => undefined);
  if (!(await exists(dataDir()))) return;
  await withLock(log, async () => {
    const info = await readInfo();
    const pids = [...(info ? [info.pids.open, info.pids.auth] : []), ...ourRegistryPids()];
    const running = pids.filter(isPidAlive);
    await stopPids(running, log);
    await rm(registryFile(), { force: true });
    await recordInCluster(undefined);
    if (running.length > 0) log('Schema Registry stopped');
  });
}
