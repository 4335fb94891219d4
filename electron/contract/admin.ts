import { z } from 'zod';
import { ConnectionId } from './connection';

/** Kafka's own rule for topic names. */
export const TopicName = z
  .string()
  .min(1, 'a topic name is needed')
  .max(249, 'at most 249 characters')
  .regex(/^[a-zA-Z0-9._-]+$/, 'only letters, digits, ".", "_" and "-"')
  .refine((s) => s !== '.' && s !== '..', 'cannot be "." or ".."');

export const GroupId = z.string().min(1).max(2048);

const conn = { id: ConnectionId };

export const ClusterOverview = z.strictObject({
  clusterId: z.string().nullable(),
  controllerId: z.number().int().nullable(),
  brokers: z.array(z.strictObject({ nodeId: z.number().int(), host: z.string(), port: z.number().int(), rack: z.string().nullable() })),
  topicCount: z.number().int(),
  internalTopicCount: z.number().int(),
  partitionCount: z.number().int(),
  underReplicatedPartitions: z.number().int(),
  offlinePartitions: z.number().int(),
  consumerGroupCount: z.number().int(),
  fetchedAt: z.string(),
  /** Not null when this is the last overview fetched, shown because the cluster cannot be reached now. */
  fromCache: z.strictObject({ asOf: z.string(), reason: z.string() }).nullable(),
});
export type ClusterOverview = z.infer<typeof ClusterOverview>;

export const PartitionDetail = z.strictObject({
  partition: z.number().int(),
  leader: z.number().int(),
  replicas: z.array(z.number().int()),
  isr: z.array(z.number().int()),
  offlineReplicas: z.array(z.number().int()),
  startOffset: z.string(),
  endOffset: z.string(),
  /** end − start, as a string: offsets are 64-bit. */
  messages: z.string(),
});
export type PartitionDetail = z.infer<typeof PartitionDetail>;

export const ConfigEntry = z.strictObject({
  name: z.string(),
  value: z.string().nullable(),
  isDefault: z.boolean(),
  source: z.string(),
  readOnly: z.boolean(),
  sensitive: z.boolean(),
});
export type ConfigEntry = z.infer<typeof ConfigEntry>;

export const TopicDetail = z.strictObject({
  name: z.string(),
  internal: z.boolean(),
  partitions: z.array(PartitionDetail),
  replicationFactor: z.number().int(),
  messages: z.string(),
  configs: z.array(ConfigEntry),
  consumerGroups: z.array(z.string()),
  fetchedAt: z.string(),
});
export type TopicDetail = z.infer<typeof TopicDetail>;

export const ConfigSetting = z.strictObject({ name: z.string().min(1).max(255), value: z.string().max(64 * 1024) });

export const TopicCreateInput = z.strictObject({
  ...conn,
  name: TopicName,
  partitions: z.number().int().min(1).max(100_000),
  replicationFactor: z.number().int().min(1).max(32),
  configs: z.array(ConfigSetting).max(200).default([]),
});

export const TopicDeleteInput = z.strictObject({
  ...conn,
  name: TopicName,
  /** The user types the topic name again; it must match. */
  confirmName: z.string(),
});

export const TopicAlterConfigsInput = z.strictObject({
  ...conn,
  name: TopicName,
  set: z.array(ConfigSetting).max(200).default([]),
  /** Config names to return to their default. */
  reset: z.array(z.string().min(1).max(255)).max(200).default([]),
});

export const TopicAddPartitionsInput = z.strictObject({ ...conn, name: TopicName, totalCount: z.number().int().min(2).max(100_000) });

export const TopicDeleteRecordsInput = z.strictObject({
  ...conn,
  name: TopicName,
  /** Delete everything before these offsets; `all` empties the topic (up to each partition's end). */
  before: z.union([z.literal('all'), z.array(z.strictObject({ partition: z.number().int().min(0), offset: z.string().regex(/^\d+$/) })).min(1)]),
});

export const ConsumerGroupSummary = z.strictObject({
  groupId: z.string(),
  state: z.string(),
  protocolType: z.string(),
  members: z.number().int(),
});
export type ConsumerGroupSummary = z.infer<typeof ConsumerGroupSummary>;

export const GroupPartitionOffset = z.strictObject({
  topic: z.string(),
  partition: z.number().int(),
  committed: z.string().nullable(),
  end: z.string(),
  lag: z.string().nullable(),
  metadata: z.string().nullable(),
});
export type GroupPartitionOffset = z.infer<typeof GroupPartitionOffset>;

export const ConsumerGroupDetail = z.strictObject({
  groupId: z.string(),
  state: z.string(),
  protocolType: z.string(),
  protocol: z.string(),
  members: z.array(
    z.strictObject({
      memberId: z.string(),
      clientId: z.string(),
      host: z.string(),
      assignment: z.array(z.strictObject({ topic: z.string(), partitions: z.array(z.number().int()) })),
    }),
  ),
  offsets: z.array(GroupPartitionOffset),
  totalLag: z.string(),
  fetchedAt: z.string(),
});
export type ConsumerGroupDetail = z.infer<typeof ConsumerGroupDetail>;

export const ResetStrategy = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('earliest') }),
  z.strictObject({ to: z.literal('latest') }),
  z.strictObject({ to: z.literal('timestamp'), timestamp: z.number().int().nonnegative() }),
  z.strictObject({ to: z.literal('offset'), offset: z.string().regex(/^\d+$/) }),
  z.strictObject({ to: z.literal('shift'), by: z.number().int() }),
]);
export type ResetStrategy = z.infer<typeof ResetStrategy>;

export const GroupResetInput = z.strictObject({
  ...conn,
  groupId: GroupId,
  topic: TopicName,
  /** Absent: every partition of the topic. */
  partitions: z.array(z.number().int().min(0)).optional(),
  strategy: ResetStrategy,
  /** true: only compute the preview. */
  dryRun: z.boolean().default(true),
});

export const GroupResetResult = z.strictObject({
  applied: z.boolean(),
  changes: z.array(
    z.strictObject({ topic: z.string(), partition: z.number().int(), from: z.string().nullable(), to: z.string() }),
  ),
});
export type GroupResetResult = z.infer<typeof GroupResetResult>;

export const adminChannels = {
  'cluster.overview': { input: z.strictObject(conn), output: ClusterOverview },
  'topics.describe': { input: z.strictObject({ ...conn, name: TopicName }), output: TopicDetail },
  'topics.create': { input: TopicCreateInput, output: TopicDetail },
  'topics.delete': { input: TopicDeleteInput, output: z.strictObject({ deleted: z.literal(true) }) },
  'topics.alterConfigs': { input: TopicAlterConfigsInput, output: TopicDetail },
  'topics.addPartitions': { input: TopicAddPartitionsInput, output: TopicDetail },
  'topics.deleteRecords': { input: TopicDeleteRecordsInput, output: TopicDetail },
  'groups.list': { input: z.strictObject(conn), output: z.array(ConsumerGroupSummary) },
  'groups.describe': { input: z.strictObject({ ...conn, groupId: GroupId }), output: ConsumerGroupDetail },
  'groups.resetOffsets': { input: GroupResetInput, output: GroupResetResult },
  'groups.delete': { input: z.strictObject({ ...conn, groupId: GroupId }), output: z.strictObject({ deleted: z.literal(true) }) },
} as const;
