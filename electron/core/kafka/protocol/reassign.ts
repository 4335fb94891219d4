/**
 * Partition reassignments and leader elections over kafkajs' connections (./reassignCodecs.ts,
 * ./electLeadersCodec.ts), at the versions the broker offers, sent to the controller as Kafka's own
 * admin client sends them (on KRaft the broker the metadata names as controller forwards them to the
 * quorum). A broker that does not offer an API is told in a sentence naming the Kafka version needed.
 */
import { CoreError } from '../../coreError';
import type { RawBroker, RawCluster } from '../rawCluster';
import type { ElectionOutcome, OngoingPartitionReassignment, PartitionReplicas, ReassignmentOutcome } from '../types';
import { ELECT_LEADERS, ELECTION_TYPE, electLeadersCall } from './electLeadersCodec';
import {
  ALTER_PARTITION_REASSIGNMENTS,
  alterReassignmentsCall,
  LIST_PARTITION_REASSIGNMENTS,
  listReassignmentsCall,
} from './reassignCodecs';
import { brokerError, negotiate, sendFlexible } from './transport';
import { sendVersioned } from './versionedWire';

// Kafka's error codes these APIs answer with
const NOT_CONTROLLER = 41;
const ELECTION_NOT_NEEDED = 84;
const NO_REASSIGNMENT_IN_PROGRESS = 85;

export const REASSIGNMENT_UNAVAILABLE =
  'needs Kafka 2.4 or later (KIP-455). On an older cluster replicas are moved with kafka-reassign-partitions --zookeeper …';
export const ELECTION_UNAVAILABLE =
  'needs Kafka 2.2 or later (KIP-183). On an older cluster use kafka-preferred-replica-election --zookeeper …';
export const UNCLEAN_ELECTION_UNAVAILABLE =
  'An unclean election needs ElectLeaders v1 (Kafka 2.4 or later, KIP-460); this broker offers only preferred elections.';

/** The broker's own sentence, one line, bounded: it goes to a terminal and the window. */
const said = (m: string | null) =>
  (m ?? '')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 300)
    .replace(/\.$/, '');

/** A partition's refusal as one line: Kafka's name for the code and the broker's reason. */
export function partitionErrorText(code: number, message: string | null): string {
  const e = brokerError(code, message) as Error & { type?: string };
  const reason = said(message);
  const name = e.type ?? `error ${code}`;
  return reason ? `${reason} (${name})` : `${name}: ${said(e.message)}`;
}

/** kafkajs' cluster finds the broker the metadata names as controller (kafkajs 2.2.4, pinned). */
type WithController = RawCluster & { findControllerBroker?: () => Promise<RawBroker> };

async function controller(cluster: RawCluster, api: { apiKey: number; apiName: string; min: number; max: number }) {
  await cluster.refreshMetadata();
  const find = (cluster as WithController).findControllerBroker;
  if (typeof find !== 'function') throw new Error('kafkajs internals changed: findControllerBroker not found');
  const broker = await find.call(cluster);
  return { broker, version: negotiate(broker, api.apiKey, api) };
}

function unavailable(broker: RawBroker, api: string, why: string): CoreError {
  return new CoreError(
    'KAFKA_ERROR',
    `Broker ${String(broker.nodeId)} does not offer ${api}: ${why}`,
    `ApiVersions of broker ${String(broker.nodeId)} has no usable ${api}`,
  );
}

const grouped = <T extends { topic: string }>(items: T[]) => {
  const by = new Map<string, T[]>();
  for (const i of items) by.set(i.topic, [...(by.get(i.topic) ?? []), i]);
  return by;
};

/**
 * Starts (replicas given) or cancels (replicas null) reassignments, in one request to the controller;
 * answers each partition's outcome. A refusal of the whole request is thrown.
 */
