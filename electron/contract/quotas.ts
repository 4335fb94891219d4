import { z } from 'zod';
import { ConnectionId } from './connection';

/**
 * The client quotas domain (KIP-546): the rates a cluster holds users, client ids and IP addresses
 * to, listed by a filter and changed one key at a time (setting or removing a key leaves the entity's
 * other keys as they are). An entity is a user, a client id, a user with a client id, or an IP
 * address; a name of null is the default for that kind ("every user without a quota of its own").
 * Names are Kafka's own, as `kafka-configs` and the Java AdminClient spell them.
 */

export const QUOTA_KEYS = [
  'producer_byte_rate',
  'consumer_byte_rate',
  'request_percentage',
  'controller_mutation_rate',
  'connection_creation_rate',
] as const;
export const QuotaKey = z.enum(QUOTA_KEYS);
export type QuotaKey = z.infer<typeof QuotaKey>;

/** What each key means and which entities take it (Kafka's QuotaConfigs). */
export const QUOTA_KEY_INFO: Record<
  QuotaKey,
  { for: 'client' | 'ip'; integer: boolean; unit: string; about: string; since: string }
> = {
  producer_byte_rate: {
    for: 'client',
    integer: true,
    unit: 'bytes/s',
    about: 'bytes a second the entity may produce, on each broker',
    since: '2.6',
  },
  consumer_byte_rate: {
    for: 'client',
    integer: true,
    unit: 'bytes/s',
    about: 'bytes a second the entity may fetch, on each broker',
    since: '2.6',
  },
  request_percentage: {
    for: 'client',
    integer: false,
    unit: '%',
    about: "percent of one request thread's time in each quota window, on each broker",
    since: '2.6',
  },
  controller_mutation_rate: {
    for: 'client',
    integer: false,
    unit: 'partitions/s',
    about: 'partitions a second the entity may create, add or delete (KIP-599)',
    since: '2.7',
  },
  connection_creation_rate: {
    for: 'ip',
    integer: true,
    unit: 'connections/s',
    about: 'new connections a second from the address, on each broker (KIP-612)',
    since: '2.7',
  },
};

/** The entity kinds, as Kafka names them on the wire. */
export const QUOTA_ENTITY_TYPES = { user: 'user', clientId: 'client-id', ip: 'ip' } as const;
export type QuotaEntityKind = keyof typeof QUOTA_ENTITY_TYPES;

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A user or client id: shown in a terminal and a table, so no control or bidi characters. */
export const QuotaEntityName = z
  .string()
  .min(1, 'cannot be empty (leave it out, or ask for the default)')
  .max(1000, 'at most 1000 characters')
  .refine((s) => !CONTROL.test(s), 'no control or bidi characters');

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Kafka takes an IP address for the ip entity, never a host name. */
export const QuotaIp = z
  .string()
  .max(45, 'an IP address')
  .refine(
    (s) => IPV4.test(s) || (s.includes(':') && /^[0-9A-Fa-f:.]+$/.test(s)),
    'an IP address such as 10.0.0.5 (Kafka takes addresses, not host names)',
  );

/**
 * One entity: a user, a client id, both, or an IP address. null is the kind's default; a field left
 * out is not part of the entity.
 */
export const QuotaEntity = z
  .strictObject({
    user: QuotaEntityName.nullable().optional(),
    clientId: QuotaEntityName.nullable().optional(),
    ip: QuotaIp.nullable().optional(),
  })
  .superRefine((e, ctx) => {
    const has = (k: QuotaEntityKind) => e[k] !== undefined;
    if (!has('user') && !has('clientId') && !has('ip'))
      ctx.addIssue({ code: 'custom', message: 'name a user, a client id or an IP address (null: the default)' });
    if (has('ip') && (has('user') || has('clientId')))
      ctx.addIssue({ code: 'custom', path: ['ip'], message: 'an IP address is an entity on its own' });
  });
export type QuotaEntity = z.infer<typeof QuotaEntity>;

const positive = (what: string) =>
  z
    .number()
    .refine(Number.isFinite, 'a finite number')
    .refine((n) => n > 0, `above 0 (remove the key to lift the ${what})`);
const whole = (what: string, max: number) =>
  positive(what)
    .refine(Number.isInteger, 'a whole number')
    .refine((n) => n <= max, `at most ${max}`);

/** Values to set: each key checked as Kafka's quota configs type it. */
export const QuotaValuesInput = z.strictObject({
  producer_byte_rate: whole('quota', Number.MAX_SAFE_INTEGER).optional(),
  consumer_byte_rate: whole('quota', Number.MAX_SAFE_INTEGER).optional(),
  request_percentage: positive('quota').optional(),
  controller_mutation_rate: positive('quota').optional(),
  connection_creation_rate: whole('quota', 2147483647).optional(),
});
export type QuotaValuesInput = z.infer<typeof QuotaValuesInput>;

/** Values as the broker lists them: its keys (a newer broker may have more), each a number. */
export const QuotaValues = z.record(z.string(), z.number());
export type QuotaValues = z.infer<typeof QuotaValues>;

export const QuotaEntry = z.strictObject({ entity: QuotaEntity, values: QuotaValues });
export type QuotaEntry = z.infer<typeof QuotaEntry>;

/** Which entities of one kind a filter takes: one name, the default, or any (named or default). */
export const QuotaMatch = z.discriminatedUnion('match', [
  z.strictObject({ match: z.literal('exact'), name: QuotaEntityName }),
  z.strictObject({ match: z.literal('default') }),
  z.strictObject({ match: z.literal('any') }),
]);
export type QuotaMatch = z.infer<typeof QuotaMatch>;

