import { describe, expect, it } from 'vitest';
import {
  electLeadersCall,
  readElectLeadersResponse,
  writeElectLeadersRequest,
  writeElectLeadersResponse,
  type ElectLeadersResponse,
} from './electLeadersCodec';
import { FlexibleReader, FlexibleWriter, ProtocolDecodeError } from './flexible';
import {
  readAlterReassignmentsResponse,
  readListReassignmentsResponse,
  writeAlterReassignmentsRequest,
  writeAlterReassignmentsResponse,
  writeListReassignmentsRequest,
  writeListReassignmentsResponse,
  type AlterReassignmentsResponse,
  type ListReassignmentsResponse,
} from './reassignCodecs';
import type { RawCluster } from '../rawCluster';
import { alterReassignments, electLeaders, listReassignments, partitionErrorText } from './reassign';
import { negotiate } from './transport';
import { wireReader, WireWriter } from './versionedWire';

/**
 * The bytes Kafka 4.1.1's own generated message classes write for the same requests and responses
 * (MessageUtil.toByteBufferAccessor(data, version), the body without the request header): the codecs
 * must write what Kafka writes and read what Kafka writes.
 */
const KAFKA = {
  alterReq: [
    '0000271002076f7264657273030000000004000000010000000200000003000000000200000000',
    '000027100102076f7264657273030000000004000000010000000200000003000000000200000000',
  ],
  alterRes: [
    '0000000300000002076f72646572730300000000000000000000000200551c4e6f20726561737369676e6d656e7420696e2070726f6772657373000000',
    '000000030100000002076f72646572730300000000000000000000000200551c4e6f20726561737369676e6d656e7420696e2070726f6772657373000000',
  ],
  listReqAll: '000027100000',
  listReqTopics: '0000271002076f72646572730300000000000000010000',
  listRes: '0000000000000002076f726465727302000000010400000002000000010000000302000000030200000001000000',
  electReq: [
    '0000000100066f726465727300000002000000000000000100002710',
    '010000000100066f726465727300000002000000000000000100002710',
    '0102076f7264657273030000000000000001000000271000',
  ],
  electReqAll: ['ffffffff00002710', '00ffffffff00002710', '00000000271000'],
  electRes: [
    '000000000000000100066f726465727300000002000000000000ffff000000010054002f4c656164657220656c656374696f6e206e6f74206e656564656420666f7220746f70696320706172746974696f6e2e',
    '0000000000000000000100066f726465727300000002000000000000ffff000000010054002f4c656164657220656c656374696f6e206e6f74206e656564656420666f7220746f70696320706172746974696f6e2e',
    '00000000000002076f7264657273030000000000000000000000010054304c656164657220656c656374696f6e206e6f74206e656564656420666f7220746f70696320706172746974696f6e2e000000',
  ],
};
const hex = (b: Buffer) => b.toString('hex');
const bytes = (h: string) => Buffer.from(h, 'hex');
const flexible = (build: (w: FlexibleWriter) => void) => {
  const w = new FlexibleWriter();
  build(w);
  return w.bytes;
};
const readAll = <T>(b: Buffer, fn: (r: FlexibleReader) => T): T => {
  const r = new FlexibleReader(b);
  const out = fn(r);
  r.end();
  return out;
};

const alterResponse = (v: number): AlterReassignmentsResponse => ({
  throttleTimeMs: 3,
  allowReplicationFactorChange: v >= 1 ? true : null,
  errorCode: 0,
  errorMessage: null,
  responses: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, errorCode: 0, errorMessage: null },
        { partitionIndex: 2, errorCode: 85, errorMessage: 'No reassignment in progress' },
      ],
    },
  ],
});
const listResponse: ListReassignmentsResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  errorMessage: null,
  topics: [
    {
      name: 'orders',
      partitions: [{ partitionIndex: 1, replicas: [2, 1, 3], addingReplicas: [3], removingReplicas: [1] }],
    },
  ],
};
const electResponse: ElectLeadersResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  replicaElectionResults: [
    {
      topic: 'orders',
      partitionResult: [
        { partitionId: 0, errorCode: 0, errorMessage: null },
        {
          partitionId: 1,
          errorCode: 84,
          errorMessage: 'Leader election not needed for topic partition.',
        },
      ],
    },
  ],
};

