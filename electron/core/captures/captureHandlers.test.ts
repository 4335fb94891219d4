import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureRowsPage, CaptureSummary, ConsumedMessage } from '../../contract';
import { CoreError } from '../coreError';
import { dispatch } from '../dispatch';
import type { Handlers } from '../handlers';
import { createCaptureHandlers } from './captureHandlers';
import { CaptureStore } from './captureStore';
import { MessageSessions } from '../sessions/messageSessions';

const msg = (i: number): ConsumedMessage => ({
  topic: 'live',
  partition: i % 2,
  offset: String(i),
  timestamp: String(1700000000000 + i),
  timestampType: 'CreateTime',
  key: `k${i}`,
  value: `v${i}`,
  headers: [],
  size: 4,
});
const session = Array.from({ length: 6 }, (_, i) => msg(i));

const stores: (CaptureStore | MessageSessions)[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

async function setup() {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-capture-handlers-'));
  const store = CaptureStore.inDataDir(dir);
  const sessions = new MessageSessions(dir);
  stores.push(store, sessions);
  // a Listen's session as the Listen fills it: batch by batch
  const listenSession = await sessions.begin({ source: 'listen', connectionId: 'conn-1', connectionName: 'local' });
  sessions.add(listenSession, session.slice(0, 4));
  sessions.add(listenSession, session.slice(4));
  await sessions.settled(listenSession);
  const handlers = createCaptureHandlers(store, sessions, {
    listenSession: (listenId) => {
      if (listenId !== 'listen-0001')
        throw new CoreError('NOT_FOUND', 'That Listen is no longer kept (only the last few stopped ones are).');
      return listenSession;
    },
    connectionName: async (id) => {
      if (id !== '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f')
        throw new CoreError('NOT_FOUND', 'That connection no longer exists.');
      return 'saved one';
    },
    sampleFile: path.resolve('resources/sample-capture.ndjson'),
    replay: async () => {
      throw new CoreError('INTERNAL', 'replay is tested against the broker (e2e/integration/captureReplay.test.ts)');
    },
  }) as unknown as Handlers;
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await dispatch(handlers, channel, input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  const fails = async (channel: string, input: unknown) => {
    const r = await dispatch(handlers, channel, input);
    return r.ok ? null : r.error;
  };
  return { store, sessions, listenSession, call, fails };
}

describe('captures.* channels', () => {
  it('saves a Listen session from main, all of it or a selection, naming its connection', async () => {
    const { call, fails } = await setup();
    const all = await call<CaptureSummary>('captures.save', { from: 'listen', name: 'tail', listenId: 'listen-0001' });
    expect(all).toMatchObject({
      name: 'tail',
      source: 'listen',
      connectionId: 'conn-1',
      connectionName: 'local',
      topics: ['live'],
      messageCount: 6,
    });
    const some = await call<CaptureSummary>('captures.save', {
      from: 'listen',
      name: 'tail bits',
      listenId: 'listen-0001',
      indexes: [4, 1],
      tags: ['x'],
    });
    const page = await call<CaptureRowsPage>('captures.rows', { id: some.id });
    // in the order they arrived, whatever order the positions were given in
    expect(page.rows.map((r) => r.offset)).toEqual(['1', '4']);
    expect(await fails('captures.save', { from: 'listen', name: 'gone', listenId: 'listen-9999' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("saves a Consume's session, all of it or some messages, with its source and connection", async () => {
    const { call, fails, sessions } = await setup();
    const id = await sessions.begin({ source: 'consume', connectionId: 'conn-2', connectionName: 'prod' });
    sessions.add(id, [msg(10), msg(11), msg(12)]);
    await sessions.settled(id);
    const all = await call<CaptureSummary>('captures.save', { from: 'session', name: 'read', sessionId: id });
    expect(all).toMatchObject({ source: 'consume', connectionId: 'conn-2', connectionName: 'prod', messageCount: 3 });
    const one = await call<CaptureSummary>('captures.save', { from: 'session', name: 'one', sessionId: id, seqs: [3] });
    expect((await call<CaptureRowsPage>('captures.rows', { id: one.id })).rows.map((r) => [r.seq, r.offset])).toEqual([
      [1, '12'],
    ]);
    expect(await fails('captures.save', { from: 'session', name: 'more', sessionId: id, seqs: [3, 9] })).toMatchObject({
      code: 'NOT_FOUND',
    });
    await sessions.discard(id);
    expect(await fails('captures.save', { from: 'session', name: 'late', sessionId: id })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no longer kept'),
    });
  });

  it('saves given messages and a selection of a capture; errors are values with a sentence', async () => {
    const { call, fails } = await setup();
    const c = await call<CaptureSummary>('captures.save', {
      from: 'messages',
      source: 'consume',
      name: 'read',
      connectionId: '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f',
      messages: session,
    });
    expect(c).toMatchObject({ source: 'consume', connectionName: 'saved one', messageCount: 6 });
    const sel = await call<CaptureSummary>('captures.save', {
      from: 'capture',
      name: 'two of them',
      captureId: c.id,
      seqs: [2, 3],
    });
    expect(sel).toMatchObject({ source: 'selection', connectionName: 'saved one', messageCount: 2 });
    expect(await fails('captures.save', { from: 'messages', name: 'READ', messages: session })).toEqual({
      code: 'CONFLICT',
      message: "A capture named 'READ' already exists.",
    });
    expect(await fails('captures.get', { id: 999 })).toEqual({
      code: 'NOT_FOUND',
      message: 'That capture no longer exists.',
    });
    expect(await fails('captures.rows', { id: c.id, search: { jsonPath: { path: '$[?(' } } })).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('renames, tags, annotates, pages with a search, and deletes', async () => {
    const { call } = await setup();
    const c = await call<CaptureSummary>('captures.save', { from: 'listen', name: 'tail', listenId: 'listen-0001' });
    await call('captures.rename', { id: c.id, name: 'tail 2' });
    await call('captures.tag', { id: c.id, tags: ['incident'] });
    await call('captures.annotate', { id: c.id, note: 'why' });
    expect(await call('captures.annotateMessage', { id: c.id, seq: 2, note: 'odd' })).toEqual({ seq: 2, note: 'odd' });
    expect(await call<CaptureSummary[]>('captures.list', undefined)).toMatchObject([
      { name: 'tail 2', tags: ['incident'], note: 'why' },
    ]);
    const page = await call<CaptureRowsPage>('captures.rows', {
      id: c.id,
      limit: 2,
      sort: { field: 'offset', direction: 'desc' },
      search: { partitions: [1], text: 'V' },
    });
    expect([page.total, page.rows.map((r) => r.offset), page.highlight, page.rows[0]!.matchedIn]).toEqual([
      3,
      ['5', '3'],
      'V',
      ['value'],
    ]);
    expect(await call('captures.delete', { id: c.id })).toEqual({ deleted: true });
    expect(await call('captures.list', {})).toEqual([]);
  });

  it('exports as text for the window and imports a file given as text, the same messages', async () => {
    const { call } = await setup();
    const c = await call<CaptureSummary>('captures.save', { from: 'listen', name: 'tail', listenId: 'listen-0001' });
    const ex = await call<{ fileName: string; mimeType: string; text: string; count: number }>('captures.export', {
      id: c.id,
      format: 'ndjson',
    });
    expect([ex.fileName, ex.mimeType, ex.count, ex.text.split('\n').length]).toEqual([
      'tail.ndjson',
      'application/x-ndjson',
      6,
      7,
    ]);
    const im = await call<{ capture: CaptureSummary; warnings: string[] }>('captures.import', {
      name: 'back',
      fileName: 'tail.ndjson',
      text: ex.text,
    });
    expect(im.capture).toMatchObject({ source: 'import', messageCount: 6 });
    const a = await call<CaptureRowsPage>('captures.rows', { id: c.id });
    const b = await call<CaptureRowsPage>('captures.rows', { id: im.capture.id });
    expect(b.rows).toEqual(a.rows);
  });

  it('exports what a filter shows (the filter run in the store, as the table runs it), or the picked ones of those', async () => {
    const { call, fails } = await setup();
    const c = await call<CaptureSummary>('captures.save', { from: 'listen', name: 'tail', listenId: 'listen-0001' });
    type Export = { text: string; count: number };
    const offsets = (e: Export) =>
      e.text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { offset: string }).offset);
    const odd = await call<Export>('captures.export', { id: c.id, format: 'ndjson', search: { partitions: [1] } });
    expect([odd.count, offsets(odd)]).toEqual([3, ['1', '3', '5']]);
    const table = await call<CaptureRowsPage>('captures.rows', { id: c.id, search: { partitions: [1] } });
    expect(table.total).toBe(odd.count);
    // picked rows and a filter: the picked ones the filter shows (seq 4 holds offset 3, seq 5 offset 4)
    const both = await call<Export>('captures.export', {
      id: c.id,
      format: 'ndjson',
      seqs: [4, 5],
      search: { partitions: [1] },
    });
    expect([both.count, offsets(both)]).toEqual([1, ['3']]);
    const text = await call<Export>('captures.export', { id: c.id, format: 'csv', search: { text: 'v2' } });
    expect(text.count).toBe(1);
    const none = await call<Export>('captures.export', {
      id: c.id,
      format: 'json',
      search: { text: 'nothing like this' },
    });
    expect([none.count, none.text]).toEqual([0, '[]\n']);
    expect(
      await fails('captures.export', { id: c.id, format: 'ndjson', search: { jsonPath: { path: '$..[?(@.x)]' } } }),
    ).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('opens the sample capture that ships in resources/: imported once, reopened after that, bytes exact', async () => {
    const { call } = await setup();
    const first = await call<{ id: number; name: string; messageCount: number; tags: string[] }>(
      'captures.openSample',
      {},
    );
    expect(first).toMatchObject({ name: 'Sample: orders (offline demo)', messageCount: 39, tags: ['sample'] });
    // what the binary value is, not a format nothing here decodes yet
    expect((first as { note?: string }).note).toContain(
      'bytes in the Schema Registry wire format (magic byte 0, schema id 42, in no registry here, so shown as bytes)',
    );
    expect((first as { note?: string }).note).not.toMatch(/avro/i);
    const again = await call<{ id: number }>('captures.openSample', {});
    expect(again.id).toBe(first.id);
    expect(await call<unknown[]>('captures.list', {})).toHaveLength(1);
    const binary = await call<{ rows: { value: unknown; key: unknown }[] }>('captures.rows', {
      id: first.id,
      search: { text: 'o-9999' },
    });
    expect(binary.rows[0]!.value).toEqual({ base64: 'AAAAACoCBm8tOTk5Of/+' });
  });
});
