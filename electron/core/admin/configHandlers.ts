import { resourceLabel, type ConfigResource, type DescribedConfig } from '../../contract';
import type { Handlers } from '../handlers';
import type { KafkaSession } from '../kafka/gateway';
import { sessionRunner, type ResolveConnection } from './adminSession';

type ConfigChannel = 'configs.describe' | 'configs.alter';

/** The source a value set on the resource itself shows. */
function ownSource(resource: ConfigResource): DescribedConfig['source'] {
  if (resource.type === 'topic') return 'DYNAMIC_TOPIC_CONFIG';
  if (resource.type === 'broker') return 'DYNAMIC_BROKER_CONFIG';
  return 'DYNAMIC_DEFAULT_BROKER_CONFIG';
}

/** Whether the configs read show the change: each key set has its value on this resource, each deleted one has none. */
export function changeShows(
  resource: ConfigResource,
  configs: DescribedConfig[],
  changes: { set: Record<string, string>; delete: string[] },
): boolean {
  const own = ownSource(resource);
  const byName = new Map(configs.map((c) => [c.name, c]));
  const setShows = Object.entries(changes.set).every(([k, v]) => {
    const c = byName.get(k);
    // a sensitive value is never shown: its source says it is set here
    return c !== undefined && c.source === own && (c.sensitive || c.value === v);
  });
  // a key deleted from the cluster default is no longer listed there at all; one deleted from a broker
  // names the next source at once, and its value follows a moment later (the top synonym is the value)
  const deleteShows = changes.delete.every((k) => {
    const c = byName.get(k);
    if (c === undefined) return true;
    const top = c.synonyms[0];
    return c.source !== own && (c.sensitive || top === undefined || (top.source === c.source && top.value === c.value));
  });
  return setShows && deleteShows;
}

/**
 * A broker takes a config change through the cluster's metadata log (KRaft) or ZooKeeper and answers
 * before every broker has applied it; the next read may reach one that has not. Reads again for a few
 * seconds until the change shows, so that the reply and a read right after agree. Answers the last read.
 */
export async function untilChangeShows(
  read: () => Promise<DescribedConfig[]>,
  resource: ConfigResource,
  changes: { set: Record<string, string>; delete: string[] },
  deadlineMs = 10_000,
): Promise<DescribedConfig[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const configs = await read();
    if (changeShows(resource, configs, changes) || Date.now() > deadline) return configs;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const describe = (s: KafkaSession, resource: ConfigResource, documentation = false) =>
  s.describeConfigs(resource, { documentation });

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * Configs of a topic, a broker or the cluster-wide broker default: described with source, synonyms and
 * whether they can change; changed key by key (IncrementalAlterConfigs). A change is a write — refused
 * on a read-only connection — unless it is only validated by the broker.
 */
export function createConfigHandlers(resolve: ResolveConnection): Pick<Handlers, ConfigChannel> {
  const run = sessionRunner(resolve);
  return {
    'configs.describe': ({ id, resource, documentation }) =>
      run(id, async (s) => {
        const d = await describe(s, resource, documentation);
        return { resource, configs: d.configs, version: d.version, fetchedAt: new Date().toISOString() };
      }),

    'configs.alter': ({ id, resource, set, delete: deleted, validateOnly }) => {
      const changes = { set, delete: deleted };
      const act = async (s: KafkaSession) => {
        const outcome = await s.alterConfigs(resource, changes, validateOnly);
        const read = async () => (await describe(s, resource)).configs;
        const configs = validateOnly ? await read() : await untilChangeShows(read, resource, changes);
        return {
          resource,
          validateOnly,
          via: outcome.via,
          set: Object.keys(set),
          deleted,
          note: outcome.note,
          configs,
          fetchedAt: new Date().toISOString(),
        };
      };
      if (validateOnly) return run(id, act);
      const n = Object.keys(set).length + deleted.length;
      return run(id, act, `change ${plural(n, 'config')} of ${resourceLabel(resource)}`);
    },
  };
}