/**
 * Kafka's filter: a condition per kind given. `strict`: only entities of exactly those kinds (a user
 * filter then leaves out user-and-client-id entities). No condition and not strict: every entity.
 */
export const QuotaFilter = z.strictObject({
  user: QuotaMatch.optional(),
  clientId: QuotaMatch.optional(),
  ip: QuotaMatch.optional(),
  strict: z.boolean().default(false),
});
export type QuotaFilterInput = z.input<typeof QuotaFilter>;
export type QuotaFilterSpec = z.output<typeof QuotaFilter>;

/** Which entity kind a key is for. */
export const keyAppliesTo = (key: QuotaKey, entity: QuotaEntity): boolean =>
  QUOTA_KEY_INFO[key].for === (entity.ip !== undefined ? 'ip' : 'client');

/** One entity's change: keys to set, keys to remove; every other key stays as it is. */
export const QuotaAlteration = z
  .strictObject({
    entity: QuotaEntity,
    set: QuotaValuesInput.default({}),
    remove: z.array(QuotaKey).max(QUOTA_KEYS.length).default([]),
  })
  .superRefine((a, ctx) => {
    const set = Object.keys(a.set) as QuotaKey[];
    if (!set.length && !a.remove.length) ctx.addIssue({ code: 'custom', message: 'set or remove at least one key' });
    const ipEntity = a.entity.ip !== undefined;
    for (const k of set)
      if (!keyAppliesTo(k, a.entity))
        ctx.addIssue({
          code: 'custom',
          path: ['set', k],
          message: ipEntity ? 'an IP address takes connection_creation_rate only' : 'only an IP address takes this key',
        });
    a.remove.forEach((k, i) => {
      if (!keyAppliesTo(k, a.entity))
        ctx.addIssue({
          code: 'custom',
          path: ['remove', i],
          message: ipEntity ? 'an IP address takes connection_creation_rate only' : 'only an IP address takes this key',
        });
      if (set.includes(k)) ctx.addIssue({ code: 'custom', path: ['remove', i], message: 'both set and removed' });
      if (a.remove.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: ['remove', i], message: 'named twice' });
    });
  });
export type QuotaAlterationInput = z.input<typeof QuotaAlteration>;
export type QuotaAlterationSpec = z.output<typeof QuotaAlteration>;

const conn = { id: ConnectionId };

export const quotaChannels = {
  /** The entities the filter matches, with their quotas, sorted by kind and name (defaults first). */
  'quotas.list': {
    input: z.strictObject({ ...conn, filter: QuotaFilter.prefault({}) }),
    output: z.strictObject({ entries: z.array(QuotaEntry), fetchedAt: z.string() }),
  },
  /**
   * Sets and removes keys, each entity on its own. With `validateOnly` the broker checks the change
   * and nothing is changed (`after` is then what it would be); without, `after` is as the cluster
   * lists it afterwards.
   */
  'quotas.alter': {
    input: z.strictObject({
      ...conn,
      entries: z
        .array(QuotaAlteration)
        .min(1)
        .max(100)
        .superRefine((list, ctx) => {
          const seen = new Set<string>();
          list.forEach((a, i) => {
            const k = entityKey(a.entity);
            if (seen.has(k))
              ctx.addIssue({ code: 'custom', path: [i, 'entity'], message: 'the same entity twice: one change each' });
            seen.add(k);
          });
        }),
      validateOnly: z.boolean().default(false),
    }),
    output: z.strictObject({
      validateOnly: z.boolean(),
      entries: z.array(z.strictObject({ entity: QuotaEntity, before: QuotaValues, after: QuotaValues })),
    }),
  },
} as const;

// --- pure helpers every host shares

const kinds: QuotaEntityKind[] = ['user', 'clientId', 'ip'];

/** One line per entity, for row keys and comparing. */
export const entityKey = (e: QuotaEntity): string =>
  kinds.map((k) => (e[k] === undefined ? '-' : e[k] === null ? '*' : `=${e[k]}`)).join('\u0000');

/** How a person reads an entity: `user alice`, `default user`, `client id c of user alice`, `ip 10.0.0.5`. */
export function entityLabel(e: QuotaEntity): string {
  const part = (k: QuotaEntityKind, what: string) =>
    e[k] === undefined ? null : e[k] === null ? `default ${what}` : `${what} ${e[k]}`;
  const user = part('user', 'user');
  const client = part('clientId', 'client id');
  const ip = part('ip', 'ip');
  if (ip) return ip;
  if (user && client) return `${client} of ${user}`;
  return (user ?? client)!;
}

/** Entities in the order they are listed: users, user and client id, client ids, IPs; defaults first, then by name. */
export function sortQuotaEntries<T extends { entity: QuotaEntity }>(list: T[]): T[] {
  const rank = (e: QuotaEntity) =>
    e.ip !== undefined ? 3 : e.user !== undefined && e.clientId !== undefined ? 1 : e.user !== undefined ? 0 : 2;
  const name = (v: string | null | undefined) => (v === undefined ? '' : v === null ? '\u0000' : `\u0001${v}`);
  return [...list].sort((a, b) => {
    const d = rank(a.entity) - rank(b.entity);
    if (d) return d;
    for (const k of kinds) {
      const x = name(a.entity[k]);
      const y = name(b.entity[k]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

/** What an entity's values become after a change: the keys set replaced, the keys removed gone, the rest kept. */
export function applyAlteration(values: QuotaValues, a: Pick<QuotaAlterationSpec, 'set' | 'remove'>): QuotaValues {
  const out: QuotaValues = { ...values };
  for (const [k, v] of Object.entries(a.set)) if (v !== undefined) out[k] = v;
  for (const k of a.remove) delete out[k];
  return out;
}
