/**
 * The APIs of KIP-664, which kafkajs 2.2.4 (pinned, in maintenance) does not have: DescribeProducers
 * (key 61, Kafka 2.8; sent to each partition's leader), DescribeTransactions (key 65, Kafka 3.0; sent
 * to each transactional id's coordinator) and ListTransactions (key 66, Kafka 3.0; sent to every
 * broker; v1 adds the duration filter, Kafka 3.8). All three are flexible in every version, so they
 * are written on ./flexible.ts like the group APIs (why not another library's codecs: see there).
 * Layout from Kafka's DescribeProducers*, DescribeTransactions* and ListTransactions*.json. The
 * broker's side of each (the response writers) is here too, for the tests.
 */
import type { FlexibleReader, FlexibleWriter } from './flexible';
import type { FlexibleCall } from './transport';

export const DESCRIBE_PRODUCERS = { apiKey: 61, apiName: 'DescribeProducers', min: 0, max: 0 } as const;
export const DESCRIBE_TRANSACTIONS = { apiKey: 65, apiName: 'DescribeTransactions', min: 0, max: 0 } as const;
/** v2 (Kafka 4.1) adds a transactional-id pattern this app does not send; v1's layout is asked for then. */
export const LIST_TRANSACTIONS = { apiKey: 66, apiName: 'ListTransactions', min: 0, max: 1 } as const;

// ListTransactions

export interface ListTransactionsRequest {
  stateFilters: string[];
  producerIdFilters: bigint[];
  /** v1+: only transactions running longer than this (ms); -1: every one. */
  durationFilterMs: bigint;
}

export interface ListedTransactionEntry {
  transactionalId: string;
  producerId: bigint;
  transactionState: string;
}

export interface ListTransactionsResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** The states asked for that this coordinator does not know. */
  unknownStateFilters: string[];
  transactionStates: ListedTransactionEntry[];
}

export function writeListTransactionsRequest(w: FlexibleWriter, version: number, req: ListTransactionsRequest): void {
  w.compactArray(req.stateFilters, (x, s) => x.compactString(s));
  w.compactArray(req.producerIdFilters, (x, p) => x.int64(p));
  if (version >= 1) w.int64(req.durationFilterMs);
  w.taggedFields();
}

export function readListTransactionsResponse(r: FlexibleReader): ListTransactionsResponse {
  const throttleTimeMs = r.int32();
  const errorCode = r.int16();
  const unknownStateFilters = r.compactArray((s) => s.compactString(), 1);
  // an id and a state (1 byte each at least), the producer id 8, the tagged fields 1
  const transactionStates = r.compactArray((t): ListedTransactionEntry => {
    const entry = { transactionalId: t.compactString(), producerId: t.int64(), transactionState: t.compactString() };
    t.skipTaggedFields();
    return entry;
  }, 11);
  r.skipTaggedFields();
  return { throttleTimeMs, errorCode, unknownStateFilters, transactionStates };
}

export function writeListTransactionsResponse(w: FlexibleWriter, res: ListTransactionsResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode);
  w.compactArray(res.unknownStateFilters, (x, s) => x.compactString(s));
  w.compactArray(res.transactionStates, (x, t) => {
    x.compactString(t.transactionalId).int64(t.producerId).compactString(t.transactionState).taggedFields();
  });
  w.taggedFields();
}

export function listTransactionsCall(
  version: number,
  req: ListTransactionsRequest,
): FlexibleCall<ListTransactionsResponse> {
  return {
    apiKey: LIST_TRANSACTIONS.apiKey,
    apiName: LIST_TRANSACTIONS.apiName,
    version,
    body: (w) => writeListTransactionsRequest(w, version, req),
    read: readListTransactionsResponse,
  };
}

// DescribeTransactions

export interface TopicPartitionsEntry {
  topic: string;
  partitions: number[];
}

export interface DescribedTransactionEntry {
  errorCode: number;
  transactionalId: string;
  transactionState: string;
  transactionTimeoutMs: number;
  /** -1 when no transaction has begun. */
  transactionStartTimeMs: bigint;
  producerId: bigint;
  producerEpoch: number;
  topics: TopicPartitionsEntry[];
}

export interface DescribeTransactionsResponse {
  throttleTimeMs: number;
  transactionStates: DescribedTransactionEntry[];
}

export function writeDescribeTransactionsRequest(w: FlexibleWriter, transactionalIds: readonly string[]): void {
  w.compactArray(transactionalIds, (x, id) => x.compactString(id));
  w.taggedFields();
}

function readTopicPartitions(r: FlexibleReader): TopicPartitionsEntry[] {
  // a name and an array (1 byte each at least), the tagged fields 1
  return r.compactArray((t) => {
    const entry = { topic: t.compactString(), partitions: t.compactArray((p) => p.int32(), 4) };
    t.skipTaggedFields();
    return entry;
  }, 3);
}

function writeTopicPartitions(w: FlexibleWriter, topics: readonly TopicPartitionsEntry[]): void {
  w.compactArray(topics, (x, t) => {
    x.compactString(t.topic)
      .compactArray(t.partitions, (y, p) => y.int32(p))
      .taggedFields();
  });
}

