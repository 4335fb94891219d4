import { z } from 'zod';
import { FromCache } from './cluster';
import { ConnectionId } from './connection';

/** The topics domain: listing, describing and changing topics. */

/** Kafka's own rule for topic names. */
export const TopicName = z
  .string()
  .min(1, 'a topic name is needed')
  .max(249, 'at most 249 characters')
  .regex(/^[a-zA-Z0-9._-]+$/, 'only letters, digits, ".", "_" and "-"')
  .refine((s) => s !== '.' && s !== '..', 'cannot be "." or ".."');

const conn = { id: ConnectionId };

/** A broker that did not say what its log dirs hold, named, with why: the sizes shown leave it out. */
export const LogDirFailure = z.strictObject({ broker: z.number().int(), message: z.string() });
export type LogDirFailure = z.infer<typeof LogDirFailure>;

/** A topic's size on disk (DescribeLogDirs), bytes as decimal strings: sizes are 64-bit. */
export const TopicSize = z.strictObject({
  /** The leader replica of each partition, summed: the topic's data once. */
  leaderBytes: z.string(),
  /** Every replica (and a replica being moved to another log dir), summed: what the topic takes on all disks. */
  replicaBytes: z.string(),
  /** A broker holding some of its replicas did not answer, or a partition has no leader: the sums are short. */
  partial: z.boolean(),
});
export type TopicSize = z.infer<typeof TopicSize>;

export const TopicSummary = z.strictObject({
  name: z.string(),
  partitions: z.number().int().nonnegative(),
  replicationFactor: z.number().int().nonnegative(),
  internal: z.boolean(),
  /** Sum of end − start offsets over partitions (an estimate: compaction and transactions leave gaps); null when not asked for. */
  messages: z.string().nullable(),
  /** Size on disk when asked for (`withSizes`); null when no broker told it. */
  size: TopicSize.nullable().optional(),
});
export type TopicSummary = z.infer<typeof TopicSummary>;

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

/** One replica of a partition in one log dir of one broker. */
export const ReplicaLogDir = z.strictObject({
  partition: z.number().int(),
  broker: z.number().int(),
  logDir: z.string(),
  bytes: z.string(),
  /** How far the replica's log end is behind the high watermark (behind the current replica, for a future one). */
  offsetLag: z.string(),
  /** A copy being moved into this log dir (AlterReplicaLogDirs): it replaces the current one when caught up. */
  future: z.boolean(),
  leader: z.boolean(),
});
export type ReplicaLogDir = z.infer<typeof ReplicaLogDir>;

/** A log dir of a broker: its volume's total and usable bytes (Kafka 3.3 on; null before), or why it is offline. */
export const LogDirInfo = z.strictObject({
  broker: z.number().int(),
  logDir: z.string(),
  totalBytes: z.string().nullable(),
  usableBytes: z.string().nullable(),
  error: z.string().nullable(),
});
export type LogDirInfo = z.infer<typeof LogDirInfo>;

export const TopicLogDirs = z.strictObject({
  size: TopicSize,
  replicas: z.array(ReplicaLogDir),
  /** The log dirs holding the topic's replicas. */
  dirs: z.array(LogDirInfo),
  failures: z.array(LogDirFailure),
});
export type TopicLogDirs = z.infer<typeof TopicLogDirs>;

export const TopicDetail = z.strictObject({
  name: z.string(),
  internal: z.boolean(),
  partitions: z.array(PartitionDetail),
  replicationFactor: z.number().int(),
  messages: z.string(),
  configs: z.array(ConfigEntry),
  consumerGroups: z.array(z.string()),
  fetchedAt: z.string(),
  /** Each partition's size per broker and log dir (DescribeLogDirs); `failures` names a broker that did not answer. */
  logDirs: TopicLogDirs.optional(),
  /** Said after a config change that could not be incremental (a broker before Kafka 2.3). */
  note: z.string().optional(),
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

export const TopicAddPartitionsInput = z.strictObject({
  ...conn,
  name: TopicName,
  totalCount: z.number().int().min(2).max(100_000),
});

export const TopicDeleteRecordsInput = z.strictObject({
  ...conn,
  name: TopicName,
  /** Delete everything before these offsets; `all` empties the topic (up to each partition's end). */
  before: z.union([
    z.literal('all'),
    z.array(z.strictObject({ partition: z.number().int().min(0), offset: z.string().regex(/^\d+$/) })).min(1),
  ]),
});

export const topicChannels = {
  'topics.list': {
    input: z.strictObject({
      id: ConnectionId,
      includeInternal: z.boolean().default(true),
      withCounts: z.boolean().default(false),
      /** Each topic's size on disk, from every broker at once (DescribeLogDirs). */
      withSizes: z.boolean().default(false),
    }),
    output: z.strictObject({
      topics: z.array(TopicSummary),
      fetchedAt: z.string(),
      fromCache: FromCache.nullable(),
      /** With `withSizes`: the brokers that did not tell their sizes (the rest are shown). */
      sizeFailures: z.array(LogDirFailure).optional(),
    }),
  },
  'topics.describe': { input: z.strictObject({ ...conn, name: TopicName }), output: TopicDetail },
  'topics.create': { input: TopicCreateInput, output: TopicDetail },
  'topics.delete': { input: TopicDeleteInput, output: z.strictObject({ deleted: z.literal(true) }) },
  'topics.alterConfigs': { input: TopicAlterConfigsInput, output: TopicDetail },
  'topics.addPartitions': { input: TopicAddPartitionsInput, output: TopicDetail },
  'topics.deleteRecords': { input: TopicDeleteRecordsInput, output: TopicDetail },
} as const;
