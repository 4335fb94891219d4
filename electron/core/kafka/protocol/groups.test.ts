import { describe, expect, it } from 'vitest';
import { kafkaErrorToCore } from '../errorMapping';
import type { RawBroker, RawCluster } from '../rawCluster';
import { FlexibleReader, FlexibleWriter } from './flexible';
import type { ConsumerGroupMemberEntry, DescribedGroupEntry } from './groupDescribe';
import { describeGroupsOnCluster, listGroupsOnBroker, listGroupsOnCluster } from './groups';
import type { ListedGroupEntry } from './listGroups';
import { writeConsumerMember, writeGroups, writeListGroupsResponse } from './responseWriters';

/**
 * A broker played from bytes: each request goes through kafkajs' own request shape (encode, then the
 * response's decode and parse), so the version chosen, the bytes sent and the bytes read are the real ones.
 */
const SEND = Symbol('private:Broker:sendRequest');
type Versions = Record<number, { minVersion: number; maxVersion: number }>;
type Answer = (apiKey: number, version: number, groupIds: string[]) => (w: FlexibleWriter) => void;
interface KafkajsRequest {
  request: { apiKey: number; apiVersion: number; encode: () => Promise<{ buffer: Buffer }> };
  response: { decode: (b: Buffer) => Promise<unknown>; parse: (d: unknown) => Promise<unknown> };
}

class FakeBroker {
  readonly calls: string[] = [];
  constructor(
    readonly nodeId: number,
    readonly versions: Versions,
    private readonly answer: Answer,
    private readonly legacy: { groupId: string; protocolType: string }[] = [],
  ) {}

  async [SEND](pr: KafkajsRequest): Promise<unknown> {
    const { apiKey, apiVersion } = pr.request;
    const r = new FlexibleReader((await pr.request.encode()).buffer);
    r.skipTaggedFields();
    let ids: string[] = [];
    if (apiKey === 69 || apiKey === 77) {
      ids = r.compactArray((x) => x.compactString(), 1);
      r.boolean();
      r.skipTaggedFields();
      r.end();
    }
    this.calls.push(`${apiKey}v${apiVersion}${ids.length ? ` ${ids.join(',')}` : ''}`);
    const w = new FlexibleWriter().taggedFields();
    this.answer(apiKey, apiVersion, ids)(w);
    return pr.response.parse(await pr.response.decode(w.bytes));
  }

  async listGroups() {
    this.calls.push('kafkajs ListGroups');
    return { groups: this.legacy };
  }

  async describeGroups({ groupIds }: { groupIds: string[] }) {
    this.calls.push(`kafkajs DescribeGroups ${groupIds.join(',')}`);
    return {
      groups: groupIds.map((groupId) =>
        groupId.startsWith('classic')
          ? {
              groupId,
              state: 'Stable',
              protocol: 'range',
              protocolType: 'consumer',
              members: [{ memberId: 'c-1', clientId: 'c', clientHost: '/h', memberAssignment: Buffer.alloc(0) }],
            }
          : { groupId, state: 'Dead', protocol: '', protocolType: '', members: [] },
      ),
    };
  }
}

const asRaw = (b: FakeBroker) => b as unknown as RawBroker;
const cluster = (b: FakeBroker): RawCluster =>
  ({
    brokerPool: { brokers: { [String(b.nodeId)]: b } },
    refreshMetadata: async () => undefined,
    findBroker: async () => asRaw(b),
    findGroupCoordinator: async () => asRaw(b),
  }) as unknown as RawCluster;

const v41: Versions = {
  16: { minVersion: 0, maxVersion: 5 },
  69: { minVersion: 0, maxVersion: 1 },
  77: { minVersion: 1, maxVersion: 1 },
};
const listed = (groups: Partial<ListedGroupEntry>[]) => (w: FlexibleWriter) =>
  writeListGroupsResponse(w, 5, {
    throttleTimeMs: 0,
    errorCode: 0,
    groups: groups.map((g) => ({
      groupId: 'x',
      protocolType: 'consumer',
      groupState: 'Stable',
      groupType: 'classic',
      ...g,
    })),
  });
const member: ConsumerGroupMemberEntry = {
  memberId: 'm-1',
  instanceId: null,
  rackId: 'r1',
  memberEpoch: 4,
  clientId: 'java',
  clientHost: '/10.0.0.2',
  subscribedTopicNames: ['t'],
  subscribedTopicRegex: '',
  assignment: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', topicName: 't', partitions: [2, 0] }],
  targetAssignment: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', topicName: '', partitions: [0, 1, 2] }],
  memberType: 1,
};
const described =
  (version: number, groups: Partial<DescribedGroupEntry<ConsumerGroupMemberEntry>>[]) => (w: FlexibleWriter) =>
    writeGroups(
      w,
      {
        throttleTimeMs: 0,
        groups: groups.map((g) => ({
          errorCode: 0,
          errorMessage: null,
          groupId: 'x',
          groupState: 'Stable',
          groupEpoch: 5,
          assignmentEpoch: 5,
          assignorName: 'uniform',
          members: [],
          authorizedOperations: -2147483648,
          ...g,
        })),
      },
      writeConsumerMember(version),
    );
