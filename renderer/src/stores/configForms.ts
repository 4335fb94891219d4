import type { ChannelInput, ConfigResource, ConfigSource, DescribedConfig } from '../../../electron/contract';

/** Broker and cluster-default configs as the screen shows them, and the changes it sends. */

/** The route's broker parameter: a node id, or `default` for the cluster-wide default. */
export function resourceFromParam(param: string): ConfigResource | null {
  if (param === 'default') return { type: 'cluster-default' };
  if (/^\d{1,10}$/.test(param) && Number(param) <= 2_147_483_647) return { type: 'broker', brokerId: Number(param) };
  return null;
}

export const resourceParam = (r: ConfigResource): string =>
  r.type === 'broker' ? String(r.brokerId) : r.type === 'cluster-default' ? 'default' : r.name;

export function resourceTitle(r: ConfigResource): string {
  if (r.type === 'broker') return `Broker ${r.brokerId}`;
  if (r.type === 'cluster-default') return 'Cluster defaults';
  return `Topic ${r.name}`;
}

/** Where a value comes from, in words, and what each means (the tag's title). */
export const SOURCES: Record<ConfigSource, { label: string; title: string }> = {
  DYNAMIC_TOPIC_CONFIG: { label: 'topic', title: "Set on the topic (the topic's own override)" },
  DYNAMIC_BROKER_CONFIG: { label: 'this broker', title: 'Set dynamically on this broker, over the cluster default' },
  DYNAMIC_DEFAULT_BROKER_CONFIG: {
    label: 'cluster default',
    title: 'Set dynamically as the default of every broker in the cluster',
  },
  STATIC_BROKER_CONFIG: { label: 'broker file', title: "Set in the broker's properties file, read when it started" },
  DEFAULT_CONFIG: { label: 'Kafka default', title: "Kafka's built-in default: nothing sets it" },
  DYNAMIC_BROKER_LOGGER_CONFIG: { label: 'broker logger', title: 'A log level set on the broker' },
  CLIENT_METRICS_CONFIG: { label: 'client metrics', title: 'A client-metrics subscription' },
  GROUP_CONFIG: { label: 'group', title: 'Set on the consumer group' },
  UNKNOWN: { label: 'unknown', title: 'The broker did not say where this value comes from' },
};

/** The source a value set on the resource itself has (what Delete removes). */
export function ownSource(r: ConfigResource): ConfigSource {
  if (r.type === 'topic') return 'DYNAMIC_TOPIC_CONFIG';
  if (r.type === 'broker') return 'DYNAMIC_BROKER_CONFIG';
  return 'DYNAMIC_DEFAULT_BROKER_CONFIG';
}

/** Whether a config can change while the broker runs, and the sentence that says why (not). */
export function editability(c: DescribedConfig): { editable: boolean; label: string; title: string } {
  if (c.readOnly)
    return {
      editable: false,
      label: 'read-only',
      title: "Not dynamic: it takes a change in the broker's properties file and a restart",
    };
  return { editable: true, label: 'dynamic', title: 'Can change while the broker runs' };
}

/** The configs shown: those set somewhere (all with `showDefaults`) whose name holds the text. */
export function shownConfigs(configs: DescribedConfig[], text: string, showDefaults: boolean): DescribedConfig[] {
  const q = text.trim().toLowerCase();
  return configs.filter((c) => (showDefaults || c.source !== 'DEFAULT_CONFIG') && (!q || c.name.includes(q)));
}

/** Kafka's config names (the contract's rule), checked as the user types a new key. */
export function nameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return 'a config name is needed';
  if (!/^[A-Za-z0-9._-]+$/.test(n)) return 'only letters, digits, ".", "_" and "-"';
  if (n.length > 255) return 'at most 255 characters';
  return null;
}

/** The change to one key: set it to the value, or delete it from the resource; the broker may only check it. */
export function alterInput(
  id: string,
  resource: ConfigResource,
  name: string,
  change: { value: string } | 'delete',
  validateOnly: boolean,
): ChannelInput<'configs.alter'> {
  const key = name.trim();
  return change === 'delete'
    ? { id, resource, delete: [key], validateOnly }
    : { id, resource, set: { [key]: change.value }, validateOnly };
}

/** The values under this one, most preferred first, as one line (sensitive ones masked). */
export function synonymsLine(c: DescribedConfig): string {
  return c.synonyms
    .map((s) => `${SOURCES[s.source].label}: ${c.sensitive ? '(sensitive)' : (s.value ?? '—')}`)
    .join(' → ');
}
