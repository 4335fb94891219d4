/**
 * The one place that talks to the Kafka client library. Operations and handlers use this interface
 * and the types of ./types, so a patched kafkajs or another client can replace it without touching them.
 */
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import type {
  AclBinding,
  AclBindingSpec,
  AclFilterSpec,
  ClusterDescription,
  ConfigResource,
  DescribedConfig,
  LogDirFailure,
  LogDirInfo,
  QuotaAlterationSpec,
  QuotaEntry,
  QuotaFilterSpec,
  ReplicaLogDir,
  ScramUser,
  TopicSize,
  TopicSummary,
  Transaction,
} from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError, describeCause } from '../coreError';
import { createAcls, deleteAcls, describeAcls, describeAclsOnEachBroker } from './acls';
import { createKafka, type ClientOptions } from './clientFactory';
import { kafkaErrorToCore } from './errorMapping';
import { createProducer, type KafkaProducer, type ProducerOptions } from './producer';
import { alterConfigsOn, describeConfigsOn, type AlterOutcome, type ConfigChanges } from './protocol/configs';
import { describeGroupsOnCluster, listGroupsOnCluster } from './protocol/groups';
import { describeLogDirsOnCluster, logDirInfos, replicasOf, topicSize } from './protocol/logDirs';
import { alterQuotas, describeQuotas } from './protocol/quotas';
import { alterScramCredentials, describeScramUsers } from './protocol/scram';
import { alterReassignments, electLeaders, listReassignments } from './protocol/reassign';
import { describeTransactions, listTransactions, type ListFilter } from './protocol/transactions';
import { topicProducers, type TopicProducers } from './protocol/transactionsProducers';
import { describeMetadata, onRawCluster } from './rawCluster';
import type {
  ClusterMetadata,
  CommittedTopicOffsets,
  GroupInfo,
  ListedGroup,
  PartitionBounds,
  PartitionInfo,
  ScramChange,
  TopicConfig,
} from './types';
import type { ElectionOutcome, OngoingPartitionReassignment, PartitionReplicas, ReassignmentOutcome } from './types';
import { assertMayCommit } from './writeGate';

// kafkajs is CommonJS; this is not visible as a named ESM export (Playwright loads the core as ESM).
const { ConfigResourceTypes } = kafkajs;

