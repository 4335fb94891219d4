import kafkajs, { type Admin } from 'kafkajs';
import type { ConfigEntry, ConsumerGroupDetail, GroupResetResult, ResetStrategy, TopicDetail } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import type { Handlers } from '../handlers';
import { KafkaSession, withKafka } from '../kafka/gateway';
import type { MetadataCache } from '../cluster/metadataCache';
import { assertWritable } from './readOnly';

// kafkajs is CommonJS; these two are not visible as named ESM exports (Playwright loads the core as ESM).
const { AssignerProtocol, ConfigResourceTypes } = kafkajs;

type AdminChannel =
  | 'cluster.overview'
  | 'topics.describe'
  | 'topics.create'
  | 'topics.delete'
  | 'topics.alterConfigs'
  | 'topics.addPartitions'
  | 'topics.deleteRecords'
  | 'groups.list'
  | 'groups.describe'
  | 'groups.resetOffsets'
  | 'groups.delete';

const CONFIG_SOURCE: Record<number, string> = {
  0: 'unknown',
  1: 'topic',
  2: 'broker',
  3: 'cluster default',
  4: 'broker file',
  5: 'default',
  6: 'broker logger',
};

const big = (s: string | null | undefined): bigint | null => (s === null || s === undefined || s === '' || s === '-1' ? null : BigInt(s));
const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);

async function topicOffsets(admin: Admin, s: KafkaSession, topic: string) {
  const rows = await s.wrap(() => admin.fetchTopicOffsets(topic));
  return new Map(rows.map((r) => [r.partition, { low: BigInt(r.low), high: BigInt(r.high) }]));
}

/**
 * Describes a topic whose partitions were just created. A new partition needs a moment to get a
 * leader (createPartitions has no waitForLeaders, and createTopics' wait can end before every
 * broker knows): describing at once can meet NOT_LEADER_FOR_PARTITION, so ask again for a few seconds.
 */
