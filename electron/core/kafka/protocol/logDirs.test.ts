import { describe, expect, it } from 'vitest';
import { wireRead as read, wireWritten as written } from './codecTestKit';
import type { RawBroker, RawCluster } from '../rawCluster';
import type { ClusterMetadata } from '../types';
import { ProtocolDecodeError } from './flexible';
import { describeLogDirsOnCluster, logDirInfos, replicasOf, topicSize } from './logDirs';
import {
  readDescribeLogDirsRequest,
  readDescribeLogDirsResponse,
  writeDescribeLogDirsRequest,
  writeDescribeLogDirsResponse,
  type DescribeLogDirsRequest,
  type DescribeLogDirsResponse,
} from './logDirsCodec';
import { ClassicReader, wireReader, WireWriter } from './versionedWire';
import { FlexibleReader } from './flexible';

const response = (version: number): DescribeLogDirsResponse => ({
  throttleTimeMs: 0,
  errorCode: 0,
  results: [
    {
      errorCode: 0,
      logDir: '/var/lib/kafka/data-1',
      topics: [
        {
          name: 'orders',
          partitions: [
            { partition: 0, size: 9_007_199_254_740_993n, offsetLag: 0n, isFuture: false },
            { partition: 1, size: 120n, offsetLag: 3n, isFuture: true },
          ],
        },
      ],
      totalBytes: version >= 4 ? 1_000_000_000n : null,
      usableBytes: version >= 4 ? 400_000_000n : null,
    },
    {
      errorCode: 56,
      logDir: '/var/lib/kafka/broken',
      topics: [],
      totalBytes: version >= 4 ? -1n : null,
      usableBytes: version >= 4 ? -1n : null,
    },
  ],
});

describe('DescribeLogDirs v0–v4', () => {
  for (const version of [0, 1, 2, 3, 4]) {
    const flexible = version >= 2;
    it(`v${version}: request and response round-trip, sizes past 2^53 exact`, () => {
      for (const req of [
        { topics: null },
        { topics: [{ topic: 'orders', partitions: [0, 1, 2] }] },
      ] as DescribeLogDirsRequest[]) {
        const b = written(flexible, (w) => writeDescribeLogDirsRequest(w, req));
        expect(read(b, flexible, readDescribeLogDirsRequest)).toEqual(req);
      }
      const res = response(version);
      const b = written(flexible, (w) => writeDescribeLogDirsResponse(w, version, res));
      expect(read(b, flexible, (r) => readDescribeLogDirsResponse(r, version))).toEqual(res);
    });
  }

  it('a null topic list is −1 in v1 and 0 in v2 (every partition of the broker)', () => {
    expect(written(false, (w) => writeDescribeLogDirsRequest(w, { topics: null })).toString('hex')).toBe('ffffffff');
    expect(written(true, (w) => writeDescribeLogDirsRequest(w, { topics: null })).toString('hex')).toBe('0000');
  });

  it('hostile lengths fail before allocating: partitions, topics, dirs', () => {
    const cases: [string, boolean, number, (w: WireWriter) => void][] = [
      ['2^31−1 dirs', false, 1, (w) => w.int32(0).int32(0x7fffffff)],
      ['2^32−2 dirs', true, 4, (w) => w.int32(0).int16(0).w.uvarint(0xffffffff)],
      [
        'a million partitions in a few bytes',
        false,
        1,
        (w) => w.int32(0).int32(1).int16(0).string('/d').int32(1).string('t').int32(1_000_000),
      ],
      ['a dir name longer than the answer', false, 0, (w) => w.int32(0).int32(1).int16(0).int16(500)],
    ];
    for (const [what, flexible, version, build] of cases)
      expect(
        () => read(written(flexible, build), flexible, (r) => readDescribeLogDirsResponse(r, version)),
        what,
      ).toThrow(ProtocolDecodeError);
  });

  it('a truncated answer fails at every length', () => {
    for (const version of [1, 4]) {
      const flexible = version >= 2;
      const full = written(flexible, (w) => writeDescribeLogDirsResponse(w, version, response(version)));
      for (let n = 0; n < full.length; n++)
        expect(() => read(full.subarray(0, n), flexible, (r) => readDescribeLogDirsResponse(r, version))).toThrow(
          ProtocolDecodeError,
        );
    }
  });

  it('the classic reader and the flexible one agree on integers', () => {
    const b = Buffer.from('7fff80000001ffffffffffffffff', 'hex');
    const c = new ClassicReader(b);
    const f = new FlexibleReader(b);
    expect([c.int16(), c.int32(), c.int64()]).toEqual([f.int16(), f.int32(), f.int64()]);
  });
});

/** Brokers played from bytes: each answers DescribeLogDirs at the version the request carries. */
const SEND = Symbol('private:Broker:sendRequest');
interface KafkajsRequest {
  request: { apiKey: number; apiVersion: number; encode: () => Promise<{ buffer: Buffer }> };
  response: { decode: (b: Buffer) => Promise<unknown>; parse: (d: unknown) => Promise<unknown> };
}
class FakeBroker {
  constructor(
    readonly nodeId: number,
    readonly versions: Record<number, { minVersion: number; maxVersion: number }>,
    private readonly answer: (version: number) => DescribeLogDirsResponse | Error,
  ) {}
  async [SEND](pr: KafkajsRequest): Promise<unknown> {
    const v = pr.request.apiVersion;
    const flexible = v >= 2;
    const body = (await pr.request.encode()).buffer;
    const r = wireReader(flexible ? body.subarray(1) : body, flexible); // a flexible request starts with the header's tags
    readDescribeLogDirsRequest(r);
    r.end();
    const a = this.answer(v);
    if (a instanceof Error) throw a;
    const w = new WireWriter(flexible);
    if (flexible) w.tags(); // the response header's tagged fields
    writeDescribeLogDirsResponse(w, v, a);
    return pr.response.parse(await pr.response.decode(w.bytes));
  }
}
const clusterOf = (brokers: FakeBroker[]): RawCluster =>
  ({
    brokerPool: { brokers: Object.fromEntries(brokers.map((b) => [String(b.nodeId), b])) },
    refreshMetadata: async () => undefined,
    findBroker: async ({ nodeId }: { nodeId: string }) =>
      brokers.find((b) => String(b.nodeId) === nodeId) as unknown as RawBroker,
  }) as unknown as RawCluster;