export async function alterReassignments(
  cluster: RawCluster,
  changes: PartitionReplicas[],
  timeoutMs: number,
): Promise<ReassignmentOutcome[]> {
  const topics = [...grouped(changes)].map(([name, parts]) => ({
    name,
    partitions: parts.map((p) => ({ partitionIndex: p.partition, replicas: p.replicas })),
  }));
  for (let attempt = 1; ; attempt++) {
    const { broker, version } = await controller(cluster, ALTER_PARTITION_REASSIGNMENTS);
    if (version === null) throw unavailable(broker, ALTER_PARTITION_REASSIGNMENTS.apiName, REASSIGNMENT_UNAVAILABLE);
    const res = await sendFlexible(
      broker,
      alterReassignmentsCall(version, { timeoutMs, allowReplicationFactorChange: true, topics }),
    );
    // the controller moved since the metadata was read: ask the new one (a few times)
    if (res.errorCode === NOT_CONTROLLER && attempt < 3) continue;
    if (res.errorCode !== 0) throw brokerError(res.errorCode, res.errorMessage);
    return res.responses.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        notInProgress: p.errorCode === NO_REASSIGNMENT_IN_PROGRESS,
        message: p.errorCode === 0 ? null : partitionErrorText(p.errorCode, p.errorMessage),
      })),
    );
  }
}

/** The reassignments in progress (of these partitions, or all). */
export async function listReassignments(
  cluster: RawCluster,
  partitions: { topic: string; partitions: number[] }[] | null,
  timeoutMs: number,
): Promise<OngoingPartitionReassignment[]> {
  for (let attempt = 1; ; attempt++) {
    const { broker, version } = await controller(cluster, LIST_PARTITION_REASSIGNMENTS);
    if (version === null) throw unavailable(broker, LIST_PARTITION_REASSIGNMENTS.apiName, REASSIGNMENT_UNAVAILABLE);
    const res = await sendFlexible(
      broker,
      listReassignmentsCall({
        timeoutMs,
        topics: partitions && partitions.map((t) => ({ name: t.topic, partitionIndexes: t.partitions })),
      }),
    );
    if (res.errorCode === NOT_CONTROLLER && attempt < 3) continue;
    if (res.errorCode !== 0) throw brokerError(res.errorCode, res.errorMessage);
    return res.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        replicas: p.replicas,
        adding: p.addingReplicas,
        removing: p.removingReplicas,
      })),
    );
  }
}

/** A leader election of the partitions named (null: all); answers each partition's outcome. */
export async function electLeaders(
  cluster: RawCluster,
  type: keyof typeof ELECTION_TYPE,
  partitions: { topic: string; partitions: number[] }[] | null,
  timeoutMs: number,
): Promise<ElectionOutcome[]> {
  for (let attempt = 1; ; attempt++) {
    const { broker, version } = await controller(cluster, ELECT_LEADERS);
    if (version === null) throw unavailable(broker, ELECT_LEADERS.apiName, ELECTION_UNAVAILABLE);
    if (type === 'unclean' && version < 1)
      throw new CoreError('KAFKA_ERROR', UNCLEAN_ELECTION_UNAVAILABLE, `ElectLeaders v${version} only`);
    const res = await sendVersioned(
      broker,
      electLeadersCall(version, { electionType: ELECTION_TYPE[type], topicPartitions: partitions, timeoutMs }),
    );
    if (res.errorCode === NOT_CONTROLLER && attempt < 3) continue;
    if (res.errorCode !== 0) throw brokerError(res.errorCode, null);
    const out: ElectionOutcome[] = res.replicaElectionResults.flatMap((t) =>
      t.partitionResult.map((p) => ({
        topic: t.topic,
        partition: p.partitionId,
        outcome: p.errorCode === 0 ? 'elected' : p.errorCode === ELECTION_NOT_NEEDED ? 'not-needed' : 'failed',
        errorCode: p.errorCode,
        message: p.errorCode === 0 ? null : partitionErrorText(p.errorCode, p.errorMessage),
      })),
    );
    // one partition refused for want of rights: the whole election was (the gateway names the ACL)
    const denied = out.find((o) => o.errorCode === 29 || o.errorCode === 31);
    if (denied) throw brokerError(denied.errorCode, null);
    return out;
  }
}
