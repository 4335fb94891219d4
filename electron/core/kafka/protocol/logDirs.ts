/**
 * What each broker's log dirs hold (DescribeLogDirs, ./logDirsCodec.ts), asked of every broker at
 * once: each answers only for its own disks. A broker that fails is kept with its error, and the
 * others' answers are still used; the sums say when they are short.
 */
import kafkaErrors from 'kafkajs/src/protocol/error.js';
import type { LogDirInfo, ReplicaLogDir, TopicSize } from '../../../contract';
import { CoreError } from '../../coreError';
import type { RawCluster } from '../rawCluster';
import type { ClusterMetadata } from '../types';
import { DESCRIBE_LOG_DIRS, describeLogDirsCall, type DescribeLogDirsRequest, type LogDirResult } from './logDirsCodec';
import { brokerError, negotiate } from './transport';
import { sendVersioned } from './versionedWire';

export interface BrokerLogDirs {
  broker: number;
  version: number;
  dirs: LogDirResult[];
}

export interface LogDirsReport {
  brokers: BrokerLogDirs[];
  /** The broker's error as thrown (the gateway words it for the connection). */
  failures: { broker: number; error: unknown }[];
}

/** Before v3 a broker answered a user who may not describe the cluster with no log dirs, and no error. */
const noneListed = (broker: number) =>
  new CoreError(
    'FORBIDDEN',
    `Broker ${broker} listed no log dirs: before Kafka 3.1 that is how it answers a user who may not describe the cluster (DESCRIBE on the cluster resource).`,
  );

export async function describeLogDirsOnCluster(
  cluster: RawCluster,
  topics: DescribeLogDirsRequest['topics'],
): Promise<LogDirsReport> {
  await cluster.refreshMetadata();
  const ids = Object.keys(cluster.brokerPool.brokers)
    .map(Number)
    .sort((a, b) => a - b);
  const answers = await Promise.all(
    ids.map(async (id): Promise<BrokerLogDirs | { broker: number; error: unknown }> => {
      try {
        const broker = await cluster.findBroker({ nodeId: String(id) });
        const v = negotiate(broker, DESCRIBE_LOG_DIRS.apiKey, DESCRIBE_LOG_DIRS);
        if (v === null)
          throw new CoreError(
            'KAFKA_ERROR',
            `Broker ${id} does not offer DescribeLogDirs (it needs Kafka 1.0 or later).`,
          );
        const res = await sendVersioned(broker, describeLogDirsCall(v, { topics }));
        if (res.errorCode !== 0) throw brokerError(res.errorCode, null);
        if (v < 3 && res.results.length === 0) throw noneListed(id);
        return { broker: id, version: v, dirs: res.results };
      } catch (error) {
        return { broker: id, error };
      }
    }),
  );
  return {
    brokers: answers.filter((a): a is BrokerLogDirs => 'dirs' in a),
    failures: answers.filter((a): a is { broker: number; error: unknown } => 'error' in a),
  };
}

const errorName = (code: number): string => {
  const e = kafkaErrors.createErrorFromCode(code) as Error & { type?: string };
  return `${e.type ?? `error ${code}`}: ${e.message}`;
};
const bytesOrNull = (v: bigint | null) => (v === null || v < 0n ? null : v.toString());

/** Every log dir of every broker that answered, and why one is offline. */
export function logDirInfos(report: LogDirsReport): LogDirInfo[] {
  return report.brokers.flatMap((b) =>
    b.dirs.map((d) => ({
      broker: b.broker,
      logDir: d.logDir,
      totalBytes: bytesOrNull(d.totalBytes),
      usableBytes: bytesOrNull(d.usableBytes),
      error: d.errorCode === 0 ? null : errorName(d.errorCode),
    })),
  );
}

/** The replicas of `topic` (or of every topic) the brokers told, each marked leader or not from the metadata. */
export function replicasOf(report: LogDirsReport, md: ClusterMetadata, topic?: string): Map<string, ReplicaLogDir[]> {
  const leaders = new Map<string, Map<number, number>>();
  for (const t of md.topicMetadata)
    leaders.set(t.topic, new Map(t.partitionMetadata.map((p) => [p.partitionId, p.leader])));
  const out = new Map<string, ReplicaLogDir[]>();
  for (const b of report.brokers)
    for (const d of b.dirs) {
      if (d.errorCode !== 0) continue;
      for (const t of d.topics) {
        if (topic !== undefined && t.name !== topic) continue;
        const list = out.get(t.name) ?? [];
        for (const p of t.partitions)
          list.push({
            partition: p.partition,
            broker: b.broker,
            logDir: d.logDir,
            bytes: p.size.toString(),
            offsetLag: p.offsetLag.toString(),
            future: p.isFuture,
            leader: !p.isFuture && leaders.get(t.name)?.get(p.partition) === b.broker,
          });
        out.set(t.name, list);
      }
    }
  for (const list of out.values())
    list.sort((a, b) => a.partition - b.partition || a.broker - b.broker || a.logDir.localeCompare(b.logDir));
  return out;
}

/**
 * A topic's sizes: its leaders' (the data once) and every replica's (what it takes on all disks).
 * Short — `partial` — when a broker holding one of its replicas did not answer, when a partition has
 * no leader, or when a leader's replica was not listed.
 */
export function topicSize(
  replicas: ReplicaLogDir[],
  partitions: ClusterMetadata['topicMetadata'][number]['partitionMetadata'],
  failed: ReadonlySet<number>,
): TopicSize {
  let leaderBytes = 0n;
  let replicaBytes = 0n;
  for (const r of replicas) {
    replicaBytes += BigInt(r.bytes);
    if (r.leader) leaderBytes += BigInt(r.bytes);
  }
  const partial = partitions.some(
    (p) =>
      p.leader < 0 ||
      p.replicas.some((b) => failed.has(b)) ||
      !replicas.some((r) => r.leader && r.partition === p.partitionId),
  );
  return { leaderBytes: leaderBytes.toString(), replicaBytes: replicaBytes.toString(), partial };
}
