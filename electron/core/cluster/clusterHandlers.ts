import type { LogDirFailure } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import type { Handlers } from '../handlers';
import { withKafka } from '../kafka/gateway';
import type { MetadataCache } from './metadataCache';

/**
 * The cluster's brokers, and its topic list (kept in the metadata cache, so a cluster that cannot be
 * reached shows the last list fetched; the other topic channels are in admin/).
 */
export function createClusterHandlers(
  resolveById: (id: string) => Promise<ResolvedConnection>,
  cache: MetadataCache,
): Pick<Handlers, 'cluster.describe' | 'topics.list'> {
  return {
    'cluster.describe': async ({ id }) => withKafka(await resolveById(id), (s) => s.describeCluster()),
    'topics.list': async ({ id, includeInternal, withCounts, withSizes }) => {
      let sizeFailures: LogDirFailure[] | undefined;
      const r = await cache.topics(id, async () =>
        withKafka(await resolveById(id), async (s) => {
          const topics = await s.listTopics(true, withCounts);
          if (!withSizes) return topics;
          // every broker at once; one that fails is named, and the others' sizes are shown
          const ld = await s.logDirs(null);
          sizeFailures = ld.failures;
          return topics.map((t) => ({ ...t, size: ld.topics.get(t.name)?.size ?? null }));
        }),
      );
      const topics = r.topics.filter((t) => includeInternal || !t.internal);
      return sizeFailures ? { ...r, topics, sizeFailures } : { ...r, topics };
    },
  };
}
