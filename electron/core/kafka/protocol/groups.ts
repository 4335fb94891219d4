/**
 * Groups of every protocol, read over kafkajs' connections: ListGroups v5 where a broker offers it
 * (the group's type and state), then each group described by the API of its type — DescribeGroups
 * (kafkajs) for classic groups, ConsumerGroupDescribe for KIP-848 consumer groups, ShareGroupDescribe
 * for share groups — on the group's coordinator (FindCoordinator, as kafkajs finds it). Only reads:
 * nothing here changes a group.
 */
import kafkajs from 'kafkajs';
import type { RawBroker, RawCluster } from '../rawCluster';
import type { AssignedPartitions, GroupInfo, GroupMember, ListedGroup } from '../types';
import {
  CONSUMER_GROUP_DESCRIBE,
  consumerGroupDescribeCall,
  SHARE_GROUP_DESCRIBE,
  shareGroupDescribeCall,
  type AssignedTopic,
  type ConsumerGroupMemberEntry,
  type DescribedGroupEntry,
  type DescribeGroupsResponse,
  type ShareGroupMemberEntry,
} from './groupDescribe';
import { LIST_GROUPS, listGroupsCall } from './listGroups';
import {
  brokerError,
  COORDINATOR_RETRIABLE,
  GROUP_ID_NOT_FOUND,
  negotiate,
  UNSUPPORTED_VERSION,
  sendFlexible,
  type FlexibleCall,
} from './transport';

// kafkajs is CommonJS; AssignerProtocol is not visible as a named ESM export.
const { AssignerProtocol } = kafkajs;

/** The groups one broker coordinates, with type and state where it can tell them. */
export async function listGroupsOnBroker(broker: RawBroker): Promise<ListedGroup[]> {
  const v = negotiate(broker, LIST_GROUPS.apiKey, LIST_GROUPS);
  if (v === null) {
    // before Kafka 2.4: kafkajs' ListGroups (v0–v2); every group of such a broker is classic
    const { groups } = await broker.listGroups();
    return groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, type: 'classic', state: null }));
  }
  const res = await sendFlexible(broker, listGroupsCall(v, { statesFilter: [], typesFilter: [] }));
  if (res.errorCode !== 0) throw brokerError(res.errorCode, null);
  return res.groups.map((g) => ({
    groupId: g.groupId,
    protocolType: g.protocolType,
    // before v5 (Kafka 3.7) a broker has no other kind of group
    type: g.groupType ? g.groupType.toLowerCase() : 'classic',
    state: g.groupState,
  }));
}

/** Every group of the cluster: each broker lists the groups it coordinates. */
export async function listGroupsOnCluster(cluster: RawCluster): Promise<ListedGroup[]> {
  await cluster.refreshMetadata();
  const lists = await Promise.all(
    Object.keys(cluster.brokerPool.brokers).map(async (nodeId) =>
      listGroupsOnBroker(await cluster.findBroker({ nodeId })),
    ),
  );
  const byId = new Map<string, ListedGroup>();
  // a group listed twice while its coordinator moves: the first answer is kept
  for (const g of lists.flat()) if (!byId.has(g.groupId)) byId.set(g.groupId, g);
  return [...byId.values()];
}

