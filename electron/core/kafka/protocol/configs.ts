/**
 * Configs of a topic, a broker or the cluster-wide broker default, read and changed over kafkajs'
 * connections with the codecs of ./configsCodec.ts, at the versions each broker offers: a broker's
 * own configs from that broker (only it can tell its static values), the rest from any broker (a
 * KRaft broker forwards a change to the controller; a ZooKeeper-era one writes it itself).
 */
import {
  resourceLabel,
  type ConfigResource,
  type ConfigSource,
  type ConfigType,
  type DescribedConfig,
} from '../../../contract';
import { CoreError } from '../../coreError';
import type { RawBroker, RawCluster } from '../rawCluster';
import {
  ALTER_CONFIGS,
  alterConfigsCall,
  CONFIG_OP,
  DESCRIBE_CONFIGS,
  describeConfigsCall,
  INCREMENTAL_ALTER_CONFIGS,
  incrementalAlterConfigsCall,
  RESOURCE_TYPE,
  type AlterConfigsResource,
  type AlterResponse,
  type ConfigResourceKey,
  type DescribedEntry,
} from './configsCodec';
import { brokerError, negotiate } from './transport';
import { sendVersioned } from './versionedWire';

/** DescribeConfigs' ConfigSource codes, 0 (UNKNOWN) to 8 (GROUP_CONFIG), by name. */
const SOURCE_BY_CODE: Record<number, ConfigSource> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'CLIENT_METRICS_CONFIG',
  8: 'GROUP_CONFIG',
};
const TYPE_BY_CODE: Record<number, ConfigType> = {
  1: 'BOOLEAN',
  2: 'STRING',
  3: 'INT',
  4: 'SHORT',
  5: 'LONG',
  6: 'DOUBLE',
  7: 'LIST',
  8: 'CLASS',
  9: 'PASSWORD',
};
const sourceOf = (code: number): ConfigSource => SOURCE_BY_CODE[code] ?? 'UNKNOWN';

/** The source a value set on this resource itself has. */
export function ownSource(resource: ConfigResource): ConfigSource {
  if (resource.type === 'topic') return 'DYNAMIC_TOPIC_CONFIG';
  if (resource.type === 'broker') return 'DYNAMIC_BROKER_CONFIG';
  return 'DYNAMIC_DEFAULT_BROKER_CONFIG';
}

export function resourceKey(resource: ConfigResource): ConfigResourceKey {
  if (resource.type === 'topic') return { resourceType: RESOURCE_TYPE.TOPIC, resourceName: resource.name };
  if (resource.type === 'broker')
    return { resourceType: RESOURCE_TYPE.BROKER, resourceName: String(resource.brokerId) };
  return { resourceType: RESOURCE_TYPE.BROKER, resourceName: '' };
}

/**
 * A described entry as the contract has it. A sensitive value is cleared here whatever the broker
 * sent (it sends null; one that did not would still not reach a window or a terminal).
 */
export function toDescribedConfig(e: DescribedEntry): DescribedConfig {
  return {
    name: e.name,
    value: e.isSensitive ? null : e.value,
    source: sourceOf(e.source),
    readOnly: e.readOnly,
    sensitive: e.isSensitive,
    type: e.configType === null ? null : (TYPE_BY_CODE[e.configType] ?? 'UNKNOWN'),
    documentation: e.documentation,
    synonyms: e.synonyms.map((s) => ({
      name: s.name,
      value: e.isSensitive ? null : s.value,
      source: sourceOf(s.source),
    })),
  };
}

/** The broker that answers for the resource: the broker itself, or the lowest-numbered one. */
async function brokerFor(cluster: RawCluster, resource: ConfigResource): Promise<RawBroker> {
  await cluster.refreshMetadata();
  const ids = Object.keys(cluster.brokerPool.brokers)
    .map(Number)
    .sort((a, b) => a - b);
  if (resource.type === 'broker') {
    if (!ids.includes(resource.brokerId))
      throw new CoreError(
        'NOT_FOUND',
        `Broker ${resource.brokerId} is not in this cluster (its brokers: ${ids.join(', ') || 'none'}).`,
      );
    return cluster.findBroker({ nodeId: String(resource.brokerId) });
  }
  if (!ids.length) throw new CoreError('KAFKA_ERROR', 'The cluster named no brokers in its metadata.');
  return cluster.findBroker({ nodeId: String(ids[0]) });
}

function lacks(broker: RawBroker, api: { apiName: string }, since: string): CoreError {
  return new CoreError(
    'KAFKA_ERROR',
    `Broker ${String(broker.nodeId)} does not offer ${api.apiName} at a version Kafka Desk reads (it needs Kafka ${since} or later).`,
  );
}

