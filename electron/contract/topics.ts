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

export const TopicSummary = z.strictObject({
  name: z.string(),
  partitions: z.number().int().nonnegative(),
  replicationFactor: z.number().int().nonnegative(),
  internal: z.boolean(),
  /** Sum of end − start offsets over partitions (an estimate: compaction and transactions leave gaps); null when not asked for. */
  messages: z.string().nullable(),
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
    }),
    output: z.strictObject({ topics: z.array(TopicSummary), fetchedAt: z.string(), fromCache: FromCache.nullable() }),
  },
  'topics.describe': { input: z.strictObject({ ...conn, name: TopicName }), output: TopicDetail },
  'topics.create': { input: TopicCreateInput, output: TopicDetail },
  'topics.delete': { input: TopicDeleteInput, output: z.strictObject({ deleted: z.literal(true) }) },
  'topics.alterConfigs': { input: TopicAlterConfigsInput, output: TopicDetail },
  'topics.addPartitions': { input: TopicAddPartitionsInput, output: TopicDetail },
  'topics.deleteRecords': { input: TopicDeleteRecordsInput, output: TopicDetail },
} as const;
