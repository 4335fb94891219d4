import { describe, expect, it } from 'vitest';
import { flexibleRead as read, flexibleWritten as written } from './codecTestKit';
import { FlexibleReader, FlexibleWriter, ProtocolDecodeError } from './flexible';
import { decodeFlexibleResponse, encodeFlexibleRequest } from './transport';
import {
  describeProducersCall,
  describeTransactionsCall,
  listTransactionsCall,
  readDescribeProducersResponse,
  readDescribeTransactionsResponse,
  readListTransactionsResponse,
  writeDescribeProducersResponse,
  writeDescribeTransactionsResponse,
  writeListTransactionsResponse,
  type DescribeProducersResponse,
  type DescribeTransactionsResponse,
  type ListTransactionsResponse,
} from './transactionsCodecs';

const requestBytes = (call: { body: (w: FlexibleWriter) => void }) => [...encodeFlexibleRequest(call).bytes];
const i64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return [...b];
};
const str = (s: string) => [s.length + 1, ...Buffer.from(s)];

const listed: ListTransactionsResponse = {
  throttleTimeMs: 3,
  errorCode: 0,
  unknownStateFilters: ['Running'],
  transactionStates: [
    { transactionalId: 'orders-tx', producerId: 1022n, transactionState: 'Ongoing' },
    { transactionalId: 'payments-tx', producerId: 9_007_199_254_740_993n, transactionState: 'CompleteCommit' },
  ],
};
const described: DescribeTransactionsResponse = {
  throttleTimeMs: 0,
  transactionStates: [
    {
      errorCode: 0,
      transactionalId: 'orders-tx',
      transactionState: 'Ongoing',
      transactionTimeoutMs: 60_000,
      transactionStartTimeMs: 1_796_164_688_777n,
      producerId: 1022n,
      producerEpoch: 3,
      topics: [
        { topic: 'orders', partitions: [0, 2] },
        { topic: 'audit', partitions: [1] },
      ],
    },
    {
      errorCode: 105,
      transactionalId: 'nobody',
      transactionState: '',
      transactionTimeoutMs: 0,
      transactionStartTimeMs: -1n,
      producerId: -1n,
      producerEpoch: -1,
      topics: [],
    },
  ],
};
const producers: DescribeProducersResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'orders',
      partitions: [
        {
          partitionIndex: 0,
          errorCode: 0,
          errorMessage: null,
          activeProducers: [
            {
              producerId: 1022n,
              producerEpoch: 3,
              lastSequence: 41,
              lastTimestamp: 1_796_164_690_000n,
              coordinatorEpoch: 0,
              currentTxnStartOffset: 4n,
            },
            {
              producerId: 7n,
              producerEpoch: 0,
              lastSequence: -1,
              lastTimestamp: -1n,
              coordinatorEpoch: -1,
              currentTxnStartOffset: -1n,
            },
          ],
        },
        { partitionIndex: 1, errorCode: 6, errorMessage: 'This is not the leader', activeProducers: [] },
      ],
    },
  ],
};

describe('ListTransactions v0–v1', () => {
  it('requests: the state and producer-id filters, and from v1 the duration filter', () => {
    const req = { stateFilters: ['Ongoing'], producerIdFilters: [1022n], durationFilterMs: 60_000n };
    const head = [0x02, ...str('Ongoing'), 0x02, ...i64(1022n)];
    expect(requestBytes(listTransactionsCall(0, req))).toEqual([0x00, ...head, 0x00]);
    expect(requestBytes(listTransactionsCall(1, req))).toEqual([0x00, ...head, ...i64(60_000n), 0x00]);
    // no filters: empty arrays (every transaction), and -1 for the duration
    expect(
      requestBytes(listTransactionsCall(1, { stateFilters: [], producerIdFilters: [], durationFilterMs: -1n })),
    ).toEqual([0x00, 0x01, 0x01, ...i64(-1n), 0x00]);
  });

  it('responses read back as written, 64-bit producer ids exactly', () => {
    expect(
      read(
        written((w) => writeListTransactionsResponse(w, listed)),
        readListTransactionsResponse,
      ),
    ).toEqual(listed);
  });
});

describe('DescribeTransactions v0', () => {
  it('requests: the transactional ids', () => {
    expect(requestBytes(describeTransactionsCall(['a', 'bc']))).toEqual([0x00, 0x03, ...str('a'), ...str('bc'), 0x00]);
  });

  it('responses read back as written: state, timeout, start, producer, epoch (INT16), partitions; an unknown id’s error', () => {
    expect(
      read(
        written((w) => writeDescribeTransactionsResponse(w, described)),
        readDescribeTransactionsResponse,
      ),
    ).toEqual(described);
  });

  it('the epoch is an INT16 on the wire, as Kafka writes it', () => {
    const one = { throttleTimeMs: 0, transactionStates: [{ ...described.transactionStates[0]!, topics: [] }] };
    const b = written((w) => writeDescribeTransactionsResponse(w, one));
    // throttle 4, count 1, error 2, id 10, state 8, timeout 4, start 8, producer id 8 → the epoch's two bytes, then topics and tags
    expect([...b.subarray(45, 47)]).toEqual([0x00, 0x03]);
    expect([...b.subarray(47)]).toEqual([0x01, 0x00, 0x00]);
  });
});

