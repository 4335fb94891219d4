import { describe, expect, it } from 'vitest';
import { heldBackSentence, type Transaction } from '../../../contract';
import { CoreError } from '../../coreError';
import type { RawCluster } from '../rawCluster';
import { FlexibleReader, FlexibleWriter } from './flexible';
import { describeTransactions, listTransactions } from './transactions';
import {
  writeDescribeProducersResponse,
  writeDescribeTransactionsResponse,
  writeListTransactionsResponse,
  type DescribedTransactionEntry,
  type ProducerStateEntry,
} from './transactionsCodecs';
import { topicProducers } from './transactionsProducers';

/**
 * A cluster of one broker played from bytes: each request goes through kafkajs' own request shape
 * (encode, then the response's decode and parse), so the version chosen and the bytes both ways are
 * the real ones. Its ApiVersions are a Kafka release's.
 */
const SEND = Symbol('private:Broker:sendRequest');
type Versions = Record<number, { minVersion: number; maxVersion: number }>;
interface KafkajsRequest {
  request: { apiKey: number; apiVersion: number; encode: () => Promise<{ buffer: Buffer }> };
  response: { decode: (b: Buffer) => Promise<unknown>; parse: (d: unknown) => Promise<unknown> };
}

const V = (max: number) => ({ minVersion: 0, maxVersion: max });
/** Kafka 2.7: none of KIP-664. 2.8: DescribeProducers. 3.0: all three, ListTransactions v0. 4.1: ListTransactions v2. */
const KAFKA: Record<string, Versions> = {
  '2.7': { 2: V(5) },
  '2.8': { 2: V(6), 61: V(0) },
  '3.0': { 2: V(7), 61: V(0), 65: V(0), 66: V(0) },
  '4.1': { 2: { minVersion: 1, maxVersion: 10 }, 61: V(0), 65: V(0), 66: V(2) },
};

interface Log {
  topic: string;
  partitions: { partition: number; high: bigint; stable: bigint; producers: ProducerStateEntry[] }[];
}

class FakeBroker {
  readonly nodeId = 1;
  readonly calls: string[] = [];
  constructor(
    readonly versions: Versions,
    private readonly log: Log,
    private readonly txns: (DescribedTransactionEntry & { listed?: boolean })[],
  ) {}

  async [SEND](pr: KafkajsRequest): Promise<unknown> {
    const { apiKey, apiVersion } = pr.request;
    const r = new FlexibleReader((await pr.request.encode()).buffer);
    r.skipTaggedFields();
    const w = new FlexibleWriter().taggedFields();
    if (apiKey === 66) {
      const states = r.compactArray((x) => x.compactString(), 1);
      const pids = r.compactArray((x) => x.int64(), 8);
      const duration = apiVersion >= 1 ? r.int64() : null;
      this.calls.push(
        `ListTransactions v${apiVersion} [${states}] [${pids}]${duration === null ? '' : ` ${duration}`}`,
      );
      writeListTransactionsResponse(w, {
        throttleTimeMs: 0,
        errorCode: 0,
        unknownStateFilters: [],
        transactionStates: this.txns
          .filter((t) => t.listed !== false)
          .filter((t) => !states.length || states.includes(t.transactionState))
          .filter((t) => !pids.length || pids.includes(t.producerId))
          .filter((t) => duration === null || duration < 0n || BigInt(Date.now()) - t.transactionStartTimeMs > duration)
          .map((t) => ({
            transactionalId: t.transactionalId,
            producerId: t.producerId,
            transactionState: t.transactionState,
          })),
      });
    } else if (apiKey === 65) {
      const ids = r.compactArray((x) => x.compactString(), 1);
      this.calls.push(`DescribeTransactions [${ids}]`);
      writeDescribeTransactionsResponse(w, {
        throttleTimeMs: 0,
        transactionStates: ids.map(
          (id) =>
            this.txns.find((t) => t.transactionalId === id) ?? {
              errorCode: 105,
              transactionalId: id,
              transactionState: '',
              transactionTimeoutMs: 0,
              transactionStartTimeMs: -1n,
              producerId: -1n,
              producerEpoch: -1,
              topics: [],
            },
        ),
      });
    } else if (apiKey === 61) {
      const topics = r.compactArray((t) => {
        const entry = { name: t.compactString(), partitions: t.compactArray((p) => p.int32(), 4) };
        t.skipTaggedFields();
        return entry;
      }, 3);
      this.calls.push(`DescribeProducers ${topics.map((t) => `${t.name}[${t.partitions}]`)}`);
      writeDescribeProducersResponse(w, {
        throttleTimeMs: 0,
        topics: topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((i) => ({
            partitionIndex: i,
            errorCode: 0,
            errorMessage: null,
            activeProducers: this.log.partitions.find((p) => p.partition === i)?.producers ?? [],
          })),
        })),
      });
    } else throw new Error(`unexpected API ${apiKey}`);
    return pr.response.parse(await pr.response.decode(w.bytes));
  }

  async listOffsets({
    isolationLevel,
    topics,
  }: {
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number }[] }[];
  }) {
    this.calls.push(`ListOffsets ${isolationLevel === 1 ? 'READ_COMMITTED' : 'READ_UNCOMMITTED'}`);
    return {
      responses: topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map(({ partition }) => {
          const p = this.log.partitions.find((x) => x.partition === partition)!;
          return { partition, offset: String(isolationLevel === 1 ? p.stable : p.high) };
        }),
      })),
    };
  }
}

