import { z } from 'zod';
import { ConnectionId } from './connection';

/**
 * The ACLs domain: the bindings a cluster's authorizer keeps (a resource pattern and an access entry),
 * listed by a filter, created, and deleted by a filter after a preview. Names are Kafka's own, as
 * `kafka-acls` and the Java AdminClient spell them. The recipes ("producer for topic T", "consumer of T
 * in group G") are expanded here, in one pure function every host shares, into the bindings a user
 * sees before anything is created.
 */

/** Resource types Kafka Desk filters by and creates (Kafka's ResourceType, without ANY and UNKNOWN). */
export const ACL_RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID', 'DELEGATION_TOKEN'] as const;
export const AclResourceType = z.enum(ACL_RESOURCE_TYPES);
export type AclResourceType = z.infer<typeof AclResourceType>;

/** Operations Kafka Desk filters by and creates (Kafka's AclOperation, without ANY and UNKNOWN). */
export const ACL_OPERATIONS = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
] as const;
export const AclOperation = z.enum(ACL_OPERATIONS);
export type AclOperation = z.infer<typeof AclOperation>;

/** How a binding's resource name applies: to that one name, or to every name that starts with it. */
export const AclPatternType = z.enum(['LITERAL', 'PREFIXED']);
export type AclPatternType = z.infer<typeof AclPatternType>;
export const AclPermission = z.enum(['ALLOW', 'DENY']);
export type AclPermission = z.infer<typeof AclPermission>;

/** The name Kafka's authorizer gives the one CLUSTER resource. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

/**
 * Which operations mean something on which resource type (kafka-acls' own table): any other is
 * stored by the broker but never consulted, so Kafka Desk refuses it.
 */
export const OPERATIONS_BY_RESOURCE: Record<AclResourceType, readonly AclOperation[]> = {
  TOPIC: ['READ', 'WRITE', 'CREATE', 'DESCRIBE', 'DELETE', 'ALTER', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'ALL'],
  GROUP: ['READ', 'DESCRIBE', 'DELETE', 'ALL'],
  CLUSTER: [
    'CREATE',
    'CLUSTER_ACTION',
    'DESCRIBE_CONFIGS',
    'ALTER_CONFIGS',
    'IDEMPOTENT_WRITE',
    'ALTER',
    'DESCRIBE',
    'ALL',
  ],
  TRANSACTIONAL_ID: ['DESCRIBE', 'WRITE', 'ALL'],
  DELEGATION_TOKEN: ['DESCRIBE', 'ALL'],
};

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A name in a binding: shown in a terminal and a table, so no control or bidi characters. */
const AclText = z
  .string()
  .min(1, 'cannot be empty')
  .max(1000, 'at most 1000 characters')
  .refine((s) => !CONTROL.test(s), 'no control or bidi characters');

/** `Type:name`, e.g. User:alice, User:* (every user), or a certificate's User:CN=app,O=Example. */
export const AclPrincipal = AclText.refine(
  (s) => /^[A-Za-z][A-Za-z0-9_.-]*:.+$/s.test(s),
  'write it as Type:name, e.g. User:alice (User:* for every user)',
);

/** `*` (every host) or an IP address, as the broker compares it with the client's address. */
export const AclHost = AclText.refine(
  (s) => s === '*' || /^(\d{1,3}\.){3}\d{1,3}$/.test(s) || (s.includes(':') && /^[0-9A-Fa-f:.]+$/.test(s)),
  'an IP address, or * for every host (Kafka compares addresses, not host names)',
);

/** Kafka's characters for topic names: a prefix of topics is made of them too. */
const TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;

