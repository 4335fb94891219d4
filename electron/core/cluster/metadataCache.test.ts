import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterOverview } from '../../contract';
import { CoreError } from '../coreError';
import { MetadataCache } from './metadataCache';

describe('the offline metadata cache', () => {
  it('keeps both the overview and the topics when they are fetched at the same time, and answers with them when the cluster is unreachable', async () => {
    const cache = new MetadataCache(await mkdtemp(path.join(tmpdir(), 'kd-cache-')));
    const id = '00000000-0000-4000-8000-000000000001';
    const overview = { clusterId: 'c1', fetchedAt: new Date().toISOString() } as unknown as Omit<
      ClusterOverview,
      'fromCache'
    >;
    // both at once, many times: a lost update would drop one of them
    const down = async (): Promise<never> => {
      throw new CoreError('CONNECTION_REFUSED', 'nothing listens');
    };
    for (let i = 0; i < 20; i++) {
      const o = () => cache.overview(id, async () => ({ ...overview, clusterId: `c${i}` }));
      const t = () =>
        cache.topics(id, async () => [
          { name: `t${i}`, partitions: 1, replicationFactor: 1, internal: false, messages: null },
        ]);
      await Promise.all(i % 2 ? [o(), t()] : [t(), o()]);
      expect((await cache.overview(id, down)).clusterId).toBe(`c${i}`);
      expect((await cache.topics(id, down)).topics.map((x) => x.name)).toEqual([`t${i}`]);
    }
    expect((await cache.overview(id, down)).fromCache).toMatchObject({ reason: 'nothing listens' });
    const topics = await cache.topics(id, down);
    expect(topics.topics.map((t) => t.name)).toEqual(['t19']);
    expect(topics.fromCache).toMatchObject({ reason: 'nothing listens' });
  });
});