function clusterOf(b: FakeBroker): RawCluster & { coordinatorTypes: number[] } {
  const coordinatorTypes: number[] = [];
  const metadata = async (topics: string[]) => {
    if (!topics.includes(b['log'].topic))
      throw Object.assign(new Error('gone'), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    return {
      brokers: [{ nodeId: 1, host: 'h', port: 1 }],
      topicMetadata: [
        {
          topic: b['log'].topic,
          partitionMetadata: b['log'].partitions.map((p) => ({
            partitionId: p.partition,
            leader: 1,
            replicas: [1],
            isr: [1],
          })),
        },
      ],
    };
  };
  return {
    coordinatorTypes,
    brokerPool: { brokers: { '1': b }, seedBroker: { metadata } },
    refreshMetadata: async () => undefined,
    findBroker: async () => b,
    findGroupCoordinator: async ({ coordinatorType }: { coordinatorType: number }) => {
      coordinatorTypes.push(coordinatorType);
      return b;
    },
  } as unknown as RawCluster & { coordinatorTypes: number[] };
}

const now = Date.now();
const txn = (over: Partial<DescribedTransactionEntry> = {}): DescribedTransactionEntry => ({
  errorCode: 0,
  transactionalId: 'orders-tx',
  transactionState: 'Ongoing',
  transactionTimeoutMs: 60_000,
  transactionStartTimeMs: BigInt(now - 5_000),
  producerId: 1022n,
  producerEpoch: 2,
  topics: [{ topic: 'orders', partitions: [0] }],
  ...over,
});
const producer = (over: Partial<ProducerStateEntry> = {}): ProducerStateEntry => ({
  producerId: 1022n,
  producerEpoch: 2,
  lastSequence: 1,
  lastTimestamp: BigInt(now - 4_000),
  coordinatorEpoch: 0,
  currentTxnStartOffset: 4n,
  ...over,
});
/** orders-0: committed up to 4, an open transaction of producer 1022 from 4 to 6; orders-1: an idempotent producer, nothing open. */
const log = (p0: ProducerStateEntry[] = [producer()]): Log => ({
  topic: 'orders',
  partitions: [
    { partition: 0, high: 6n, stable: 4n, producers: p0 },
    {
      partition: 1,
      high: 3n,
      stable: 3n,
      producers: [producer({ producerId: 7n, producerEpoch: 0, currentTxnStartOffset: -1n, lastSequence: 2 })],
    },
  ],
});

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as CoreError;
  }
  throw new Error('went through');
};