/** One binding to create: checked as Kafka's authorizer would use it, each problem named at its field. */
export const AclBindingInput = z
  .strictObject({
    resourceType: AclResourceType,
    resourceName: AclText,
    patternType: AclPatternType.default('LITERAL'),
    principal: AclPrincipal,
    host: AclHost.default('*'),
    operation: AclOperation,
    permission: AclPermission.default('ALLOW'),
  })
  .superRefine((b, ctx) => {
    const at = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!OPERATIONS_BY_RESOURCE[b.resourceType].includes(b.operation))
      at(
        'operation',
        `${b.operation} does not apply to a ${b.resourceType}; one of ${OPERATIONS_BY_RESOURCE[b.resourceType].join(', ')}`,
      );
    if (b.resourceType === 'CLUSTER') {
      if (b.resourceName !== CLUSTER_RESOURCE_NAME) at('resourceName', `the cluster is named ${CLUSTER_RESOURCE_NAME}`);
      if (b.patternType !== 'LITERAL') at('patternType', 'the cluster takes a LITERAL pattern');
      return;
    }
    if (b.resourceName === '*' && b.patternType === 'PREFIXED')
      at('patternType', "* means every name only as a LITERAL; as a prefix it matches names that start with '*'");
    if (b.resourceType === 'TOPIC' && b.resourceName !== '*') {
      if (!TOPIC_CHARS.test(b.resourceName) || b.resourceName.length > 249)
        at('resourceName', 'topic names have at most 249 letters, digits, ".", "_" and "-" (or * for every topic)');
    }
  });
export type AclBindingInput = z.input<typeof AclBindingInput>;
export type AclBindingSpec = z.output<typeof AclBindingInput>;

/**
 * A binding as the broker lists it. A newer broker may name resource types and operations this app
 * does not create (USER, CREATE_TOKENS …): they are shown by name.
 */
export const AclBinding = z.strictObject({
  resourceType: z.enum([...ACL_RESOURCE_TYPES, 'USER', 'UNKNOWN']),
  resourceName: z.string(),
  patternType: z.enum(['LITERAL', 'PREFIXED', 'UNKNOWN']),
  principal: z.string(),
  host: z.string(),
  operation: z.enum([...ACL_OPERATIONS, 'CREATE_TOKENS', 'DESCRIBE_TOKENS', 'UNKNOWN']),
  permission: z.enum(['ALLOW', 'DENY', 'UNKNOWN']),
});
export type AclBinding = z.infer<typeof AclBinding>;

/**
 * Which bindings to list or delete; a field left out matches anything. The pattern type MATCH is
 * Kafka's "every binding that applies to this name": the literal one, `*`, and the prefixes of it.
 */
export const AclFilter = z.strictObject({
  principal: AclPrincipal.optional(),
  host: AclText.optional(),
  resourceType: z.enum(['ANY', ...ACL_RESOURCE_TYPES]).default('ANY'),
  resourceName: AclText.optional(),
  patternType: z.enum(['ANY', 'MATCH', 'LITERAL', 'PREFIXED']).default('ANY'),
  operation: z.enum(['ANY', ...ACL_OPERATIONS]).default('ANY'),
  permission: z.enum(['ANY', 'ALLOW', 'DENY']).default('ANY'),
});
export type AclFilterInput = z.input<typeof AclFilter>;
export type AclFilterSpec = z.output<typeof AclFilter>;

const conn = { id: ConnectionId };

export const aclChannels = {
  /** The bindings the filter matches, sorted by resource, principal and operation. */
  'acls.list': {
    input: z.strictObject({ ...conn, filter: AclFilter.prefault({}) }),
    output: z.strictObject({ bindings: z.array(AclBinding), fetchedAt: z.string() }),
  },
  /** Creates the bindings; `existing` are those the cluster already had (creating one again changes nothing). */
  'acls.create': {
    input: z.strictObject({ ...conn, bindings: z.array(AclBindingInput).min(1).max(200) }),
    output: z.strictObject({ created: z.array(AclBinding), existing: z.array(AclBinding) }),
  },
  /**
   * With `dryRun` (the default) the bindings the filters match, nothing deleted: the preview. Without,
   * the bindings deleted. The window deletes exactly what it previewed (one exact filter per binding).
   */
  'acls.delete': {
    input: z.strictObject({ ...conn, filters: z.array(AclFilter).min(1).max(200), dryRun: z.boolean().default(true) }),
    output: z.strictObject({ dryRun: z.boolean(), bindings: z.array(AclBinding) }),
  },
} as const;

// --- pure helpers every host shares

/** What a person types for a principal: a bare name is a user (`alice` → `User:alice`). */
export function principalOf(text: string): string {
  const t = text.trim();
  return !t || /^[A-Za-z][A-Za-z0-9_.-]*:/.test(t) ? t : `User:${t}`;
}