const nothing = () => () => {
  throw new Error('no request expected');
};

describe('listing groups across broker versions', () => {
  it('Kafka 4.x: ListGroups v5 gives each group its type and state', async () => {
    const b = new FakeBroker(1, v41, () =>
      listed([
        { groupId: 'new', groupType: 'consumer' },
        { groupId: 'old', groupType: 'classic', groupState: 'Empty' },
        { groupId: 'sh', groupType: 'Share', protocolType: 'share' },
      ]),
    );
    expect(await listGroupsOnCluster(cluster(b))).toEqual([
      { groupId: 'new', protocolType: 'consumer', type: 'consumer', state: 'Stable' },
      { groupId: 'old', protocolType: 'consumer', type: 'classic', state: 'Empty' },
      { groupId: 'sh', protocolType: 'share', type: 'share', state: 'Stable' },
    ]);
    expect(b.calls).toEqual(['16v5']);
  });

  it('Kafka 2.6–3.6: ListGroups v4, states but every group classic', async () => {
    const b = new FakeBroker(
      1,
      { 16: { minVersion: 0, maxVersion: 4 } },
      (_k, v) => (w) =>
        writeListGroupsResponse(w, v, {
          throttleTimeMs: 0,
          errorCode: 0,
          groups: [{ groupId: 'g', protocolType: 'consumer', groupState: 'Empty', groupType: null }],
        }),
    );
    expect(await listGroupsOnBroker(asRaw(b))).toEqual([
      { groupId: 'g', protocolType: 'consumer', type: 'classic', state: 'Empty' },
    ]);
    expect(b.calls).toEqual(['16v4']);
  });

  it('Kafka before 2.4: kafkajs’ own ListGroups, no state', async () => {
    const b = new FakeBroker(1, { 16: { minVersion: 0, maxVersion: 2 } }, nothing, [
      { groupId: 'g', protocolType: 'consumer' },
    ]);
    expect(await listGroupsOnBroker(asRaw(b))).toEqual([
      { groupId: 'g', protocolType: 'consumer', type: 'classic', state: null },
    ]);
    expect(b.calls).toEqual(['kafkajs ListGroups']);
  });
});

