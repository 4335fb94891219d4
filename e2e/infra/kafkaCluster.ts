/**
 * The three-broker cluster: Apache Kafka 4.1.1 in KRaft mode, three JVMs that are each broker and
 * controller (one quorum of three voters), racks a, b, a, the StandardAuthorizer on (super users
 * `admin` and ANONYMOUS, nothing allowed without an ACL), from the same jars as the single broker.
 * It costs three JVMs, so only the tests that need it start it (`ensureKafkaCluster()` in their
 * `beforeAll`), or `npm run kafka:up -- --brokers 3`. Everything lives in `.dev-kafka/three/`:
 * `node-<id>/` (server.properties, log4j2.properties, data/, kafka.log, kafka.pid) and cluster.json.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import {
  CLUSTER_NODES,
  CLUSTER_SASL_MECHANISMS,
  CLUSTER_SUPER_USERS,
  HOST,
  clusterPorts,
  clusterServerProperties,
  jvmArgs,
  log4j2Properties,
  toolsLog4j2Properties,
} from './brokerConfig.js';
import {
  formatStorage,
  isOurBroker,
  randomClusterId,
  randomSecret,
  spawnBroker,
  wipeDataDir,
} from './brokerProcess.js';
import {
  readKafkaCluster,
  writeKafkaCluster,
  type ClusterNodeInfo,
  type ThreeBrokerInfo,
  type UserCredentials,
} from './clusterInfo.js';
import { ensureJars, KAFKA_VERSION } from './jars.js';
import { withLock } from './lock.js';
import { clusterDir, clusterInfoFile, javaBin } from './paths.js';
import { exists, killAndWait } from './processes.js';
import {
  answersMetadata,
  metadataProbe,
  portsInUse,
  tcpAccepts,
  waitForChecks,
  type ReadinessCheck,
} from './readiness.js';

export interface EnsureKafkaClusterOptions {
  log?: (s: string) => void;
}

/** Three heaps of at most 384 MiB: the cluster idles well below that, and the machine keeps room for the rest. */
const HEAP = { min: '128m', max: '384m' };
/**
 * The client compiler only: three JVMs and their storage tools start on two cores in about half the
 * time (the optimizing compiler's work never pays off in a test's lifetime), and use less memory.
 */
const QUICK_START = ['-XX:TieredStopAtLevel=1'];

const nodeDir = (nodeId: number) => path.join(clusterDir(), `node-${nodeId}`);
const nodeProps = (nodeId: number) => path.join(nodeDir(nodeId), 'server.properties');
const nodePidFile = (nodeId: number) => path.join(nodeDir(nodeId), 'kafka.pid');
const nodeLogFile = (nodeId: number) => path.join(nodeDir(nodeId), 'kafka.log');

/** The running cluster if cluster.json, every node's pid and every broker's metadata (all three brokers) agree. */
async function liveKafkaCluster(): Promise<ThreeBrokerInfo | undefined> {
  const cluster = await readKafkaCluster().catch(() => undefined);
  if (!cluster || cluster.version !== KAFKA_VERSION || cluster.brokers.length !== CLUSTER_NODES.length) {
    return undefined;
  }
  if (!cluster.brokers.every((b) => isOurBroker(b.pid, nodeProps(b.nodeId)))) return undefined;
  for (const b of cluster.brokers) {
    if ((await answersMetadata(b.listeners.plaintext, CLUSTER_NODES.length)) !== cluster.clusterId) return undefined;
  }
  return cluster;
}

/** Stops every node of ours that cluster.json or a node's pid file names; true if one was running. */
async function stopUnlocked(log: (s: string) => void): Promise<boolean> {
  const recorded = await readKafkaCluster().catch(() => undefined);
  const targets: Array<{ nodeId: number; pid: number }> = [];
  for (const { nodeId } of CLUSTER_NODES) {
    const pids = new Set<number>();
    const fromInfo = recorded?.brokers.find((b) => b.nodeId === nodeId)?.pid;
    if (fromInfo) pids.add(fromInfo);
    const pidText = (await readFile(nodePidFile(nodeId), 'utf8').catch(() => '')).trim();
    if (pidText) pids.add(Number(pidText));
    for (const pid of pids) if (isOurBroker(pid, nodeProps(nodeId))) targets.push({ nodeId, pid });
  }
  // all at once: stopped one by one, the last node would wait for a quorum that is already gone
  await Promise.all(targets.map(({ pid }) => killAndWait(pid, log)));
  await rm(clusterInfoFile(), { force: true });
  await Promise.all(CLUSTER_NODES.map(({ nodeId }) => rm(nodePidFile(nodeId), { force: true })));
  return targets.length > 0;
}

