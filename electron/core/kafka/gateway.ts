/**
 * The one place that talks to the Kafka client library. Operations and handlers use this interface,
 * so a patched kafkajs or another client can replace it without touching them.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { ClusterDescription, TopicSummary } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { createKafka, type ClientOptions } from './clientFactory';
import { kafkaErrorToCore } from './errorMapping';
import { assertWritable } from '../admin/readOnly';

/** The raw Metadata response, as kafkajs' cluster decodes it (rack and isInternal included). */
interface RawMetadata {
  clusterId?: string | null;
  controllerId?: number | null;
  brokers: { nodeId: number; host: string; port: number; rack?: string | null }[];
  topicMetadata: {
    topic: string;
    topicErrorCode?: number;
    isInternal?: boolean;
    partitionMetadata: { partitionId: number; leader: number; replicas: number[]; isr: number[]; offlineReplicas?: number[] }[];
  }[];
}
interface RawBroker {
  offsetCommit(args: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; errorCode: number }[] }[] }>;
}
interface RawCluster {
  brokerPool: { seedBroker?: { metadata(topics: string[]): Promise<RawMetadata> } };
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  metadata(args?: { topics?: string[] }): Promise<RawMetadata>;
  findGroupCoordinator(args: { groupId: string }): Promise<RawBroker>;
}

/**
 * kafkajs' Admin drops rack and isInternal from metadata. Its Kafka object builds clusters through
 * a private symbol-keyed factory (kafkajs 2.2.4, pinned); we use it to read the full response.
 */
function rawCluster(kafka: Kafka): RawCluster {
  const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!sym) throw new Error('kafkajs internals changed: private:Kafka:createCluster not found');
  const factory = (kafka as unknown as Record<symbol, (o: object) => RawCluster>)[sym];
  if (typeof factory !== 'function') throw new Error('kafkajs internals changed: createCluster is not a function');
  return factory({ allowAutoTopicCreation: false, maxInFlightRequests: null });
}

function describe(md: RawMetadata): ClusterDescription {
  return {
    clusterId: md.clusterId ?? null,
    controllerId: md.controllerId == null || md.controllerId < 0 ? null : md.controllerId,
    brokers: md.brokers
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null }))
      .sort((a, b) => a.nodeId - b.nodeId),
  };
}

export class KafkaSession {
  private readonly kafka: Kafka;
  private admin: Admin | undefined;

  constructor(
    private readonly conn: ResolvedConnection,
    opts?: ClientOptions,
  ) {
    this.kafka = createKafka(conn, opts);
  }

  /** Runs `fn` and maps whatever it throws into a CoreError a person can read. */
  async wrap<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw kafkaErrorToCore(e, this.conn);
    }
  }

  /**
   * Commits offsets for a group from outside it (generation -1, no member id), as Kafka's own
   * AdminClient.alterConsumerGroupOffsets does. The coordinator refuses it while the group has members.
   */
  async commitGroupOffsets(groupId: string, topics: { topic: string; partitions: { partition: number; offset: string }[] }[]): Promise<void> {
    assertWritable(this.conn, `commit offsets for group '${groupId}'`);
    await this.wrap(async () => {
      const cluster = rawCluster(this.kafka);
      await cluster.connect();
      try {
        const coordinator = await cluster.findGroupCoordinator({ groupId });
        await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', retentionTime: -1, topics });
      } finally {
        await cluster.disconnect().catch(() => undefined);
      }
    });
  }

  /** Full metadata of the given topics (null: all topics), with rack, isInternal, ISR and offline replicas. */
  async metadata(topics: string[] | null): Promise<RawMetadata> {
    return this.wrap(async () => {
      const cluster = rawCluster(this.kafka);
      await cluster.connect();
      try {
        // An empty list asks for every topic in Metadata v1+; kafkajs sends [] as "all topics".
        return await cluster.metadata({ topics: topics ?? [] });
      } finally {
        await cluster.disconnect().catch(() => undefined);
      }
    });
  }

  /**
   * Metadata asked of the bootstrap server itself, never of the brokers it advertises: the doctor
   * uses it to tell "the bootstrap answers" apart from "the advertised addresses do not".
   */
  async describeViaBootstrap(): Promise<ClusterDescription> {
    const md = await this.wrap(async () => {
      const cluster = rawCluster(this.kafka);
      await cluster.connect();
      try {
        const seed = cluster.brokerPool.seedBroker;
        if (!seed) throw new Error('kafkajs internals changed: no seed broker after connect');
        return await seed.metadata([]);
      } finally {
        await cluster.disconnect().catch(() => undefined);
      }
    });
    return describe(md);
  }

  async describeCluster(): Promise<ClusterDescription> {
    return describe(await this.metadata(null));
  }

  async listTopics(includeInternal: boolean, withCounts = false): Promise<TopicSummary[]> {
    const md = await this.metadata(null);
    const topics: TopicSummary[] = md.topicMetadata
      .map((t) => ({
        name: t.topic,
        partitions: t.partitionMetadata.length,
        replicationFactor: t.partitionMetadata[0]?.replicas.length ?? 0,
        internal: t.isInternal === true || t.topic.startsWith('__'),
        messages: null as string | null,
      }))
      .filter((t) => includeInternal || !t.internal)
      .sort((a, b) => a.name.localeCompare(b.name));
    if (withCounts && topics.length) {
      const admin = await this.adminClient();
      // a few topics at a time: each costs two ListOffsets requests
      for (let i = 0; i < topics.length; i += 8) {
        await Promise.all(
          topics.slice(i, i + 8).map(async (t) => {
            const offsets = await this.wrap(() => admin.fetchTopicOffsets(t.name)).catch(() => null);
            if (offsets) t.messages = offsets.reduce((sum, p) => sum + (BigInt(p.high) - BigInt(p.low)), 0n).toString();
          }),
        );
      }
    }
    return topics;
  }

  async adminClient(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await this.wrap(() => admin.connect());
      this.admin = admin;
    }
    return this.admin;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }
}

/** Opens a session, runs `fn`, always closes. */
export async function withKafka<T>(conn: ResolvedConnection, fn: (s: KafkaSession) => Promise<T>, opts?: ClientOptions): Promise<T> {
  const s = new KafkaSession(conn, opts);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}