describe('transactions on brokers without KIP-664', () => {
  it('Kafka 2.7: listing says which API and version; the LSO is still read, its holder unnamed', async () => {
    const b = new FakeBroker(KAFKA['2.7']!, log(), [txn()]);
    const c = clusterOf(b);
    const e = await refusal(listTransactions(c, { states: [], producerIds: [], minOpenMs: null }, null));
    expect(e).toBeInstanceOf(CoreError);
    expect(e.message).toBe(
      'Broker 1 does not offer ListTransactions: reading transactions needs Kafka 3.0 or later (KIP-664).',
    );
    const d = await refusal(describeTransactions(c, ['orders-tx'], null));
    expect(d.message).toBe(
      'Broker 1 does not offer DescribeTransactions: reading transactions needs Kafka 3.0 or later (KIP-664).',
    );
    const t = await topicProducers(c, 'orders', null, null);
    expect(t.producersUnavailable).toBe('broker 1 does not offer DescribeProducers (Kafka 2.8 or later, KIP-664)');
    expect(t.partitions[0]).toMatchObject({ highWatermark: '6', lastStableOffset: '4', pending: '2', producers: [] });
    expect(t.partitions[0]!.heldBy).toMatchObject({ kind: 'unnamed', producerId: null, startOffset: '4' });
    expect(heldBackSentence('orders', t.partitions[0]!, null)).toBe(
      'Partition 0: read_committed consumers stop at offset 4 (2 offsets after it not readable yet): an open transaction holds it (broker 1 does not offer DescribeProducers (Kafka 2.8 or later, KIP-664)).',
    );
    expect(t.partitions[1]!.heldBy).toBeNull();
    expect(b.calls.filter((x) => x.startsWith('DescribeProducers'))).toEqual([]);
  });

  it('Kafka 2.8: the producers are read, and the transactional id cannot be matched (ListTransactions is 3.0)', async () => {
    const t = await topicProducers(clusterOf(new FakeBroker(KAFKA['2.8']!, log(), [txn()])), 'orders', null, null);
    expect(t.producersUnavailable).toBeNull();
    expect(t.transactionsUnavailable).toMatch(/ListTransactions: reading transactions needs Kafka 3.0 or later/);
    expect(t.partitions[0]!.producers).toEqual([
      {
        producerId: '1022',
        producerEpoch: 2,
        lastSequence: 1,
        lastTimestamp: new Date(now - 4_000).toISOString(),
        coordinatorEpoch: 0,
        currentTxnStartOffset: '4',
        transactionalId: null,
      },
    ]);
    expect(t.partitions[0]!.heldBy).toMatchObject({ kind: 'unnamed', producerId: '1022', producerEpoch: 2 });
  });
});