function probeConfig(brokers: string[], sasl?: SASLOptions): KafkaConfig {
  return {
    clientId: 'kafka-desk-infra-probe',
    brokers,
    connectionTimeout: 3000,
    authenticationTimeout: 5000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
    ...(sasl ? { sasl } : {}),
  };
}

/** Every port accepts; every broker's metadata lists all three; admin and alice log in with each mechanism. */
function readinessChecks(cluster: ThreeBrokerInfo): ReadinessCheck[] {
  const n = cluster.brokers.length;
  const expectId = (id: string) => {
    if (id !== cluster.clusterId) throw new Error(`unexpected cluster id ${id}`);
  };
  const logins = (Object.entries(cluster.users) as Array<[string, UserCredentials]>).flatMap(([name, user]) =>
    (['plain', 'scram-sha-256', 'scram-sha-512'] as const).map((mechanism): ReadinessCheck => [
      `${name} via ${mechanism}`,
      async () =>
        expectId(
          await metadataProbe(
            probeConfig(cluster.bootstrap.sasl, { mechanism, username: user.username, password: user.password }),
            n,
          ),
        ),
    ]),
  );
  return [
    ...cluster.brokers.flatMap((b) =>
      Object.entries(b.ports).map(([name, port]): ReadinessCheck => [
        `tcp node ${b.nodeId} ${name} :${port}`,
        async () => {
          if (!(await tcpAccepts(port))) throw new Error('connection refused');
        },
      ]),
    ),
    ...cluster.brokers.map((b): ReadinessCheck => [
      `metadata via node ${b.nodeId}`,
      async () => expectId(await metadataProbe(probeConfig([b.listeners.plaintext]), n)),
    ]),
    ...logins,
  ];
}

