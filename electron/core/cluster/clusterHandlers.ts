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
    'topics.list': async ({ id, includeInternal, withCounts }) => {
      const r = await cache.topics(id, async () =>
        withKafka(await resolveById(id), (s) => s.listTopics(true, withCounts)),
      );
      return { ...r, topics: r.topics.filter((t) => includeInternal || !t.internal) };
    },
  };
}
