import type { Handlers } from '../handlers';
import type { MetadataCache } from '../cluster/metadataCache';
import { describeMetadata } from '../kafka/rawCluster';
import { sessionRunner, type ResolveConnection } from './adminSession';
import { createGroupHandlers } from './groupHandlers';
import { createTopicHandlers } from './topicHandlers';

type AdminChannel =
  | 'cluster.overview'
  | 'topics.describe'
  | 'topics.create'
  | 'topics.delete'
  | 'topics.alterConfigs'
  | 'topics.addPartitions'
  | 'topics.deleteRecords'
  | 'groups.list'
  | 'groups.describe'
  | 'groups.resetOffsets'
  | 'groups.delete';

/** Cluster overview, topic and consumer-group administration. Every write checks the read-only flag first. */
export function createAdminHandlers(resolve: ResolveConnection, cache?: MetadataCache): Pick<Handlers, AdminChannel> {
  const run = sessionRunner(resolve);
  return {
    'cluster.overview': ({ id }) => {
      const live = () =>
        run(id, async (s) => {
          const md = await s.metadata(null);
          const groups = await s.listGroups();
          const partitions = md.topicMetadata.flatMap((t) => t.partitionMetadata);
          const internal = md.topicMetadata.filter((t) => t.isInternal === true || t.topic.startsWith('__'));
          return {
            ...describeMetadata(md),
            topicCount: md.topicMetadata.length - internal.length,
            internalTopicCount: internal.length,
            partitionCount: partitions.length,
            underReplicatedPartitions: partitions.filter((p) => p.isr.length < p.replicas.length).length,
            offlinePartitions: partitions.filter((p) => p.leader < 0).length,
            consumerGroupCount: groups.length,
            fetchedAt: new Date().toISOString(),
          };
        });
      return cache ? cache.overview(id, live) : live().then((o) => ({ ...o, fromCache: null }));
    },
    ...createTopicHandlers(resolve),
    ...createGroupHandlers(resolve),
  };
}
