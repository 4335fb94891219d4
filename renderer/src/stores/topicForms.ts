import type { AppError, ChannelInput, ConfigEntry } from '../../../electron/contract';
import { msDuration } from '../components/format';

/** The create-topic dialog's fields; `configs` is one `name=value` per line (`#` starts a comment line). */
export interface TopicForm {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: string;
}

export const emptyTopicForm = (): TopicForm => ({ name: '', partitions: 3, replicationFactor: 1, configs: '' });

/** The configs typed, one `name=value` per line; a line without `=` is a name with an empty value. */
export function parseConfigs(text: string): { name: string; value: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const i = l.indexOf('=');
      return i < 0 ? { name: l, value: '' } : { name: l.slice(0, i).trim(), value: l.slice(i + 1).trim() };
    });
}

export function createTopicInput(id: string, form: TopicForm): ChannelInput<'topics.create'> {
  return {
    id,
    name: form.name.trim(),
    partitions: form.partitions,
    replicationFactor: form.replicationFactor,
    configs: parseConfigs(form.configs),
  };
}

/** "retention.ms = 7 days" for each millisecond config typed, or how to write them when there is none. */
export function configsHint(text: string): string {
  const read = parseConfigs(text)
    .filter((c) => c.name.endsWith('.ms') && msDuration(c.value) !== null)
    .map((c) => `${c.name} = ${msDuration(c.value)}`);
  return read.length ? read.join(' · ') : 'one name=value per line, e.g. retention.ms=86400000 (1 day)';
}

/** What the core said about a field (or anything under it: `configs` covers `configs.retention.ms`). */
export const fieldError = (e: AppError | null, path: string): string | undefined =>
  e?.fields?.find((f) => f.path === path || f.path.startsWith(path + '.'))?.message;

/** The topic's configs shown: those set (all with `showDefaults`) whose name holds the text. */
export function shownConfigs(configs: ConfigEntry[], text: string, showDefaults: boolean): ConfigEntry[] {
  const q = text.trim().toLowerCase();
  return configs.filter((c) => (showDefaults || !c.isDefault) && (!q || c.name.includes(q)));
}

/** The change to one config: its new value, or back to the default. */
export function configChange(
  name: string,
  value: string,
  reset: boolean,
): Pick<ChannelInput<'topics.alterConfigs'>, 'set' | 'reset'> {
  return reset ? { reset: [name] } : { set: [{ name, value }] };
}

/** Which records to delete: the whole topic, or one partition's up to an offset. */
export function recordsBefore(
  mode: 'all' | 'partition',
  partition: number,
  offset: string,
): ChannelInput<'topics.deleteRecords'>['before'] {
  return mode === 'all' ? 'all' : [{ partition, offset: offset.trim() }];
}
