import { z } from 'zod';
import { ConnectionId } from './connection';
import { TopicName } from './topics';

/** The consumer groups domain: listing, describing, resetting offsets, deleting. */

export const GroupId = z.string().min(1).max(2048);

const conn = { id: ConnectionId };

/**
 * The group's protocol as the broker names it (ListGroups v5): 'classic' (JoinGroup / SyncGroup),
 * 'consumer' (KIP-848), 'share' (KIP-932), 'streams', or what a newer broker adds. Brokers before
 * Kafka 3.7 have classic groups only.
 */
export const ConsumerGroupType = z.string();

export const ConsumerGroupSummary = z.strictObject({
  groupId: z.string(),
  type: ConsumerGroupType,
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

/** Partitions of one topic assigned to a member; `topicId` (Kafka's base64 text) where the broker names it. */
export const GroupMemberAssignment = z.strictObject({
  topic: z.string(),
  partitions: z.array(z.number().int()),
  topicId: z.string().optional(),
});

export const ConsumerGroupDetail = z.strictObject({
  groupId: z.string(),
  state: z.string(),
  protocolType: z.string(),
  protocol: z.string(),
  type: ConsumerGroupType,
  /** Consumer and share groups: the group's epoch, the epoch of its current assignment, the broker-side assignor. */
  groupEpoch: z.number().int().optional(),
  assignmentEpoch: z.number().int().optional(),
  assignor: z.string().optional(),
  /** Why the members could not be read (the broker lacks the API for this type of group). */
  unavailable: z.string().optional(),
  members: z.array(
    z.strictObject({
      memberId: z.string(),
      clientId: z.string(),
      host: z.string(),
      assignment: z.array(GroupMemberAssignment),
      /** Consumer (KIP-848) and share group members: */
      instanceId: z.string().nullable().optional(),
      rack: z.string().nullable().optional(),
      memberEpoch: z.number().int().optional(),
      /** In a consumer group, the protocol the member's client speaks: a classic client joins one while it upgrades. */
      memberType: z.enum(['classic', 'consumer']).nullable().optional(),
      subscribedTopics: z.array(z.string()).optional(),
      subscribedTopicRegex: z.string().nullable().optional(),
      /** What the coordinator is moving the member to; equal to `assignment` once it has reconciled. */
      targetAssignment: z.array(GroupMemberAssignment).optional(),
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

export const groupChannels = {
  'groups.list': { input: z.strictObject(conn), output: z.array(ConsumerGroupSummary) },
  'groups.describe': { input: z.strictObject({ ...conn, groupId: GroupId }), output: ConsumerGroupDetail },
  'groups.resetOffsets': { input: GroupResetInput, output: GroupResetResult },
  'groups.delete': {
    input: z.strictObject({ ...conn, groupId: GroupId }),
    output: z.strictObject({ deleted: z.literal(true) }),
  },
} as const;
