import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ConnectionInput } from '../../electron/contract';
import { createCore, KeyFileSecretBox, type Core } from '../../electron/core';
import { readCluster, type ClusterInfo } from '../infra/kafka';

const exec = promisify(execFile);

export { readCluster, type ClusterInfo };

/** A real core on a fresh temp data folder, as the CLI and browser mode build it. */
export async function freshCore(): Promise<{ core: Core; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-it-'));
  return {
    core: createCore({ host: 'cli', dataDir, version: 'test', secrets: new KeyFileSecretBox(dataDir) }),
    dataDir,
  };
}

export const pemUpload = async (file: string) => ({ name: path.basename(file), content: await readFile(file, 'utf8') });

/** Connection form values for each listener of the test broker. */
export async function listenerInputs(k: ClusterInfo): Promise<Record<string, ConnectionInput>> {
  const base = {
    color: 'blue' as const,
    clientId: 'kafka-desk-it',
    timeouts: { connectionMs: 5000, requestMs: 15000, authenticationMs: 5000 },
  };
  const tlsOff = { enabled: false };
  return {
    PLAINTEXT: {
      ...base,
      name: 'plaintext',
      bootstrapServers: [k.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: tlsOff,
    },
    'SASL PLAIN': {
      ...base,
      name: 'plain',
      bootstrapServers: [k.listeners.sasl],
      sasl: { mechanism: 'plain', ...k.users.plain },
      tls: tlsOff,
    },
    'SCRAM-SHA-256': {
      ...base,
      name: 'scram256',
      bootstrapServers: [k.listeners.sasl],
      sasl: { mechanism: 'scram-sha-256', ...k.users.scram256 },
      tls: tlsOff,
    },
    'SCRAM-SHA-512': {
      ...base,
      name: 'scram512',
      bootstrapServers: [k.listeners.sasl],
      sasl: { mechanism: 'scram-sha-512', ...k.users.scram512 },
      tls: tlsOff,
    },
    TLS: {
      ...base,
      name: 'tls',
      bootstrapServers: [k.listeners.ssl],
      sasl: { mechanism: 'none' },
      tls: { enabled: true, ca: await pemUpload(k.tls.ca) },
    },
    'mutual TLS': {
      ...base,
      name: 'mtls',
      bootstrapServers: [k.listeners.mtls],
      sasl: { mechanism: 'none' },
      tls: {
        enabled: true,
        ca: await pemUpload(k.tls.ca),
        clientCert: await pemUpload(k.tls.clientCert),
        clientKey: await pemUpload(k.tls.clientKey),
      },
    },
  };
}

/** Runs one of Kafka's own tools (same jars as the broker), e.g. TopicCommand. */
export async function kafkaTool(k: ClusterInfo, mainClass: string, args: string[]): Promise<string> {
  const { stdout } = await exec(k.javaBin ?? 'java', ['-Xmx256m', '-cp', k.toolsClasspath, mainClass, ...args], {
    timeout: 60_000,
  });
  return stdout;
}

export async function createTopic(k: ClusterInfo, name: string, partitions: number): Promise<void> {
  await kafkaTool(k, 'org.apache.kafka.tools.TopicCommand', [
    '--bootstrap-server',
    k.listeners.plaintext,
    '--create',
    '--if-not-exists',
    '--topic',
    name,
    '--partitions',
    String(partitions),
    '--replication-factor',
    '1',
  ]);
}

/** kcat's view of the cluster (`kcat -L -J`), the independent peer for metadata. */
export interface KcatMetadata {
  originating_broker: { id: number; name: string };
  brokers: { id: number; name: string }[];
  topics: { topic: string; partitions: { partition: number; replicas: { id: number }[] }[] }[];
}
export async function kcatMetadata(bootstrap: string): Promise<KcatMetadata> {
  const { stdout } = await exec('kcat', ['-b', bootstrap, '-L', '-J', '-m', '10'], { timeout: 30_000 });
  return JSON.parse(stdout) as KcatMetadata;
}

export async function kcatProduce(bootstrap: string, topic: string, lines: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const p = execFile(
      'kcat',
      ['-b', bootstrap, '-P', '-t', topic, '-X', 'allow.auto.create.topics=true'],
      { timeout: 30_000 },
      (err) => (err ? reject(err) : resolve()),
    );
    p.stdin?.end(lines.join('\n') + '\n');
  });
}
