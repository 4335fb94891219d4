import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsumedMessage, ListenStatus } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { restartKafka } from '../infra/kafka';
import { createTopic, freshCore, listenerInputs, readCluster, type ClusterInfo } from './support';

let k: ClusterInfo;
let core: Core;
let id: string;

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  const r = await dispatch(core.handlers, 'connections.save', {
    ...(await listenerInputs(k)).PLAINTEXT,
    name: 'listen',
  });
  id = (r as { value: { id: string } }).value.id;
});

/** Collects the batches a Listen pushes, until `n` messages arrived (or the time runs out). */
function collect(n: number, timeoutMs = 30_000): Promise<{ messages: ConsumedMessage[]; statuses: ListenStatus[] }> {
  const messages: ConsumedMessage[] = [];
  const statuses: ListenStatus[] = [];
  return new Promise((resolve) => {
    const off = core.events.onAny((event, payload) => {
      if (event !== 'listen.batch') return;
      const b = payload as { status: ListenStatus; messages: ConsumedMessage[] };
      messages.push(...b.messages);
      statuses.push(b.status);
      if (messages.length >= n) {
        off();
        resolve({ messages, statuses });
      }
    });
    setTimeout(() => {
      off();
      resolve({ messages, statuses });
    }, timeoutMs).unref();
  });
}

describe('Listen (live tail), against the real broker', () => {
  it('shows what arrives after it started, in batches, with the total; stop leaves no group behind', async () => {
    const topic = `it-listen-${Date.now()}`;
    await createTopic(k, topic, 2);
    execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic], { input: 'old-1\nold-2\n' });
    const started = await dispatch(core.handlers, 'listen.start', { id, topic });
    expect(started).toMatchObject({ ok: true, value: { topic } });
    const listenId = (started as { value: ListenStatus }).value.listenId;
    const got = collect(5);
    // produced right away, possibly before the group is even assigned: the start offsets were fixed at start
    execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-p', '1'], {
      input: 'new-1\nnew-2\nnew-3\nnew-4\nnew-5\n',
    });
    const { messages, statuses } = await got;
    expect(messages.map((m) => m.value)).toEqual(['new-1', 'new-2', 'new-3', 'new-4', 'new-5']);
    expect(statuses.at(-1)).toMatchObject({ state: 'running', total: 5 });
    const stopped = await dispatch(core.handlers, 'listen.stop', { listenId });
    expect(stopped).toMatchObject({ ok: true, value: { state: 'stopped', total: 5 } });
    // what the window no longer shows stays in the session store (main process), after the stop too
    const kept = await dispatch(core.handlers, 'listen.history', { listenId, offset: 1, limit: 2 });
    expect(kept).toMatchObject({ ok: true, value: { kept: 5, dropped: 0 } });
    expect((kept as { value: { messages: ConsumedMessage[] } }).value.messages.map((m) => m.value)).toEqual([
      'new-2',
      'new-3',
    ]);
    const groups = await dispatch(core.handlers, 'groups.list', { id });
    expect((groups as { value: { groupId: string }[] }).value.filter((g) => g.groupId.includes(listenId))).toEqual([]);
    expect(await dispatch(core.handlers, 'listen.stop', { listenId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('a missing topic is named', async () => {
    expect(await dispatch(core.handlers, 'listen.start', { id, topic: 'no-such-topic-listen' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: "There is no topic named 'no-such-topic-listen' on this cluster." },
    });
  });

  it('survives a broker restart: "reconnecting" while it is down, then goes on without losing or repeating a message', async () => {
    const topic = `it-listen-restart-${Date.now()}`;
    await createTopic(k, topic, 2);
    const started = await dispatch(core.handlers, 'listen.start', { id, topic });
    const listenId = (started as { value: ListenStatus }).value.listenId;
    const before = collect(6);
    execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-K', ':'], {
      input: ['a:before-1', 'b:before-2', 'c:before-3', 'd:before-4', 'e:before-5', 'f:before-6'].join('\n') + '\n',
    });
    expect((await before).messages).toHaveLength(6);

    const statuses: ListenStatus[] = [];
    const seen: ConsumedMessage[] = [];
    const off = core.events.onAny((event, payload) => {
      if (event !== 'listen.batch') return;
      const b = payload as { status: ListenStatus; messages: ConsumedMessage[] };
      statuses.push(b.status);
      seen.push(...b.messages);
    });
    k = await restartKafka({ downMs: 4000 });
    execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-K', ':'], {
      input: ['a:after-1', 'b:after-2', 'c:after-3', 'd:after-4', 'e:after-5', 'f:after-6'].join('\n') + '\n',
    });
    const deadline = Date.now() + 60_000;
    while (seen.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    off();
    expect(statuses.map((x) => x.state)).toContain('reconnecting');
    expect(seen.map((m) => m.value).sort()).toEqual(['after-1', 'after-2', 'after-3', 'after-4', 'after-5', 'after-6']);
    expect(new Set(seen.map((m) => `${m.partition}/${m.offset}`)).size).toBe(6);
    expect(statuses.at(-1)).toMatchObject({ state: 'running', total: 12 });
    await dispatch(core.handlers, 'listen.stop', { listenId });
  }, 180_000);
});