export interface DescribedConfigs {
  version: number;
  configs: DescribedConfig[];
}

export async function describeConfigsOn(
  cluster: RawCluster,
  resource: ConfigResource,
  opts: { documentation?: boolean } = {},
): Promise<DescribedConfigs> {
  const broker = await brokerFor(cluster, resource);
  const v = negotiate(broker, DESCRIBE_CONFIGS.apiKey, DESCRIBE_CONFIGS);
  if (v === null) throw lacks(broker, DESCRIBE_CONFIGS, '1.1');
  const res = await sendVersioned(
    broker,
    describeConfigsCall(v, {
      resources: [{ ...resourceKey(resource), configNames: null }],
      includeSynonyms: true,
      includeDocumentation: opts.documentation === true,
    }),
  );
  const r = res.results[0];
  if (!r) throw new CoreError('KAFKA_ERROR', `Broker ${String(broker.nodeId)} described no configs.`);
  if (r.errorCode !== 0) throw brokerError(r.errorCode, r.errorMessage);
  return {
    version: v,
    configs: r.configs.map(toDescribedConfig).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export interface ConfigChanges {
  set: Record<string, string>;
  delete: string[];
}

export interface AlterOutcome {
  via: 'IncrementalAlterConfigs' | 'AlterConfigs';
  note: string | null;
}

function check(res: AlterResponse): void {
  for (const r of res.responses) if (r.errorCode !== 0) throw brokerError(r.errorCode, r.errorMessage);
}

/**
 * Sets and deletes the keys given, and nothing else: IncrementalAlterConfigs. A broker before Kafka
 * 2.3 lacks it; there the resource's own values are read and sent back with the change in one
 * AlterConfigs (which replaces them all), and the outcome's note says so. That cannot keep a
 * sensitive value the broker does not reveal, so then it refuses instead.
 */
export async function alterConfigsOn(
  cluster: RawCluster,
  resource: ConfigResource,
  changes: ConfigChanges,
  validateOnly: boolean,
): Promise<AlterOutcome> {
  const broker = await brokerFor(cluster, resource);
  const key = resourceKey(resource);
  const v = negotiate(broker, INCREMENTAL_ALTER_CONFIGS.apiKey, INCREMENTAL_ALTER_CONFIGS);
  if (v !== null) {
    const configs: AlterConfigsResource['configs'] = [
      ...Object.entries(changes.set).map(([name, value]) => ({ name, op: CONFIG_OP.SET, value })),
      ...changes.delete.map((name) => ({ name, op: CONFIG_OP.DELETE, value: null })),
    ];
    check(
      await sendVersioned(broker, incrementalAlterConfigsCall(v, { resources: [{ ...key, configs }], validateOnly })),
    );
    return { via: 'IncrementalAlterConfigs', note: null };
  }

  const va = negotiate(broker, ALTER_CONFIGS.apiKey, ALTER_CONFIGS);
  if (va === null) throw lacks(broker, INCREMENTAL_ALTER_CONFIGS, '2.3');
  const own = ownSource(resource);
  const current = (await describeConfigsOn(cluster, resource)).configs.filter((c) => c.source === own);
  const touched = new Set([...Object.keys(changes.set), ...changes.delete]);
  const hidden = current.filter((c) => c.value === null && !touched.has(c.name)).map((c) => c.name);
  if (hidden.length)
    throw new CoreError(
      'KAFKA_ERROR',
      `Broker ${String(broker.nodeId)} runs a Kafka before 2.3, which has no IncrementalAlterConfigs, and its AlterConfigs replaces every value set on ${resourceLabel(resource)}: ${hidden.join(', ')} would be lost, since the broker does not reveal ${hidden.length === 1 ? 'its value' : 'their values'}. Set ${hidden.length === 1 ? 'it' : 'them'} again in the same change, or make the change with Kafka's own kafka-configs.`,
    );
  const next = new Map(current.map((c) => [c.name, c.value as string]));
  for (const k of changes.delete) next.delete(k);
  for (const [k, value] of Object.entries(changes.set)) next.set(k, value);
  const configs = [...next].map(([name, value]) => ({ name, op: CONFIG_OP.SET, value }));
  check(await sendVersioned(broker, alterConfigsCall(va, { resources: [{ ...key, configs }], validateOnly })));
  return {
    via: 'AlterConfigs',
    note: `Broker ${String(broker.nodeId)} runs a Kafka before 2.3, which has no IncrementalAlterConfigs: Kafka Desk read the values set on ${resourceLabel(resource)} and sent them back with this change in one AlterConfigs, which replaces them all. A change someone else made in between would have been undone.`,
  };
}
