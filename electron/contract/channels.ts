import type { z } from 'zod';
import { aclChannels } from './acls';
import { appChannels } from './app';
import { captureChannels } from './captures';
import { clusterChannels } from './cluster';
import { configChannels } from './configs';
import { connectChannels } from './connect';
import { connectionChannels } from './connections';
import { groupChannels } from './groups';
import { listenChannels } from './listen';
import { operationChannels } from './operations';
import { presetChannels } from './presets';
import { quotaChannels } from './quotas';
import { reassignmentChannels } from './reassignment';
import { schemaChannels } from './schemas';
import { sessionChannels } from './sessions';
import { topicChannels } from './topics';
import { transactionChannels } from './transactions';
import { userChannels } from './users';

/**
 * Every request/response channel, one domain per file (`<domain>.ts` holds the `<domain>.*` channels
 * and their shapes). Names are `domain.verb`; hosts bind them all in one loop, the preload exposes
 * them as `kafkaDesk.domain.verb(input)`, the renderer's client mirrors that.
 */
export const channels = {
  ...appChannels,
  ...connectionChannels,
  ...clusterChannels,
  ...topicChannels,
  ...configChannels,
  ...groupChannels,
  ...aclChannels,
  ...userChannels,
  ...quotaChannels,
  ...reassignmentChannels,
  ...transactionChannels,
  ...operationChannels,
  ...listenChannels,
  ...sessionChannels,
  ...presetChannels,
  ...connectChannels,
  ...captureChannels,
  ...schemaChannels,
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
