import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { z } from 'zod';
import type { ConsumedMessage, ListenStartInput, ListenStatus } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError, describeCause } from '../coreError';
import type { CoreEvents } from '../events';
import { createKafka } from '../kafka/clientFactory';
import { kafkaErrorToCore } from '../kafka/errorMapping';
import { KafkaSession } from '../kafka/gateway';
import { startOffsets, toConsumed } from './consumeOperation';

type Input = z.output<typeof ListenStartInput>;

const FLUSH_MS = 200;
const FLUSH_COUNT = 500;
/** The session store keeps this many messages per Listen (the oldest go first beyond it). */
export const KEEP_PER_LISTEN = 200_000;
/** Stopped Listens whose messages are still kept (the newest ones). */
const KEEP_STOPPED = 5;

/** Everything a Listen received, in arrival order, bounded: what the window no longer shows stays here. */
export class SessionStore {
  private items: ConsumedMessage[] = [];
  private head = 0;
  dropped = 0;

  constructor(private readonly cap: number) {}

  add(ms: ConsumedMessage[]): void {
    this.items.push(...ms);
    const over = this.items.length - this.head - this.cap;
    if (over > 0) {
      this.head += over;
      this.dropped += over;
      if (this.head > this.cap) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    }
  }

  get size(): number {
    return this.items.length - this.head;
  }

  page(offset: number, limit: number): ConsumedMessage[] {
    return this.items.slice(this.head + offset, this.head + offset + limit);
  }
}

interface Session {
  status: ListenStatus;
  consumer: Consumer;
  groupId: string;
  conn: ResolvedConnection;
  buffer: ConsumedMessage[];
  timer: NodeJS.Timeout;
  /** arrival times of the last messages, for the rate */
  recent: number[];
  /** next offset per partition: where a restart resumes, so nothing is lost or shown twice */
  next: Map<number, bigint>;
  store: SessionStore;
}

/**
 * Listen: a live tail. Messages are pushed to every window in batches (every 200 ms or 500 messages)
 * with the state and the true rate. Like Consume it uses a throwaway group that never commits and is
 * deleted on stop; when kafkajs restarts the consumer after a broker failure it seeks back to the
 * next offset of each partition, so what was shown is neither lost nor repeated.
 */
export class ListenManager {
  private readonly sessions = new Map<string, Session>();
  /** The session stores of stopped Listens, newest last. */
  private readonly stopped = new Map<string, Session>();

  constructor(private readonly events: CoreEvents) {}

  private rate(s: Session): number {
    const now = Date.now();
    s.recent = s.recent.filter((t) => now - t < 5_000);
    return Math.round((s.recent.length / 5) * 10) / 10;
  }

  private flush(s: Session): void {
    s.status.rate = this.rate(s);
    if (!s.buffer.length && s.status.state === 'running') return;
    const messages = s.buffer.splice(0, s.buffer.length);
    s.store.add(messages);
    this.events.emit('listen.batch', { status: { ...s.status }, messages });
  }

