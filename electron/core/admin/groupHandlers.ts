import type { ConsumerGroupDetail, GroupResetResult, ResetStrategy } from '../../contract';
import { CoreError } from '../coreError';
import type { Handlers } from '../handlers';
import type { KafkaSession } from '../kafka/gateway';
import { planRead, type StartRule } from '../kafka/readPlanner';
import type { GroupMember, PartitionBounds } from '../kafka/types';
import { maxBig, sessionRunner, type ResolveConnection } from './adminSession';
import { assertWritable } from './readOnly';

type GroupChannel = 'groups.list' | 'groups.describe' | 'groups.resetOffsets' | 'groups.delete';

const big = (s: string | null | undefined): bigint | null =>
  s === null || s === undefined || s === '' || s === '-1' ? null : BigInt(s);

/** A member as the contract shows it: the fields its group's protocol has, and no others. */
function memberOf(m: GroupMember): ConsumerGroupDetail['members'][number] {
  const out: ConsumerGroupDetail['members'][number] = {
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.clientHost,
    assignment: m.assignment,
  };
  if (m.instanceId !== undefined) out.instanceId = m.instanceId;
  if (m.rack !== undefined) out.rack = m.rack;
  if (m.memberEpoch !== undefined) out.memberEpoch = m.memberEpoch;
  if (m.memberType !== undefined) out.memberType = m.memberType;
  if (m.subscribedTopics !== undefined) out.subscribedTopics = m.subscribedTopics;
  if (m.subscribedTopicRegex !== undefined) out.subscribedTopicRegex = m.subscribedTopicRegex;
  if (m.targetAssignment !== undefined) out.targetAssignment = m.targetAssignment;
  return out;
}

async function describeGroup(s: KafkaSession, groupId: string): Promise<ConsumerGroupDetail> {
  const [g] = await s.describeGroups([groupId]);
  // a share group keeps no committed offsets (its progress is per share-partition, KIP-932)
  const committed = g?.type === 'share' ? [] : await s.committedOffsets(groupId);
  const hasOffsets = committed.some((t) => t.partitions.some((p) => p.offset !== '-1'));
  if (!g || (g.state === 'Dead' && !hasOffsets))
    throw new CoreError('NOT_FOUND', `There is no consumer group named '${groupId}' on this cluster.`);
  const offsets: ConsumerGroupDetail['offsets'] = [];
  let total = 0n;
  for (const t of committed) {
    const ends = await s.topicOffsets(t.topic).catch(() => new Map<number, PartitionBounds>());
    for (const p of t.partitions) {
      const c = big(p.offset);
      const end = ends.get(p.partition)?.high ?? 0n;
      const lag = c === null ? null : maxBig(end - c, 0n);
      if (lag !== null) total += lag;
      offsets.push({
        topic: t.topic,
        partition: p.partition,
        committed: c === null ? null : c.toString(),
        end: end.toString(),
        lag: lag === null ? null : lag.toString(),
        metadata: p.metadata ?? null,
      });
    }
  }
  offsets.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  const detail: ConsumerGroupDetail = {
    groupId,
    type: g.type,
    state: g.state,
    protocolType: g.protocolType,
    protocol: g.protocol,
    members: g.members.map(memberOf),
    offsets,
    totalLag: total.toString(),
    fetchedAt: new Date().toISOString(),
  };
  if (g.groupEpoch !== undefined) detail.groupEpoch = g.groupEpoch;
  if (g.assignmentEpoch !== undefined) detail.assignmentEpoch = g.assignmentEpoch;
  if (g.assignor !== undefined) detail.assignor = g.assignor;
  if (g.unavailable !== undefined) detail.unavailable = g.unavailable;
  return detail;
}

/**
 * Live means listed as a member by the coordinator: DescribeGroups for a classic group,
 * ConsumerGroupDescribe for a KIP-848 one (whose members DescribeGroups never shows). A group whose
 * members could not be read counts as live: nothing can tell it is not.
 */