export function readDescribeTransactionsResponse(r: FlexibleReader): DescribeTransactionsResponse {
  const throttleTimeMs = r.int32();
  // error 2, id 1, state 1, timeout 4, start 8, producer id 8, epoch 2, topics 1, tagged fields 1
  const transactionStates = r.compactArray((t): DescribedTransactionEntry => {
    const entry: DescribedTransactionEntry = {
      errorCode: t.int16(),
      transactionalId: t.compactString(),
      transactionState: t.compactString(),
      transactionTimeoutMs: t.int32(),
      transactionStartTimeMs: t.int64(),
      producerId: t.int64(),
      producerEpoch: t.int16(),
      topics: readTopicPartitions(t),
    };
    t.skipTaggedFields();
    return entry;
  }, 28);
  r.skipTaggedFields();
  return { throttleTimeMs, transactionStates };
}

export function writeDescribeTransactionsResponse(w: FlexibleWriter, res: DescribeTransactionsResponse): void {
  w.int32(res.throttleTimeMs);
  w.compactArray(res.transactionStates, (x, t) => {
    x.int16(t.errorCode)
      .compactString(t.transactionalId)
      .compactString(t.transactionState)
      .int32(t.transactionTimeoutMs)
      .int64(t.transactionStartTimeMs)
      .int64(t.producerId)
      .int16(t.producerEpoch);
    writeTopicPartitions(x, t.topics);
    x.taggedFields();
  });
  w.taggedFields();
}

export function describeTransactionsCall(
  transactionalIds: readonly string[],
): FlexibleCall<DescribeTransactionsResponse> {
  return {
    apiKey: DESCRIBE_TRANSACTIONS.apiKey,
    apiName: DESCRIBE_TRANSACTIONS.apiName,
    version: 0,
    body: (w) => writeDescribeTransactionsRequest(w, transactionalIds),
    read: readDescribeTransactionsResponse,
  };
}

// DescribeProducers

export interface ProducerStateEntry {
  producerId: bigint;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: bigint;
  coordinatorEpoch: number;
  /** -1 when the producer has no transaction open on the partition. */
  currentTxnStartOffset: bigint;
}

export interface PartitionProducersEntry {
  partitionIndex: number;
  errorCode: number;
  errorMessage: string | null;
  activeProducers: ProducerStateEntry[];
}

export interface DescribeProducersResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: PartitionProducersEntry[] }[];
}

export function writeDescribeProducersRequest(w: FlexibleWriter, topics: readonly TopicPartitionsEntry[]): void {
  writeTopicPartitions(w, topics);
  w.taggedFields();
}

export function readDescribeProducersResponse(r: FlexibleReader): DescribeProducersResponse {
  const throttleTimeMs = r.int32();
  const topics = r.compactArray((t) => {
    const name = t.compactString();
    // index 4, error 2, message 1, producers 1, tagged fields 1
    const partitions = t.compactArray((p): PartitionProducersEntry => {
      const entry: PartitionProducersEntry = {
        partitionIndex: p.int32(),
        errorCode: p.int16(),
        errorMessage: p.compactNullableString(),
        // id 8, epoch 4, sequence 4, timestamp 8, coordinator epoch 4, start offset 8, tagged fields 1
        activeProducers: p.compactArray((s): ProducerStateEntry => {
          const producer: ProducerStateEntry = {
            producerId: s.int64(),
            producerEpoch: s.int32(),
            lastSequence: s.int32(),
            lastTimestamp: s.int64(),
            coordinatorEpoch: s.int32(),
            currentTxnStartOffset: s.int64(),
          };
          s.skipTaggedFields();
          return producer;
        }, 37),
      };
      p.skipTaggedFields();
      return entry;
    }, 9);
    t.skipTaggedFields();
    return { name, partitions };
  }, 3);
  r.skipTaggedFields();
  return { throttleTimeMs, topics };
}

export function writeDescribeProducersResponse(w: FlexibleWriter, res: DescribeProducersResponse): void {
  w.int32(res.throttleTimeMs);
  w.compactArray(res.topics, (x, t) => {
    x.compactString(t.name);
    x.compactArray(t.partitions, (y, p) => {
      y.int32(p.partitionIndex).int16(p.errorCode).compactNullableString(p.errorMessage);
      y.compactArray(p.activeProducers, (z, s) => {
        z.int64(s.producerId)
          .int32(s.producerEpoch)
          .int32(s.lastSequence)
          .int64(s.lastTimestamp)
          .int32(s.coordinatorEpoch)
          .int64(s.currentTxnStartOffset)
          .taggedFields();
      });
      y.taggedFields();
    });
    x.taggedFields();
  });
  w.taggedFields();
}

export function describeProducersCall(
  topics: readonly TopicPartitionsEntry[],
): FlexibleCall<DescribeProducersResponse> {
  return {
    apiKey: DESCRIBE_PRODUCERS.apiKey,
    apiName: DESCRIBE_PRODUCERS.apiName,
    version: 0,
    body: (w) => writeDescribeProducersRequest(w, topics),
    read: readDescribeProducersResponse,
  };
}
