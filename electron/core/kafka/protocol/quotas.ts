/**
 * Client quotas over kafkajs' connections (./quotasCodecs.ts), v0 or v1 as the broker's ApiVersions
 * allow. Any broker answers both, as Kafka's own admin client sends them to the least loaded one (a
 * ZooKeeper broker writes the change itself; a KRaft broker forwards it to the controller quorum).
 * The contract's entities (user, clientId, ip; null the default) are mapped onto Kafka's wire names here.
 */
import {
  QUOTA_ENTITY_TYPES,
  sortQuotaEntries,
  type QuotaAlterationSpec,
  type QuotaEntity,
  type QuotaEntityKind,
  type QuotaEntry,
  type QuotaFilterSpec,
} from '../../../contract';
import { CoreError } from '../../coreError';
import type { RawBroker, RawCluster } from '../rawCluster';
import {
  ALTER_CLIENT_QUOTAS,
  alterQuotasCall,
  DESCRIBE_CLIENT_QUOTAS,
  describeQuotasCall,
  MATCH_TYPE,
  type WireEntity,
} from './quotasCodecs';
import { anyBroker, said } from './scram';
import { brokerError, negotiate, sendFlexible } from './transport';

const KINDS = Object.keys(QUOTA_ENTITY_TYPES) as QuotaEntityKind[];
const KIND_OF_TYPE = new Map<string, QuotaEntityKind>(KINDS.map((k) => [QUOTA_ENTITY_TYPES[k], k]));

// Kafka's error codes these APIs answer with
const INVALID_REQUEST = 42;
const UNSUPPORTED_VERSION = 35;

export const QUOTAS_UNAVAILABLE =
  'needs Kafka 2.6 or later (KIP-546). On an older cluster quotas are managed with kafka-configs --zookeeper … --entity-type users / clients';

export function entityToWire(e: QuotaEntity): WireEntity[] {
  return KINDS.filter((k) => e[k] !== undefined).map((k) => ({
    entityType: QUOTA_ENTITY_TYPES[k],
    entityName: e[k] ?? null,
  }));
}

/** null for an entity of a kind this app does not know (a newer broker's). */
export function entityFromWire(parts: WireEntity[]): QuotaEntity | null {
  const found = new Map<QuotaEntityKind, string | null>();
  for (const p of parts) {
    const kind = KIND_OF_TYPE.get(p.entityType);
    if (!kind || found.has(kind)) return null;
    found.set(kind, p.entityName);
  }
  if (!found.size) return null;
  // the contract's order (user, clientId, ip), whatever order the broker wrote them in
  const e: QuotaEntity = {};
  for (const k of KINDS) if (found.has(k)) e[k] = found.get(k)!;
  return e;
}

function quotaError(code: number, message: string | null, what: string, path?: string): Error {
  const why = said(message);
  const detail = `error ${code}${why ? `: ${why}` : ''}`;
  if (code === INVALID_REQUEST)
    return new CoreError(
      'INVALID_INPUT',
      `Kafka refused ${what}${why ? `: ${why}` : ''}.`,
      detail,
      path ? [{ path, message: why || 'refused by the broker' }] : undefined,
    );
  if (code === UNSUPPORTED_VERSION)
    return new CoreError(
      'KAFKA_ERROR',
      `The broker cannot do ${what}${why ? `: ${why}` : ''} (an older Kafka: the ip entity and controller_mutation_rate came with 2.7).`,
      detail,
    );
  return brokerError(code, message);
}

async function quotaBroker(cluster: RawCluster, api: typeof DESCRIBE_CLIENT_QUOTAS | typeof ALTER_CLIENT_QUOTAS) {
  const broker: RawBroker = await anyBroker(cluster);
  const version = negotiate(broker, api.apiKey, api);
  if (version === null)
    throw new CoreError(
      'KAFKA_ERROR',
      `Broker ${String(broker.nodeId)} does not offer ${api.apiName}: client quotas ${QUOTAS_UNAVAILABLE}.`,
      `ApiVersions of broker ${String(broker.nodeId)} has no ${api.apiName}`,
    );
  return { broker, version };
}

/** The entities the filter matches, with their quotas, sorted; entities of kinds this app does not know are left out. */
export async function describeQuotas(cluster: RawCluster, filter: QuotaFilterSpec): Promise<QuotaEntry[]> {
  const { broker, version } = await quotaBroker(cluster, DESCRIBE_CLIENT_QUOTAS);
  const components = KINDS.flatMap((k) => {
    const m = filter[k];
    if (!m) return [];
    return [
      {
        entityType: QUOTA_ENTITY_TYPES[k],
        matchType: MATCH_TYPE[m.match],
        match: m.match === 'exact' ? m.name : null,
      },
    ];
  });
  const res = await sendFlexible(broker, describeQuotasCall(version, { components, strict: filter.strict }));
  if (res.errorCode !== 0) throw quotaError(res.errorCode, res.errorMessage, 'the quota filter', 'filter');
  const entries: QuotaEntry[] = [];
  for (const e of res.entries ?? []) {
    const entity = entityFromWire(e.entity);
    if (!entity) continue;
    const values: Record<string, number> = {};
    for (const v of e.values) if (Number.isFinite(v.value)) values[v.key] = v.value;
    entries.push({ entity, values });
  }
  return sortQuotaEntries(entries);
}

/** One AlterClientQuotas for every entry; the first entity refused becomes the sentence (its path named). */
export async function alterQuotas(
  cluster: RawCluster,
  entries: QuotaAlterationSpec[],
  validateOnly: boolean,
): Promise<void> {
  const { broker, version } = await quotaBroker(cluster, ALTER_CLIENT_QUOTAS);
  const wire = entries.map((a) => ({
    entity: entityToWire(a.entity),
    ops: [
      ...Object.entries(a.set)
        .filter((kv): kv is [string, number] => kv[1] !== undefined)
        .map(([key, value]) => ({ key, value, remove: false })),
      ...a.remove.map((key) => ({ key, value: 0, remove: true })),
    ],
  }));
  const res = await sendFlexible(broker, alterQuotasCall(version, { entries: wire, validateOnly }));
  for (const r of res.entries) {
    if (r.errorCode === 0) continue;
    const entity = entityFromWire(r.entity);
    const key = entity ? JSON.stringify(entityToWire(entity)) : null;
    const at = key === null ? -1 : wire.findIndex((w) => JSON.stringify(w.entity) === key);
    const label = entity ? `the quota change for ${describeEntity(entity)}` : 'the quota change';
    throw quotaError(r.errorCode, r.errorMessage, label, at >= 0 ? `entries.${at}` : undefined);
  }
}

const describeEntity = (e: QuotaEntity): string =>
  entityToWire(e)
    .map((p) => (p.entityName === null ? `the default ${p.entityType}` : `${p.entityType} '${p.entityName}'`))
    .join(' and ');
