import type { ConfigEntry, ConfigResource, DescribedConfig, TopicDetail, TopicLogDirs } from '../../contract';
import { CoreError } from '../coreError';
import type { Handlers } from '../handlers';
import type { KafkaSession } from '../kafka/gateway';
import { explainUnlisted, UnlistedTopics } from '../kafka/readPlanner';
import { minBig, sessionRunner, type ResolveConnection } from './adminSession';
import { untilChangeShows } from './configHandlers';

type TopicChannel =
  | 'topics.describe'
  | 'topics.create'
  | 'topics.delete'
  | 'topics.alterConfigs'
  | 'topics.addPartitions'
  | 'topics.deleteRecords';

/**
 * Describes a topic whose partitions were just created. A new topic or partition needs a moment to
 * reach every broker's metadata and get a leader: describing at once can find it not yet listed or
 * meet NOT_LEADER_FOR_PARTITION, so ask again for a few seconds.
 */
async function describeOnceLed(s: KafkaSession, name: string, partitions: number): Promise<TopicDetail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const d = await describeTopic(s, name);
      if ((d.partitions.length >= partitions && d.partitions.every((p) => p.leader >= 0)) || Date.now() > deadline)
        return d;
    } catch (e) {
      const said = e instanceof CoreError ? `${e.message} ${e.detail ?? ''}` : String(e);
      const notYet =
        e instanceof UnlistedTopics || /NOT_LEADER|LEADER_NOT_AVAILABLE|UNKNOWN_TOPIC_OR_PARTITION/.test(said);
      if (Date.now() > deadline || !notYet) throw e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function describeTopic(s: KafkaSession, name: string): Promise<TopicDetail> {
  const md = await s.metadata(null);
  const t = md.topicMetadata.find((x) => x.topic === name);
  if (!t) throw await explainUnlisted(s, new UnlistedTopics([name]));
  const offsets = await s.topicOffsets(name);
  const configs: ConfigEntry[] = (await s.topicConfigs(name))
    .map((c) => ({
      name: c.name,
      value: c.sensitive ? null : c.value,
      isDefault: c.isDefault,
      source: c.source,
      readOnly: c.readOnly,
      sensitive: c.sensitive,
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
    consumerGroups: await groupsReading(s, name),
    fetchedAt: new Date().toISOString(),
    logDirs: await topicLogDirs(s, name, new Set(partitions.flatMap((p) => p.replicas))),
  };
}

/**
 * The topic on disk: each replica in each log dir of each broker, the log dirs of the brokers that
 * hold it, and the brokers that did not say (the rest are still shown).
 */
async function topicLogDirs(s: KafkaSession, name: string, holders: Set<number>): Promise<TopicLogDirs | undefined> {
  const ld = await s.logDirs([name]);
  const t = ld.topics.get(name);
  if (!t) return undefined;
  return {
    size: t.size,
    replicas: t.replicas,
    dirs: ld.dirs.filter((d) => holders.has(d.broker)),
    failures: ld.failures,
  };
}

/** Groups with a committed offset on the topic, or a member assigned one of its partitions. */
async function groupsReading(s: KafkaSession, topic: string): Promise<string[]> {
  const groups = await s.listGroups();
  const found = new Set<string>();
  for (const g of groups) {
    const offsets = await s.committedOffsets(g.groupId, [topic]);
    if (offsets.some((t) => t.partitions.some((p) => p.offset !== '-1'))) found.add(g.groupId);
  }
  if (groups.length) {
    for (const g of await s.describeGroups(groups.map((x) => x.groupId))) {
      if (g.protocolType !== 'consumer') continue;
      for (const m of g.members) {
        if (m.assignment.some((a) => a.topic === topic)) found.add(g.groupId);
      }
    }
  }
  return [...found].sort();
}

/** Topic administration. Every write checks the read-only flag first. */
export function createTopicHandlers(resolve: ResolveConnection): Pick<Handlers, TopicChannel> {
  const run = sessionRunner(resolve);
  return {
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
          const created = await s.createTopic({ name, partitions, replicationFactor, configs });
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
            throw new CoreError(
              'INVALID_INPUT',
              `Type the topic name '${name}' exactly to confirm the deletion.`,
              undefined,
              [{ path: 'confirmName', message: 'does not match the topic name' }],
            );
          }
          const md = await s.metadata(null);
          if (!md.topicMetadata.some((t) => t.topic === name))
            throw await explainUnlisted(s, new UnlistedTopics([name]));
          await s.deleteTopic(name);
          return { deleted: true as const };
        },
        `delete topic '${name}'`,
      ),

    'topics.alterConfigs': ({ id, name, set, reset }) =>
      run(
        id,
        async (s) => {
          const md = await s.metadata(null);
          if (!md.topicMetadata.some((t) => t.topic === name))
            throw await explainUnlisted(s, new UnlistedTopics([name]));
          // only the keys named change (IncrementalAlterConfigs): every other override stays as it is
          const changes = {
            set: Object.fromEntries(set.map((c) => [c.name, c.value])),
            delete: reset.filter((r) => !set.some((c) => c.name === r)),
          };
          let note: string | null = null;
          if (Object.keys(changes.set).length + changes.delete.length) {
            const resource: ConfigResource = { type: 'topic', name };
            note = (await s.alterConfigs(resource, changes, false)).note;
            const read = async (): Promise<DescribedConfig[]> => (await s.describeConfigs(resource)).configs;
            await untilChangeShows(read, resource, changes);
          }
          const d = await describeTopic(s, name);
          return note ? { ...d, note } : d;
        },
        `change the configuration of topic '${name}'`,
      ),

    'topics.addPartitions': ({ id, name, totalCount }) =>
      run(
        id,
        async (s) => {
          const current = await describeTopic(s, name);
          if (totalCount <= current.partitions.length) {
            throw new CoreError(
              'INVALID_INPUT',
              `Topic '${name}' already has ${current.partitions.length} partitions; Kafka can only add partitions, so choose more than ${current.partitions.length}.`,
              undefined,
              [{ path: 'totalCount', message: `must be more than ${current.partitions.length}` }],
            );
          }
          await s.createPartitions(name, totalCount);
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
          await s.deleteRecords(name, targets);
          return describeTopic(s, name);
        },
        `delete records from topic '${name}'`,
      ),
  };
}