const dirWith = (logDir: string, parts: [number, bigint][]): DescribeLogDirsResponse['results'][number] => ({
  errorCode: 0,
  logDir,
  topics: [
    {
      name: 'orders',
      partitions: parts.map(([partition, size]) => ({ partition, size, offsetLag: 0n, isFuture: false })),
    },
  ],
  totalBytes: 100n,
  usableBytes: 60n,
});
const md: ClusterMetadata = {
  brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: 'h', port: 1 })),
  topicMetadata: [
    {
      topic: 'orders',
      partitionMetadata: [
        { partitionId: 0, leader: 1, replicas: [1, 2], isr: [1, 2] },
        { partitionId: 1, leader: 2, replicas: [2, 3], isr: [2, 3] },
      ],
    },
  ],
};

describe('every broker at once; the one that fails is named, the others counted', () => {
  it('asks each broker at the highest version both offer, and sums leaders and replicas', async () => {
    const seen: number[] = [];
    const b = (id: number, max: number, parts: [number, bigint][]) =>
      new FakeBroker(id, { 35: { minVersion: 0, maxVersion: max } }, (v) => {
        seen.push(id * 10 + v);
        return { throttleTimeMs: 0, errorCode: 0, results: [dirWith(`/data-${id}`, parts)] };
      });
    const report = await describeLogDirsOnCluster(
      clusterOf([
        b(1, 4, [[0, 1000n]]),
        b(2, 1, [
          [0, 990n],
          [1, 50n],
        ]),
        b(3, 9, [[1, 40n]]),
      ]),
      null,
    );
    expect(seen.sort()).toEqual([14, 21, 34]);
    expect(report.failures).toEqual([]);
    const replicas = replicasOf(report, md).get('orders')!;
    expect(replicas.map((r) => [r.partition, r.broker, r.leader])).toEqual([
      [0, 1, true],
      [0, 2, false],
      [1, 2, true],
      [1, 3, false],
    ]);
    expect(topicSize(replicas, md.topicMetadata[0]!.partitionMetadata, new Set())).toEqual({
      leaderBytes: '1050',
      replicaBytes: '2080',
      partial: false,
    });
    // v4 tells the volume; v1 does not
    expect(logDirInfos(report).map((d) => [d.broker, d.totalBytes])).toEqual([
      [1, '100'],
      [2, null],
      [3, '100'],
    ]);
  });

  it('a broker that fails, or that lists nothing before v3 (not allowed), is named; the sums say they are short', async () => {
    const ok = new FakeBroker(1, { 35: { minVersion: 0, maxVersion: 4 } }, () => ({
      throttleTimeMs: 0,
      errorCode: 0,
      results: [dirWith('/d1', [[0, 1000n]])],
    }));
    const down = new FakeBroker(2, { 35: { minVersion: 0, maxVersion: 4 } }, () => new Error('Connection closed'));
    const silent = new FakeBroker(3, { 35: { minVersion: 0, maxVersion: 2 } }, () => ({
      throttleTimeMs: 0,
      errorCode: 0,
      results: [],
    }));
    const report = await describeLogDirsOnCluster(clusterOf([ok, down, silent]), null);
    expect(report.brokers.map((b) => b.broker)).toEqual([1]);
    expect(report.failures.map((f) => f.broker)).toEqual([2, 3]);
    expect(String((report.failures[1]!.error as Error).message)).toMatch(/listed no log dirs.*DESCRIBE on the cluster/);
    const replicas = replicasOf(report, md).get('orders')!;
    expect(topicSize(replicas, md.topicMetadata[0]!.partitionMetadata, new Set([2, 3]))).toEqual({
      leaderBytes: '1000',
      replicaBytes: '1000',
      partial: true,
    });
  });

  it('v3+: an authorization error for the whole request fails that broker', async () => {
    const denied = new FakeBroker(1, { 35: { minVersion: 0, maxVersion: 4 } }, () => ({
      throttleTimeMs: 0,
      errorCode: 31,
      results: [],
    }));
    const report = await describeLogDirsOnCluster(clusterOf([denied]), null);
    expect((report.failures[0]!.error as { type?: string }).type).toBe('CLUSTER_AUTHORIZATION_FAILED');
  });

  it('an offline log dir is listed with its error and its replicas are not counted', async () => {
    const b = new FakeBroker(1, { 35: { minVersion: 0, maxVersion: 4 } }, () => ({
      throttleTimeMs: 0,
      errorCode: 0,
      results: [{ ...dirWith('/broken', [[0, 5n]]), errorCode: 56 }],
    }));
    const report = await describeLogDirsOnCluster(clusterOf([b]), null);
    expect(logDirInfos(report)[0]).toMatchObject({
      logDir: '/broken',
      error: expect.stringMatching(/^KAFKA_STORAGE_ERROR/),
    });
    expect(replicasOf(report, md).get('orders')).toBeUndefined();
  });
});
