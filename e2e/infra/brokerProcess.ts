/**
 * The broker's lifecycle: reuse the running one, or start a fresh one (format the KRaft storage with
 * the SCRAM users, spawn it detached, wait until every listener answers), restart it on the same
 * data, stop it (and the Connect worker and KDC that depend on it).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BROKER_MAIN_CLASS,
  HOST,
  PORTS,
  STORAGE_TOOL_MAIN_CLASS,
  jvmArgs,
  log4j2Properties,
  serverProperties,
  toolsLog4j2Properties,
} from './brokerConfig.js';
import { generateCerts } from './certificates.js';
import { readCluster, writeCluster, type ClusterInfo } from './clusterInfo.js';
import { ensureJars, KAFKA_VERSION } from './jars.js';
import { kerberosAvailable, startKdc } from './kdc.js';
import { withLock } from './lock.js';
import { CLUSTER_DIR_NAME, clusterFile, dataDir, javaBin, logFile, pidFile } from './paths.js';
import { errMsg, execFileAsync, exists, isPidAlive, killAndWait, readProcSync, sleep } from './processes.js';
import { answersMetadata, portsInUse, waitUntilReady } from './readiness.js';

export interface EnsureKafkaOptions {
  log?: (s: string) => void;
}

export function randomSecret(): string {
  return randomBytes(12).toString('hex');
}

/** Kafka-style cluster id: 16 random bytes, base64url, no padding, not starting with '-'. */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * True if `pid` looks like a broker that we started for this repo with `serverProps` (the single
 * broker's unless told). On systems without /proc we cannot check, and trust the pid file.
 */
export function isOurBroker(pid: number, serverProps = path.join(dataDir(), 'server.properties')): boolean {
  if (!isPidAlive(pid)) return false;
  const cmdline = readProcSync(`/proc/${pid}/cmdline`);
  if (cmdline === undefined) return process.platform !== 'linux';
  const args = cmdline.split('\0');
  return args.includes(BROKER_MAIN_CLASS) && args.includes(serverProps);
}

/** The running cluster if cluster.json, its pid and a metadata request all agree. */
async function liveCluster(): Promise<ClusterInfo | undefined> {
  const cluster = await readCluster().catch(() => undefined);
  if (!cluster || cluster.version !== KAFKA_VERSION || !isPidAlive(cluster.pid)) return undefined;
  const id = await answersMetadata(cluster.listeners.plaintext);
  return id === cluster.clusterId ? cluster : undefined;
}

/** Stop whatever broker of ours cluster.json / kafka.pid point at. */
async function stopUnlocked(log: (s: string) => void): Promise<boolean> {
  // a Kafka Connect worker (connect.ts) goes first: it would only log errors without its broker
  const connect = JSON.parse(await readFile(path.join(dataDir(), 'connect.json'), 'utf8').catch(() => '{}')) as {
    pid?: number;
  };
  if (connect.pid && isPidAlive(connect.pid)) await killAndWait(connect.pid, log);
  // and the test KDC (kdc.ts), which daemonizes and records its pid
  const kdcPid = Number((await readFile(path.join(dataDir(), 'kdc', 'krb5kdc.pid'), 'utf8').catch(() => '')).trim());
  if (kdcPid > 0 && isPidAlive(kdcPid)) await killAndWait(kdcPid, log);
  await rm(path.join(dataDir(), 'connect.json'), { force: true });
  const pids = new Set<number>();
  const cluster = await readCluster().catch(() => undefined);
  if (cluster) pids.add(cluster.pid);
  const pidText = await readFile(pidFile(), 'utf8').catch(() => '');
  if (pidText.trim()) pids.add(Number(pidText.trim()));
  let stopped = false;
  for (const pid of pids) {
    if (isOurBroker(pid)) {
      await killAndWait(pid, log);
      stopped = true;
    }
  }
  await rm(clusterFile(), { force: true });
  await rm(pidFile(), { force: true });
  return stopped;
}

/** Empties `dir` but for its lock (and, in `.dev-kafka/`, the three-broker cluster's folder). */
export async function wipeDataDir(dir = dataDir(), keep: string[] = ['.lock', CLUSTER_DIR_NAME]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const entry of await readdir(dir)) {
    if (keep.includes(entry)) continue;
    await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

async function startFresh(log: (s: string) => void): Promise<ClusterInfo> {
  // Anything of ours still around (half-started, wedged) goes first.
  await stopUnlocked(log);
  const busy = await portsInUse(Object.entries(PORTS));
  if (busy.length > 0) {
    throw new Error(
      `Cannot start Kafka: port(s) already in use by another process: ${busy.join(', ')}. ` +
        `Stop that process (a Kafka from another checkout? try \`ss -ltnp\`) and retry.`,
    );
  }

  const libs = await ensureJars(log);
  const classpath = path.join(libs, '*');
  const java = javaBin();
  const dir = dataDir();
  log(`preparing ${dir}`);
  await wipeDataDir();
  await mkdir(path.join(dir, 'data'), { recursive: true });

  const tls = await generateCerts(path.join(dir, 'certs'));
  const users: ClusterInfo['users'] = {
    plain: { username: 'plainuser', password: randomSecret() },
    scram256: { username: 'scram256', password: randomSecret() },
    scram512: { username: 'scram512', password: randomSecret() },
  };
  const clusterId = randomClusterId();
  const serverProps = path.join(dir, 'server.properties');
  const log4jConfig = path.join(dir, 'log4j2.properties');
  const kerberos = kerberosAvailable() ? await startKdc(path.join(dir, 'kdc'), log) : null;
  if (!kerberos) log('krb5-kdc is not installed: the broker starts without its GSSAPI listeners');
  await writeFile(serverProps, serverProperties(dir, tls, users, kerberos));
  await writeFile(log4jConfig, log4j2Properties(logFile()));
  const toolsLog4jConfig = path.join(dir, 'log4j2-tools.properties');
  await writeFile(toolsLog4jConfig, toolsLog4j2Properties());

  // Format storage (KRaft metadata log) with the SCRAM users, share groups (KIP-932) on: Kafka 4.1
  // ships them as a preview, off unless share.version is set, and the groups tests describe one.
  const commonJvm = [...jvmArgs(log4jConfig), ...(kerberos ? [`-Djava.security.krb5.conf=${kerberos.krb5Conf}`] : [])];
  await formatStorage({
    java,
    classpath,
    toolsLog4jConfig,
    clusterId,
    serverProps,
    scram: [
      `SCRAM-SHA-256=[name=${users.scram256.username},password=${users.scram256.password}]`,
      `SCRAM-SHA-512=[name=${users.scram512.username},password=${users.scram512.password}]`,
    ],
    features: ['share.version=1'],
    cwd: dir,
    logPath: logFile(),
  });

  log(`starting Kafka ${KAFKA_VERSION} (cluster id ${clusterId})...`);
  const { pid, exitReason: exited } = await spawnBroker(java, classpath, commonJvm, serverProps, dir);
  let exitReason: string | undefined;
  const reason = () => (exitReason ??= exited());
  await writeFile(pidFile(), `${pid}\n`);

  const cluster: ClusterInfo = {
    version: KAFKA_VERSION,
    pid,
    clusterId,
    dataDir: dir,
    listeners: {
      plaintext: `${HOST}:${PORTS.plaintext}`,
      sasl: `${HOST}:${PORTS.sasl}`,
      ssl: `${HOST}:${PORTS.ssl}`,
      mtls: `${HOST}:${PORTS.mtls}`,
      oauth: `${HOST}:${PORTS.oauth}`,
      unreachableAdvertised: `${HOST}:${PORTS.badAdvertised}`,
    },
    users,
    tls: {
      ca: tls.ca,
      clientCert: tls.clientCert,
      clientKey: tls.clientKey,
      otherCa: tls.otherCa,
    },
    toolsClasspath: classpath,
    javaBin: java,
    ...(kerberos
      ? {
          kerberos: {
            ...kerberos,
            listeners: { gssapi: `localhost:${PORTS.gssapi}`, gssapiSsl: `localhost:${PORTS.gssapiSsl}` },
          },
        }
      : {}),
  };

  try {
    await waitUntilReady(cluster, reason, log);
  } catch (e) {
    if (reason() === undefined) await killAndWait(pid, log);
    await rm(pidFile(), { force: true });
    throw e;
  }
  await writeCluster(cluster);
  return cluster;
}

/**
 * Formats a node's KRaft storage (`kafka-storage format`) with the cluster id and SCRAM credentials
 * (`--add-scram` values, e.g. `SCRAM-SHA-256=[name=u,password=p]`); the tool's output goes to `logPath`.
 */
export async function formatStorage(o: {
  java: string;
  classpath: string;
  toolsLog4jConfig: string;
  clusterId: string;
  serverProps: string;
  scram: string[];
  /** `--feature` values, e.g. `share.version=1`. */
  features?: string[];
  cwd: string;
  logPath: string;
  /** More JVM options for the tool. */
  jvm?: string[];
}): Promise<void> {
  try {
    const { stdout, stderr } = await execFileAsync(
      o.java,
      [
        ...jvmArgs(o.toolsLog4jConfig).filter((a) => !a.startsWith('-Xm')),
        '-Xmx256m',
        ...(o.jvm ?? []),
        '-cp',
        o.classpath,
        STORAGE_TOOL_MAIN_CLASS,
        'format',
        '--cluster-id',
        o.clusterId,
        '--config',
        o.serverProps,
        ...o.scram.flatMap((s) => ['--add-scram', s]),
        ...(o.features ?? []).flatMap((f) => ['--feature', f]),
      ],
      { cwd: o.cwd, maxBuffer: 16 * 1024 * 1024 },
    );
    await writeFile(o.logPath, `[kafka-desk] storage format:\n${stdout}${stderr}\n`, { flag: 'a' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: string };
    if (err.code === 'ENOENT') throw new Error(`Java not found (\`${o.java}\`): Kafka ${KAFKA_VERSION} needs Java 17+`);
    throw new Error(`Kafka storage format failed:\n${err.stdout ?? ''}\n${err.stderr ?? errMsg(e)}`.trim());
  }
}

/**
 * Starts a broker process (detached, logging to `logPath`: kafka.log unless told) on an already
 * formatted data folder.
 */
export async function spawnBroker(
  java: string,
  classpath: string,
  jvm: string[],
  serverProps: string,
  dir: string,
  logPath = logFile(),
): Promise<{ pid: number; exitReason: () => string | undefined }> {
  const out = openSync(logPath, 'a');
  let child;
  try {
    child = spawn(java, [...jvm, '-cp', classpath, BROKER_MAIN_CLASS, serverProps], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', out, out],
    });
  } finally {
    closeSync(out);
  }
  let exitReason: string | undefined;
  child.once('exit', (code, signal) => {
    exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once('error', (e) => {
    exitReason = `spawn error: ${e.message}`;
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    await sleep(50);
    throw new Error(`Could not start ${java}: ${exitReason ?? 'unknown error'}`);
  }
  return { pid, exitReason: () => exitReason };
}

/**
 * Stops the running broker and starts it again on the same data (same cluster id, users, topics,
 * certificates): what a rolling restart or a crash looks like to a client.
 */
export async function restartKafka(opts: EnsureKafkaOptions & { downMs?: number } = {}): Promise<ClusterInfo> {
  const log = opts.log ?? (() => undefined);
  return withLock(log, async () => {
    const cluster = await readCluster();
    await killAndWait(cluster.pid, log);
    if (opts.downMs) await sleep(opts.downMs);
    const dir = dataDir();
    const jvm = [
      ...jvmArgs(path.join(dir, 'log4j2.properties')),
      ...(cluster.kerberos ? [`-Djava.security.krb5.conf=${cluster.kerberos.krb5Conf}`] : []),
    ];
    const { pid, exitReason } = await spawnBroker(
      cluster.javaBin,
      cluster.toolsClasspath,
      jvm,
      path.join(dir, 'server.properties'),
      dir,
    );
    await writeFile(pidFile(), `${pid}\n`);
    const next: ClusterInfo = { ...cluster, pid };
    await waitUntilReady(next, exitReason, log);
    await writeCluster(next);
    log(`Kafka restarted (pid ${pid})`);
    return next;
  });
}

/**
 * Reuse the running broker described by `.dev-kafka/cluster.json`, or start a
 * fresh one (wiping `.dev-kafka/`) and wait until every listener answers.
 */
export async function ensureKafka(
  opts: EnsureKafkaOptions = {},
): Promise<{ cluster: ClusterInfo; startedHere: boolean }> {
  const log = opts.log ?? (() => undefined);
  return withLock(log, async () => {
    const t0 = Date.now();
    const live = await liveCluster();
    if (live) {
      log(`reusing running Kafka ${live.version} (pid ${live.pid})`);
      return { cluster: live, startedHere: false };
    }
    const cluster = await startFresh(log);
    log(`Kafka ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${cluster.pid})`);
    return { cluster, startedHere: true };
  });
}

/** SIGTERM the broker in cluster.json, wait for it to exit (SIGKILL after ~20 s), remove cluster.json. */
export async function stopKafka(opts: EnsureKafkaOptions = {}): Promise<void> {
  const log = opts.log ?? (() => undefined);
  if (!(await exists(dataDir()))) return;
  await withLock(log, async () => {
    const stopped = await stopUnlocked(log);
    log(stopped ? 'Kafka stopped' : 'Kafka was not running');
  });
}
