import kafkajs, { type Kafka, type PartitionMetadata, type Producer } from 'kafkajs';
import type { Compression } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { kafkaErrorToCore } from './errorMapping';
import type { OutgoingRecord, PartitionInfo, ProduceAck } from './types';

// kafkajs is CommonJS; these are not visible as named ESM exports (Playwright loads the core as ESM).
const { CompressionTypes, Partitioners } = kafkajs;
const defaultPartitioner = Partitioners.DefaultPartitioner();

const CODEC = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
} as const;

/** The partition kafkajs' default (Java-compatible murmur2) partitioner gives a keyed record. */
export function partitionForKey(topic: string, partitions: PartitionInfo[], key: Buffer): number {
  // the partitioner reads partitionId and leader only
  return defaultPartitioner({
    topic,
    partitionMetadata: partitions as PartitionMetadata[],
    message: { key, value: null },
  });
}

export interface ProducerOptions {
  idempotent: boolean;
  maxInFlightRequests: number;
}

export interface SendOptions {
  /** -1: all in-sync replicas; 1: the leader; 0: no acknowledgement. */
  acks: -1 | 0 | 1;
  compression: Compression;
}

/** A producer that never creates topics; on a read-only connection every send is refused (writeGate.ts). */
export interface KafkaProducer {
  connect(): Promise<void>;
  /** Sends the records in one request; what it throws is kafkajs' own error (map it with kafkaErrorToCore). */
  send(topic: string, records: OutgoingRecord[], options: SendOptions): Promise<ProduceAck[]>;
  disconnect(): Promise<void>;
}

/** Wraps a producer of the session's (gated) Kafka client. */
export function createProducer(kafka: Kafka, conn: ResolvedConnection, opts: ProducerOptions): KafkaProducer {
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, ...opts });
  return {
    async connect() {
      try {
        await producer.connect();
      } catch (e) {
        throw kafkaErrorToCore(e, conn);
      }
    },
    // an OutgoingRecord is a kafkajs Message as it is: no copy per record
    send: (topic, records, { acks, compression }) =>
      producer.send({ topic, messages: records, acks, compression: CODEC[compression] }),
    disconnect: () => producer.disconnect(),
  };
}