async function describeOnceLed(s: KafkaSession, name: string, partitions: number): Promise<TopicDetail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const d = await describeTopic(s, name);
      if ((d.partitions.length >= partitions && d.partitions.every((p) => p.leader >= 0)) || Date.now() > deadline) return d;
    } catch (e) {
      const said = e instanceof CoreError ? `${e.message} ${e.detail ?? ''}` : String(e);
      if (Date.now() > deadline || !/NOT_LEADER|LEADER_NOT_AVAILABLE|UNKNOWN_TOPIC_OR_PARTITION/.test(said)) throw e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function describeTopic(s: KafkaSession, name: string): Promise<TopicDetail> {
  const md = await s.metadata(null);
  const t = md.topicMetadata.find((x) => x.topic === name);
  if (!t) throw new CoreError('NOT_FOUND', `There is no topic named '${name}' on this cluster.`);
  const admin = await s.adminClient();
  const offsets = await topicOffsets(admin, s, name);
  const described = await s.wrap(() =>
    admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name }], includeSynonyms: false }),
  );
  const configs: ConfigEntry[] = (described.resources[0]?.configEntries ?? [])
    .map((c) => ({
      name: c.configName,
      value: c.isSensitive ? null : c.configValue,
      isDefault: c.isDefault,
      source: CONFIG_SOURCE[(c as { configSource?: number }).configSource ?? 0] ?? 'unknown',
      readOnly: c.readOnly,
      sensitive: c.isSensitive,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const partitions = t.partitionMetadata
    .map((p) => {
      const o = offsets.get(p.partitionId) ?? { low: 0n, high: 0n };
      return {
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas ?? [],
        startOffset: o.low.toString(),
        endOffset: o.high.toString(),
        messages: (o.high - o.low).toString(),
      };
    })
    .sort((a, b) => a.partition - b.partition);
  return {
    name,
    internal: t.isInternal === true || name.startsWith('__'),
    partitions,
    replicationFactor: partitions[0]?.replicas.length ?? 0,
    messages: partitions.reduce((sum, p) => sum + BigInt(p.messages), 0n).toString(),
    configs,
    consumerGroups: await groupsReading(admin, s, name),
    fetchedAt: new Date().toISOString(),
  };
}

/** Groups with a committed offset on the topic, or a member assigned one of its partitions. */
async function groupsReading(admin: Admin, s: KafkaSession, topic: string): Promise<string[]> {
  const { groups } = await s.wrap(() => admin.listGroups());
  const found = new Set<string>();
  for (const g of groups) {
    const offsets = await s.wrap(() => admin.fetchOffsets({ groupId: g.groupId, topics: [topic] }));
    if (offsets.some((t) => t.partitions.some((p) => p.offset !== '-1'))) found.add(g.groupId);
  }
  if (groups.length) {
    const described = await s.wrap(() => admin.describeGroups(groups.map((g) => g.groupId)));
    for (const g of described.groups) {
      if (g.protocolType !== 'consumer') continue;
      for (const m of g.members) {
        if (assignmentOf(m.memberAssignment).some((a) => a.topic === topic)) found.add(g.groupId);
      }
    }
  }
  return [...found].sort();
}

function assignmentOf(buffer: Buffer): { topic: string; partitions: number[] }[] {
  if (!buffer || buffer.length === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(buffer);
    return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
  } catch {
    return [];
  }
}

async function describeGroup(s: KafkaSession, groupId: string): Promise<ConsumerGroupDetail> {
  const admin = await s.adminClient();
  const { groups } = await s.wrap(() => admin.describeGroups([groupId]));
  const g = groups[0];
  const committed = await s.wrap(() => admin.fetchOffsets({ groupId }));
  const hasOffsets = committed.some((t) => t.partitions.some((p) => p.offset !== '-1'));
  if (!g || (g.state === 'Dead' && !hasOffsets)) throw new CoreError('NOT_FOUND', `There is no consumer group named '${groupId}' on this cluster.`);
  const offsets: ConsumerGroupDetail['offsets'] = [];
  let total = 0n;
  for (const t of committed) {
    const ends = await topicOffsets(admin, s, t.topic).catch(() => new Map<number, { low: bigint; high: bigint }>());
    for (const p of t.partitions) {
      const c = big(p.offset);
      const end = ends.get(p.partition)?.high ?? 0n;
      const lag = c === null ? null : maxBig(end - c, 0n);
      if (lag !== null) total += lag;
      offsets.push({ topic: t.topic, partition: p.partition, committed: c === null ? null : c.toString(), end: end.toString(), lag: lag === null ? null : lag.toString(), metadata: p.metadata ?? null });
    }
  }
  offsets.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return {
    groupId,
    state: g.state,
    protocolType: g.protocolType,
    protocol: g.protocol,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      assignment: g.protocolType === 'consumer' ? assignmentOf(m.memberAssignment) : [],
    })),
    offsets,
    totalLag: total.toString(),
    fetchedAt: new Date().toISOString(),
  };
}

function refuseWhileActive(detail: ConsumerGroupDetail, what: string): void {
  if (detail.members.length === 0) return;
  const who = detail.members.slice(0, 5).map((m) => `${m.clientId} on ${m.host}`).join(', ');
  throw new CoreError(
    'CONFLICT',
    `Consumer group '${detail.groupId}' has ${detail.members.length} active member${detail.members.length === 1 ? '' : 's'} (${who}); stop ${detail.members.length === 1 ? 'it' : 'them'} before you ${what}.`,
  );
}

async function resetPlan(s: KafkaSession, groupId: string, topic: string, partitions: number[] | undefined, strategy: ResetStrategy): Promise<GroupResetResult['changes']> {
  const admin = await s.adminClient();
  const md = await s.metadata(null);
  if (!md.topicMetadata.some((t) => t.topic === topic)) throw new CoreError('NOT_FOUND', `There is no topic named '${topic}' on this cluster.`);
  const bounds = await topicOffsets(admin, s, topic);
  const chosen = partitions ?? [...bounds.keys()].sort((a, b) => a - b);
  const missing = chosen.filter((p) => !bounds.has(p));
  if (missing.length) throw new CoreError('NOT_FOUND', `Topic '${topic}' has no partition ${missing.join(', ')}.`);
  const committed = await s.wrap(() => admin.fetchOffsets({ groupId, topics: [topic] }));
  const current = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, big(p.offset)]));
  const byTime =
    strategy.to === 'timestamp'
      ? new Map((await s.wrap(() => admin.fetchTopicOffsetsByTimestamp(topic, strategy.timestamp))).map((r) => [r.partition, BigInt(r.offset)]))
      : null;
  return chosen.map((partition) => {
    const { low, high } = bounds.get(partition)!;
    const from = current.get(partition) ?? null;
    let to: bigint;
    switch (strategy.to) {
      case 'earliest':
        to = low;
        break;
      case 'latest':
        to = high;
        break;
      case 'timestamp': {
        const t = byTime!.get(partition) ?? -1n;
        to = t < 0n ? high : t;
        break;
      }
      case 'offset':
        to = BigInt(strategy.offset);
        break;
      case 'shift':
        if (from === null) {
          throw new CoreError('INVALID_INPUT', `Group '${groupId}' has no committed offset on ${topic}[${partition}] to shift from; reset it to earliest, latest, a time or an offset.`);
        }
        to = from + BigInt(strategy.by);
        break;
    }
    // As Kafka's own tool does: an offset outside the log is moved to its nearest end.
    to = maxBig(low, minBig(high, to));
    return { topic, partition, from: from === null ? null : from.toString(), to: to.toString() };
  });
}

