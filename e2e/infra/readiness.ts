/**
 * Readiness probes: a port accepts, and every listener answers a metadata request with the cluster's
 * id; shared by the single broker and the three-broker cluster.
 */
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { HOST, PORTS } from './brokerConfig.js';
import type { ClusterInfo } from './clusterInfo.js';
import { logFile } from './paths.js';
import { errMsg, sleep, tailFile } from './processes.js';

const READY_TIMEOUT_MS = 90_000;

export function tcpAccepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port });
    const done = (ok: boolean) => {
      sock.removeAllListeners();
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

function clientConfig(
  cluster: ClusterInfo,
  kind: 'plaintext' | 'plain' | 'scram256' | 'scram512' | 'ssl' | 'mtls',
  ca: string,
  cert?: string,
  key?: string,
): KafkaConfig {
  const base: KafkaConfig = {
    clientId: 'kafka-desk-infra-probe',
    brokers: [],
    connectionTimeout: 3000,
    authenticationTimeout: 5000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  };
  switch (kind) {
    case 'plaintext':
      return { ...base, brokers: [cluster.listeners.plaintext] };
    case 'plain':
      return {
        ...base,
        brokers: [cluster.listeners.sasl],
        sasl: { mechanism: 'plain', ...cluster.users.plain },
      };
    case 'scram256':
      return {
        ...base,
        brokers: [cluster.listeners.sasl],
        sasl: { mechanism: 'scram-sha-256', ...cluster.users.scram256 },
      };
    case 'scram512':
      return {
        ...base,
        brokers: [cluster.listeners.sasl],
        sasl: { mechanism: 'scram-sha-512', ...cluster.users.scram512 },
      };
    case 'ssl':
      // servername undefined: verify the IP SAN without sending an IP as SNI
      return {
        ...base,
        brokers: [cluster.listeners.ssl],
        ssl: { ca: [ca], servername: undefined },
      };
    case 'mtls':
      return {
        ...base,
        brokers: [cluster.listeners.mtls],
        ssl: {
          ca: [ca],
          cert: cert ?? '',
          key: key ?? '',
          servername: undefined,
        },
      };
  }
}

/** One metadata round trip (describeCluster) that lists at least `minBrokers`; returns the cluster id. */
export async function metadataProbe(config: KafkaConfig, minBrokers = 1): Promise<string> {
  const admin = new Kafka(config).admin();
  try {
    await admin.connect();
    const info = await admin.describeCluster();
    if (info.brokers.length < minBrokers) {
      throw new Error(
        info.brokers.length < 1 ? 'metadata has no brokers' : `metadata lists ${info.brokers.length} brokers`,
      );
    }
    return info.clusterId;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function answersMetadata(plaintext: string, minBrokers = 1): Promise<string | undefined> {
  try {
    return await metadataProbe(
      {
        clientId: 'kafka-desk-infra-probe',
        brokers: [plaintext],
        connectionTimeout: 2000,
        requestTimeout: 4000,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
      },
      minBrokers,
    );
  } catch {
    return undefined;
  }
}

/** Ports of `ports` on which something already accepts connections, as `name host:port`. */
export async function portsInUse(ports: Iterable<[string, number]>): Promise<string[]> {
  const busy: string[] = [];
  for (const [name, port] of ports) {
    if (await tcpAccepts(port, 500)) busy.push(`${name} ${HOST}:${port}`);
  }
  return busy;
}

export type ReadinessCheck = [name: string, check: () => Promise<unknown>];

/**
 * Runs `checks` in order, each until it passes, within READY_TIMEOUT_MS; fails early when `exited`
 * names a reason (a process died), with the last lines of `logPaths`.
 */
export async function waitForChecks(
  checks: ReadinessCheck[],
  exited: () => string | undefined,
  logPaths: string[],
  what = 'Kafka',
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const tails = async () => {
    const lines = logPaths.length > 1 ? 20 : 40;
    const parts = await Promise.all(logPaths.map(async (p) => `Last lines of ${p}:\n${await tailFile(p, lines)}`));
    return parts.join('\n');
  };
  let i = 0;
  let lastError = '';
  while (i < checks.length) {
    const why = exited();
    if (why !== undefined) throw new Error(`${what} exited during startup (${why}). ${await tails()}`);
    const [name, check] = checks[i]!;
    try {
      await check();
      i++;
      lastError = '';
      continue;
    } catch (e) {
      lastError = `${name}: ${errMsg(e)}`;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} did not become ready within ${READY_TIMEOUT_MS / 1000} s (last failure: ${lastError}). ` +
          (await tails()),
      );
    }
    await sleep(500);
  }
}

export async function waitUntilReady(
  cluster: ClusterInfo,
  exited: () => string | undefined,
  log: (s: string) => void,
): Promise<void> {
  const [ca, cert, key] = await Promise.all(
    [cluster.tls.ca, cluster.tls.clientCert, cluster.tls.clientKey].map((f) => readFile(f, 'utf8')),
  );
  const checks: ReadinessCheck[] = [
    ...Object.entries(PORTS).map(([name, port]): ReadinessCheck => [
      `tcp ${name} :${port}`,
      async () => {
        if (!(await tcpAccepts(port))) throw new Error('connection refused');
      },
    ]),
    ...(['plaintext', 'plain', 'scram256', 'scram512', 'ssl', 'mtls'] as const).map((kind): ReadinessCheck => [
      `metadata via ${kind}`,
      async () => {
        const id = await metadataProbe(clientConfig(cluster, kind, ca!, cert, key));
        if (id !== cluster.clusterId) throw new Error(`unexpected cluster id ${id}`);
      },
    ]),
  ];
  await waitForChecks(checks, exited, [logFile()]);
  log('all listeners answer');
}