const CONFIG_SOURCE: Record<number, string> = {
  0: 'unknown',
  1: 'topic',
  2: 'broker',
  3: 'cluster default',
  4: 'broker file',
  5: 'default',
  6: 'broker logger',
};

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
   * Why topics are not in the full metadata: a user the cluster's ACLs do not let describe a topic
   * does not see it listed, and only a request naming it says so (TOPIC_AUTHORIZATION_FAILED, mapped
   * to FORBIDDEN). Asked of one broker once per name, without retries: a topic that does not exist
   * answers UNKNOWN_TOPIC_OR_PARTITION, which kafkajs' cluster would otherwise retry.
   */
  async whyUnlisted(names: string[]): Promise<Map<string, 'absent' | 'denied'>> {
    const out = new Map<string, 'absent' | 'denied'>();
    await onRawCluster(this.kafka, async (cluster) => {
      const seed = cluster.brokerPool.seedBroker;
      if (!seed) throw new Error('kafkajs internals changed: no seed broker after connect');
      for (const name of names) {
        try {
          await seed.metadata([name]);
          out.set(name, 'absent');
        } catch (e) {
          const denied = kafkaErrorToCore(e, this.conn).code === 'FORBIDDEN';
          out.set(name, denied ? 'denied' : 'absent');
        }
      }
    });
    return out;
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

  /**
   * Every group of the cluster with its type (classic, consumer, share, …) and state, as each broker
   * lists the groups it coordinates (ListGroups v5 where offered: ./protocol/groups.ts).
   */
  async listGroups(): Promise<ListedGroup[]> {
    return this.wrap(() => onRawCluster(this.kafka, (cluster) => listGroupsOnCluster(cluster)));
  }

  /**
   * Groups with their members, each by the API of its type: classic groups by DescribeGroups (a
   * consumer group's members with their assignment decoded), KIP-848 consumer groups by
   * ConsumerGroupDescribe, share groups by ShareGroupDescribe. `listed`: a listing just made.
   */
  async describeGroups(groupIds: string[], listed?: ListedGroup[]): Promise<GroupInfo[]> {
    return this.wrap(() => onRawCluster(this.kafka, (cluster) => describeGroupsOnCluster(cluster, groupIds, listed)));
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

  /**
   * Creates a topic; false when a topic of that name exists. The caller waits for its leaders:
   * kafkajs' own wait asks the broker that took the request once, and a KRaft broker answers
   * UNKNOWN_TOPIC_OR_PARTITION until the controller's record reaches its metadata, which kafkajs
   * does not retry (seen on a just-started three-broker cluster).
   */
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
        waitForLeaders: false,
      }),
    );
  }

  async deleteTopic(name: string): Promise<void> {
    const admin = await this.adminClient();
    await this.wrap(() => admin.deleteTopics({ topics: [name] }));
  }

  /**
   * A topic's, a broker's or the cluster-wide default's configs with source, synonyms and (v3+) type
   * and documentation, sensitive values cleared (DescribeConfigs v1–v4: ./protocol/configs.ts).
   */
  async describeConfigs(
    resource: ConfigResource,
    opts?: { documentation?: boolean },
  ): Promise<{ version: number; configs: DescribedConfig[] }> {
    return this.wrap(() => onRawCluster(this.kafka, (cluster) => describeConfigsOn(cluster, resource, opts)));
  }

  /**
   * Sets and deletes the keys given and no others (IncrementalAlterConfigs; on a broker before Kafka
   * 2.3, the current values read and sent back with the change in one AlterConfigs, said in the note).
   */
  async alterConfigs(resource: ConfigResource, changes: ConfigChanges, validateOnly: boolean): Promise<AlterOutcome> {
    return this.wrap(() =>
      onRawCluster(this.kafka, (cluster) => alterConfigsOn(cluster, resource, changes, validateOnly)),
    );
  }

  /**
   * What the brokers' log dirs hold of the topics given (null: of every topic), every broker asked at
   * once (DescribeLogDirs: ./protocol/logDirs.ts), with the metadata read alongside (leaders). A
   * broker that failed is in `failures` with the reason, and the others' answers are kept.
   */
  async logDirs(topics: string[] | null): Promise<{
    /** By topic: its size, and each replica in each log dir. */
    topics: Map<string, { size: TopicSize; replicas: ReplicaLogDir[] }>;
    dirs: LogDirInfo[];
    failures: LogDirFailure[];
  }> {
    return this.wrap(() =>
      onRawCluster(this.kafka, async (cluster) => {
        const metadata = await cluster.metadata({ topics: topics ?? [] });
        const wanted =
          topics === null
            ? null
            : metadata.topicMetadata
                .filter((t) => topics.includes(t.topic))
                .map((t) => ({ topic: t.topic, partitions: t.partitionMetadata.map((p) => p.partitionId) }));
        const report = await describeLogDirsOnCluster(cluster, wanted);
        const replicas = replicasOf(report, metadata);
        const failed = new Set(report.failures.map((f) => f.broker));
        return {
          topics: new Map(
            metadata.topicMetadata.map((t) => {
              const list = replicas.get(t.topic) ?? [];
              return [t.topic, { size: topicSize(list, t.partitionMetadata, failed), replicas: list }];
            }),
          ),
          dirs: logDirInfos(report),
          failures: report.failures.map((f) => ({
            broker: f.broker,
            message: kafkaErrorToCore(f.error, this.conn).message,
          })),
        };
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

  /** The ACL bindings a filter matches (./acls.ts: names to Kafka's numbers, the authorizer being off). */
  async describeAcls(filter: AclFilterSpec): Promise<AclBinding[]> {
    const admin = await this.adminClient();
    return this.wrap(() => describeAcls(admin, filter));
  }

  async createAcls(bindings: AclBindingSpec[]): Promise<void> {
    const admin = await this.adminClient();
    await this.wrap(() => createAcls(admin, bindings));
  }

  /** Deletes what the filters match; answers the bindings deleted. */
  async deleteAcls(filters: AclFilterSpec[]): Promise<AclBinding[]> {
    const admin = await this.adminClient();
    return this.wrap(() => deleteAcls(admin, filters));
  }

  /** What the filters match on each broker, asked of every one (./acls.ts): to wait until a change has reached them all. */
  async describeAclsOnEachBroker(filters: AclFilterSpec[]): Promise<AclBinding[][]> {
    return this.wrap(() => describeAclsOnEachBroker(this.kafka, filters));
  }

  /** Users with SCRAM credentials (null: all), by DescribeUserScramCredentials (./protocol/scram.ts). */
  async describeScramUsers(names: string[] | null): Promise<ScramUser[]> {
    return this.wrap(() => onRawCluster(this.kafka, (cluster) => describeScramUsers(cluster, names)));
  }

  /** Creates, changes and deletes SCRAM credentials; the passwords are salted here and never sent. */
  async alterScramCredentials(change: ScramChange): Promise<void> {
    await this.wrap(() => onRawCluster(this.kafka, (cluster) => alterScramCredentials(cluster, change)));
  }

  /** The client quotas a filter matches (DescribeClientQuotas v0 or v1: ./protocol/quotas.ts). */
  async describeClientQuotas(filter: QuotaFilterSpec): Promise<QuotaEntry[]> {
    return this.wrap(() => onRawCluster(this.kafka, (cluster) => describeQuotas(cluster, filter)));
  }

  /** Sets and removes quota keys (AlterClientQuotas); `validateOnly`: the broker checks, nothing changes. */
  async alterClientQuotas(entries: QuotaAlterationSpec[], validateOnly: boolean): Promise<void> {
    await this.wrap(() => onRawCluster(this.kafka, (cluster) => alterQuotas(cluster, entries, validateOnly)));
  }

  /** Every transaction a filter matches, each described on its coordinator (./protocol/transactions.ts). */
  async listTransactions(filter: ListFilter, hungAfterMs: number | null): Promise<Transaction[]> {
    return this.wrap(() => onRawCluster(this.kafka, (cluster) => listTransactions(cluster, filter, hungAfterMs)));
  }

  /** The transactional ids named, each on its coordinator; the ones it does not know in `notFound`. */
  async describeTransactions(
    ids: string[],
    hungAfterMs: number | null,
  ): Promise<{ transactions: Transaction[]; notFound: string[] }> {
    return this.wrap(() => onRawCluster(this.kafka, (cluster) => describeTransactions(cluster, ids, hungAfterMs)));
  }

  /** A topic's partitions: producers, high watermark and LSO, what holds an LSO back (./protocol/transactionsProducers.ts). */
  async topicProducers(
    topic: string,
    partitions: number[] | null,
    hungAfterMs: number | null,
  ): Promise<TopicProducers> {
    return this.wrap(() =>
      onRawCluster(this.kafka, (cluster) => topicProducers(cluster, topic, partitions, hungAfterMs)),
    );
  }

  /** How long the controller may take over a reassignment or election: under the client's own request timeout. */
  private get controllerTimeoutMs(): number {
    return Math.max(1000, Math.min(30_000, this.conn.timeouts.requestMs - 1000));
  }

  /** Starts or cancels (replicas null) partition reassignments (./protocol/reassign.ts); each partition's outcome. */
  async alterPartitionReassignments(changes: PartitionReplicas[]): Promise<ReassignmentOutcome[]> {
    return this.wrap(() =>
      onRawCluster(this.kafka, (cluster) => alterReassignments(cluster, changes, this.controllerTimeoutMs)),
    );
  }

  /** The reassignments in progress (of these partitions, or all). */
  async listPartitionReassignments(
    partitions: { topic: string; partitions: number[] }[] | null,
  ): Promise<OngoingPartitionReassignment[]> {
    return this.wrap(() =>
      onRawCluster(this.kafka, (cluster) => listReassignments(cluster, partitions, this.controllerTimeoutMs)),
    );
  }

  /** A preferred or unclean leader election (ElectLeaders) of these partitions, or all (null). */
  async electLeaders(
    type: 'preferred' | 'unclean',
    partitions: { topic: string; partitions: number[] }[] | null,
  ): Promise<ElectionOutcome[]> {
    return this.wrap(() =>
      onRawCluster(this.kafka, (cluster) => electLeaders(cluster, type, partitions, this.controllerTimeoutMs)),
    );
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
