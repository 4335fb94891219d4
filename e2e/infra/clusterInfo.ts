/**
 * `.dev-kafka/cluster.json`: what a started broker tells the tests (listeners, users, certificates,
 * KDC); `.dev-kafka/three/cluster.json`: the same for the three-broker cluster.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { KerberosInfo } from './kdc.js';
import { clusterFile, clusterInfoFile } from './paths.js';
import type { RegistryInfo } from './schemaRegistry.js';
import { errMsg } from './processes.js';

export interface UserCredentials {
  username: string;
  password: string;
}

/** Shape of `.dev-kafka/cluster.json`. */
export interface ClusterInfo {
  version: string;
  pid: number;
  clusterId: string;
  /** Absolute path of `.dev-kafka/`. */
  dataDir: string;
  listeners: {
    plaintext: string;
    sasl: string;
    ssl: string;
    mtls: string;
    oauth: string;
    /** Bootstrap answers here; the broker then advertises an address nobody listens on. */
    unreachableAdvertised: string;
  };
  users: {
    plain: UserCredentials;
    scram256: UserCredentials;
    scram512: UserCredentials;
  };
  tls: {
    /** CA that signed the broker and client certs (PEM). */
    ca: string;
    /** Client certificate (PEM) for the MTLS listener, CN=kafka-desk-client. */
    clientCert: string;
    /** Unencrypted PKCS#8 client key (PEM). */
    clientKey: string;
    /** A second, unrelated CA: use it as an "untrusted CA". */
    otherCa: string;
  };
  /** Java classpath (with a `*` wildcard) that runs any Kafka tool class. */
  toolsClasspath: string;
  /** The test KDC and the GSSAPI listeners (`localhost:19096` SASL_PLAINTEXT, `localhost:19097` SASL_SSL); absent when krb5-kdc is not installed. */
  kerberos?: KerberosInfo & { listeners: { gssapi: string; gssapiSsl: string } };
  /** The test Schema Registries (schemaRegistry.ts); present once `ensureSchemaRegistry()` ran. */
  registry?: RegistryInfo;
  javaBin: string;
}

export async function readCluster(): Promise<ClusterInfo> {
  let text: string;
  try {
    text = await readFile(clusterFile(), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`Kafka is not running: run npm run kafka:up (no ${clusterFile()})`);
    }
    throw e;
  }
  try {
    return JSON.parse(text) as ClusterInfo;
  } catch (e) {
    throw new Error(`Cannot parse ${clusterFile()}: ${errMsg(e)}`);
  }
}

export async function writeCluster(cluster: ClusterInfo): Promise<void> {
  await writeFile(clusterFile(), `${JSON.stringify(cluster, null, 2)}\n`);
}

/** One node of the three-broker cluster (broker and controller in one JVM). */
export interface ClusterNodeInfo {
  nodeId: number;
  rack: string;
  pid: number;
  ports: { controller: number; plaintext: number; sasl: number };
  listeners: { plaintext: string; sasl: string; controller: string };
  /** The node's folder: server.properties, data/, kafka.log. */
  dir: string;
  logFile: string;
}

/** Shape of `.dev-kafka/three/cluster.json`. */
export interface ThreeBrokerInfo {
  version: string;
  clusterId: string;
  /** Absolute path of `.dev-kafka/three/`. */
  dataDir: string;
  brokers: ClusterNodeInfo[];
  /** Every broker's address, for a client's bootstrap list (join with ',' for Kafka's tools). */
  bootstrap: { plaintext: string[]; sasl: string[] };
  /** Offered on the SASL_PLAINTEXT listeners. */
  saslMechanisms: string[];
  /** Principals the authorizer lets do everything (`User:ANONYMOUS` is the PLAINTEXT listener's). */
  superUsers: string[];
  /** Both have PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 credentials; `admin` is a super user, `alice` has no ACLs. */
  users: { admin: UserCredentials; alice: UserCredentials };
  toolsClasspath: string;
  javaBin: string;
  /** log4j2 config (warnings on stderr) to run Kafka's tools quietly against this cluster. */
  toolsLog4jConfig: string;
}

export async function readKafkaCluster(): Promise<ThreeBrokerInfo> {
  let text: string;
  try {
    text = await readFile(clusterInfoFile(), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `The three-broker cluster is not running: run npm run kafka:up -- --brokers 3 (no ${clusterInfoFile()})`,
      );
    }
    throw e;
  }
  try {
    return JSON.parse(text) as ThreeBrokerInfo;
  } catch (e) {
    throw new Error(`Cannot parse ${clusterInfoFile()}: ${errMsg(e)}`);
  }
}

export async function writeKafkaCluster(cluster: ThreeBrokerInfo): Promise<void> {
  await writeFile(clusterInfoFile(), `${JSON.stringify(cluster, null, 2)}\n`);
}
