import { describe, expect, it } from 'vitest';
import { flexibleRead as read, flexibleWritten as written } from './codecTestKit';
import { kafkaErrorToCore } from '../errorMapping';
import { ProtocolDecodeError } from './flexible';
import {
  readConsumerGroupDescribeResponse,
  readShareGroupDescribeResponse,
  writeDescribeGroupsRequest,
  type ConsumerGroupMemberEntry,
  type DescribedGroupEntry,
  type DescribeGroupsResponse,
  type ShareGroupMemberEntry,
} from './groupDescribe';
import { readListGroupsResponse, writeListGroupsRequest, type ListGroupsResponse } from './listGroups';
import { writeConsumerMember, writeGroups, writeListGroupsResponse, writeShareMember } from './responseWriters';
import { brokerError, decodeFlexibleResponse, encodeFlexibleRequest, negotiate } from './transport';

const topicId = 'k1KXJ_N1QK6wSexOD8dgrA';
const member = (over: Partial<ConsumerGroupMemberEntry> = {}): ConsumerGroupMemberEntry => ({
  memberId: 'Zq3dYf0nS2WmXYkq1vK0Aw',
  instanceId: 'instance-1',
  rackId: 'rack-a',
  memberEpoch: 7,
  clientId: 'console-consumer',
  clientHost: '/127.0.0.1',
  subscribedTopicNames: ['orders', 'payments'],
  subscribedTopicRegex: null,
  assignment: [{ topicId, topicName: 'orders', partitions: [0, 2] }],
  targetAssignment: [
    { topicId, topicName: 'orders', partitions: [0, 1, 2] },
    { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', topicName: 'payments', partitions: [] },
  ],
  memberType: 1,
  ...over,
});
const group = <M>(members: M[], over: Partial<DescribedGroupEntry<M>> = {}): DescribedGroupEntry<M> => ({
  errorCode: 0,
  errorMessage: null,
  groupId: 'g1',
  groupState: 'Stable',
  groupEpoch: 9,
  assignmentEpoch: 9,
  assignorName: 'uniform',
  members,
  authorizedOperations: -2147483648,
  ...over,
});

describe('ListGroups v3–v5 (flexible)', () => {
  it('requests: the filters each version has, after the header’s tagged fields', () => {
    const body = (v: number) => [
      ...encodeFlexibleRequest({
        body: (w) => writeListGroupsRequest(w, v, { statesFilter: ['Stable'], typesFilter: ['consumer'] }),
      }).bytes,
    ];
    expect(body(3)).toEqual([0x00, 0x00]);
    expect(body(4)).toEqual([0x00, 0x02, 0x07, ...Buffer.from('Stable'), 0x00]);
    expect(body(5)).toEqual([0x00, 0x02, 0x07, ...Buffer.from('Stable'), 0x02, 0x09, ...Buffer.from('consumer'), 0x00]);
  });

  it.each([3, 4, 5])('v%i responses read back as written', (v) => {
    const res: ListGroupsResponse = {
      throttleTimeMs: 5,
      errorCode: 0,
      groups: [
        {
          groupId: 'a',
          protocolType: 'consumer',
          groupState: v >= 4 ? 'Stable' : null,
          groupType: v >= 5 ? 'consumer' : null,
        },
        { groupId: 'b', protocolType: '', groupState: v >= 4 ? 'Empty' : null, groupType: v >= 5 ? 'classic' : null },
      ],
    };
    expect(
      read(
        written((w) => writeListGroupsResponse(w, v, res)),
        (r) => readListGroupsResponse(r, v),
      ),
    ).toEqual(res);
  });
});

describe('ConsumerGroupDescribe v0–v1 and ShareGroupDescribe v1', () => {
  it('requests: the group ids and the authorized-operations flag', () => {
    const b = encodeFlexibleRequest({
      body: (w) => writeDescribeGroupsRequest(w, { groupIds: ['g1', 'g2'], includeAuthorizedOperations: false }),
    }).bytes;
    expect([...b]).toEqual([0x00, 0x03, 0x03, 0x67, 0x31, 0x03, 0x67, 0x32, 0x00, 0x00]);
  });

  it.each([0, 1])('v%i responses read back as written, every field', (v) => {
    const res: DescribeGroupsResponse<ConsumerGroupMemberEntry> = {
      throttleTimeMs: 0,
      groups: [
        group([
          member({ memberType: v >= 1 ? 1 : null }),
          member({
            memberId: 'other',
            instanceId: null,
            rackId: null,
            subscribedTopicNames: [],
            subscribedTopicRegex: 'ord.*',
            memberType: v >= 1 ? 0 : null,
          }),
        ]),
        group([], {
          errorCode: 69,
          errorMessage: 'Group g2 is not a consumer group.',
          groupId: 'g2',
          groupState: '',
          assignorName: '',
        }),
      ],
    };
    const b = written((w) => writeGroups(w, res, writeConsumerMember(v)));
    expect(read(b, (r) => readConsumerGroupDescribeResponse(r, v))).toEqual(res);
  });

  it('the smallest member and group the layout allows are read (the bounds are not too tight)', () => {
    const tiny: ConsumerGroupMemberEntry = {
      memberId: '',
      instanceId: null,
      rackId: null,
      memberEpoch: 0,
      clientId: '',
      clientHost: '',
      subscribedTopicNames: [],
      subscribedTopicRegex: null,
      assignment: [],
      targetAssignment: [],
      memberType: 1,
    };
    for (const v of [0, 1]) {
      const m = { ...tiny, memberType: v >= 1 ? 1 : null };
      const res = { throttleTimeMs: 0, groups: [group([m], { groupId: '', groupState: '', assignorName: '' })] };
      expect(
        read(
          written((w) => writeGroups(w, res, writeConsumerMember(v))),
          (r) => readConsumerGroupDescribeResponse(r, v),
        ),
      ).toEqual(res);
    }
    const share: ShareGroupMemberEntry = {
      memberId: '',
      rackId: null,
      memberEpoch: 0,
      clientId: '',
      clientHost: '',
      subscribedTopicNames: [],
      assignment: [],
    };
    const res = { throttleTimeMs: 0, groups: [group([share], { groupId: '', groupState: '', assignorName: '' })] };
    expect(
      read(
        written((w) => writeGroups(w, res, writeShareMember)),
        readShareGroupDescribeResponse,
      ),
    ).toEqual(res);
  });

  it('ShareGroupDescribe v1 reads back as written', () => {
    const res: DescribeGroupsResponse<ShareGroupMemberEntry> = {
      throttleTimeMs: 1,
      groups: [
        group(
          [
            {
              memberId: 'm1',
              rackId: 'r1',
              memberEpoch: 3,
              clientId: 'share-client',
              clientHost: '/10.0.0.1',
              subscribedTopicNames: ['orders'],
              assignment: [{ topicId, topicName: 'orders', partitions: [0, 1, 2] }],
            },
          ],
          { assignorName: 'simple' },
        ),
      ],
    };
    expect(
      read(
        written((w) => writeGroups(w, res, writeShareMember)),
        readShareGroupDescribeResponse,
      ),
    ).toEqual(res);
  });

  it('every truncation of a response, and random damage to it, fails with a decode error and nothing else', () => {
    const res = { throttleTimeMs: 0, groups: [group([member(), member({ memberId: 'b' })])] };
    const full = written((w) => writeGroups(w, res, writeConsumerMember(1)));
    for (let n = 0; n < full.length; n++) {
      expect(() => read(full.subarray(0, n), (r) => readConsumerGroupDescribeResponse(r, 1))).toThrow(
        ProtocolDecodeError,
      );
    }
    let seed = 17;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const damaged = Buffer.from(full);
      for (let k = 0; k < 3; k++) damaged[next() % damaged.length] = next() % 256;
      try {
        read(damaged, (r) => readConsumerGroupDescribeResponse(r, 1));
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolDecodeError);
      }
    }
  });
});