  async start(conn: ResolvedConnection, input: Input): Promise<ListenStatus> {
    // where to begin, per partition (the same rules as Consume)
    const admin = new KafkaSession(conn, { retries: 1 });
    let starts: Map<number, bigint>;
    try {
      const md = await admin.metadata(null);
      const t = md.topicMetadata.find((x) => x.topic === input.topic);
      if (!t) throw new CoreError('NOT_FOUND', `There is no topic named '${input.topic}' on this cluster.`);
      const all = t.partitionMetadata.map((p) => p.partitionId);
      const chosen = input.partitions ?? all;
      const client = await admin.adminClient();
      const offsets = new Map((await admin.wrap(() => client.fetchTopicOffsets(input.topic))).map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
      const missing = chosen.filter((p) => !offsets.has(p));
      if (missing.length) throw new CoreError('NOT_FOUND', `Topic '${input.topic}' has no partition ${missing.join(', ')}.`);
      starts = await startOffsets(admin, client, input.topic, input.start, chosen, offsets);
    } finally {
      await admin.close();
    }

    const listenId = randomUUID();
    const groupId = `kafka-desk-listen-${listenId}`;
    const consumer = createKafka(conn, { retries: 5 }).consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250, retry: { retries: 10, restartOnFailure: async () => true } });
    const s: Session = {
      status: { listenId, topic: input.topic, state: 'starting', total: 0, rate: 0 },
      consumer,
      groupId,
      conn,
      buffer: [],
      recent: [],
      next: starts,
      store: new SessionStore(KEEP_PER_LISTEN),
      timer: setInterval(() => this.flush(s), FLUSH_MS),
    };
    this.sessions.set(listenId, s);
    const seekAll = () => {
      for (const [partition, offset] of s.next) consumer.seek({ topic: input.topic, partition, offset: offset.toString() });
    };
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (s.status.state === 'reconnecting' || s.status.state === 'starting') s.status.state = 'running';
      seekAll();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      s.status.state = 'reconnecting';
      s.status.error = (e.payload as { error?: Error }).error?.message;
      this.flush(s);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [input.topic], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }) => {
          if (!s.next.has(batch.partition)) return;
          const from = s.next.get(batch.partition)!;
          for (const m of batch.messages) {
            if (BigInt(m.offset) < from) continue; // already shown before a restart
            s.buffer.push(toConsumed(batch.topic, batch.partition, m));
            s.next.set(batch.partition, BigInt(m.offset) + 1n);
            s.status.total += 1;
            s.recent.push(Date.now());
            if (s.buffer.length >= FLUSH_COUNT) this.flush(s);
          }
        },
      });
      seekAll();
    } catch (e) {
      await this.stop(listenId).catch(() => undefined);
      throw kafkaErrorToCore(e, conn);
    }
    return { ...s.status };
  }

  private get(listenId: string): Session {
    const s = this.sessions.get(listenId);
    if (!s) throw new CoreError('NOT_FOUND', 'That Listen has already stopped.');
    return s;
  }

  pause(listenId: string): ListenStatus {
    const s = this.get(listenId);
    s.consumer.pause([{ topic: s.status.topic }]);
    s.status.state = 'paused';
    this.flush(s);
    return { ...s.status };
  }

  resume(listenId: string): ListenStatus {
    const s = this.get(listenId);
    s.consumer.resume([{ topic: s.status.topic }]);
    s.status.state = 'running';
    this.flush(s);
    return { ...s.status };
  }

  async stop(listenId: string): Promise<ListenStatus> {
    const s = this.get(listenId);
    this.sessions.delete(listenId);
    clearInterval(s.timer);
    await s.consumer.disconnect().catch(() => undefined);
    s.status.state = 'stopped';
    this.flush(s);
    this.stopped.set(listenId, s);
    for (const id of [...this.stopped.keys()].slice(0, Math.max(0, this.stopped.size - KEEP_STOPPED))) this.stopped.delete(id);
    // the throwaway group never committed; remove it
    const admin = new KafkaSession(s.conn, { retries: 1 });
    try {
      const client = await admin.adminClient();
      await client.deleteGroups([s.groupId]).catch((e: unknown) => describeCause(e));
    } catch {
      // the broker may be gone: the group expires on its own
    } finally {
      await admin.close();
    }
    return { ...s.status };
  }

  /** What a Listen received, from its session store (running or recently stopped), oldest first. */
  history(listenId: string, offset: number, limit: number): { messages: ConsumedMessage[]; kept: number; dropped: number } {
    const s = this.sessions.get(listenId) ?? this.stopped.get(listenId);
    if (!s) throw new CoreError('NOT_FOUND', 'That Listen is no longer kept (only the last few stopped ones are).');
    return { messages: s.store.page(offset, limit), kept: s.store.size, dropped: s.store.dropped };
  }

  /**
   * What a Listen's session store keeps, for saving as a capture in main (the messages never pass
   * through a window): all of them, or those at the given positions (numbered as `history` does).
   */
  sessionMessages(listenId: string, indexes?: number[]): { topic: string; connectionName: string; messages: ConsumedMessage[] } {
    const s = this.sessions.get(listenId) ?? this.stopped.get(listenId);
    if (!s) throw new CoreError('NOT_FOUND', 'That Listen is no longer kept (only the last few stopped ones are).');
    const all = s.store.page(0, s.store.size);
    let messages = all;
    if (indexes) {
      const missing = indexes.filter((i) => i >= all.length);
      if (missing.length) throw new CoreError('NOT_FOUND', `That Listen keeps ${all.length} message(s); there is none at position ${missing.slice(0, 5).join(', ')}.`);
      messages = [...new Set(indexes)].sort((a, b) => a - b).map((i) => all[i]!);
    }
    return { topic: s.status.topic, connectionName: s.conn.name, messages };
  }

  /** Forgets a stopped Listen's messages. */
  discard(listenId: string): boolean {
    return this.stopped.delete(listenId);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.stop(id).catch(() => undefined)));
  }
}
