import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumeResult, EventPayload, ProduceResult } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { createTopic, freshCore, listenerInputs, readCluster, type ClusterInfo } from './support';

let k: ClusterInfo;
let core: Core;
let id: string;
const run = Date.now();

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
const committed = async (groupId: string, topic: string) =>
  (
    await call<{ offsets: { topic: string; partition: number; committed: string | null }[] }>('groups.describe', {
      id,
      groupId,
    })
  ).offsets
    .filter((o) => o.topic === topic && o.committed !== null)
    .map((o) => `${o.partition}:${o.committed}`)
    .sort();

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  id = (
    await call<{ id: string }>('connections.save', { ...(await listenerInputs(k)).PLAINTEXT, name: 'consume-options' })
  ).id;
  for (const t of ['a', 'b']) {
    await createTopic(k, `it-multi-${t}-${run}`, 2);
    await call<ProduceResult>('operations.produce', {
      id,
      topic: `it-multi-${t}-${run}`,
      messages: Array.from({ length: 4 }, (_, i) => ({ value: `${t}${i}`, partition: i % 2 })),
    });
  }
});

describe('consume: several topics, a pattern, a stop time', () => {
  it('reads two named topics, each range labelled with its topic', async () => {
    const r = await call<ConsumeResult>('operations.consume', {
      id,
      topics: [`it-multi-a-${run}`, `it-multi-b-${run}`],
    });
    expect(r.messages.map((m) => m.value).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3']);
    expect(r.ranges.map((x) => `${x.topic.slice(0, 10)}[${x.partition}] ${x.from}→${x.end}`)).toEqual([
      'it-multi-a[0] 0→2',
      'it-multi-a[1] 0→2',
      'it-multi-b[0] 0→2',
      'it-multi-b[1] 0→2',
    ]);
    expect(r.reachedEnd).toBe(true);
  });

  it('reads every topic a regular expression matches, and names a pattern that matches none', async () => {
    const r = await call<ConsumeResult>('operations.consume', { id, topicPattern: `it-multi-.-${run}` });
    expect(new Set(r.messages.map((m) => m.topic))).toEqual(new Set([`it-multi-a-${run}`, `it-multi-b-${run}`]));
    expect(r.messages).toHaveLength(8);
    expect(await dispatch(core.handlers, 'operations.consume', { id, topicPattern: 'no-such-(topic)' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No topic on this cluster matches /no-such-(topic)/.' },
    });
  });

  it('stops each partition at the first message after the stop time', async () => {
    const t = `it-stopat-${run}`;
    await createTopic(k, t, 1);
    await call<ProduceResult>('operations.produce', {
      id,
      topic: t,
      messages: [1000, 2000, 3000, 4000].map((ts) => ({ value: `at-${ts}`, timestamp: 1_700_000_000_000 + ts })),
    });
    const r = await call<ConsumeResult>('operations.consume', { id, topic: t, stopAtTimestamp: 1_700_000_002_500 });
    expect(r.messages.map((m) => m.value)).toEqual(['at-1000', 'at-2000']);
    expect(r.reachedEnd).toBe(true);
  });
});

describe('consume: a message over the size limit', () => {
  const t = `it-oversize-${run}`;
  beforeAll(async () => {
    await createTopic(k, t, 1);
    await call<ProduceResult>('operations.produce', {
      id,
      topic: t,
      messages: [{ value: 'small-0' }, { value: 'x'.repeat(5000) }, { value: 'small-2' }],
    });
  });

  it('stops there by default, naming topic, partition and offset', async () => {
    const r = await call<ConsumeResult>('operations.consume', { id, topic: t, maxMessageBytes: 1000 });
    expect(r.messages.map((m) => m.value)).toEqual(['small-0']);
    expect(r.oversized).toEqual([{ topic: t, partition: 0, offset: '1', size: 5000, action: 'stopped' }]);
    expect(r.stoppedBecause).toBe(
      `Stopped at ${t}[0] offset 1: the message is 5,000 bytes, over the 1,000-byte limit.`,
    );
  });

  it('skips it and goes on when asked', async () => {
    const r = await call<ConsumeResult>('operations.consume', {
      id,
      topic: t,
      maxMessageBytes: 1000,
      onOversize: 'skip',
    });
    expect(r.messages.map((m) => m.value)).toEqual(['small-0', 'small-2']);
    expect(r.oversized).toEqual([{ topic: t, partition: 0, offset: '1', size: 5000, action: 'skipped' }]);
    expect(r.reachedEnd).toBe(true);
  });
});

describe('consume as a named group', () => {
  const t = `it-group-read-${run}`;
  beforeAll(async () => {
    await createTopic(k, t, 2);
    await call<ProduceResult>('operations.produce', {
      id,
      topic: t,
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, partition: i % 2 })),
    });
  });

  it('manual commit: reads, commits nothing, and says what to commit', async () => {
    const g = `it-manual-${run}`;
    const r = await call<ConsumeResult>('operations.consume', {
      id,
      topic: t,
      max: 4,
      maxRecordsPerPoll: 1,
      group: { groupId: g, commit: 'manual' },
    });
    expect(r.messages).toHaveLength(4);
    expect(r.group).toMatchObject({ groupId: g, committed: false });
    expect(r.group!.offsets.reduce((n, o) => n + Number(o.offset), 0)).toBe(4);
    expect(await committed(g, t)).toEqual([]);
  });

  it('auto commit: the group moves to what was read, and the next read starts there', async () => {
    const g = `it-auto-${run}`;
    const first = await call<ConsumeResult>('operations.consume', {
      id,
      topic: t,
      max: 6,
      start: { from: 'group', groupId: g },
      group: { groupId: g, commit: 'auto' },
    });
    expect(first.group?.committed).toBe(true);
    const after = await committed(g, t);
    expect(after).toEqual(first.group!.offsets.map((o) => `${o.partition}:${o.offset}`).sort());
    const second = await call<ConsumeResult>('operations.consume', {
      id,
      topic: t,
      max: 100,
      start: { from: 'group', groupId: g },
      group: { groupId: g, commit: 'auto' },
    });
    expect([...first.messages, ...second.messages].map((m) => m.value).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i}`).sort(),
    );
    expect(await committed(g, t)).toEqual(['0:5', '1:5']);
    // read through: the next read as the group has nothing to do, and says so at once
    const third = await call<ConsumeResult>('operations.consume', {
      id,
      topic: t,
      start: { from: 'group', groupId: g },
      group: { groupId: g, commit: 'auto' },
    });
    expect(third).toMatchObject({ messages: [], reachedEnd: true, group: { committed: false, offsets: [] } });
  });

  describe('with a live member elsewhere', () => {
    const g = `it-live-${run}`;
    let consumer: ReturnType<Kafka['consumer']>;
    beforeAll(async () => {
      consumer = new Kafka({
        brokers: [k.listeners.plaintext],
        clientId: 'billing-service',
        logLevel: logLevel.NOTHING,
      }).consumer({ groupId: g, sessionTimeout: 10_000, heartbeatInterval: 500 });
      await consumer.connect();
      await consumer.subscribe({ topics: [t] });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({ eachMessage: async () => undefined });
      await joined;
    });
    afterAll(async () => consumer.disconnect());

    it('is refused, naming the member', async () => {
      const r = await dispatch(core.handlers, 'operations.consume', { id, topic: t, group: { groupId: g } });
      expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(!r.ok && r.error.message).toMatch(
        new RegExp(
          `^Group '${g}' has 1 live member: billing-service \\(.+\\)\\. Reading as this group would rebalance them`,
        ),
      );
    });

    it('joins when confirmed, reading only the partitions it is given', async () => {
      const r = await call<ConsumeResult>('operations.consume', {
        id,
        topic: t,
        max: 100,
        group: { groupId: g, joinLiveGroup: true },
      });
      expect(r.messages.length).toBeGreaterThan(0);
      expect(new Set(r.messages.map((m) => m.partition)).size).toBe(1);
    });
  });
});

describe('progress and cancel', () => {
  it('a consume waiting for more is cancelled, keeps what it read, and reports progress', async () => {
    const events: EventPayload<'operation.progress'>[] = [];
    const off = core.events.onAny(
      (name, payload) => name === 'operation.progress' && events.push(payload as EventPayload<'operation.progress'>),
    );
    const operationId = `cancel-consume-${run}`;
    const reading = dispatch(core.handlers, 'operations.consume', {
      id,
      operationId,
      topic: `it-multi-a-${run}`,
      untilEnd: false,
      waitMs: 60_000,
      max: 1000,
    });
    // cancel once the progress says all four were read (it keeps waiting for more until then)
    while (!events.some((e) => e.operationId === operationId && e.done >= 4))
      await new Promise((r) => setTimeout(r, 100));
    expect(await call('operations.cancel', { operationId })).toEqual({ cancelled: true });
    const r = await reading;
    off();
    expect(r).toMatchObject({ ok: true, value: { cancelled: true, stoppedBecause: 'Cancelled.' } });
    expect((r as { value: ConsumeResult }).value.messages).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({ operationId, kind: 'consume', state: 'cancelled', done: 4 });
    expect(await call('operations.cancel', { operationId })).toEqual({ cancelled: false });
  });

  it('a rate-limited produce batch is cancelled: what was not sent says so', async () => {
    const operationId = `cancel-produce-${run}`;
    const progress: EventPayload<'operation.progress'>[] = [];
    const off = core.events.onAny(
      (name, payload) => name === 'operation.progress' && progress.push(payload as EventPayload<'operation.progress'>),
    );
    const sending = dispatch(core.handlers, 'operations.produce', {
      id,
      operationId,
      topic: `it-multi-a-${run}`,
      ratePerSecond: 5,
      messages: Array.from({ length: 100 }, (_, i) => ({ value: `slow-${i}` })),
    });
    while (!progress.some((e) => e.operationId === operationId && e.done >= 3))
      await new Promise((r) => setTimeout(r, 100));
    off();
    expect(await call('operations.cancel', { operationId })).toEqual({ cancelled: true });
    const r = await sending;
    expect(r.ok).toBe(true);
    const v = (r as { value: ProduceResult }).value;
    expect(v.cancelled).toBe(true);
    expect(v.delivered).toBeGreaterThan(0);
    expect(v.delivered).toBeLessThan(100);
    expect(v.results.at(-1)).toMatchObject({ status: 'not-sent', message: 'Not sent: the batch was cancelled.' });
  });
});

describe('consume and transactions', () => {
  it('by default hides an aborted transaction; read uncommitted shows it; neither waits for more', async () => {
    const t = `it-tx-${run}`;
    await createTopic(k, t, 1);
    const producer = new Kafka({ brokers: [k.listeners.plaintext], logLevel: logLevel.NOTHING }).producer({
      transactionalId: `it-tx-${run}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    await producer.send({ topic: t, messages: [{ value: 'before' }] });
    const aborted = await producer.transaction();
    await aborted.send({ topic: t, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
    await aborted.abort();
    const committedTx = await producer.transaction();
    await committedTx.send({ topic: t, messages: [{ value: 'committed' }] });
    await committedTx.commit();
    await producer.disconnect();

    const committedOnly = await call<ConsumeResult>('operations.consume', { id, topic: t });
    expect(committedOnly.messages.map((m) => m.value)).toEqual(['before', 'committed']);
    expect(committedOnly.reachedEnd).toBe(true);
    const everything = await call<ConsumeResult>('operations.consume', { id, topic: t, readUncommitted: true });
    expect(everything.messages.map((m) => m.value)).toEqual(['before', 'aborted-1', 'aborted-2', 'committed']);
    expect(everything.reachedEnd).toBe(true);
  });
});
