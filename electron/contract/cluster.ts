import { z } from 'zod';
import { ConnectionId } from './connection';

/** The cluster domain: its brokers and the overview the window opens on. */

export const Broker = z.strictObject({
  nodeId: z.number().int(),
  host: z.string(),
  port: z.number().int(),
  rack: z.string().nullable(),
});
export type Broker = z.infer<typeof Broker>;

export const ClusterDescription = z.strictObject({
  clusterId: z.string().nullable(),
  controllerId: z.number().int().nullable(),
  brokers: z.array(Broker),
});
export type ClusterDescription = z.infer<typeof ClusterDescription>;

/** Set when the cluster could not be reached and the last metadata fetched is shown instead. */
export const FromCache = z.strictObject({ asOf: z.string(), reason: z.string() });
export type FromCache = z.infer<typeof FromCache>;

export const ClusterOverview = z.strictObject({
  clusterId: z.string().nullable(),
  controllerId: z.number().int().nullable(),
  brokers: z.array(
    z.strictObject({ nodeId: z.number().int(), host: z.string(), port: z.number().int(), rack: z.string().nullable() }),
  ),
  topicCount: z.number().int(),
  internalTopicCount: z.number().int(),
  partitionCount: z.number().int(),
  underReplicatedPartitions: z.number().int(),
  offlinePartitions: z.number().int(),
  consumerGroupCount: z.number().int(),
  fetchedAt: z.string(),
  /** Not null when this is the last overview fetched, shown because the cluster cannot be reached now. */
  fromCache: z.strictObject({ asOf: z.string(), reason: z.string() }).nullable(),
});
export type ClusterOverview = z.infer<typeof ClusterOverview>;

export const clusterChannels = {
  'cluster.describe': { input: z.strictObject({ id: ConnectionId }), output: ClusterDescription },
  'cluster.overview': { input: z.strictObject({ id: ConnectionId }), output: ClusterOverview },
} as const;
