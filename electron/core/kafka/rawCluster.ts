import type { Kafka } from 'kafkajs';
import type { ClusterDescription } from '../../contract';
import type { ClusterMetadata } from './types';

/** A kafkajs broker (kafkajs 2.2.4, pinned): the calls the gateway makes on one, and what it keeps of it. */
export interface RawBroker {
  nodeId: number | string | null;
  /** The broker's ApiVersions, asked once when kafkajs connects to it. */
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  listGroups(): Promise<{ groups: { groupId: string; protocolType: string }[] }>;
  describeGroups(args: { groupIds: string[] }): Promise<{
    groups: {
      groupId: string;
      state: string;
      protocol: string;
      protocolType: string;
      members: { memberId: string; clientId: string; clientHost: string; memberAssignment: Buffer }[];
    }[];
  }>;
  offsetCommit(args: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; errorCode: number }[] }[] }>;
}
export interface RawCluster {
  brokerPool: {
    seedBroker?: { metadata(topics: string[]): Promise<ClusterMetadata> };
    /** By node id, after a metadata refresh. */
    brokers: Record<string, unknown>;
  };
  connect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: string }): Promise<RawBroker>;
  disconnect(): Promise<void>;
  metadata(args?: { topics?: string[] }): Promise<ClusterMetadata>;
  findGroupCoordinator(args: { groupId: string }): Promise<RawBroker>;
}

/**
 * kafkajs' Admin drops rack and isInternal from metadata. Its Kafka object builds clusters through
 * a private symbol-keyed factory (kafkajs 2.2.4, pinned); we use it to read the full response.
 */
export function rawCluster(kafka: Kafka): RawCluster {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!sym) throw new Error('kafkajs internals changed: private:Kafka:createCluster not found');
  const factory = (kafka as unknown as Record<symbol, (o: object) => RawCluster>)[sym];
  if (typeof factory !== 'function') throw new Error('kafkajs internals changed: createCluster is not a function');
  return factory({ allowAutoTopicCreation: false, maxInFlightRequests: null });
}

/** Runs `fn` on a cluster connection of its own, always disconnected afterwards. */
export async function onRawCluster<T>(kafka: Kafka, fn: (cluster: RawCluster) => Promise<T>): Promise<T> {
  const cluster = rawCluster(kafka);
  await cluster.connect();
  try {
    return await fn(cluster);
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}

/** The cluster as the contract describes it: its id, controller and brokers (sorted by node id). */
export function describeMetadata(md: ClusterMetadata): ClusterDescription {
  return {
    clusterId: md.clusterId ?? null,
    controllerId: md.controllerId == null || md.controllerId < 0 ? null : md.controllerId,
    brokers: md.brokers
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null }))
      .sort((a, b) => a.nodeId - b.nodeId),
  };
}