/** Cluster overview, topic and consumer-group administration. Every write checks the read-only flag first. */
export function createAdminHandlers(resolve: (id: string) => Promise<ResolvedConnection>, cache?: MetadataCache): Pick<Handlers, AdminChannel> {
  const run = async <T>(id: string, fn: (s: KafkaSession, c: ResolvedConnection) => Promise<T>, write?: string): Promise<T> => {
    const conn = await resolve(id);
    if (write) assertWritable(conn, write);
    return withKafka(conn, (s) => fn(s, conn));
  };

  return {
    'cluster.overview': ({ id }) => {
      const live = () => run(id, async (s) => {
        const md = await s.metadata(null);
        const admin = await s.adminClient();
        const { groups } = await s.wrap(() => admin.listGroups());
        const partitions = md.topicMetadata.flatMap((t) => t.partitionMetadata);
        const internal = md.topicMetadata.filter((t) => t.isInternal === true || t.topic.startsWith('__'));
        return {
          clusterId: md.clusterId ?? null,
          controllerId: md.controllerId == null || md.controllerId < 0 ? null : md.controllerId,
          brokers: md.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null })).sort((a, b) => a.nodeId - b.nodeId),
          topicCount: md.topicMetadata.length - internal.length,
          internalTopicCount: internal.length,
          partitionCount: partitions.length,
          underReplicatedPartitions: partitions.filter((p) => p.isr.length < p.replicas.length).length,
          offlinePartitions: partitions.filter((p) => p.leader < 0).length,
          consumerGroupCount: groups.length,
          fetchedAt: new Date().toISOString(),
        };
      });
      return cache ? cache.overview(id, live) : live().then((o) => ({ ...o, fromCache: null }));
    },

    'topics.describe': ({ id, name }) => run(id, (s) => describeTopic(s, name)),

    'topics.create': ({ id, name, partitions, replicationFactor, configs }) =>
      run(
        id,
        async (s) => {
          const md = await s.metadata(null);
          if (replicationFactor > md.brokers.length) {
            throw new CoreError(
              'INVALID_INPUT',
              `A replication factor of ${replicationFactor} needs ${replicationFactor} brokers; this cluster has ${md.brokers.length}.`,
              undefined,
              [{ path: 'replicationFactor', message: `at most ${md.brokers.length} on this cluster` }],
            );
          }
          const admin = await s.adminClient();
          const created = await s
            .wrap(() => admin.createTopics({ topics: [{ topic: name, numPartitions: partitions, replicationFactor, configEntries: configs }], waitForLeaders: true }))
            .catch((e: unknown) => {
              // the topic was created; only kafkajs' wait for its leaders met a partition still without one
              const said = e instanceof CoreError ? `${e.message} ${e.detail ?? ''}` : String(e);
              if (/NOT_LEADER|LEADER_NOT_AVAILABLE/.test(said)) return true;
              throw e;
            });
          if (!created) throw new CoreError('CONFLICT', `A topic named '${name}' already exists.`);
          return describeOnceLed(s, name, partitions);
        },
        `create topic '${name}'`,
      ),

    'topics.delete': ({ id, name, confirmName }) =>
      run(
        id,
        async (s) => {
          if (confirmName !== name) {
            throw new CoreError('INVALID_INPUT', `Type the topic name '${name}' exactly to confirm the deletion.`, undefined, [{ path: 'confirmName', message: 'does not match the topic name' }]);
          }
          const md = await s.metadata(null);
          if (!md.topicMetadata.some((t) => t.topic === name)) throw new CoreError('NOT_FOUND', `There is no topic named '${name}' on this cluster.`);
          const admin = await s.adminClient();
          await s.wrap(() => admin.deleteTopics({ topics: [name] }));
          return { deleted: true as const };
        },
        `delete topic '${name}'`,
      ),

    'topics.alterConfigs': ({ id, name, set, reset }) =>
      run(
        id,
        async (s) => {
          const admin = await s.adminClient();
          const current = await describeTopic(s, name);
          // AlterConfigs replaces the topic's whole set of overrides: send the kept ones with the changes.
          const next = new Map(current.configs.filter((c) => c.source === 'topic' && c.value !== null).map((c) => [c.name, c.value as string]));
          for (const r of reset) next.delete(r);
          for (const c of set) next.set(c.name, c.value);
          await s.wrap(() =>
            admin.alterConfigs({
              validateOnly: false,
              resources: [{ type: ConfigResourceTypes.TOPIC, name, configEntries: [...next].map(([n, value]) => ({ name: n, value })) }],
            }),
          );
          return describeTopic(s, name);
        },
        `change the configuration of topic '${name}'`,
      ),

    'topics.addPartitions': ({ id, name, totalCount }) =>
      run(
        id,
        async (s) => {
          const current = await describeTopic(s, name);
          if (totalCount <= current.partitions.length) {
            throw new CoreError('INVALID_INPUT', `Topic '${name}' already has ${current.partitions.length} partitions; Kafka can only add partitions, so choose more than ${current.partitions.length}.`, undefined, [{ path: 'totalCount', message: `must be more than ${current.partitions.length}` }]);
          }
          const admin = await s.adminClient();
          await s.wrap(() => admin.createPartitions({ topicPartitions: [{ topic: name, count: totalCount }] }));
          return describeOnceLed(s, name, totalCount);
        },
        `add partitions to topic '${name}'`,
      ),

    'topics.deleteRecords': ({ id, name, before }) =>
      run(
        id,
        async (s) => {
          const current = await describeTopic(s, name);
          const targets =
            before === 'all'
              ? current.partitions.map((p) => ({ partition: p.partition, offset: p.endOffset }))
              : before.map((b) => {
                  const p = current.partitions.find((x) => x.partition === b.partition);
                  if (!p) throw new CoreError('NOT_FOUND', `Topic '${name}' has no partition ${b.partition}.`);
                  return { partition: b.partition, offset: minBig(BigInt(b.offset), BigInt(p.endOffset)).toString() };
                });
          const admin = await s.adminClient();
          await s.wrap(() => admin.deleteTopicRecords({ topic: name, partitions: targets }));
          return describeTopic(s, name);
        },
        `delete records from topic '${name}'`,
      ),

    'groups.list': ({ id }) =>
      run(id, async (s) => {
        const admin = await s.adminClient();
        const { groups } = await s.wrap(() => admin.listGroups());
        if (!groups.length) return [];
        const described = await s.wrap(() => admin.describeGroups(groups.map((g) => g.groupId)));
        return described.groups
          .map((g) => ({ groupId: g.groupId, state: g.state, protocolType: g.protocolType, members: g.members.length }))
          .sort((a, b) => a.groupId.localeCompare(b.groupId));
      }),

    'groups.describe': ({ id, groupId }) => run(id, (s) => describeGroup(s, groupId)),

    'groups.resetOffsets': ({ id, groupId, topic, partitions, strategy, dryRun }) =>
      run(
        id,
        async (s, conn) => {
          const changes = await resetPlan(s, groupId, topic, partitions, strategy);
          if (dryRun) return { applied: false, changes };
          assertWritable(conn, `reset the offsets of group '${groupId}'`);
          const detail = await describeGroup(s, groupId).catch((e: unknown) => {
            if (e instanceof CoreError && e.code === 'NOT_FOUND') return null; // a new group: nothing is running
            throw e;
          });
          if (detail) refuseWhileActive(detail, 'reset its offsets');
          await s.commitGroupOffsets(groupId, [{ topic, partitions: changes.map((c) => ({ partition: c.partition, offset: c.to })) }]);
          return { applied: true, changes };
        },
      ),

    'groups.delete': ({ id, groupId }) =>
      run(
        id,
        async (s) => {
          refuseWhileActive(await describeGroup(s, groupId), 'delete it');
          const admin = await s.adminClient();
          await s.wrap(() => admin.deleteGroups([groupId]));
          return { deleted: true as const };
        },
        `delete consumer group '${groupId}'`,
      ),
  };
}