/** A classic consumer member's assignment, decoded from the bytes the group's leader wrote. */
function classicAssignment(buffer: Buffer): AssignedPartitions[] {
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

function topicsOf(topics: AssignedTopic[]): AssignedPartitions[] {
  return topics
    .map((t) => ({
      // the broker names the topic from its metadata; a topic deleted since keeps only its id
      topic: t.topicName || t.topicId,
      topicId: t.topicId,
      partitions: [...t.partitions].sort((a, b) => a - b),
    }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
}

const MEMBER_TYPE: Record<number, 'classic' | 'consumer'> = { 0: 'classic', 1: 'consumer' };

function consumerMember(m: ConsumerGroupMemberEntry): GroupMember {
  return {
    memberId: m.memberId,
    clientId: m.clientId,
    clientHost: m.clientHost,
    instanceId: m.instanceId,
    rack: m.rackId,
    memberEpoch: m.memberEpoch,
    memberType: m.memberType === null ? null : (MEMBER_TYPE[m.memberType] ?? null),
    subscribedTopics: [...m.subscribedTopicNames].sort(),
    // the broker sends an empty string for a member that subscribed by name
    subscribedTopicRegex: m.subscribedTopicRegex || null,
    assignment: topicsOf(m.assignment),
    targetAssignment: topicsOf(m.targetAssignment),
  };
}

function shareMember(m: ShareGroupMemberEntry): GroupMember {
  return {
    memberId: m.memberId,
    clientId: m.clientId,
    clientHost: m.clientHost,
    rack: m.rackId,
    memberEpoch: m.memberEpoch,
    subscribedTopics: [...m.subscribedTopicNames].sort(),
    assignment: topicsOf(m.assignment),
  };
}

function describedInfo<M>(
  g: DescribedGroupEntry<M>,
  type: string,
  protocolType: string,
  member: (m: M) => GroupMember,
): GroupInfo {
  return {
    groupId: g.groupId,
    type,
    state: g.groupState,
    protocol: g.assignorName,
    protocolType,
    members: g.members.map(member),
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
    assignor: g.assignorName,
  };
}

/** A group listed with a type this broker cannot describe: what the listing said, and why no more. */
function undescribed(l: ListedGroup, unavailable: string): GroupInfo {
  return {
    groupId: l.groupId,
    type: l.type,
    state: l.state ?? 'Unknown',
    protocol: '',
    protocolType: l.protocolType,
    members: [],
    unavailable,
  };
}

async function describeClassic(broker: RawBroker, ids: string[]): Promise<GroupInfo[]> {
  if (!ids.length) return [];
  const { groups } = await broker.describeGroups({ groupIds: ids });
  return groups.map((g): GroupInfo => ({
    groupId: g.groupId,
    type: 'classic',
    state: g.state,
    protocol: g.protocol,
    protocolType: g.protocolType,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: g.protocolType === 'consumer' ? classicAssignment(m.memberAssignment) : [],
    })),
  }));
}

/** Described groups and the ids the broker no longer knows under this type (described as classic instead). */
async function describeByApi<M>(
  broker: RawBroker,
  ids: string[],
  api: { apiKey: number; apiName: string; min: number; max: number },
  call: (v: number) => FlexibleCall<DescribeGroupsResponse<M>>,
  info: (g: DescribedGroupEntry<M>) => GroupInfo,
): Promise<{ described: GroupInfo[]; notFound: string[]; turnedOff: string[]; version: number | null }> {
  const v = negotiate(broker, api.apiKey, api);
  if (v === null || !ids.length) return { described: [], notFound: [], turnedOff: [], version: v };
  const res = await sendFlexible(broker, call(v));
  const described: GroupInfo[] = [];
  const notFound: string[] = [];
  const turnedOff: string[] = [];
  for (const g of res.groups) {
    if (g.errorCode === GROUP_ID_NOT_FOUND) notFound.push(g.groupId);
    // the API is offered, but the cluster has this kind of group switched off (a feature level)
    else if (g.errorCode === UNSUPPORTED_VERSION) turnedOff.push(g.groupId);
    else if (g.errorCode !== 0) throw brokerError(g.errorCode, g.errorMessage);
    else described.push(info(g));
  }
  return { described, notFound, turnedOff, version: v };
}