function refuseWhileActive(detail: ConsumerGroupDetail, what: string): void {
  if (detail.unavailable)
    throw new CoreError(
      'CONFLICT',
      `Kafka Desk cannot tell whether ${detail.type} group '${detail.groupId}' has live members (${detail.unavailable.replace(/\.$/, '')}), so it does not ${what}.`,
    );
  if (detail.members.length === 0) return;
  const who = detail.members
    .slice(0, 5)
    .map((m) => `${m.clientId} on ${m.host}`)
    .join(', ');
  throw new CoreError(
    'CONFLICT',
    `Consumer group '${detail.groupId}' has ${detail.members.length} active member${detail.members.length === 1 ? '' : 's'} (${who}); stop ${detail.members.length === 1 ? 'it' : 'them'} before you ${what}.`,
  );
}

/** A share group's position is kept per share-partition (KIP-932), not as committed offsets. */
function refuseShareGroup(detail: ConsumerGroupDetail | null, what: string): void {
  if (detail?.type === 'share')
    throw new CoreError(
      'INVALID_INPUT',
      `'${detail.groupId}' is a share group: it has no committed offsets to ${what} (a share group's start offsets are changed with AlterShareGroupOffsets, which Kafka Desk does not send yet).`,
    );
}

/** A reset strategy as a read's start rule: an offset outside the log is moved to its nearest end, as Kafka's own tool does. */
function startRule(groupId: string, strategy: ResetStrategy): StartRule {
  switch (strategy.to) {
    case 'earliest':
      return { from: 'earliest' };
    case 'latest':
      return { from: 'latest', minus: 0 };
    case 'timestamp':
      return { from: 'timestamp', timestamp: strategy.timestamp };
    case 'offset':
      return { from: 'offset', offset: strategy.offset };
    case 'shift':
      return { from: 'shift', groupId, by: strategy.by };
  }
}

async function resetPlan(
  s: KafkaSession,
  groupId: string,
  topic: string,
  partitions: number[] | undefined,
  strategy: ResetStrategy,
): Promise<GroupResetResult['changes']> {
  const plan = await planRead(s, {
    topics: [topic],
    partitions,
    start: startRule(groupId, strategy),
    committedOf: groupId,
  });
  return plan.partitions.map((p) => ({
    topic,
    partition: p.partition,
    from: p.committed == null ? null : p.committed.toString(),
    to: p.start.toString(),
  }));
}

/** Consumer-group administration. Every write checks the read-only flag first. */
export function createGroupHandlers(resolve: ResolveConnection): Pick<Handlers, GroupChannel> {
  const run = sessionRunner(resolve);
  return {
    'groups.list': ({ id }) =>
      run(id, async (s) => {
        const groups = await s.listGroups();
        if (!groups.length) return [];
        const described = await s.describeGroups(
          groups.map((g) => g.groupId),
          groups,
        );
        return described
          .map((g) => ({
            groupId: g.groupId,
            type: g.type,
            state: g.state,
            protocolType: g.protocolType,
            members: g.members.length,
          }))
          .sort((a, b) => a.groupId.localeCompare(b.groupId));
      }),

    'groups.describe': ({ id, groupId }) => run(id, (s) => describeGroup(s, groupId)),

    'groups.resetOffsets': ({ id, groupId, topic, partitions, strategy, dryRun }) =>
      run(id, async (s, conn) => {
        const current = () =>
          describeGroup(s, groupId).catch((e: unknown) => {
            if (e instanceof CoreError && e.code === 'NOT_FOUND') return null; // a new group: nothing is running
            throw e;
          });
        refuseShareGroup(await current(), 'reset');
        const changes = await resetPlan(s, groupId, topic, partitions, strategy);
        if (dryRun) return { applied: false, changes };
        assertWritable(conn, `reset the offsets of group '${groupId}'`);
        // asked again right before the commit: a member may have joined since the plan
        const detail = await current();
        if (detail) refuseWhileActive(detail, 'reset its offsets');
        await s.commitGroupOffsets(groupId, [
          { topic, partitions: changes.map((c) => ({ partition: c.partition, offset: c.to })) },
        ]);
        return { applied: true, changes };
      }),

    'groups.delete': ({ id, groupId }) =>
      run(
        id,
        async (s) => {
          refuseWhileActive(await describeGroup(s, groupId), 'delete it');
          await s.deleteGroups([groupId]);
          return { deleted: true as const };
        },
        `delete consumer group '${groupId}'`,
      ),
  };
}
