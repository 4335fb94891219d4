/** Readiness probes: a port accepts, and every listener answers a metadata request with the cluster's id. */
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

/** One metadata round trip (describeCluster); returns the cluster id. */
async function describe(config: KafkaConfig): Promise<string> {
  const admin = new Kafka(config).admin();
  try {
    await admin.connect();
    const info = await admin.describeCluster();
    if (info.brokers.length < 1) throw new Error('metadata has no brokers');
    return info.clusterId;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function answersMetadata(plaintext: string): Promise<string | undefined> {
  try {
    return await describe({
      clientId: 'kafka-desk-infra-probe',
      brokers: [plaintext],
      connectionTimeout: 2000,
      requestTimeout: 4000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
  } catch {
    return undefined;
  }
}

export async function waitUntilReady(
  cluster: ClusterInfo,
  exited: () => string | undefined,
  log: (s: string) => void,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const [ca, cert, key] = await Promise.all(
    [cluster.tls.ca, cluster.tls.clientCert, cluster.tls.clientKey].map((f) => readFile(f, 'utf8')),
  );
  const checks: Array<[string, () => Promise<unknown>]> = [
    ...Object.entries(PORTS).map(([name, port]): [string, () => Promise<unknown>] => [
      `tcp ${name} :${port}`,
      async () => {
        if (!(await tcpAccepts(port))) throw new Error('connection refused');
      },
    ]),
    ...(['plaintext', 'plain', 'scram256', 'scram512', 'ssl', 'mtls'] as const).map(
      (kind): [string, () => Promise<unknown>] => [
        `metadata via ${kind}`,
        async () => {
          const id = await describe(clientConfig(cluster, kind, ca!, cert, key));
          if (id !== cluster.clusterId) throw new Error(`unexpected cluster id ${id}`);
        },
      ],
    ),
  ];
  let i = 0;
  let lastError = '';
  while (i < checks.length) {
    const why = exited();
    if (why !== undefined) {
      throw new Error(
        `Kafka exited during startup (${why}). Last lines of ${logFile()}:\n${await tailFile(logFile(), 40)}`,
      );
    }
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
        `Kafka did not become ready within ${READY_TIMEOUT_MS / 1000} s (last failure: ${lastError}). ` +
          `Last lines of ${logFile()}:\n${await tailFile(logFile(), 40)}`,
      );
    }
    await sleep(500);
  }
  log('all listeners answer');
}
