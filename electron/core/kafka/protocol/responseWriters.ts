/**
 * The broker's side of the hand-written APIs: response writers, the mirror of the readers, from the
 * same layouts (Kafka's *Response.json). Only the tests use them — to round-trip every field and to
 * play a broker — so a reader and its writer are checked against each other and against Kafka.
 */
import type { FlexibleWriter } from './flexible';
import {
  writeAssignment,
  type ConsumerGroupMemberEntry,
  type DescribeGroupsResponse,
  type ShareGroupMemberEntry,
} from './groupDescribe';
import type { ListGroupsResponse } from './listGroups';

export function writeListGroupsResponse(w: FlexibleWriter, version: number, res: ListGroupsResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode);
  w.compactArray(res.groups, (x, g) => {
    x.compactString(g.groupId).compactString(g.protocolType);
    if (version >= 4) x.compactString(g.groupState!);
    if (version >= 5) x.compactString(g.groupType!);
    x.taggedFields();
  });
  w.taggedFields();
}

export function writeGroups<M>(
  w: FlexibleWriter,
  res: DescribeGroupsResponse<M>,
  member: (x: FlexibleWriter, m: M) => void,
): void {
  w.int32(res.throttleTimeMs);
  w.compactArray(res.groups, (x, g) => {
    x.int16(g.errorCode)
      .compactNullableString(g.errorMessage)
      .compactString(g.groupId)
      .compactString(g.groupState)
      .int32(g.groupEpoch)
      .int32(g.assignmentEpoch)
      .compactString(g.assignorName)
      .compactArray(g.members, (y, m) => {
        member(y, m);
        y.taggedFields();
      })
      .int32(g.authorizedOperations)
      .taggedFields();
  });
  w.taggedFields();
}

export function writeConsumerMember(version: number) {
  return (w: FlexibleWriter, m: ConsumerGroupMemberEntry) => {
    w.compactString(m.memberId)
      .compactNullableString(m.instanceId)
      .compactNullableString(m.rackId)
      .int32(m.memberEpoch)
      .compactString(m.clientId)
      .compactString(m.clientHost)
      .compactArray(m.subscribedTopicNames, (x, t) => x.compactString(t))
      .compactNullableString(m.subscribedTopicRegex);
    writeAssignment(w, m.assignment);
    writeAssignment(w, m.targetAssignment);
    if (version >= 1) w.int8(m.memberType!);
  };
}

export function writeShareMember(w: FlexibleWriter, m: ShareGroupMemberEntry): void {
  w.compactString(m.memberId)
    .compactNullableString(m.rackId)
    .int32(m.memberEpoch)
    .compactString(m.clientId)
    .compactString(m.clientHost)
    .compactArray(m.subscribedTopicNames, (x, t) => x.compactString(t));
  writeAssignment(w, m.assignment);
}
