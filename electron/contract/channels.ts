import { z } from 'zod';
import { adminChannels } from './admin';
import { captureChannels, sessionChannels } from './captures';
import { connectChannels } from './connect';
import { Connection, ConnectionId, ConnectionInput } from './connection';
import { importChannels } from './connectionImport';
import { operationChannels } from './operations';
import { presetChannels } from './presets';
import { DoctorReport } from './doctor';

export const HostKind = z.enum(['electron', 'web', 'cli']);
export type HostKind = z.infer<typeof HostKind>;

/** Where saved passwords and private keys are sealed, in words the window shows (the host decides). */
export const SecretStorageInfo = z.strictObject({
  kind: z.enum(['keychain', 'key-file']),
  /** e.g. "the system keychain (gnome_libsecret)", "a key file in the data folder (secret.key, 0600)" */
  detail: z.string(),
});
export type SecretStorageInfo = z.infer<typeof SecretStorageInfo>;

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  dataDir: z.string(),
  platform: z.string(),
  secretStorage: SecretStorageInfo,
});
export type AppInfo = z.infer<typeof AppInfo>;

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

export const TopicSummary = z.strictObject({
  name: z.string(),
  partitions: z.number().int().nonnegative(),
  replicationFactor: z.number().int().nonnegative(),
  internal: z.boolean(),
  /** Sum of end − start offsets over partitions (an estimate: compaction and transactions leave gaps); null when not asked for. */
  messages: z.string().nullable(),
});
export type TopicSummary = z.infer<typeof TopicSummary>;

/** Set when the cluster could not be reached and the last metadata fetched is shown instead. */
export const FromCache = z.strictObject({ asOf: z.string(), reason: z.string() });
export type FromCache = z.infer<typeof FromCache>;

export const ConnectionTestResult = z.strictObject({
  clusterId: z.string().nullable(),
  brokerCount: z.number().int(),
  controllerId: z.number().int().nullable(),
  elapsedMs: z.number(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

const byId = z.strictObject({ id: ConnectionId });
const none = z.strictObject({}).optional();

/** What a test may target: a saved connection, or the form's unsaved values (secrets kept from `id`). */
export const ConnectionTestInput = z.union([
  byId,
  z.strictObject({ connection: ConnectionInput }),
]);

/**
 * Every request/response channel. Names are `domain.verb`; hosts bind them all in one loop, the
 * preload exposes them as `kafkaDesk.domain.verb(input)`, the renderer's client mirrors that.
 */
export const channels = {
  'app.info': { input: none, output: AppInfo },
  'connections.list': { input: none, output: z.array(Connection) },
  'connections.get': { input: byId, output: Connection },
  'connections.save': { input: ConnectionInput, output: Connection },
  'connections.delete': { input: byId, output: z.strictObject({ deleted: z.boolean() }) },
  'connections.test': { input: ConnectionTestInput, output: ConnectionTestResult },
  'connections.doctor': { input: ConnectionTestInput, output: DoctorReport },
  'cluster.describe': { input: byId, output: ClusterDescription },
  'topics.list': {
    input: z.strictObject({ id: ConnectionId, includeInternal: z.boolean().default(true), withCounts: z.boolean().default(false) }),
    output: z.strictObject({ topics: z.array(TopicSummary), fetchedAt: z.string(), fromCache: FromCache.nullable() }),
  },
  ...adminChannels,
  ...importChannels,
  ...operationChannels,
  ...presetChannels,
  ...connectChannels,
  ...captureChannels,
  ...sessionChannels,
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export const channelNames = Object.keys(channels) as ChannelName[];
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelInputParsed<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

/** Largest serialized request a host accepts (uploads of PEM files included). */
export const MAX_REQUEST_BYTES = 48 * 1024 * 1024;

/**
 * Largest answer (its JSON, UTF-8) `dispatch` hands back to a host; larger ones are refused with
 * PAYLOAD_TOO_LARGE, and what can be large pages instead. A window keeps what it is sent, and
 * browser mode makes every answer one JSON string: V8 cannot build a string of more than ~2^29
 * characters (~512 Mi), and a JSON text of 256 MiB has at most 256 Mi characters, so any answer
 * under this limit can be sent, with room to spare.
 */
export const MAX_REPLY_BYTES = 256 * 1024 * 1024;