describe('DescribeProducers v0', () => {
  it('requests: each topic with its partitions', () => {
    const b = requestBytes(describeProducersCall([{ topic: 'orders', partitions: [0, 1] }]));
    expect(b).toEqual([0x00, 0x02, ...str('orders'), 0x03, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x00]);
  });

  it('responses read back as written: every producer field, a partition’s error and message', () => {
    expect(
      read(
        written((w) => writeDescribeProducersResponse(w, producers)),
        readDescribeProducersResponse,
      ),
    ).toEqual(producers);
  });

  it('the smallest producer, partition and topic the layout allows are read (the bounds are not too tight)', () => {
    const tiny: DescribeProducersResponse = {
      throttleTimeMs: 0,
      topics: [
        {
          name: '',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              errorMessage: null,
              activeProducers: [
                {
                  producerId: 0n,
                  producerEpoch: 0,
                  lastSequence: 0,
                  lastTimestamp: 0n,
                  coordinatorEpoch: 0,
                  currentTxnStartOffset: 0n,
                },
              ],
            },
          ],
        },
      ],
    };
    expect(
      read(
        written((w) => writeDescribeProducersResponse(w, tiny)),
        readDescribeProducersResponse,
      ),
    ).toEqual(tiny);
    const t: DescribeTransactionsResponse = {
      throttleTimeMs: 0,
      transactionStates: [{ ...described.transactionStates[1]!, transactionalId: '', topics: [] }],
    };
    expect(
      read(
        written((w) => writeDescribeTransactionsResponse(w, t)),
        readDescribeTransactionsResponse,
      ),
    ).toEqual(t);
    const l: ListTransactionsResponse = {
      throttleTimeMs: 0,
      errorCode: 0,
      unknownStateFilters: [],
      transactionStates: [{ transactionalId: '', producerId: 0n, transactionState: '' }],
    };
    expect(
      read(
        written((w) => writeListTransactionsResponse(w, l)),
        readListTransactionsResponse,
      ),
    ).toEqual(l);
  });
});

describe('hostile and damaged answers', () => {
  const readers: [string, Buffer, (r: FlexibleReader) => unknown][] = [
    ['ListTransactions', written((w) => writeListTransactionsResponse(w, listed)), readListTransactionsResponse],
    [
      'DescribeTransactions',
      written((w) => writeDescribeTransactionsResponse(w, described)),
      readDescribeTransactionsResponse,
    ],
    ['DescribeProducers', written((w) => writeDescribeProducersResponse(w, producers)), readDescribeProducersResponse],
  ];

  it.each(readers)(
    '%s: a count of 2^32 − 2 elements in a few bytes fails before anything is allocated',
    (_, full, fn) => {
      // the first array after the INT32 throttle time (and, for ListTransactions, the INT16 error code)
      const at = fn === readListTransactionsResponse ? 6 : 4;
      const huge = Buffer.concat([
        full.subarray(0, at),
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
        full.subarray(at),
      ]);
      const before = process.memoryUsage().arrayBuffers;
      expect(() => read(huge, fn)).toThrow(/COMPACT_ARRAY of 4294967294 elements/);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
    },
  );

  it('a producer count the bytes left could not hold fails at once (each producer takes 37 bytes)', () => {
    const one = {
      throttleTimeMs: 0,
      topics: [{ name: 'o', partitions: [{ ...producers.topics[0]!.partitions[0]!, activeProducers: [] }] }],
    };
    const b = written((w) => writeDescribeProducersResponse(w, one));
    // throttle 4, topics 1, name 2, partitions 1, index 4, error 2, message 1 → the producer count
    const at = 15;
    expect(b[at]).toBe(0x01);
    const claims = Buffer.from(b);
    claims[at] = 0x03; // two producers, in the 3 bytes left
    expect(() => read(claims, readDescribeProducersResponse)).toThrow(/COMPACT_ARRAY of 2 elements in 3 bytes/);
  });

  it.each(readers)(
    '%s: every truncation, and random damage, fails with a decode error and nothing else',
    (_, full, fn) => {
      for (let n = 0; n < full.length; n++) expect(() => read(full.subarray(0, n), fn)).toThrow(ProtocolDecodeError);
      let seed = 29;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
      for (let i = 0; i < 2000; i++) {
        const damaged = Buffer.from(full);
        for (let k = 0; k < 3; k++) damaged[next() % damaged.length] = next() % 256;
        try {
          read(damaged, fn);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolDecodeError);
        }
      }
    },
  );

  it('bytes left over after the body are a misread, not a newer field', () => {
    const body = written((w) => writeListTransactionsResponse(w, listed));
    const framed = Buffer.concat([Buffer.from([0x00]), body, Buffer.from([0x00])]);
    expect(() => decodeFlexibleResponse(framed, readListTransactionsResponse)).toThrow(/1 bytes left over/);
  });
});
