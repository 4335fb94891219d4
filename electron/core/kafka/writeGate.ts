import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, ConsumerConfig, ConsumerRunConfig, Kafka, Producer } from 'kafkajs';
import { assertWritable } from '../admin/readOnly';

/**
 * The one gate every change to a cluster passes, built into the Kafka client itself: whatever a
 * handler, an operation or a future channel asks of kafkajs, a read-only connection can only read.
 *
 * - a producer sends nothing (every send, batch and transaction is refused);
 * - a consumer joins only a throwaway group this module made (a named group would rebalance its
 *   members), never commits (not even auto-commit, kafkajs' default), and deletes only its own
 *   throwaway group afterwards;
 * - the admin client keeps its read methods; every other method (kafkajs or a later version's) is
 *   refused before it sends anything.
 *
 * Operations get their consumers from consumerFactory.ts, which makes and deletes the throwaway
 * groups; this module only knows which groups are throwaway.
 *
 * Handlers still check first with their own words (`assertWritable(conn, "delete topic 'x'")`);
 * this is what holds when one forgets.
 */

type Gated = { name: string; readOnly: boolean };

/** Throwaway groups made here: the only groups a read-only connection may join and delete. */
const throwaway = new Set<string>();

/** A group that reads without leaving anything behind: never committed, deleted after the read. */
export function newThrowawayGroup(kind: 'browse' | 'listen'): string {
  const id = `kafka-desk-${kind}-${randomUUID()}`;
  throwaway.add(id);
  return id;
}

/** Forgets a throwaway group once it is deleted (or its read is over). */
export function releaseThrowawayGroup(id: string): void {
  throwaway.delete(id);
}

export const isThrowawayGroup = (id: string) => throwaway.has(id);

/** A commit for a group from outside it (the admin's offset commit): a write, whatever the group. */
export function assertMayCommit(conn: Gated, groupId: string): void {
  assertWritable(conn, `commit offsets for group '${groupId}'`);
}

/** Admin methods that only read (kafkajs 2.2.4): everything else changes the cluster. */
const ADMIN_READS = new Set<string | symbol>([
  'connect',
  'disconnect',
  'listTopics',
  'fetchTopicMetadata',
  'fetchOffsets',
  'fetchTopicOffsets',
  'fetchTopicOffsetsByTimestamp',
  'describeCluster',
  'describeConfigs',
  'describeAcls',
  'listGroups',
  'describeGroups',
  'listPartitionReassignments',
  'on',
  'events',
  'logger',
]);

function gatedAdmin(conn: Gated, admin: Admin): Admin {
  return new Proxy(admin, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (!conn.readOnly || typeof value !== 'function' || ADMIN_READS.has(prop)) return value;
      if (prop === 'deleteGroups') {
        return (groupIds: string[]) => {
          // a read's own throwaway group is removed after it, on a read-only connection too
          if (!groupIds.every(isThrowawayGroup))
            assertWritable(
              conn,
              `delete consumer group${groupIds.length === 1 ? '' : 's'} ${groupIds.map((g) => `'${g}'`).join(', ')}`,
            );
          return (value as Admin['deleteGroups']).call(target, groupIds);
        };
      }
      return (...args: unknown[]) => {
        assertWritable(conn, `change the cluster (${String(prop)})`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function gatedProducer(conn: Gated, producer: Producer): Producer {
  return new Proxy(producer, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (!conn.readOnly) return value;
      if (prop === 'send') return (record: { topic: string }) => assertWritable(conn, `produce to '${record.topic}'`);
      if (prop === 'sendBatch') return () => assertWritable(conn, 'produce');
      if (prop === 'transaction') return () => assertWritable(conn, 'begin a transaction');
      return value;
    },
  });
}

function gatedConsumer(conn: Gated, consumer: Consumer): Consumer {
  return new Proxy(consumer, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (!conn.readOnly) return value;
      if (prop === 'run') {
        return (config?: ConsumerRunConfig) => {
          // kafkajs commits unless told not to
          if (config?.autoCommit !== false) assertWritable(conn, 'commit offsets (auto-commit)');
          return target.run(config);
        };
      }
      if (prop === 'commitOffsets') return () => assertWritable(conn, 'commit offsets');
      return value;
    },
  });
}

/** The Kafka client every operation gets (through clientFactory): its writes pass the gate. */
export function gatedKafka(conn: Gated, kafka: Kafka): Kafka {
  return new Proxy(kafka, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'admin') return (...a: Parameters<Kafka['admin']>) => gatedAdmin(conn, target.admin(...a));
      if (prop === 'producer')
        return (...a: Parameters<Kafka['producer']>) => gatedProducer(conn, target.producer(...a));
      if (prop === 'consumer') {
        return (config: ConsumerConfig) => {
          if (!isThrowawayGroup(config.groupId)) {
            assertWritable(
              conn,
              `read as consumer group '${config.groupId}' (joining a group rebalances its members and can commit its offsets; read without a group, or from the group's committed offsets)`,
            );
          }
          return gatedConsumer(conn, target.consumer(config));
        };
      }
      return value;
    },
  });
}
