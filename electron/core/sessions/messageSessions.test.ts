import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsumedMessage } from '../../contract';
import { KEEP_SESSIONS, MessageSessions } from './messageSessions';

const m = (offset: number, value: string | null = `v${offset}`): ConsumedMessage => ({
  topic: 't',
  partition: offset % 3,
  offset: String(offset),
  timestamp: String(1_700_000_000_000 + offset),
  timestampType: 'CreateTime',
  key: null,
  value,
  headers: [],
  size: 2,
});
const open: MessageSessions[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
async function sessions() {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-sessions-'));
  const s = new MessageSessions(dir);
  open.push(s);
  return { s, dir };
}
const seqAsc = { field: 'seq', direction: 'asc' } as const;

describe('the session store', () => {
  it('describes a kept session, nothing for a dropped one, and tells a restarted store apart', async () => {
    const { s, dir } = await sessions();
    const id = await s.begin({ source: 'consume', connectionId: 'c1', connectionName: 'local' });
    s.add(id, [m(1), m(2)]);
    await s.settled(id);
    expect(s.describe(id)).toMatchObject({ source: 'consume', connectionId: 'c1', topics: ['t'], count: 2 });
    await s.discard(id);
    expect(s.describe(id)).toBeNull();
    // the same data folder after a restart: the first session has the same number, another instance
    s.close();
    open.splice(open.indexOf(s), 1);
    const again = new MessageSessions(dir);
    open.push(again);
    const other = await again.begin({ source: 'listen', connectionId: null, connectionName: 'local' });
    expect(other).toBe(id);
    expect(again.instance).not.toBe(s.instance);
  });
  it('keeps what a run appends, in order, and pages, sorts and searches it in place', async () => {
    const { s } = await sessions();
    const id = await s.begin({ source: 'listen', connectionId: null, connectionName: 'local' });
    for (let b = 0; b < 10; b++)
      s.add(
        id,
        Array.from({ length: 100 }, (_, i) => m(b * 100 + i)),
      );
    await s.settled(id);
    expect(s.count(id)).toBe(1000);
    expect(s.page(id, 998, 10).map((x) => x.offset)).toEqual(['998', '999']);
    const newest = s.rows(id, { offset: 0, limit: 3, sort: { field: 'seq', direction: 'desc' }, search: {} });
    expect(newest.rows.map((r) => r.offset)).toEqual(['999', '998', '997']);
    const found = s.rows(id, {
      offset: 1,
      limit: 2,
      sort: { field: 'offset', direction: 'desc' },
      search: { text: 'V99', partitions: [0] },
    });
    // v99 and v990..v999 on partition 0 (offset divisible by 3): 999, 996, 993, 990, 99 — the second and third
    expect([found.total, found.rows.map((r) => r.offset)]).toEqual([5, ['996', '993']]);
    expect(s.info(id)).toMatchObject({ source: 'listen', connectionName: 'local', topics: ['t'], count: 1000 });
    // quick: the first matches in saved order at once, not yet counted; then the count
    const quick = s.rows(id, { offset: 0, limit: 3, sort: seqAsc, search: { text: 'v9' }, quick: true });
    expect([quick.counted, quick.total, quick.rows.map((r) => r.offset)]).toEqual([false, 3, ['9', '90', '91']]);
    const all = s.rows(id, { offset: 0, limit: 3, sort: seqAsc, search: { text: 'v9' } });
    expect([all.counted, all.total, all.rows.map((r) => r.offset)]).toEqual([true, 111, ['9', '90', '91']]);
    // a search with fewer matches than a page is counted at once
    expect(s.rows(id, { offset: 0, limit: 50, sort: seqAsc, search: { text: 'v99' }, quick: true })).toMatchObject({
      counted: true,
      total: 11,
    });
  });

  it('trims a long run to its newest messages, and the positions start again at the oldest kept', async () => {
    const { s } = await sessions();
    const id = await s.begin({ source: 'listen', connectionId: null, connectionName: 'local' });
    s.add(
      id,
      Array.from({ length: 50 }, (_, i) => m(i)),
    );
    expect(await s.trim(id, 20)).toBe(30);
    expect(s.count(id)).toBe(20);
    expect(s.page(id, 0, 2).map((x) => x.offset)).toEqual(['30', '31']);
    expect(s.rows(id, { offset: 19, limit: 5, sort: seqAsc, search: {} }).rows.map((r) => r.offset)).toEqual(['49']);
  });

  it(`keeps the last ${KEEP_SESSIONS} sessions; an older one says it is gone, in a sentence`, async () => {
    const { s } = await sessions();
    const ids: number[] = [];
    for (let i = 0; i < KEEP_SESSIONS + 2; i++) {
      const id = await s.begin({ source: 'consume', connectionId: null, connectionName: 'x' });
      s.add(id, [m(i)]);
      await s.settled(id);
      ids.push(id);
    }
    expect(() => s.count(ids[0]!)).toThrow(/no longer kept/);
    expect(() => s.count(ids[1]!)).toThrow(/no longer kept/);
    expect(s.count(ids.at(-1)!)).toBe(1);
    expect(await s.discard(ids.at(-1)!)).toBe(true);
    expect(await s.discard(ids.at(-1)!)).toBe(false);
  });

  it("removes its file on close, and a crashed process's file at the next start", async () => {
    const { s, dir } = await sessions();
    const id = await s.begin({ source: 'consume', connectionId: null, connectionName: 'x' });
    s.add(id, [m(1)]);
    await s.settled(id);
    const mine = path.join(dir, 'sessions', `${process.pid}.sqlite`);
    expect(existsSync(mine)).toBe(true);
    s.close();
    expect(existsSync(mine)).toBe(false);
    mkdirSync(path.join(dir, 'sessions'), { recursive: true });
    const stale = path.join(dir, 'sessions', '2147483646.sqlite');
    writeFileSync(stale, 'left by a crash');
    open.push(new MessageSessions(dir));
    expect(existsSync(stale)).toBe(false);
  });
});
