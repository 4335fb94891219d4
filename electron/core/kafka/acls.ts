/**
 * ACLs through kafkajs' admin (DescribeAcls, CreateAcls and DeleteAcls v1, the versions with pattern
 * types: every broker from 2.0 to 4.x answers them). Kafka's names are mapped onto its wire numbers
 * here, so the rest of the core speaks the contract's names only; the authorizer being off
 * (SECURITY_DISABLED) and a user who may not see or change ACLs become sentences.
 */
import type {
  Admin,
  Kafka,
  AclEntry as KafkaAclEntry,
  AclFilter as KafkaAclFilter,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from 'kafkajs';
import type { AclBinding, AclBindingSpec, AclFilterSpec } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { onRawCluster, type RawBroker } from './rawCluster';

// Kafka's own numbers (org.apache.kafka.common.resource.ResourceType, acl.AclOperation, …): fixed on the wire.
const RESOURCE = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
};
const PATTERN = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 };
const OPERATION = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
};
const PERMISSION = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 };

function nameOf<T extends Record<string, number>>(table: T, n: number): keyof T {
  const found = Object.entries(table).find(([, v]) => v === n);
  return (found ? found[0] : 'UNKNOWN') as keyof T;
}

/** A binding as the contract names it, from the numbers a response carries. */
function bindingOf(r: {
  resourceType: number;
  resourceName: string;
  resourcePatternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}): AclBinding {
  const patternType = nameOf(PATTERN, r.resourcePatternType);
  const permission = nameOf(PERMISSION, r.permissionType);
  const resourceType = nameOf(RESOURCE, r.resourceType);
  const operation = nameOf(OPERATION, r.operation);
  return {
    resourceType: resourceType === 'ANY' ? 'UNKNOWN' : resourceType,
    resourceName: r.resourceName,
    patternType: patternType === 'LITERAL' || patternType === 'PREFIXED' ? patternType : 'UNKNOWN',
    principal: r.principal,
    host: r.host,
    operation: operation === 'ANY' ? 'UNKNOWN' : operation,
    permission: permission === 'ALLOW' || permission === 'DENY' ? permission : 'UNKNOWN',
  };
}

// kafkajs types these as its own enums; the numbers above are the same values
const wire = <T>(n: number) => n as T;

function filterOf(f: AclFilterSpec): KafkaAclFilter {
  return {
    resourceType: wire<AclResourceTypes>(RESOURCE[f.resourceType]),
    resourcePatternType: wire<ResourcePatternTypes>(PATTERN[f.patternType]),
    operation: wire<AclOperationTypes>(OPERATION[f.operation]),
    permissionType: wire<AclPermissionTypes>(PERMISSION[f.permission]),
    ...(f.resourceName !== undefined ? { resourceName: f.resourceName } : {}),
    ...(f.principal !== undefined ? { principal: f.principal } : {}),
    ...(f.host !== undefined ? { host: f.host } : {}),
  };
}

function entryOf(b: AclBindingSpec): KafkaAclEntry {
  return {
    resourceType: wire<AclResourceTypes>(RESOURCE[b.resourceType]),
    resourceName: b.resourceName,
    resourcePatternType: wire<ResourcePatternTypes>(PATTERN[b.patternType]),
    principal: b.principal,
    host: b.host,
    operation: wire<AclOperationTypes>(OPERATION[b.operation]),
    permissionType: wire<AclPermissionTypes>(PERMISSION[b.permission]),
  };
}

/** The broker's error type (kafkajs' name for Kafka's error code) anywhere in what was thrown. */
function brokerErrorType(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  let x: unknown = e;
  while (x && typeof x === 'object' && !seen.has(x) && seen.size < 10) {
    seen.add(x);
    const t = (x as { type?: unknown }).type;
    if (typeof t === 'string') return t;
    const c = x as { originalError?: unknown; cause?: unknown; retriedException?: unknown };
    x = c.originalError ?? c.retriedException ?? c.cause;
  }
  return undefined;
}

export const NO_AUTHORIZER = 'This cluster has no authorizer (authorizer.class.name is not set), so it keeps no ACLs.';