describe('describing each group by the API of its type', () => {
  it('a consumer group by ConsumerGroupDescribe v1, a classic one by DescribeGroups, in the order asked', async () => {
    const b = new FakeBroker(1, v41, (key) =>
      key === 16
        ? listed([
            { groupId: 'new', groupType: 'consumer' },
            { groupId: 'classic-1', groupType: 'classic' },
          ])
        : described(1, [{ groupId: 'new', members: [member] }]),
    );
    const [classic, kip848] = await describeGroupsOnCluster(cluster(b), ['classic-1', 'new']);
    expect(b.calls).toEqual(['16v5', '69v1 new', 'kafkajs DescribeGroups classic-1']);
    expect(classic).toMatchObject({ groupId: 'classic-1', type: 'classic', state: 'Stable', protocol: 'range' });
    expect(kip848).toEqual({
      groupId: 'new',
      type: 'consumer',
      state: 'Stable',
      protocol: 'uniform',
      protocolType: 'consumer',
      groupEpoch: 5,
      assignmentEpoch: 5,
      assignor: 'uniform',
      members: [
        {
          memberId: 'm-1',
          clientId: 'java',
          clientHost: '/10.0.0.2',
          instanceId: null,
          rack: 'r1',
          memberEpoch: 4,
          memberType: 'consumer',
          subscribedTopics: ['t'],
          subscribedTopicRegex: null,
          assignment: [{ topic: 't', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [0, 2] }],
          // a topic the broker no longer names keeps its id
          targetAssignment: [
            { topic: 'AAAAAAAAAAAAAAAAAAAAAQ', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [0, 1, 2] },
          ],
        },
      ],
    });
  });

  it('a listing given is used as is (no second ListGroups)', async () => {
    const b = new FakeBroker(1, v41, () => described(1, [{ groupId: 'new', members: [member] }]));
    const [g] = await describeGroupsOnCluster(
      cluster(b),
      ['new'],
      [{ groupId: 'new', protocolType: 'consumer', type: 'consumer', state: 'Stable' }],
    );
    expect(b.calls).toEqual(['69v1 new']);
    expect(g!.members[0]!.memberType).toBe('consumer');
  });

  it('ConsumerGroupDescribe v0 where the broker offers no more: members without a type', async () => {
    const b = new FakeBroker(1, { ...v41, 69: { minVersion: 0, maxVersion: 0 } }, (key) =>
      key === 16
        ? listed([{ groupId: 'new', groupType: 'consumer' }])
        : described(0, [{ groupId: 'new', members: [{ ...member, memberType: null }] }]),
    );
    const [g] = await describeGroupsOnCluster(cluster(b), ['new']);
    expect(b.calls).toEqual(['16v5', '69v0 new']);
    expect(g!.members[0]!.memberType).toBeNull();
  });

  it('a group no longer of the listed type (GROUP_ID_NOT_FOUND) is described as classic', async () => {
    const b = new FakeBroker(1, v41, (key) =>
      key === 16
        ? listed([{ groupId: 'classic-moved', groupType: 'consumer' }])
        : described(1, [
            { groupId: 'classic-moved', errorCode: 69, errorMessage: 'Group classic-moved is not a consumer group.' },
          ]),
    );
    const [g] = await describeGroupsOnCluster(cluster(b), ['classic-moved']);
    expect(g).toMatchObject({ type: 'classic', state: 'Stable' });
    expect(b.calls).toEqual(['16v5', '69v1 classic-moved', 'kafkajs DescribeGroups classic-moved']);
  });

  it('says why, instead of guessing, where the broker cannot describe the type', async () => {
    const noDescribe = new FakeBroker(1, { 16: { minVersion: 0, maxVersion: 5 } }, () =>
      listed([
        { groupId: 'new', groupType: 'consumer' },
        { groupId: 'sh', groupType: 'share', protocolType: 'share' },
        { groupId: 'st', groupType: 'streams', protocolType: 'streams', groupState: 'Empty' },
      ]),
    );
    const [c, s, st] = await describeGroupsOnCluster(cluster(noDescribe), ['new', 'sh', 'st']);
    expect(c).toMatchObject({ type: 'consumer', state: 'Stable', members: [] });
    expect(c!.unavailable).toMatch(/does not offer ConsumerGroupDescribe/);
    expect(s).toMatchObject({ type: 'share', members: [] });
    expect(s!.unavailable).toMatch(/does not offer ShareGroupDescribe v1/);
    expect(st).toMatchObject({ type: 'streams', state: 'Empty' });
    expect(st!.unavailable).toMatch(/does not describe streams groups yet/);
    expect(noDescribe.calls).toEqual(['16v5']);

    const shareOff = new FakeBroker(1, v41, (key) =>
      key === 16
        ? listed([{ groupId: 'sh', groupType: 'share', protocolType: 'share' }])
        : (w) =>
            writeGroups(
              w,
              {
                throttleTimeMs: 0,
                groups: [
                  {
                    errorCode: 35,
                    errorMessage: null,
                    groupId: 'sh',
                    groupState: '',
                    groupEpoch: 0,
                    assignmentEpoch: 0,
                    assignorName: '',
                    members: [],
                    authorizedOperations: 0,
                  },
                ],
              },
              () => undefined,
            ),
    );
    const [off] = await describeGroupsOnCluster(cluster(shareOff), ['sh']);
    expect(off!.unavailable).toMatch(/share groups are not enabled on this cluster/);
  });

  it('asks again while the coordinator loads, and names the broker’s reason for a refusal', async () => {
    let attempts = 0;
    const loading = new FakeBroker(1, v41, (key) => {
      if (key === 16) return listed([{ groupId: 'new', groupType: 'consumer' }]);
      attempts++;
      return described(1, [{ groupId: 'new', errorCode: attempts === 1 ? 14 : 0 }]);
    });
    const [g] = await describeGroupsOnCluster(cluster(loading), ['new']);
    expect(g).toMatchObject({ type: 'consumer', state: 'Stable' });
    expect(attempts).toBe(2);

    const refused = new FakeBroker(1, v41, (key) =>
      key === 16
        ? listed([{ groupId: 'new', groupType: 'consumer' }])
        : described(1, [{ groupId: 'new', errorCode: 24, errorMessage: 'The group id new is not valid here.' }]),
    );
    const e = await describeGroupsOnCluster(cluster(refused), ['new']).catch((x: unknown) => x);
    const conn = {
      bootstrapServers: ['b:9092'],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    } as unknown as Parameters<typeof kafkaErrorToCore>[1];
    expect(kafkaErrorToCore(e, conn).message).toBe(
      'Kafka refused the request: The group id new is not valid here (INVALID_GROUP_ID).',
    );
  });

  it('a hostile answer becomes a KAFKA_ERROR naming the API, not a crash', async () => {
    const b = new FakeBroker(1, v41, (key) =>
      key === 16 ? listed([{ groupId: 'new', groupType: 'consumer' }]) : (w) => w.int32(0).uvarint(2 ** 31 + 1),
    );
    const e = await describeGroupsOnCluster(cluster(b), ['new']).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'KAFKA_ERROR' });
    expect((e as Error).message).toMatch(
      /^Broker 1 answered ConsumerGroupDescribe v1 with bytes that do not fit that version \(a COMPACT_ARRAY of 2147483648 elements/,
    );
  });
});
