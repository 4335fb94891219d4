import { z } from 'zod';
import { ConnectionId } from './connection';
import { TopicName } from './topics';

/** The consumer groups domain: listing, describing, resetting offsets, deleting. */

export const GroupId = z.string().min(1).max(2048);

const conn = { id: ConnectionId };

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

export const groupChannels = {
  'groups.list': { input: z.strictObject(conn), output: z.array(ConsumerGroupSummary) },
  'groups.describe': { input: z.strictObject({ ...conn, groupId: GroupId }), output: ConsumerGroupDetail },
  'groups.resetOffsets': { input: GroupResetInput, output: GroupResetResult },
  'groups.delete': {
    input: z.strictObject({ ...conn, groupId: GroupId }),
    output: z.strictObject({ deleted: z.literal(true) }),
  },
} as const;
