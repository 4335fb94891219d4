import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ConsumedMessage, ListenStartInput, ListenStatus } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import type { CoreEvents } from '../events';
import { openConsumer, type GroupConsumer } from '../kafka/consumerFactory';
import { kafkaErrorToCore } from '../kafka/errorMapping';
import { withKafka } from '../kafka/gateway';
import { planRead } from '../kafka/readPlanner';
import type { MessageSessions } from '../sessions/messageSessions';
import { bombEntry, describeBomb, describeUndecodable, inflatePlaceholder, toConsumed } from './consumeOperation';
import type { MessageDecoder } from '../schemas/messageDecoder';

type Input = z.output<typeof ListenStartInput>;

const FLUSH_MS = 150;
const FLUSH_COUNT = 500;
/**
 * With a session store, a batch to the window carries at most this many messages (the newest): at
 * 20,000 messages a second the window shows a sample and the true counts, and pages through the
 * session for the rest.
 */
export const WINDOW_SAMPLE = 300;
/** The session keeps this many messages per Listen (the oldest go first beyond it). */
export const KEEP_PER_LISTEN = 1_000_000;
/** Stopped Listens whose status is still kept (their messages stay in the session store). */
const KEEP_STOPPED = 5;

interface Session {
  status: ListenStatus;
  consumer: GroupConsumer;
  buffer: ConsumedMessage[];
  /** The newest messages not yet pushed to the window, and how many older ones were left out. */
  tail: ConsumedMessage[];
  skipped: number;
  timer: NodeJS.Timeout;
  /** Arrivals over the last seconds, for the rate: [time, messages] per fetched batch (not per message). */
  recent: [number, number][];
  /** next offset per partition: where a restart resumes, so nothing is lost or shown twice */
  next: Map<number, bigint>;
  /** Messages in the session when it was last trimmed to KEEP_PER_LISTEN. */
  trimmedAt: number;
}

/**
 * Listen: a live tail. Everything received goes to the session store in main (when there is one: the
 * app and browser mode; the command line prints every message instead). Batches are pushed every
 * 150 ms (and every 500 messages without a session store) with the state and the true rate; with a
 * session store they carry only the newest messages. Like Consume it uses a throwaway group that never commits and is
 * deleted on stop; when kafkajs restarts the consumer after a broker failure it seeks back to the
 * next offset of each partition, so what was shown is neither lost nor repeated.
 */
export class ListenManager {
  private readonly live = new Map<string, Session>();
  /** Stopped Listens (their status; their messages stay in the session store), newest last. */
  private readonly stopped = new Map<string, Session>();

  constructor(
    private readonly events: CoreEvents,
    private readonly sessions: MessageSessions | null = null,
  ) {}

  private rate(s: Session): number {
    const now = Date.now();
    const from = s.recent.findIndex(([t]) => now - t < 5_000);
    s.recent = from < 0 ? [] : s.recent.slice(from);
    return Math.round((s.recent.reduce((n, [, c]) => n + c, 0) / 5) * 10) / 10;
  }

  /**
   * Moves what arrived to the session store and, on the timer (`toWindow`), pushes a batch. Without a
   * session store (the command line) every message goes out, on every flush.
   */
  private flush(s: Session, toWindow = true): void {
    s.status.rate = this.rate(s);
    const messages = s.buffer.splice(0, s.buffer.length);
    const sessionId = s.status.sessionId;
    if (!this.sessions || sessionId === undefined) {
      if (messages.length || s.status.state !== 'running')
        this.events.emit('listen.batch', { status: { ...s.status }, messages, skipped: 0 });
      return;
    }
    this.sessions.add(sessionId, messages);
    if (s.status.total - s.trimmedAt > KEEP_PER_LISTEN / 10 && s.status.total > KEEP_PER_LISTEN) {
      s.trimmedAt = s.status.total;
      void this.sessions.trim(sessionId, KEEP_PER_LISTEN).catch(() => undefined);
    }
    s.tail = s.tail.concat(messages);
    if (s.tail.length > WINDOW_SAMPLE) {
      s.skipped += s.tail.length - WINDOW_SAMPLE;
      s.tail = s.tail.slice(-WINDOW_SAMPLE);
    }
    if (!toWindow || (!s.tail.length && s.status.state === 'running')) return;
    this.events.emit('listen.batch', { status: { ...s.status }, messages: s.tail, skipped: s.skipped });
    s.tail = [];
    s.skipped = 0;
  }

