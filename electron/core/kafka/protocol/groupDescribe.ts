/**
 * ConsumerGroupDescribe (API key 69: KIP-848 consumer groups; v0 Kafka 3.7 early access, GA in 4.0;
 * v1 adds each member's type, KIP-1099) and ShareGroupDescribe (API key 77: KIP-932 share groups;
 * v1 from Kafka 4.1 — 4.0's early-access v0 was withdrawn, so it is not read). kafkajs has neither:
 * its DescribeGroups answers "Dead" with no members for both kinds of group. Both are flexible in
 * every version. Layout from Kafka's ConsumerGroupDescribe* / ShareGroupDescribe*.json.
 */
import type { FlexibleReader, FlexibleWriter } from './flexible';
import type { FlexibleCall } from './transport';

export const CONSUMER_GROUP_DESCRIBE = { apiKey: 69, apiName: 'ConsumerGroupDescribe', min: 0, max: 1 } as const;
export const SHARE_GROUP_DESCRIBE = { apiKey: 77, apiName: 'ShareGroupDescribe', min: 1, max: 1 } as const;

export interface DescribeGroupsRequest {
  groupIds: string[];
  includeAuthorizedOperations: boolean;
}

export interface AssignedTopic {
  /** Kafka's base64url text of the topic's UUID. */
  topicId: string;
  /** The broker resolves the name from its metadata; empty if the topic is gone. */
  topicName: string;
  partitions: number[];
}

export interface ConsumerGroupMemberEntry {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  assignment: AssignedTopic[];
  targetAssignment: AssignedTopic[];
  /** v1+: -1 unknown, 0 a classic member (an upgrading client), 1 a consumer-protocol member; null in v0. */
  memberType: number | null;
}

export interface ShareGroupMemberEntry {
  memberId: string;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  assignment: AssignedTopic[];
}

export interface DescribedGroupEntry<M> {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: M[];
  authorizedOperations: number;
}

export interface DescribeGroupsResponse<M> {
  throttleTimeMs: number;
  groups: DescribedGroupEntry<M>[];
}

export function writeDescribeGroupsRequest(w: FlexibleWriter, req: DescribeGroupsRequest): void {
  w.compactArray(req.groupIds, (x, id) => x.compactString(id));
  w.boolean(req.includeAuthorizedOperations);
  w.taggedFields();
}

/** The Assignment struct: its topic-partitions, then its tagged fields. */
export function readAssignment(r: FlexibleReader): AssignedTopic[] {
  const topics = r.compactArray((t) => {
    const topic: AssignedTopic = {
      topicId: t.uuid(),
      topicName: t.compactString(),
      partitions: t.compactArray((p) => p.int32(), 4),
    };
    t.skipTaggedFields();
    return topic;
  }, 19);
  r.skipTaggedFields();
  return topics;
}

export function writeAssignment(w: FlexibleWriter, topics: readonly AssignedTopic[]): void {
  w.compactArray(topics, (x, t) => {
    x.uuid(t.topicId)
      .compactString(t.topicName)
      .compactArray(t.partitions, (y, p) => y.int32(p))
      .taggedFields();
  });
  w.taggedFields();
}

function readGroups<M>(r: FlexibleReader, member: (m: FlexibleReader) => M, minMemberBytes: number) {
  const throttleTimeMs = r.int32();
  const groups = r.compactArray((g): DescribedGroupEntry<M> => {
    const entry: DescribedGroupEntry<M> = {
      errorCode: g.int16(),
      errorMessage: g.compactNullableString(),
      groupId: g.compactString(),
      groupState: g.compactString(),
      groupEpoch: g.int32(),
      assignmentEpoch: g.int32(),
      assignorName: g.compactString(),
      members: g.compactArray(member, minMemberBytes),
      authorizedOperations: g.int32(),
    };
    g.skipTaggedFields();
    return entry;
  }, 20);
  r.skipTaggedFields();
  return { throttleTimeMs, groups };
}

export function readConsumerGroupDescribeResponse(
  r: FlexibleReader,
  version: number,
): DescribeGroupsResponse<ConsumerGroupMemberEntry> {
  return readGroups(
    r,
    (m) => {
      const entry: ConsumerGroupMemberEntry = {
        memberId: m.compactString(),
        instanceId: m.compactNullableString(),
        rackId: m.compactNullableString(),
        memberEpoch: m.int32(),
        clientId: m.compactString(),
        clientHost: m.compactString(),
        subscribedTopicNames: m.compactArray((s) => s.compactString(), 1),
        subscribedTopicRegex: m.compactNullableString(),
        assignment: readAssignment(m),
        targetAssignment: readAssignment(m),
        memberType: version >= 1 ? m.int8() : null,
      };
      m.skipTaggedFields();
      return entry;
    },
    // member id, instance, rack, client id, host, topics, regex: 1 byte each; the epoch 4; two assignments 2 each; tags 1
    version >= 1 ? 17 : 16,
  );
}

export function readShareGroupDescribeResponse(r: FlexibleReader): DescribeGroupsResponse<ShareGroupMemberEntry> {
  return readGroups(
    r,
    (m) => {
      const entry: ShareGroupMemberEntry = {
        memberId: m.compactString(),
        rackId: m.compactNullableString(),
        memberEpoch: m.int32(),
        clientId: m.compactString(),
        clientHost: m.compactString(),
        subscribedTopicNames: m.compactArray((s) => s.compactString(), 1),
        assignment: readAssignment(m),
      };
      m.skipTaggedFields();
      return entry;
    },
    12,
  );
}

export function consumerGroupDescribeCall(
  version: number,
  req: DescribeGroupsRequest,
): FlexibleCall<DescribeGroupsResponse<ConsumerGroupMemberEntry>> {
  return {
    apiKey: CONSUMER_GROUP_DESCRIBE.apiKey,
    apiName: CONSUMER_GROUP_DESCRIBE.apiName,
    version,
    body: (w) => writeDescribeGroupsRequest(w, req),
    read: (r) => readConsumerGroupDescribeResponse(r, version),
  };
}

export function shareGroupDescribeCall(
  version: number,
  req: DescribeGroupsRequest,
): FlexibleCall<DescribeGroupsResponse<ShareGroupMemberEntry>> {
  return {
    apiKey: SHARE_GROUP_DESCRIBE.apiKey,
    apiName: SHARE_GROUP_DESCRIBE.apiName,
    version,
    body: (w) => writeDescribeGroupsRequest(w, req),
    read: (r) => readShareGroupDescribeResponse(r),
  };
}