/**
 * The filter that matches exactly this binding and no other; null for one this app cannot name in a
 * filter (a resource type or operation of a newer broker).
 */
export function exactFilter(b: AclBinding): AclFilterSpec | null {
  const is = <T extends string>(v: string, all: readonly T[]): v is T => (all as readonly string[]).includes(v);
  const { resourceType, patternType, operation, permission } = b;
  if (
    !is(resourceType, ACL_RESOURCE_TYPES) ||
    !is(patternType, AclPatternType.options) ||
    !is(operation, ACL_OPERATIONS) ||
    !is(permission, AclPermission.options)
  )
    return null;
  return {
    resourceType,
    resourceName: b.resourceName,
    patternType,
    principal: b.principal,
    host: b.host,
    operation,
    permission,
  };
}

/** One line per binding, for row keys and comparing sets. */
export const bindingKey = (b: AclBinding | AclBindingSpec): string =>
  [b.resourceType, b.patternType, b.resourceName, b.principal, b.host, b.operation, b.permission].join('\u0000');

const ORDER = (b: AclBinding) => [b.resourceType, b.resourceName, b.patternType, b.principal, b.host, b.operation];
/** Bindings in the order they are listed: by resource, then principal, host and operation. */
export function sortBindings<T extends AclBinding>(list: T[]): T[] {
  return [...list].sort((a, b) => {
    const x = ORDER(a);
    const y = ORDER(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return a.permission < b.permission ? -1 : a.permission > b.permission ? 1 : 0;
  });
}

/**
 * The two recipes kafka-acls has (`--producer`, `--consumer`), each name literal or a prefix:
 * - producer for topic T: WRITE, DESCRIBE and CREATE on T; with `idempotent`, IDEMPOTENT_WRITE on the
 *   cluster (brokers before 2.8 need it for an idempotent producer; later ones accept WRITE on a topic);
 *   with a transactional id, WRITE and DESCRIBE on it;
 * - consumer of T in group G: READ and DESCRIBE on T, READ on G.
 */
export const AclRecipe = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('producer'),
    principal: AclPrincipal,
    host: AclHost.default('*'),
    topic: AclText,
    topicPattern: AclPatternType.default('LITERAL'),
    idempotent: z.boolean().default(false),
    transactionalId: AclText.optional(),
    transactionalIdPattern: AclPatternType.default('LITERAL'),
    permission: AclPermission.default('ALLOW'),
  }),
  z.strictObject({
    kind: z.literal('consumer'),
    principal: AclPrincipal,
    host: AclHost.default('*'),
    topic: AclText,
    topicPattern: AclPatternType.default('LITERAL'),
    group: AclText,
    groupPattern: AclPatternType.default('LITERAL'),
    permission: AclPermission.default('ALLOW'),
  }),
]);
export type AclRecipeInput = z.input<typeof AclRecipe>;
export type AclRecipeSpec = z.output<typeof AclRecipe>;

/** A recipe's bindings, in the order they are shown and created. */
export function expandRecipe(recipe: AclRecipeSpec): AclBindingSpec[] {
  const entry = { principal: recipe.principal, host: recipe.host, permission: recipe.permission };
  const on = (
    resourceType: AclResourceType,
    resourceName: string,
    patternType: AclPatternType,
    operations: AclOperation[],
  ): AclBindingSpec[] =>
    operations.map((operation) => ({ resourceType, resourceName, patternType, operation, ...entry }));
  if (recipe.kind === 'consumer')
    return [
      ...on('TOPIC', recipe.topic, recipe.topicPattern, ['READ', 'DESCRIBE']),
      ...on('GROUP', recipe.group, recipe.groupPattern, ['READ']),
    ];
  return [
    ...on('TOPIC', recipe.topic, recipe.topicPattern, ['WRITE', 'DESCRIBE', 'CREATE']),
    ...(recipe.idempotent ? on('CLUSTER', CLUSTER_RESOURCE_NAME, 'LITERAL', ['IDEMPOTENT_WRITE']) : []),
    ...(recipe.transactionalId
      ? on('TRANSACTIONAL_ID', recipe.transactionalId, recipe.transactionalIdPattern, ['WRITE', 'DESCRIBE'])
      : []),
  ];
}