/** The refusals an ACL request meets as sentences; anything else goes on to the gateway's mapping. */
function aclError(e: unknown, change: boolean): unknown {
  const type = brokerErrorType(e);
  if (type === 'SECURITY_DISABLED') return new CoreError('AUTHORIZER_DISABLED', NO_AUTHORIZER, describeCause(e));
  if (type === 'CLUSTER_AUTHORIZATION_FAILED')
    return new CoreError(
      'FORBIDDEN',
      change
        ? "This connection's user may not change the cluster's ACLs: that takes ALTER on the cluster (kafka-cluster)."
        : "This connection's user may not read the cluster's ACLs: that takes DESCRIBE on the cluster (kafka-cluster).",
      describeCause(e),
    );
  if (type === 'INVALID_REQUEST')
    return new CoreError(
      'KAFKA_ERROR',
      'The broker refused these ACLs as an invalid request: check each principal (Type:name), host and resource name.',
      describeCause(e),
    );
  return e;
}

async function guarded<T>(change: boolean, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw aclError(e, change);
  }
}

/** The bindings one filter matches (DescribeAcls). */
export async function describeAcls(admin: Admin, filter: AclFilterSpec): Promise<AclBinding[]> {
  const { resources } = await guarded(false, () => admin.describeAcls(filterOf(filter)));
  return resources.flatMap((r) =>
    r.acls.map((a) =>
      bindingOf({
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        resourcePatternType: r.resourcePatternType,
        ...a,
      }),
    ),
  );
}

/** Creates the bindings in one CreateAcls request (the broker takes them all, or says why not). */
export async function createAcls(admin: Admin, bindings: AclBindingSpec[]): Promise<void> {
  await guarded(true, () => admin.createAcls({ acl: bindings.map(entryOf) }));
}

/** Deletes what the filters match (DeleteAcls); answers the bindings the broker deleted. */
export async function deleteAcls(admin: Admin, filters: AclFilterSpec[]): Promise<AclBinding[]> {
  const { filterResponses } = await guarded(true, () => admin.deleteAcls({ filters: filters.map(filterOf) }));
  return filterResponses.flatMap((f) =>
    f.matchingAcls.map((m) =>
      bindingOf({
        resourceType: m.resourceType,
        resourceName: m.resourceName,
        resourcePatternType: m.resourcePatternType,
        principal: m.principal,
        host: m.host,
        operation: m.operation,
        permissionType: m.permissionType,
      }),
    ),
  );
}

/** What a kafkajs broker (2.2.4, pinned) answers to DescribeAcls: the call the admin makes on the controller. */
interface AclBroker {
  describeAcls(filter: KafkaAclFilter): Promise<{
    resources: {
      resourceType: number;
      resourceName: string;
      resourcePatternType: number;
      acls: { principal: string; host: string; operation: number; permissionType: number }[];
    }[];
  }>;
}

/**
 * The bindings the filters match as each broker sees them, asked of every broker on its own. A
 * change reaches the brokers through the metadata log: this is how the handlers wait until every
 * broker has applied one, so that the next request, wherever it lands, agrees.
 */
export async function describeAclsOnEachBroker(kafka: Kafka, filters: AclFilterSpec[]): Promise<AclBinding[][]> {
  return onRawCluster(kafka, async (cluster) => {
    const md = await cluster.metadata();
    const seen: AclBinding[][] = [];
    for (const b of md.brokers) {
      const broker = (await cluster.findBroker({ nodeId: String(b.nodeId) })) as RawBroker & Partial<AclBroker>;
      if (typeof broker.describeAcls !== 'function')
        throw new Error('kafkajs internals changed: no broker.describeAcls');
      const found: AclBinding[] = [];
      for (const f of filters) {
        const { resources } = await guarded(false, () => broker.describeAcls!(filterOf(f)));
        for (const r of resources)
          for (const a of r.acls)
            found.push(
              bindingOf({
                resourceType: r.resourceType,
                resourceName: r.resourceName,
                resourcePatternType: r.resourcePatternType,
                ...a,
              }),
            );
      }
      seen.push(found);
    }
    return seen;
  });
}