describe('transactions on Kafka 3.0 and 4.1', () => {
  it('4.1: listed with the filters sent as asked (v1: the duration too), described on the TRANSACTION coordinator', async () => {
    const b = new FakeBroker(KAFKA['4.1']!, log(), [
      txn(),
      txn({
        transactionalId: 'audit-tx',
        transactionState: 'CompleteCommit',
        producerId: 5n,
        topics: [],
        transactionStartTimeMs: BigInt(now - 3_600_000),
      }),
    ]);
    const c = clusterOf(b);
    const list = await listTransactions(c, { states: ['Ongoing'], producerIds: [1022n], minOpenMs: 1000 }, null);
    expect(b.calls[0]).toBe('ListTransactions v1 [Ongoing] [1022] 1000');
    expect(c.coordinatorTypes).toEqual([1]);
    expect(list).toHaveLength(1);
    const t: Transaction = list[0]!;
    expect(t).toMatchObject({
      transactionalId: 'orders-tx',
      state: 'Ongoing',
      producerId: '1022',
      producerEpoch: 2,
      timeoutMs: 60_000,
      partitions: [{ topic: 'orders', partitions: [0] }],
      coordinator: 1,
      hung: false,
      problem: null,
    });
    expect(t.openMs).toBeGreaterThanOrEqual(5_000);
    const all = await listTransactions(c, { states: [], producerIds: [], minOpenMs: null }, null);
    expect(all.map((x) => [x.transactionalId, x.state, x.openMs])).toEqual([
      ['audit-tx', 'CompleteCommit', null],
      ['orders-tx', 'Ongoing', expect.any(Number)],
    ]);
  });

  it('3.0 (ListTransactions v0): the duration filter is applied here, by Kafka’s rule', async () => {
    const b = new FakeBroker(KAFKA['3.0']!, log(), [
      txn(),
      txn({ transactionalId: 'old-tx', producerId: 9n, transactionStartTimeMs: BigInt(now - 600_000) }),
    ]);
    const list = await listTransactions(clusterOf(b), { states: [], producerIds: [], minOpenMs: 60_000 }, null);
    expect(b.calls[0]).toBe('ListTransactions v0 [] []');
    expect(list.map((t) => t.transactionalId)).toEqual(['old-tx']);
    // open 10 minutes of its 1 minute timeout: hung
    expect(list[0]!.hung).toBe(true);
  });

  it('describe: each id once, in the order asked; an unknown id in notFound; a threshold flags it hung', async () => {
    const c = clusterOf(new FakeBroker(KAFKA['4.1']!, log(), [txn()]));
    const r = await describeTransactions(c, ['nobody', 'orders-tx', 'nobody'], 1000);
    expect(r.notFound).toEqual(['nobody']);
    expect(r.transactions.map((t) => [t.transactionalId, t.hung])).toEqual([['orders-tx', true]]);
    expect((await describeTransactions(c, ['orders-tx'], null)).transactions[0]!.hung).toBe(false);
  });

  it('producers: the LSO held at 4 by orders-tx, named through its producer id; the other partition caught up', async () => {
    const b = new FakeBroker(KAFKA['4.1']!, log(), [txn()]);
    const t = await topicProducers(clusterOf(b), 'orders', null, null);
    expect(t.producersUnavailable).toBeNull();
    expect(t.transactionsUnavailable).toBeNull();
    const [p0, p1] = t.partitions;
    expect(p0).toMatchObject({ partition: 0, leader: 1, highWatermark: '6', lastStableOffset: '4', pending: '2' });
    expect(p0!.producers[0]!.transactionalId).toBe('orders-tx');
    expect(p0!.heldBy).toMatchObject({
      kind: 'open',
      producerId: '1022',
      producerEpoch: 2,
      startOffset: '4',
      transactionalId: 'orders-tx',
      transaction: { state: 'Ongoing', timeoutMs: 60_000 },
    });
    expect(heldBackSentence('orders', p0!, null)).toMatch(
      /^Partition 0: read_committed consumers stop at offset 4 \(2 offsets after it not readable yet\): transaction 'orders-tx' \(producer 1022, epoch 2\) began there and is Ongoing, open \d+ s of its 1 min timeout\. They read on once it commits or aborts\.$/,
    );
    expect(p1).toMatchObject({ highWatermark: '3', lastStableOffset: '3', pending: '0', heldBy: null });
    expect(p1!.producers[0]).toMatchObject({ producerId: '7', transactionalId: null, currentTxnStartOffset: null });
    // one ListTransactions for both producer ids, one DescribeTransactions for the holder only
    expect(b.calls.filter((x) => x.startsWith('ListTransactions'))).toEqual(['ListTransactions v1 [] [1022,7] -1']);
    expect(b.calls.filter((x) => x.startsWith('DescribeTransactions'))).toEqual(['DescribeTransactions [orders-tx]']);
  });

  it('producers: a threshold makes the holder hung; the sentence says it is past the threshold', async () => {
    const t = await topicProducers(clusterOf(new FakeBroker(KAFKA['4.1']!, log(), [txn()])), 'orders', [0], 1000);
    expect(t.partitions).toHaveLength(1);
    expect(t.partitions[0]!.heldBy).toMatchObject({ kind: 'hung', transaction: { hung: true } });
    expect(heldBackSentence('orders', t.partitions[0]!, 1000)).toMatch(
      /: transaction 'orders-tx' \(producer 1022, epoch 2\) began there and is hung — Ongoing for \d+ s \(timeout 1 min\), longer than the 1 s threshold\. Its coordinator should have aborted it; until it ends, those consumers see nothing after it\.$/,
    );
  });

  it('producers: a transaction no coordinator lists, from a producer silent for 20 minutes, is a hanging one', async () => {
    const quiet = producer({ producerId: 77n, lastTimestamp: BigInt(now - 20 * 60_000) });
    const t = await topicProducers(clusterOf(new FakeBroker(KAFKA['4.1']!, log([quiet]), [])), 'orders', null, null);
    expect(t.partitions[0]!.heldBy).toMatchObject({ kind: 'hanging', producerId: '77', transactionalId: null });
    expect(heldBackSentence('orders', t.partitions[0]!, null)).toBe(
      'Partition 0: read_committed consumers stop at offset 4 (2 offsets after it not readable yet): producer 77, epoch 2 began a transaction there that no transaction coordinator has open — a hanging transaction. It stays until aborted on the partition: kafka-transactions.sh --bootstrap-server <broker:port> abort --topic orders --partition 0 --start-offset 4',
    );
    // the same producer a moment ago: not told hanging yet
    const recent = producer({ producerId: 77n });
    const r = await topicProducers(clusterOf(new FakeBroker(KAFKA['4.1']!, log([recent]), [])), 'orders', null, null);
    expect(r.partitions[0]!.heldBy).toMatchObject({
      kind: 'unnamed',
      why: 'no transaction coordinator has producer 77 open (yet)',
    });
  });

  it('a topic or partition that is not there is NOT_FOUND, said plainly', async () => {
    const c = clusterOf(new FakeBroker(KAFKA['4.1']!, log(), []));
    const gone = await refusal(topicProducers(c, 'nope', null, null));
    expect([gone.code, gone.message]).toEqual(['NOT_FOUND', "Topic 'nope' does not exist."]);
    const none = await refusal(topicProducers(c, 'orders', [5], null));
    expect([none.code, none.message]).toEqual([
      'NOT_FOUND',
      "Topic 'orders' has no partition 5 (it has partitions 0–1).",
    ]);
  });
});
