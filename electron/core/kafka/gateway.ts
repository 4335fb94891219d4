/**
 * The one place that talks to the Kafka client library. Operations and handlers use this interface
 * and the types of ./types, so a patched kafkajs or another client can replace it without touching them.
 */
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import type { ClusterDescription, TopicSummary } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError, describeCause } from '../coreError';
import { createKafka, type ClientOptions } from './clientFactory';
import { kafkaErrorToCore } from './errorMapping';
import { createProducer, type KafkaProducer, type ProducerOptions } from './producer';
import { describeMetadata, onRawCluster } from './rawCluster';
import type {
  ClusterMetadata,
  CommittedTopicOffsets,
  GroupInfo,
  PartitionBounds,
  PartitionInfo,
  TopicConfig,
} from './types';
import { assertMayCommit } from './writeGate';

// kafkajs is CommonJS; these two are not visible as named ESM exports (Playwright loads the core as ESM).
const { AssignerProtocol, ConfigResourceTypes } = kafkajs;

const CONFIG_SOURCE: Record<number, string> = {
  0: 'unknown',
  1: 'topic',
  2: 'broker',
  3: 'cluster default',
  4: 'broker file',
  5: 'default',
  6: 'broker logger',
};

/** A consumer group member's assignment, decoded from the bytes the group's leader wrote. */
function assignmentOf(buffer: Buffer): GroupInfo['members'][number]['assignment'] {
  if (!buffer || buffer.length === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(buffer);
    return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({
      topic,
      partitions: [...partitions].sort((a, b) => a - b),
    }));
  } catch {
    return [];
  }
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
  private async wrap<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw kafkaErrorToCore(e, this.conn);
    }
  }

  /** Connects (and logs in): the doctor's SASL step. */
  async connect(): Promise<void> {
    await this.adminClient();
  }

  /**
   * Commits offsets for a group from outside it (generation -1, no member id), as Kafka's own
   * AdminClient.alterConsumerGroupOffsets does. The coordinator refuses it while the group has members.
   */
  async commitGroupOffsets(
    groupId: string,
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[],
  ): Promise<void> {
    assertMayCommit(this.conn, groupId);
    await this.wrap(() =>
      onRawCluster(this.kafka, async (cluster) => {
        const coordinator = await cluster.findGroupCoordinator({ groupId });
        await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', retentionTime: -1, topics });
      }),
    );
  }

  /** Full metadata of the given topics (null: all topics), with rack, isInternal, ISR and offline replicas. */
  async metadata(topics: string[] | null): Promise<ClusterMetadata> {
    // An empty list asks for every topic in Metadata v1+; kafkajs sends [] as "all topics".
    return this.wrap(() => onRawCluster(this.kafka, (cluster) => cluster.metadata({ topics: topics ?? [] })));
  }

  /**
   * Metadata asked of the bootstrap server itself, never of the brokers it advertises: the doctor
   * uses it to tell "the bootstrap answers" apart from "the advertised addresses do not".
   */
  async describeViaBootstrap(): Promise<ClusterDescription> {
    const md = await this.wrap(() =>
      onRawCluster(this.kafka, async (cluster) => {
        const seed = cluster.brokerPool.seedBroker;
        if (!seed) throw new Error('kafkajs internals changed: no seed broker after connect');
        return seed.metadata([]);
      }),
    );
    return describeMetadata(md);
  }

  async describeCluster(): Promise<ClusterDescription> {
    return describeMetadata(await this.metadata(null));
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
      await this.adminClient();
      // a few topics at a time: each costs two ListOffsets requests
      for (let i = 0; i < topics.length; i += 8) {
        await Promise.all(
          topics.slice(i, i + 8).map(async (t) => {
            const offsets = await this.topicOffsets(t.name).catch(() => null);
            if (offsets) t.messages = [...offsets.values()].reduce((sum, p) => sum + (p.high - p.low), 0n).toString();
          }),
        );
      }
    }
    return topics;
  }

  /** Each partition's log start and end offsets. */
  async topicOffsets(topic: string): Promise<Map<number, PartitionBounds>> {
    const admin = await this.adminClient();
    const rows = await this.wrap(() => admin.fetchTopicOffsets(topic));
    return new Map(rows.map((r) => [r.partition, { low: BigInt(r.low), high: BigInt(r.high) }]));
  }

  /** Per partition, the first offset at or after the time (-1: none that late). */
  async offsetsAtTime(topic: string, timestamp: number): Promise<Map<number, bigint>> {
    const admin = await this.adminClient();
    const rows = await this.wrap(() => admin.fetchTopicOffsetsByTimestamp(topic, timestamp));
    return new Map(rows.map((r) => [r.partition, BigInt(r.offset)]));
  }

  /** A group's committed offsets on the given topics (absent: every topic it committed on). */
  async committedOffsets(groupId: string, topics?: string[]): Promise<CommittedTopicOffsets[]> {
    const admin = await this.adminClient();
    const rows = await this.wrap(() => admin.fetchOffsets(topics ? { groupId, topics } : { groupId }));
    return rows.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ partition: p.partition, offset: p.offset, metadata: p.metadata ?? null })),
    }));
  }

  async listGroups(): Promise<{ groupId: string; protocolType: string }[]> {
    const admin = await this.adminClient();
    const { groups } = await this.wrap(() => admin.listGroups());
    return groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType }));
  }

  /** Groups with their members (a consumer group's members with their assignment decoded). */
  async describeGroups(groupIds: string[]): Promise<GroupInfo[]> {
    const admin = await this.adminClient();
    const { groups } = await this.wrap(() => admin.describeGroups(groupIds));
    return groups.map((g) => ({
      groupId: g.groupId,
      state: g.state,
      protocol: g.protocol,
      protocolType: g.protocolType,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignment: g.protocolType === 'consumer' ? assignmentOf(m.memberAssignment) : [],
      })),
    }));
  }

  /** Removes groups; on a read-only connection only this app's own throwaway groups (writeGate.ts). */
  async deleteGroups(groupIds: string[]): Promise<void> {
    const admin = await this.adminClient();
    await this.wrap(() => admin.deleteGroups(groupIds));
  }

  /** A topic's configuration, every entry (synonyms left out), with where its value comes from. */
  async topicConfigs(name: string): Promise<TopicConfig[]> {
    const admin = await this.adminClient();
    const described = await this.wrap(() =>
      admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name }], includeSynonyms: false }),
    );
    return (described.resources[0]?.configEntries ?? []).map((c) => ({
      name: c.configName,
      value: c.configValue,
      isDefault: c.isDefault,
      source: CONFIG_SOURCE[(c as { configSource?: number }).configSource ?? 0] ?? 'unknown',
      readOnly: c.readOnly,
      sensitive: c.isSensitive,
    }));
  }

  /** Creates a topic and waits for its leaders; false when a topic of that name exists. */
  async createTopic(t: {
    name: string;
    partitions: number;
    replicationFactor: number;
    configs: { name: string; value: string }[];
  }): Promise<boolean> {
    const admin = await this.adminClient();
    return this.wrap(() =>
      admin.createTopics({
        topics: [
          {
            topic: t.name,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor,
            configEntries: t.configs,
          },
        ],
        waitForLeaders: true,
      }),
    );
  }

  async deleteTopic(name: string): Promise<void> {
    const admin = await this.adminClient();
    await this.wrap(() => admin.deleteTopics({ topics: [name] }));
  }

  /** Replaces the topic's whole set of overrides (AlterConfigs is not incremental). */
  async replaceTopicConfigs(name: string, entries: { name: string; value: string }[]): Promise<void> {
    const admin = await this.adminClient();
    await this.wrap(() =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name, configEntries: entries }],
      }),
    );
  }

  /** Grows the topic to `count` partitions in all. */
  async createPartitions(topic: string, count: number): Promise<void> {
    const admin = await this.adminClient();
    await this.wrap(() => admin.createPartitions({ topicPartitions: [{ topic, count }] }));
  }

  /** Deletes the records before each offset given. */
  async deleteRecords(topic: string, partitions: { partition: number; offset: string }[]): Promise<void> {
    const admin = await this.adminClient();
    await this.wrap(() => admin.deleteTopicRecords({ topic, partitions }));
  }

  /**
   * The topic's partitions (sorted), from an admin client of its own that is closed right after, so
   * that nothing else stays connected while a producer sends. `missing` makes the error for a topic
   * that does not exist.
   */
  async partitionsOf(topic: string, missing: (cause?: string) => CoreError): Promise<PartitionInfo[]> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const found = meta.topics.find((t) => t.name === topic);
      if (!found) throw missing();
      return [...found.partitions].sort((a, b) => a.partitionId - b.partitionId);
    } catch (e) {
      if (e instanceof CoreError) throw e;
      if ((e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') throw missing(describeCause(e));
      throw kafkaErrorToCore(e, this.conn);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** A producer on this session's client; its sends pass the read-only gate. */
  producer(opts: ProducerOptions): KafkaProducer {
    return createProducer(this.kafka, this.conn, opts);
  }

  private async adminClient(): Promise<Admin> {
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
export async function withKafka<T>(
  conn: ResolvedConnection,
  fn: (s: KafkaSession) => Promise<T>,
  opts?: ClientOptions,
): Promise<T> {
  const s = new KafkaSession(conn, opts);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}
