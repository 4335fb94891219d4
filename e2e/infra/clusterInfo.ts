/** `.dev-kafka/cluster.json`: what a started broker tells the tests (listeners, users, certificates, KDC). */
import { readFile, writeFile } from 'node:fs/promises';
import type { KerberosInfo } from './kdc.js';
import { clusterFile } from './paths.js';
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