  async start(
    conn: ResolvedConnection,
    input: Input,
    connectionId?: string,
    /** Decodes keys and values by schema or chosen format (absent: bytes as they are). */
    decoder?: MessageDecoder,
  ): Promise<ListenStatus> {
    // where to begin, per partition (the same rules as Consume)
    const plan = await withKafka(conn, (session) =>
      planRead(session, { topics: [input.topic], partitions: input.partitions, start: input.start }),
    );
    const starts = new Map(plan.partitions.map((p) => [p.partition, p.start]));

    const listenId = randomUUID();
    const sessionId = this.sessions
      ? await this.sessions.begin({ source: 'listen', connectionId: connectionId ?? null, connectionName: conn.name })
      : null;
    const consumer = openConsumer(conn, { group: { throwaway: 'listen' }, restartOnCrash: true });
    const s: Session = {
      status: {
        listenId,
        topic: input.topic,
        state: 'starting',
        total: 0,
        rate: 0,
        ...(sessionId ? { sessionId } : {}),
      },
      consumer,
      buffer: [],
      tail: [],
      skipped: 0,
      recent: [],
      next: starts,
      trimmedAt: 0,
      timer: setInterval(() => this.flush(s), FLUSH_MS),
    };
    this.live.set(listenId, s);
    const seekAll = () => {
      for (const [partition, offset] of s.next) consumer.seek(input.topic, partition, offset);
    };
    consumer.onGroupJoin(() => {
      if (s.status.state === 'reconnecting' || s.status.state === 'starting') s.status.state = 'running';
      seekAll();
    });
    consumer.onCrash((error, restart) => {
      const why = kafkaErrorToCore(error, conn);
      // an error no restart mends (the cluster's ACLs refuse it): the Listen ends, saying why; anything else is
      // a cluster gone for a while, which the Listen waits out
      const refused = why.code === 'FORBIDDEN';
      s.status.state = refused ? 'failed' : 'reconnecting';
      s.status.error = why.message;
      this.flush(s);
      if (refused && restart) void consumer.disconnect();
    });
    try {
      await consumer.run({
        topics: [input.topic],
        fromBeginning: false,
        autoCommit: false,
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }) => {
          if (!s.next.has(batch.partition)) return;
          const from = s.next.get(batch.partition)!;
          const before = s.status.total;
          if (decoder && !decoder.idle) await decoder.prepare(batch.messages.flatMap((m) => [m.key, m.value]));
          for (const m of batch.messages) {
            if (BigInt(m.offset) < from) continue; // already shown before a restart
            const bomb = inflatePlaceholder(m);
            if (bomb) {
              // a live tail goes on past a batch that inflates past the cap, and says so
              s.status.skippedBatches = [
                ...(s.status.skippedBatches ?? []),
                bombEntry(batch.topic, batch.partition, m.offset, bomb, 'skipped'),
              ].slice(-20);
              s.status.error = `Skipped ${describeBomb(batch.topic, batch.partition, m.offset, bomb, conn.maxMessageBytes)}.`;
              s.next.set(batch.partition, BigInt(m.offset) + 1n);
              continue;
            }
            let message = toConsumed(batch.topic, batch.partition, m);
            if (decoder && !decoder.idle) {
              const d = decoder.decode(message, m.key ?? null, m.value ?? null);
              s.status.undecodable = { ...decoder.summary };
              if (d.action === 'stop') {
                // stopped there, the message not shown: the user asked to stop at the first one not of the format
                s.status.error = `Stopped at ${describeUndecodable(decoder, input)}.`;
                this.flush(s);
                void this.stop(listenId).catch(() => undefined);
                return;
              }
              s.next.set(batch.partition, BigInt(m.offset) + 1n);
              if (d.action === 'skip') continue;
              message = d.message;
            }
            s.buffer.push(message);
            s.next.set(batch.partition, BigInt(m.offset) + 1n);
            s.status.total += 1;
            if (s.buffer.length >= FLUSH_COUNT) this.flush(s, !this.sessions);
          }
          if (s.status.total > before) s.recent.push([Date.now(), s.status.total - before]);
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
    const s = this.live.get(listenId);
    if (!s) throw new CoreError('NOT_FOUND', 'That Listen has already stopped.');
    return s;
  }

  pause(listenId: string): ListenStatus {
    const s = this.get(listenId);
    s.consumer.pause(s.status.topic);
    s.status.state = 'paused';
    this.flush(s);
    return { ...s.status };
  }

  resume(listenId: string): ListenStatus {
    const s = this.get(listenId);
    s.consumer.resume(s.status.topic);
    s.status.state = 'running';
    this.flush(s);
    return { ...s.status };
  }

  async stop(listenId: string): Promise<ListenStatus> {
    const s = this.get(listenId);
    this.live.delete(listenId);
    clearInterval(s.timer);
    await s.consumer.disconnect();
    s.status.state = 'stopped';
    this.flush(s);
    this.stopped.set(listenId, s);
    for (const id of [...this.stopped.keys()].slice(0, Math.max(0, this.stopped.size - KEEP_STOPPED)))
      this.stopped.delete(id);
    // the throwaway group never committed; remove it
    await s.consumer.close();
    return { ...s.status };
  }

  /** A Listen (running or recently stopped), its session and the session store. */
  private find(listenId: string): { s: Session; sessions: MessageSessions; sessionId: number } {
    const s = this.live.get(listenId) ?? this.stopped.get(listenId);
    const sessionId = s?.status.sessionId;
    if (!s || !this.sessions || sessionId === undefined)
      throw new CoreError('NOT_FOUND', 'That Listen is no longer kept (only the last few stopped ones are).');
    return { s, sessions: this.sessions, sessionId };
  }

  /** What a Listen received, from its session, oldest first. */
  history(
    listenId: string,
    offset: number,
    limit: number,
  ): { messages: ConsumedMessage[]; kept: number; dropped: number } {
    const { s, sessions, sessionId } = this.find(listenId);
    const kept = sessions.count(sessionId);
    return { messages: sessions.page(sessionId, offset, limit), kept, dropped: Math.max(0, s.status.total - kept) };
  }

  /** A Listen's status while it runs or is still kept after stopping; null when it is gone. */
  status(listenId: string): ListenStatus | null {
    const s = this.live.get(listenId) ?? this.stopped.get(listenId);
    if (!s) return null;
    // the rate as now (a paused or quiet Listen's last batch may be old)
    if (this.live.has(listenId)) s.status.rate = this.rate(s);
    return { ...s.status };
  }

  /** The session a Listen keeps its messages in. */
  sessionOf(listenId: string): number {
    return this.find(listenId).sessionId;
  }

  /** Forgets a stopped Listen and its messages. */
  discard(listenId: string): Promise<boolean> {
    const s = this.stopped.get(listenId);
    if (!s) return Promise.resolve(false);
    this.stopped.delete(listenId);
    const sessionId = s.status.sessionId;
    return this.sessions && sessionId !== undefined ? this.sessions.discard(sessionId) : Promise.resolve(true);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.stop(id).catch(() => undefined)));
  }
}