describe('the response header and the broker’s versions', () => {
  it('the response header’s tagged fields, empty or not, are skipped before the body', () => {
    const body = written((w) => writeListGroupsResponse(w, 5, { throttleTimeMs: 0, errorCode: 0, groups: [] }));
    const withTags = Buffer.concat([written((w) => w.taggedFields([{ tag: 0, data: Buffer.from('hi') }])), body]);
    expect(decodeFlexibleResponse(withTags, (r) => readListGroupsResponse(r, 5)).groups).toEqual([]);
    expect(() => decodeFlexibleResponse(body.subarray(1), (r) => readListGroupsResponse(r, 5))).toThrow(
      ProtocolDecodeError,
    );
  });

  it('negotiates the highest version both sides speak, or none', () => {
    const broker = (min: number, max: number) => ({
      nodeId: 1,
      versions: { 69: { minVersion: min, maxVersion: max } },
    });
    expect(negotiate(broker(0, 1), 69, { min: 0, max: 1 })).toBe(1);
    expect(negotiate(broker(0, 3), 69, { min: 0, max: 1 })).toBe(1);
    expect(negotiate(broker(0, 0), 69, { min: 0, max: 1 })).toBe(0);
    expect(negotiate(broker(0, 0), 69, { min: 1, max: 1 })).toBeNull();
    expect(negotiate(broker(2, 3), 69, { min: 0, max: 1 })).toBeNull();
    expect(negotiate(broker(0, 1), 77, { min: 1, max: 1 })).toBeNull();
    expect(negotiate({ nodeId: 1, versions: null }, 69, { min: 0, max: 1 })).toBeNull();
  });

  it('a group’s error code reaches a CoreError with the broker’s own sentence', () => {
    const conn = {
      bootstrapServers: ['b:9092'],
      sasl: { mechanism: 'none' as const },
      tls: { enabled: false },
    } as unknown as Parameters<typeof kafkaErrorToCore>[1];
    const core = kafkaErrorToCore(brokerError(42, 'The group id must not be empty.'), conn);
    expect(core.code).toBe('KAFKA_ERROR');
    expect(core.message).toBe('Kafka refused the request: The group id must not be empty (INVALID_REQUEST).');
    // an ACL refusal is told as one, with the code
    const denied = kafkaErrorToCore(brokerError(30, 'Not authorized.'), conn);
    expect(denied.code).toBe('FORBIDDEN');
    expect(denied.message).toMatch(/GROUP_AUTHORIZATION_FAILED/);
    const bare = kafkaErrorToCore(brokerError(16, null), conn);
    expect(bare.message).toMatch(/NOT_COORDINATOR_FOR_GROUP/);
  });
});