describe('Listen from a point', () => {
  it('from a time: what was stamped at or after it, then live', async () => {
    const topic = `it-listen-time-${Date.now()}`;
    await createTopic(k, topic, 1);
    const produce = (messages: { value: string; timestamp: number }[]) =>
      dispatch(core.handlers, 'operations.produce', { id, topic, messages });
    await produce([
      { value: 'old', timestamp: 1_700_000_000_000 },
      { value: 'newer', timestamp: 1_700_000_100_000 },
    ]);
    const got = collect(2);
    const started = await dispatch(core.handlers, 'listen.start', {
      id,
      topic,
      start: { from: 'timestamp', timestamp: 1_700_000_050_000 },
    });
    await produce([{ value: 'live', timestamp: Date.now() }]);
    const { messages } = await got;
    expect(messages.map((m) => m.value)).toEqual(['newer', 'live']);
    await dispatch(core.handlers, 'listen.stop', { listenId: (started as { value: ListenStatus }).value.listenId });
  });

  it('at a high rate the window gets the newest of each batch and the true total; the session keeps every message once', async () => {
    const topic = `it-listen-fast-${Date.now()}`;
    await createTopic(k, topic, 3);
    const started = await dispatch(core.handlers, 'listen.start', { id, topic });
    const status = (started as { value: ListenStatus }).value;
    let shown = 0;
    let skipped = 0;
    let last: ListenStatus = status;
    const off = core.events.onAny((event, payload) => {
      if (event !== 'listen.batch') return;
      const b = payload as { status: ListenStatus; messages: ConsumedMessage[]; skipped: number };
      if (b.status.listenId !== status.listenId) return;
      shown += b.messages.length;
      skipped += b.skipped;
      expect(b.messages.length).toBeLessThanOrEqual(300);
      last = b.status;
    });
    execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-X', 'linger.ms=20'], {
      input: Array.from({ length: 20_000 }, (_, i) => `m${i}`).join('\n') + '\n',
    });
    await expect.poll(() => last.total, { timeout: 30_000 }).toBe(20_000);
    await dispatch(core.handlers, 'listen.stop', { listenId: status.listenId });
    off();
    // every message was either shown or counted as left out of a batch; the sample is a minority here
    expect(shown + skipped).toBe(20_000);
    expect(skipped).toBeGreaterThan(0);
    // the session (what the table pages through) holds each message exactly once
    const page = await dispatch(core.handlers, 'sessions.rows', {
      sessionId: status.sessionId,
      limit: 10_000,
      search: { text: 'm1999' },
    });
    expect(page).toMatchObject({ ok: true, value: { total: 11, captureTotal: 20_000 } });
    const values = new Set<string>();
    for (let offset = 0; offset < 20_000; offset += 10_000) {
      const r = await dispatch(core.handlers, 'sessions.rows', { sessionId: status.sessionId, offset, limit: 10_000 });
      for (const m of (r as { value: { rows: ConsumedMessage[] } }).value.rows) values.add(m.value as string);
    }
    expect(values.size).toBe(20_000);
    expect(await dispatch(core.handlers, 'listen.discard', { listenId: status.listenId })).toEqual({
      ok: true,
      value: { discarded: true },
    });
    expect(await dispatch(core.handlers, 'sessions.rows', { sessionId: status.sessionId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('a Consume for the window keeps its messages in a session: counted, paged, sorted and searched in main, next offsets given', async () => {
    const topic = `it-consume-session-${Date.now()}`;
    await createTopic(k, topic, 2);
    execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-p', '0'], { input: 'a0\na1\na2\n' });
    execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-p', '1'], { input: 'b0\nb1\n' });
    const r = await dispatch(core.handlers, 'operations.consume', { id, topic, into: 'session' });
    expect(r).toMatchObject({ ok: true, value: { messages: [], scanned: 5, reachedEnd: true, session: { count: 5 } } });
    const result = (r as { value: { session: { id: number }; nextOffsets: unknown[] } }).value;
    expect(result.nextOffsets).toEqual(
      expect.arrayContaining([
        { topic, partition: 0, offset: '3' },
        { topic, partition: 1, offset: '2' },
      ]),
    );
    const sorted = await dispatch(core.handlers, 'sessions.rows', {
      sessionId: result.session.id,
      sort: { field: 'partition', direction: 'desc' },
    });
    expect((sorted as { value: { rows: ConsumedMessage[] } }).value.rows.map((m) => m.value)).toEqual([
      'b1',
      'b0',
      'a2',
      'a1',
      'a0',
    ]);
    const some = await dispatch(core.handlers, 'sessions.rows', {
      sessionId: result.session.id,
      search: { partitions: [0], offsetFrom: '1' },
    });
    expect((some as { value: { rows: ConsumedMessage[]; total: number } }).value).toMatchObject({
      total: 2,
      rows: [{ value: 'a1' }, { value: 'a2' }],
    });
  });
});