async function startFresh(log: (s: string) => void): Promise<ThreeBrokerInfo> {
  await stopUnlocked(log);
  const busy = await portsInUse(
    CLUSTER_NODES.flatMap(({ nodeId }) =>
      Object.entries(clusterPorts(nodeId)).map(([name, port]): [string, number] => [`node ${nodeId} ${name}`, port]),
    ),
  );
  if (busy.length > 0) {
    throw new Error(
      `Cannot start the three-broker cluster: port(s) already in use by another process: ${busy.join(', ')}. ` +
        `Stop that process (a cluster from another checkout? try \`ss -ltnp\`) and retry.`,
    );
  }

  const libs = await ensureJars(log);
  const classpath = path.join(libs, '*');
  const java = javaBin();
  const dir = clusterDir();
  log(`preparing ${dir}`);
  await wipeDataDir(dir, ['.lock']);
  const users = {
    admin: { username: 'admin', password: randomSecret() },
    alice: { username: 'alice', password: randomSecret() },
  };
  const clusterId = randomClusterId();
  const toolsLog4jConfig = path.join(dir, 'log4j2-tools.properties');
  await writeFile(toolsLog4jConfig, toolsLog4j2Properties());
  const scram = Object.values(users).flatMap((u) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].map((m) => `${m}=[name=${u.username},password=${u.password}]`),
  );

  // every node's storage gets the same cluster id and SCRAM users; the first active controller writes them
  await Promise.all(
    CLUSTER_NODES.map(async ({ nodeId }) => {
      const nd = nodeDir(nodeId);
      await mkdir(path.join(nd, 'data'), { recursive: true });
      await writeFile(nodeProps(nodeId), clusterServerProperties(nodeId, nd, Object.values(users)));
      await writeFile(path.join(nd, 'log4j2.properties'), log4j2Properties(nodeLogFile(nodeId)));
      await formatStorage({
        java,
        classpath,
        toolsLog4jConfig,
        clusterId,
        serverProps: nodeProps(nodeId),
        scram,
        cwd: nd,
        logPath: nodeLogFile(nodeId),
        jvm: QUICK_START,
      });
    }),
  );

  log(`starting a three-broker Kafka ${KAFKA_VERSION} cluster (cluster id ${clusterId})...`);
  const brokers: ClusterNodeInfo[] = [];
  const exits: Array<() => string | undefined> = [];
  const stopStarted = async () => {
    await Promise.all(brokers.map((b) => killAndWait(b.pid, log)));
    await Promise.all(brokers.map((b) => rm(nodePidFile(b.nodeId), { force: true })));
  };
  try {
    for (const { nodeId, rack } of CLUSTER_NODES) {
      const nd = nodeDir(nodeId);
      const jvm = [...jvmArgs(path.join(nd, 'log4j2.properties'), { heap: HEAP, logsDir: nd }), ...QUICK_START];
      const { pid, exitReason } = await spawnBroker(java, classpath, jvm, nodeProps(nodeId), nd, nodeLogFile(nodeId));
      await writeFile(nodePidFile(nodeId), `${pid}\n`);
      const ports = clusterPorts(nodeId);
      brokers.push({
        nodeId,
        rack,
        pid,
        ports,
        listeners: {
          plaintext: `${HOST}:${ports.plaintext}`,
          sasl: `${HOST}:${ports.sasl}`,
          controller: `${HOST}:${ports.controller}`,
        },
        dir: nd,
        logFile: nodeLogFile(nodeId),
      });
      exits.push(() => {
        const why = exitReason();
        return why === undefined ? undefined : `node ${nodeId}: ${why}`;
      });
    }
  } catch (e) {
    await stopStarted();
    throw e;
  }

  const cluster: ThreeBrokerInfo = {
    version: KAFKA_VERSION,
    clusterId,
    dataDir: dir,
    brokers,
    bootstrap: {
      plaintext: brokers.map((b) => b.listeners.plaintext),
      sasl: brokers.map((b) => b.listeners.sasl),
    },
    saslMechanisms: [...CLUSTER_SASL_MECHANISMS],
    superUsers: [...CLUSTER_SUPER_USERS],
    users,
    toolsClasspath: classpath,
    javaBin: java,
    toolsLog4jConfig,
  };
  const exited = () => exits.map((f) => f()).find((why) => why !== undefined);
  try {
    await waitForChecks(
      readinessChecks(cluster),
      exited,
      brokers.map((b) => b.logFile),
      'The three-broker cluster',
    );
  } catch (e) {
    await stopStarted();
    throw e;
  }
  log('all brokers answer');
  await writeKafkaCluster(cluster);
  return cluster;
}

/**
 * Reuse the running three-broker cluster described by `.dev-kafka/three/cluster.json`, or start a
 * fresh one (wiping `.dev-kafka/three/`) and wait until every broker and login answers.
 */
export async function ensureKafkaCluster(
  opts: EnsureKafkaClusterOptions = {},
): Promise<{ cluster: ThreeBrokerInfo; startedHere: boolean }> {
  const log = opts.log ?? (() => undefined);
  return withLock(
    log,
    async () => {
      const t0 = Date.now();
      const live = await liveKafkaCluster();
      if (live) {
        log(`reusing the running three-broker cluster (pids ${live.brokers.map((b) => b.pid).join(', ')})`);
        return { cluster: live, startedHere: false };
      }
      const cluster = await startFresh(log);
      log(`three-broker cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return { cluster, startedHere: true };
    },
    clusterDir(),
  );
}

/** SIGTERM the cluster's three nodes at once, wait for them to exit (SIGKILL after ~20 s), remove cluster.json. */
export async function stopKafkaCluster(opts: EnsureKafkaClusterOptions = {}): Promise<void> {
  const log = opts.log ?? (() => undefined);
  if (!(await exists(clusterDir()))) return;
  await withLock(
    log,
    async () => {
      const stopped = await stopUnlocked(log);
      log(stopped ? 'three-broker cluster stopped' : 'the three-broker cluster was not running');
    },
    clusterDir(),
  );
}
