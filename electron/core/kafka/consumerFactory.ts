import type { Consumer, ConsumerConfig } from 'kafkajs';
import type { ResolvedConnection } from '../connections/storedConnection';
import { createKafka, retryFor } from './clientFactory';
import { inflateLimits } from './compressionCodecs';
import { withKafka, type KafkaSession } from './gateway';
import type { KafkaRecord, TopicPartitionOffset } from './types';
import { newThrowawayGroup, releaseThrowawayGroup } from './writeGate';

/**
 * The one place consumers are made. kafkajs has no group-less assign(), so a read that must leave
 * nothing behind joins a throwaway group made here, which never commits and is deleted when the
 * consumer closes; reading as a named group is a write (it rebalances the group's members), which the
 * read-only gate refuses (writeGate.ts), as it refuses every commit and auto-commit on such a connection.
 */
export interface ConsumerOptions {
  /** A throwaway group for this kind of read, or a named group to read as. */
  group: { throwaway: 'browse' | 'listen' } | { named: string };
  /** Retries of the client (connection and each request); absent: the connection's own. */
  retries?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  readUncommitted?: boolean;
  /** After a crash (a broker gone), start again, up to the connection's `reconnect.listenRestarts` times, with its backoff. */
  restartOnCrash?: boolean;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: KafkaRecord[];
}

export interface BatchContext {
  batch: ConsumedBatch;
  /** Marks a record handled: where a commit (or a rebalance) goes on from. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  /** Stops fetching this batch's partition. */
  pause(): void;
}

export interface RunOptions {
  topics: string[];
  fromBeginning: boolean;
  autoCommit: boolean;
  eachBatchAutoResolve: boolean;
  eachBatch(ctx: BatchContext): Promise<void>;
}

export interface GroupConsumer {
  readonly groupId: string;
  /** On every join: the partitions this member was given, by topic. */
  onGroupJoin(fn: (assignment: Record<string, number[]>) => void): void;
  /** After each fetched batch: the last offset it held (transaction markers included). */
  onBatchEnd(fn: (end: { topic: string; partition: number; lastOffset: string }) => void): void;
  /** The consumer failed: kafkajs starts it again (`restart`) or it stays stopped (an error no retry mends, retries used up). */
  onCrash(fn: (error: Error | undefined, restart: boolean) => void): void;
  /** Connects, subscribes and starts fetching; batches are decoded under the connection's inflation cap. */
  run(opts: RunOptions): Promise<void>;
  seek(topic: string, partition: number, offset: bigint): void;
  pause(topic: string, partitions?: number[]): void;
  resume(topic: string): void;
  commit(offsets: TopicPartitionOffset[]): Promise<void>;
  /** Stops fetching and leaves the group (once; later calls wait for the same). Never throws. */
  disconnect(): Promise<void>;
  /**
   * Disconnects (if not yet); a throwaway group is then deleted (through `session` when given, else a session of
   * its own). Never throws: a broker that is gone lets the group expire on its own.
   */
  close(session?: KafkaSession): Promise<void>;
}

export function openConsumer(conn: ResolvedConnection, opts: ConsumerOptions): GroupConsumer {
  const throwaway = 'throwaway' in opts.group;
  const groupId = 'throwaway' in opts.group ? newThrowawayGroup(opts.group.throwaway) : opts.group.named;
  const config: ConsumerConfig = { groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 };
  if (opts.sessionTimeoutMs !== undefined) config.sessionTimeout = opts.sessionTimeoutMs;
  if (opts.heartbeatIntervalMs !== undefined) config.heartbeatInterval = opts.heartbeatIntervalMs;
  if (opts.readUncommitted !== undefined) config.readUncommitted = opts.readUncommitted;
  if (opts.restartOnCrash)
    config.retry = { ...retryFor(conn, conn.reconnect.listenRestarts), restartOnFailure: async () => true };
  let consumer: Consumer;
  try {
    consumer = createKafka(conn, opts.retries === undefined ? {} : { retries: opts.retries }).consumer(config);
  } catch (e) {
    if (throwaway) releaseThrowawayGroup(groupId);
    throw e;
  }
  let disconnected: Promise<void> | undefined;
  const disconnect = () => (disconnected ??= consumer.disconnect().catch(() => undefined));
  return {
    groupId,
    onGroupJoin: (fn) => {
      consumer.on(consumer.events.GROUP_JOIN, (e: { payload: { memberAssignment: Record<string, number[]> } }) =>
        fn(e.payload.memberAssignment),
      );
    },
    onBatchEnd: (fn) => {
      consumer.on(
        consumer.events.END_BATCH_PROCESS,
        (e: { payload: { topic: string; partition: number; lastOffset: string } }) => fn(e.payload),
      );
    },
    onCrash: (fn) => {
      consumer.on(consumer.events.CRASH, (e) => {
        const p = e.payload as { error?: Error; restart?: boolean };
        fn(p.error, p.restart === true);
      });
    },
    async run({ topics, fromBeginning, eachBatch, ...rest }) {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning });
      // fetches are decoded in this run's async context: the codecs read the connection's largest message from it
      await inflateLimits.run({ maxMessageBytes: conn.maxMessageBytes }, () => consumer.run({ ...rest, eachBatch }));
    },
    seek: (topic, partition, offset) => consumer.seek({ topic, partition, offset: offset.toString() }),
    pause: (topic, partitions) => consumer.pause([partitions ? { topic, partitions } : { topic }]),
    resume: (topic) => consumer.resume([{ topic }]),
    commit: (offsets) => consumer.commitOffsets(offsets),
    disconnect,
    async close(session) {
      await disconnect();
      if (!throwaway) return;
      // the throwaway group never committed; remove it so nothing is left behind
      try {
        if (session) await session.deleteGroups([groupId]);
        else await withKafka(conn, (s) => s.deleteGroups([groupId]));
      } catch {
        // the broker may be gone: the group expires on its own
      } finally {
        releaseThrowawayGroup(groupId);
      }
    },
  };
}
