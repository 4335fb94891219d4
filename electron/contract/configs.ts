import { z } from 'zod';
import { ConnectionId } from './connection';
import { TopicName } from './topics';

/**
 * The configs domain: a topic's, one broker's, or the cluster-wide default broker configs, each with
 * where its value comes from and whether it can change, and changes one key at a time (Kafka's
 * IncrementalAlterConfigs: setting or deleting a key never rewrites the others). A sensitive value
 * (a password, a key) is never in an answer: the broker does not send it, and the core clears it.
 */

/** Kafka's config names: letters, digits, `.`, `_` and `-` (listener-prefixed ones included). */
export const ConfigName = z
  .string()
  .min(1, 'a config name is needed')
  .max(255, 'at most 255 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, ".", "_" and "-"')
  // an object's own names: a key that would become the prototype of the change's map, or shadow it
  .refine((s) => !['__proto__', 'constructor', 'prototype'].includes(s), 'not a config name');

export const BrokerId = z.number().int().min(0).max(2_147_483_647);

/** Whose configs: a topic, one broker (by node id), or the default every broker of the cluster takes. */
export const ConfigResource = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('topic'), name: TopicName }),
  z.strictObject({ type: z.literal('broker'), brokerId: BrokerId }),
  z.strictObject({ type: z.literal('cluster-default') }),
]);
export type ConfigResource = z.infer<typeof ConfigResource>;

/** Where a value comes from, in Kafka's words (DescribeConfigs' ConfigSource). */
export const CONFIG_SOURCES = [
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
  'UNKNOWN',
] as const;
export const ConfigSource = z.enum(CONFIG_SOURCES);
export type ConfigSource = z.infer<typeof ConfigSource>;

/** A config's type (DescribeConfigs v3+, Kafka 2.6 on). */
export const CONFIG_TYPES = [
  'BOOLEAN',
  'STRING',
  'INT',
  'SHORT',
  'LONG',
  'DOUBLE',
  'LIST',
  'CLASS',
  'PASSWORD',
  'UNKNOWN',
] as const;
export const ConfigType = z.enum(CONFIG_TYPES);
export type ConfigType = z.infer<typeof ConfigType>;

export const ConfigSynonym = z.strictObject({
  name: z.string(),
  /** null when the config is sensitive */
  value: z.string().nullable(),
  source: ConfigSource,
});
export type ConfigSynonym = z.infer<typeof ConfigSynonym>;

export const DescribedConfig = z.strictObject({
  name: z.string(),
  /** null for a sensitive config (never sent on, whatever the broker answered) or one without a value */
  value: z.string().nullable(),
  source: ConfigSource,
  /**
   * The broker cannot change it while running: a broker config that is not dynamic (set in its
   * properties file and read at start), or one Kafka never lets a client change.
   */
  readOnly: z.boolean(),
  sensitive: z.boolean(),
  /** null from brokers before Kafka 2.6 (DescribeConfigs v3) */
  type: ConfigType.nullable(),
  /** Kafka's own description; only when asked for, and from Kafka 2.6 on */
  documentation: z.string().nullable(),
  /**
   * The values this one takes the place of, most preferred first: under a broker's own value, the
   * cluster default, then the broker's properties file, then Kafka's default.
   */
  synonyms: z.array(ConfigSynonym),
});
export type DescribedConfig = z.infer<typeof DescribedConfig>;

export const ConfigsDescribeInput = z.strictObject({
  id: ConnectionId,
  resource: ConfigResource,
  /** Kafka's description of each config (a larger answer). */
  documentation: z.boolean().default(false),
});

export const ConfigsDescription = z.strictObject({
  resource: ConfigResource,
  configs: z.array(DescribedConfig),
  /** The DescribeConfigs version the broker and Kafka Desk agreed on (before 3: no type or documentation). */
  version: z.number().int(),
  fetchedAt: z.string(),
});
export type ConfigsDescription = z.infer<typeof ConfigsDescription>;

const MAX_CHANGES = 200;

export const ConfigsAlterInput = z
  .strictObject({
    id: ConnectionId,
    resource: ConfigResource,
    /** Keys to set, each to its value (IncrementalAlterConfigs' SET). */
    set: z.record(ConfigName, z.string().max(64 * 1024, 'at most 64 KiB')).default({}),
    /** Keys to remove from this resource, so the value under it applies again (DELETE). */
    delete: z.array(ConfigName).max(MAX_CHANGES).default([]),
    /** The broker checks the change and applies nothing. */
    validateOnly: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const set = Object.keys(v.set);
    if (set.length > MAX_CHANGES)
      ctx.addIssue({ code: 'custom', path: ['set'], message: `at most ${MAX_CHANGES} keys at once` });
    if (set.length + v.delete.length === 0)
      ctx.addIssue({ code: 'custom', path: ['set'], message: 'nothing to change: set or delete at least one key' });
    for (const k of v.delete)
      if (Object.prototype.hasOwnProperty.call(v.set, k))
        ctx.addIssue({ code: 'custom', path: ['delete'], message: `'${k}' is both set and deleted` });
  });
export type ConfigsAlterInput = z.input<typeof ConfigsAlterInput>;

export const ConfigsAlterResult = z.strictObject({
  resource: ConfigResource,
  validateOnly: z.boolean(),
  /**
   * IncrementalAlterConfigs, or — on brokers before Kafka 2.3, which lack it — AlterConfigs with the
   * resource's current values read first and sent back with the change (the note says so).
   */
  via: z.enum(['IncrementalAlterConfigs', 'AlterConfigs']),
  set: z.array(z.string()),
  deleted: z.array(z.string()),
  note: z.string().nullable(),
  /** The resource's configs after the change (as they were, after a validation). */
  configs: z.array(DescribedConfig),
  fetchedAt: z.string(),
});
export type ConfigsAlterResult = z.infer<typeof ConfigsAlterResult>;

export const configChannels = {
  'configs.describe': { input: ConfigsDescribeInput, output: ConfigsDescription },
  'configs.alter': { input: ConfigsAlterInput, output: ConfigsAlterResult },
} as const;

/** How a screen or the command line names a resource: "topic orders", "broker 1", "the cluster default". */
export function resourceLabel(r: ConfigResource): string {
  if (r.type === 'topic') return `topic '${r.name}'`;
  if (r.type === 'broker') return `broker ${r.brokerId}`;
  return 'the cluster-wide broker default';
}