describe('AlterPartitionReassignments v0–v1', () => {
  it.each([0, 1])('v%i: the request is byte for byte what Kafka writes (a null replica list cancels)', (v) => {
    const b = flexible((w) =>
      writeAlterReassignmentsRequest(w, v, {
        timeoutMs: 10_000,
        allowReplicationFactorChange: true,
        topics: [
          {
            name: 'orders',
            partitions: [
              { partitionIndex: 0, replicas: [1, 2, 3] },
              { partitionIndex: 2, replicas: null },
            ],
          },
        ],
      }),
    );
    expect(hex(b)).toBe(KAFKA.alterReq[v]);
  });

  it.each([0, 1])("v%i: Kafka's response is read, the broker's sentence kept", (v) => {
    expect(readAll(bytes(KAFKA.alterRes[v]!), (r) => readAlterReassignmentsResponse(r, v))).toEqual(alterResponse(v));
  });

  it.each([0, 1])('v%i: the response writer writes what Kafka writes', (v) => {
    expect(hex(flexible((w) => writeAlterReassignmentsResponse(w, v, alterResponse(v))))).toBe(KAFKA.alterRes[v]);
  });
});

describe('ListPartitionReassignments v0', () => {
  it('requests: every reassignment (null topics), or the partitions named', () => {
    expect(hex(flexible((w) => writeListReassignmentsRequest(w, { timeoutMs: 10_000, topics: null })))).toBe(
      KAFKA.listReqAll,
    );
    expect(
      hex(
        flexible((w) =>
          writeListReassignmentsRequest(w, {
            timeoutMs: 10_000,
            topics: [{ name: 'orders', partitionIndexes: [0, 1] }],
          }),
        ),
      ),
    ).toBe(KAFKA.listReqTopics);
  });

  it("Kafka's response is read: replicas, adding and removing", () => {
    expect(readAll(bytes(KAFKA.listRes), readListReassignmentsResponse)).toEqual(listResponse);
    expect(hex(flexible((w) => writeListReassignmentsResponse(w, listResponse)))).toBe(KAFKA.listRes);
  });
});

describe('ElectLeaders v0–v2 (classic, then flexible)', () => {
  const classicOrFlexible = (v: number, build: (w: WireWriter) => void) => {
    const w = new WireWriter(v >= 2);
    build(w);
    return w.bytes;
  };

  it.each([0, 1, 2])('v%i: requests are byte for byte what Kafka writes, for named partitions and for all', (v) => {
    const named = classicOrFlexible(v, (w) =>
      writeElectLeadersRequest(w, v, {
        electionType: v === 0 ? 0 : 1,
        topicPartitions: [{ topic: 'orders', partitions: [0, 1] }],
        timeoutMs: 10_000,
      }),
    );
    expect(hex(named)).toBe(KAFKA.electReq[v]);
    const all = classicOrFlexible(v, (w) =>
      writeElectLeadersRequest(w, v, { electionType: 0, topicPartitions: null, timeoutMs: 10_000 }),
    );
    expect(hex(all)).toBe(KAFKA.electReqAll[v]);
  });

  it.each([0, 1, 2])("v%i: Kafka's response is read and written back the same", (v) => {
    const r = wireReader(bytes(KAFKA.electRes[v]!), v >= 2);
    expect(readElectLeadersResponse(r, v)).toEqual(electResponse);
    r.end();
    expect(hex(classicOrFlexible(v, (w) => writeElectLeadersResponse(w, v, electResponse)))).toBe(KAFKA.electRes[v]);
  });

  it('the call says which encoding each version is in', () => {
    const req = { electionType: 0, topicPartitions: null, timeoutMs: 1 };
    expect([0, 1, 2].map((v) => electLeadersCall(v, req).flexible)).toEqual([false, false, true]);
  });
});