async function describeOnCoordinator(
  broker: RawBroker,
  ids: string[],
  listed: Map<string, ListedGroup>,
): Promise<GroupInfo[]> {
  if (ids.some((id) => !listed.has(id)) && negotiate(broker, LIST_GROUPS.apiKey, { min: 5, max: 5 }) !== null) {
    for (const g of await listGroupsOnBroker(broker)) if (!listed.has(g.groupId)) listed.set(g.groupId, g);
  }
  const ofType = (t: string) => ids.filter((id) => listed.get(id)?.type === t);
  const consumer = ofType('consumer');
  const share = ofType('share');
  const other = ids.filter((id) => {
    const t = listed.get(id)?.type;
    return t !== undefined && t !== 'classic' && t !== 'consumer' && t !== 'share';
  });
  const out: GroupInfo[] = [];
  const classic = ids.filter((id) => !consumer.includes(id) && !share.includes(id) && !other.includes(id));

  const c = await describeByApi<ConsumerGroupMemberEntry>(
    broker,
    consumer,
    CONSUMER_GROUP_DESCRIBE,
    (v) => consumerGroupDescribeCall(v, { groupIds: consumer, includeAuthorizedOperations: false }),
    (g) => describedInfo(g, 'consumer', listed.get(g.groupId)?.protocolType || 'consumer', consumerMember),
  );
  if (c.version === null)
    for (const id of consumer)
      out.push(
        undescribed(
          listed.get(id)!,
          'This broker lists the group as a consumer group (KIP-848) but does not offer ConsumerGroupDescribe, so its members cannot be read.',
        ),
      );
  const s = await describeByApi<ShareGroupMemberEntry>(
    broker,
    share,
    SHARE_GROUP_DESCRIBE,
    (v) => shareGroupDescribeCall(v, { groupIds: share, includeAuthorizedOperations: false }),
    (g) => describedInfo(g, 'share', listed.get(g.groupId)?.protocolType || 'share', shareMember),
  );
  if (s.version === null)
    for (const id of share)
      out.push(
        undescribed(
          listed.get(id)!,
          'This broker does not offer ShareGroupDescribe v1 (Kafka 4.1 and later), so the share group’s members cannot be read.',
        ),
      );
  for (const id of c.turnedOff)
    out.push(
      undescribed(
        listed.get(id)!,
        'The broker answers ConsumerGroupDescribe with UNSUPPORTED_VERSION: the consumer group protocol is not enabled on this cluster.',
      ),
    );
  for (const id of s.turnedOff)
    out.push(
      undescribed(
        listed.get(id)!,
        'The broker answers ShareGroupDescribe with UNSUPPORTED_VERSION: share groups are not enabled on this cluster (feature share.version).',
      ),
    );
  for (const id of other) {
    const l = listed.get(id)!;
    out.push(
      undescribed(
        l,
        `Kafka Desk does not describe ${l.type} groups yet; the broker lists this one as ${l.state ?? 'in an unknown state'}.`,
      ),
    );
  }
  // described under its listed type no more (it changed type or was deleted since): as classic
  const fallback = [...c.notFound, ...s.notFound];
  out.push(...c.described, ...s.described, ...(await describeClassic(broker, [...classic, ...fallback])));
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Groups with their members, in the order asked. `listed` (from a listing just made) saves asking
 * each coordinator for its groups' types again.
 */
export async function describeGroupsOnCluster(
  cluster: RawCluster,
  groupIds: string[],
  listed: ListedGroup[] = [],
): Promise<GroupInfo[]> {
  const ids = [...new Set(groupIds)];
  if (!ids.length) return [];
  const known = new Map(listed.map((g) => [g.groupId, g]));
  for (let attempt = 0; ; attempt++) {
    try {
      const byNode = new Map<string, { broker: RawBroker; ids: string[] }>();
      for (let i = 0; i < ids.length; i += 16) {
        const found = await Promise.all(
          ids.slice(i, i + 16).map(async (groupId) => ({
            groupId,
            broker: await cluster.findGroupCoordinator({ groupId }),
          })),
        );
        for (const { groupId, broker } of found) {
          const key = String(broker.nodeId);
          const entry = byNode.get(key) ?? { broker, ids: [] };
          entry.ids.push(groupId);
          byNode.set(key, entry);
        }
      }
      const described = (
        await Promise.all([...byNode.values()].map((n) => describeOnCoordinator(n.broker, n.ids, known)))
      ).flat();
      const byId = new Map(described.map((g) => [g.groupId, g]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // the coordinator moved or is still loading its groups: asked again, a few times
      if (attempt >= 4 || typeof code !== 'number' || !COORDINATOR_RETRIABLE.has(code)) throw e;
      await sleep(Math.min(200 * 2 ** attempt, 2000));
    }
  }
}