describe('hostile and truncated answers fail, and never allocate what they claim', () => {
  it('a truncated answer of each API is a decode error, at every length', () => {
    const cases: [string, (b: Buffer) => unknown][] = [
      [KAFKA.alterRes[1]!, (b) => readAll(b, (r) => readAlterReassignmentsResponse(r, 1))],
      [KAFKA.listRes, (b) => readAll(b, readListReassignmentsResponse)],
      [KAFKA.electRes[0]!, (b) => readElectLeadersResponse(wireReader(b, false), 0)],
      [KAFKA.electRes[2]!, (b) => readElectLeadersResponse(wireReader(b, true), 2)],
    ];
    for (const [full, read] of cases) {
      const b = bytes(full);
      for (let n = 0; n < b.length; n++)
        expect(() => read(b.subarray(0, n)), `${n} of ${b.length}`).toThrow(ProtocolDecodeError);
    }
  });

  it('an array claiming 2^31 elements in a few bytes fails before anything is read', () => {
    // ListPartitionReassignments: throttle, error, null message, then a compact array of 2^31 − 1 topics
    const b = Buffer.concat([bytes('00000000' + '0000' + '00'), bytes('ffffffff07')]);
    expect(() => readAll(b, readListReassignmentsResponse)).toThrow(/COMPACT_ARRAY of 2147483646 elements/);
    // ElectLeaders v0: an INT32 array length of 2^31 − 1
    const c = bytes('00000000' + '7fffffff');
    expect(() => readElectLeadersResponse(wireReader(c, false), 0)).toThrow(/ARRAY of 2147483647 elements/);
  });

  it('bytes left over after the layout are a misread, not a newer field', () => {
    const b = Buffer.concat([bytes(KAFKA.listRes), Buffer.from([0])]);
    expect(() => readAll(b, readListReassignmentsResponse)).toThrow(/1 bytes left over/);
  });

  it("a broker's sentence with control characters becomes one plain line", () => {
    expect(partitionErrorText(39, 'Replica assignment\u001b[2J is\ninvalid.')).toBe(
      'Replica assignment [2J is invalid (INVALID_REPLICA_ASSIGNMENT)',
    );
    expect(partitionErrorText(85, null)).toMatch(/^NO_REASSIGNMENT_IN_PROGRESS: /);
  });
});

describe('version negotiation', () => {
  const broker = (versions: Record<number, { minVersion: number; maxVersion: number }> | null) => ({
    nodeId: 1,
    versions,
  });
  it('the highest version both speak; none before the API existed', () => {
    const api = { min: 0, max: 2 };
    expect(negotiate(broker({ 43: { minVersion: 0, maxVersion: 2 } }), 43, api)).toBe(2);
    // Kafka 2.2 / 2.3: ElectLeaders v0 only (preferred elections)
    expect(negotiate(broker({ 43: { minVersion: 0, maxVersion: 0 } }), 43, api)).toBe(0);
    // Kafka 2.1 and before: no ElectLeaders; 2.3 and before: no reassignment APIs
    expect(negotiate(broker({}), 43, api)).toBeNull();
    expect(negotiate(broker({}), 45, { min: 0, max: 1 })).toBeNull();
    // Kafka 2.4–4.0: AlterPartitionReassignments v0; 4.1: v1
    expect(negotiate(broker({ 45: { minVersion: 0, maxVersion: 0 } }), 45, { min: 0, max: 1 })).toBe(0);
  });
});

describe('a broker without the APIs is told in a sentence naming the Kafka version needed', () => {
  /** A cluster whose controller offers only these versions (nothing is sent: the version check comes first). */
  const clusterOffering = (versions: Record<number, { minVersion: number; maxVersion: number }>) =>
    ({
      refreshMetadata: async () => undefined,
      findControllerBroker: async () => ({ nodeId: 7, versions }),
    }) as unknown as RawCluster;

  it('Kafka 2.3 and before: no reassignment APIs', async () => {
    const old = clusterOffering({ 43: { minVersion: 0, maxVersion: 0 } });
    await expect(alterReassignments(old, [{ topic: 't', partition: 0, replicas: [1] }], 1000)).rejects.toThrow(
      'Broker 7 does not offer AlterPartitionReassignments: needs Kafka 2.4 or later (KIP-455). On an older cluster replicas are moved with kafka-reassign-partitions --zookeeper …',
    );
    await expect(listReassignments(old, null, 1000)).rejects.toThrow(
      /does not offer ListPartitionReassignments: needs Kafka 2\.4/,
    );
  });

  it('Kafka 2.2 and 2.3: preferred elections only; 2.1: none', async () => {
    await expect(
      electLeaders(clusterOffering({ 43: { minVersion: 0, maxVersion: 0 } }), 'unclean', null, 1000),
    ).rejects.toThrow(/An unclean election needs ElectLeaders v1 \(Kafka 2\.4 or later, KIP-460\)/);
    await expect(electLeaders(clusterOffering({}), 'preferred', null, 1000)).rejects.toThrow(
      'Broker 7 does not offer ElectLeaders: needs Kafka 2.2 or later (KIP-183). On an older cluster use kafka-preferred-replica-election --zookeeper …',
    );
  });
});
