import {
  parseTime,
  startPositionFromFields,
  type ConsumeResult,
  type MessageFilter,
  type MessageFormat,
  type OnUndecodable,
  type OperationProgress,
  type Parsed,
  type PresetOperation,
  type StartPosition,
  type UndecodableSummary,
} from '../../../electron/contract';

/**
 * Consume's form and the contract's input, both ways: the form as the screen edits it, the input a
 * read (or a preset) takes, and the lines the screen says about a run. No Vue, no API: tested beside it.
 */
export interface ConsumeForm {
  topicMode: 'topics' | 'pattern';
  topics: string[];
  pattern: string;
  from: StartPosition['from'];
  minus: number;
  offset: string;
  time: string;
  startGroup: string;
  partitions: string;
  max: number;
  stopAt: string;
  readAs: 'none' | 'manual' | 'auto';
  group: string;
  readUncommitted: boolean;
  maxPoll: number;
  maxMessageKiB: number | null;
  onOversize: 'stop' | 'skip';
  filterKind: 'text' | 'regex' | 'header' | 'jsonPath';
  filter: string;
  keyFormat: MessageFormat;
  valueFormat: MessageFormat;
  onUndecodable: OnUndecodable;
}

/** Consume's options as a preset keeps them (the input without connection, operation id and where the messages go). */
export type ConsumeOptionsInput = Extract<PresetOperation, { kind: 'consume' }>['input'];

export function newConsumeForm(): ConsumeForm {
  return {
    topicMode: 'topics',
    topics: [],
    pattern: '',
    from: 'earliest',
    minus: 10,
    offset: '0',
    time: '',
    startGroup: '',
    partitions: '',
    max: 100,
    stopAt: '',
    readAs: 'none',
    group: '',
    readUncommitted: false,
    maxPoll: 500,
    maxMessageKiB: null,
    onOversize: 'stop',
    filterKind: 'text',
    filter: '',
    keyFormat: 'auto',
    valueFormat: 'auto',
    onUndecodable: 'show',
  };
}

// --- how keys and values are read (Consume and Listen alike)
export const messageFormatOptions: { value: MessageFormat; label: string }[] = [
  { value: 'auto', label: 'Auto (schema registry)' },
  { value: 'string', label: 'String' },
  { value: 'json', label: 'JSON object' },
  { value: 'avro', label: 'Avro' },
  { value: 'protobuf', label: 'Protobuf' },
  { value: 'json-schema', label: 'JSON Schema' },
  { value: 'bytes', label: 'Bytes' },
];
export const onUndecodableOptions: { value: OnUndecodable; label: string }[] = [
  { value: 'show', label: 'show them marked' },
  { value: 'skip', label: 'skip them' },
  { value: 'stop', label: 'stop at the first' },
];
/** A format a message can fail to be (auto, string and bytes take any bytes). */
const strict = (f: MessageFormat) => f !== 'auto' && f !== 'string' && f !== 'bytes';
/** Whether "messages not of this format" has a say: a key or value format that a message can fail to be. */
export const undecodableApplies = (f: { keyFormat: MessageFormat; valueFormat: MessageFormat }): boolean =>
  strict(f.keyFormat) || strict(f.valueFormat);

/** The formats as a read takes them: only what differs from the defaults (a preset keeps no noise). */
export function decodeOptions(f: {
  keyFormat: MessageFormat;
  valueFormat: MessageFormat;
  onUndecodable: OnUndecodable;
}): { keyFormat?: MessageFormat; valueFormat?: MessageFormat; onUndecodable?: OnUndecodable } {
  return {
    ...(f.keyFormat !== 'auto' ? { keyFormat: f.keyFormat } : {}),
    ...(f.valueFormat !== 'auto' ? { valueFormat: f.valueFormat } : {}),
    ...(undecodableApplies(f) && f.onUndecodable !== 'show' ? { onUndecodable: f.onUndecodable } : {}),
  };
}

const formatName = (f: MessageFormat | undefined) =>
  ({ avro: 'Avro', protobuf: 'Protobuf', 'json-schema': 'JSON Schema', json: 'JSON objects' })[f as string] ??
  'of the chosen format';
/**
 * The messages that were not of the chosen format, in a line: "12 messages were not Avro — skipped;
 * first: orders[2] offset 17 (value): …". Null when every message was.
 */
export function undecodableText(
  u: UndecodableSummary | undefined,
  formats: { keyFormat: MessageFormat; valueFormat: MessageFormat },
): string | null {
  if (!u || u.count === 0) return null;
  const part = u.first?.part ?? (strict(formats.valueFormat) ? 'value' : 'key');
  const name = formatName(part === 'key' ? formats.keyFormat : formats.valueFormat);
  const n = u.count === 1 ? '1 message was' : `${u.count.toLocaleString()} messages were`;
  const action = { show: 'shown marked', skip: 'skipped', stop: 'the read stopped at the first' }[u.action];
  const first = u.first
    ? `; first: ${u.first.topic}[${u.first.partition}] offset ${BigInt(u.first.offset).toLocaleString()} (${u.first.part}): ${u.first.reason}`
    : '';
  return `${n} not ${name} — ${action}${first}`;
}

export const consumeFromOptions = [
  { value: 'earliest', label: 'Earliest' },
  { value: 'latest', label: 'Latest − N' },
  { value: 'offset', label: 'An offset' },
  { value: 'timestamp', label: 'A time' },
  { value: 'group', label: "A group's committed offsets" },
];
export const consumeFilterOptions = [
  { value: 'text', label: 'Text' },
  { value: 'regex', label: 'Regex' },
  { value: 'header', label: 'Header k=v' },
  { value: 'jsonPath', label: 'JSON path =' },
];

/** The search, applied in the core while reading: only matches come back. */
export function consumeFilter(form: Pick<ConsumeForm, 'filter' | 'filterKind'>): MessageFilter | undefined {
  const f = form.filter.trim();
  if (!f) return undefined;
  const [left, ...rest] = f.split('=');
  const right = rest.length ? rest.join('=') : undefined;
  switch (form.filterKind) {
    case 'regex':
      return { regex: f };
    case 'header':
      return { header: right === undefined ? { key: left! } : { key: left!, value: right } };
    case 'jsonPath':
      return { jsonPath: right === undefined ? { path: left! } : { path: left!, equals: right } };
    default:
      return { text: f };
  }
}

/** Every option of the form, as the contract takes it (without connection and operation id), or the sentence saying what is wrong. */
export function consumeOptions(form: ConsumeForm, joinLiveGroup = false): Parsed<ConsumeOptionsInput> {
  const no = (message: string) => ({ ok: false, message }) as const;
  const partitions = form.partitions.split(/[\s,]+/).filter(Boolean);
  if (partitions.some((p) => !/^\d+$/.test(p))) return no('Partitions: whole numbers separated by commas, e.g. 0, 2.');
  if (form.topicMode === 'pattern' ? !form.pattern.trim() : !form.topics.length)
    return no(form.topicMode === 'pattern' ? 'Write a topic pattern.' : 'Choose a topic.');
  if (form.readAs !== 'none' && !form.group.trim()) return no('Name the group to read as.');
  const start = startPositionFromFields({
    from: form.from,
    minus: form.minus,
    offset: form.offset,
    time: form.time,
    groupId: form.startGroup.trim() || form.group.trim(),
  });
  if (!start.ok) return start;
  const stopAt = form.stopAt.trim() ? parseTime(form.stopAt, 'Stop at') : null;
  if (stopAt && !stopAt.ok) return stopAt;
  const f = consumeFilter(form);
  return {
    ok: true,
    value: {
      ...(form.topicMode === 'pattern'
        ? { topicPattern: form.pattern.trim() }
        : form.topics.length === 1
          ? { topic: form.topics[0]! }
          : { topics: [...form.topics] }),
      start: start.value,
      max: form.max,
      readUncommitted: form.readUncommitted,
      maxRecordsPerPoll: form.maxPoll,
      ...(partitions.length ? { partitions: partitions.map(Number) } : {}),
      ...(stopAt ? { stopAtTimestamp: stopAt.value } : {}),
      ...(form.maxMessageKiB
        ? { maxMessageBytes: Math.round(form.maxMessageKiB * 1024), onOversize: form.onOversize }
        : {}),
      ...(form.readAs !== 'none' ? { group: { groupId: form.group.trim(), commit: form.readAs, joinLiveGroup } } : {}),
      ...(f ? { filter: f } : {}),
      ...decodeOptions(form),
    },
  };
}

/**
 * A preset's options put into the form (every field it has a say in). Returns whether the preset uses
 * the options folded under "More options", so the screen opens them.
 */
export function applyConsumeInput(form: ConsumeForm, i: ConsumeOptionsInput): { more: boolean } {
  form.topicMode = i.topicPattern !== undefined ? 'pattern' : 'topics';
  form.pattern = i.topicPattern ?? '';
  form.topics = i.topics ?? (i.topic ? [i.topic] : []);
  form.max = i.max ?? 100;
  form.partitions = (i.partitions ?? []).join(', ');
  const st = i.start ?? { from: 'earliest' };
  form.from = st.from;
  if (st.from === 'latest') form.minus = st.minus ?? 0;
  if (st.from === 'offset') form.offset = st.offset;
  if (st.from === 'timestamp') form.time = new Date(st.timestamp).toISOString();
  if (st.from === 'group') form.startGroup = st.groupId;
  form.stopAt = i.stopAtTimestamp !== undefined ? new Date(i.stopAtTimestamp).toISOString() : '';
  form.readUncommitted = i.readUncommitted ?? false;
  form.maxPoll = i.maxRecordsPerPoll ?? 500;
  form.maxMessageKiB = i.maxMessageBytes ? i.maxMessageBytes / 1024 : null;
  form.onOversize = i.onOversize ?? 'stop';
  form.readAs = i.group ? (i.group.commit ?? 'manual') : 'none';
  form.group = i.group?.groupId ?? '';
  form.keyFormat = i.keyFormat ?? 'auto';
  form.valueFormat = i.valueFormat ?? 'auto';
  form.onUndecodable = i.onUndecodable ?? 'show';
  const f = i.filter;
  if (f?.text) Object.assign(form, { filterKind: 'text', filter: f.text });
  else if (f?.regex) Object.assign(form, { filterKind: 'regex', filter: f.regex });
  else if (f?.header)
    Object.assign(form, {
      filterKind: 'header',
      filter: f.header.value === undefined ? f.header.key : `${f.header.key}=${f.header.value}`,
    });
  else if (f?.jsonPath)
    Object.assign(form, {
      filterKind: 'jsonPath',
      filter: f.jsonPath.equals === undefined ? f.jsonPath.path : `${f.jsonPath.path}=${f.jsonPath.equals}`,
    });
  return {
    more:
      i.stopAtTimestamp !== undefined ||
      Boolean(i.maxMessageBytes) ||
      Boolean(i.readUncommitted) ||
      form.keyFormat !== 'auto' ||
      form.valueFormat !== 'auto',
  };
}

/** What the tab's title names: the topic, the first of several (+ how many more), or the pattern. */
export function consumeSubject(form: Pick<ConsumeForm, 'topicMode' | 'pattern' | 'topics'>): string {
  if (form.topicMode === 'pattern') return form.pattern && `/${form.pattern}/`;
  return form.topics.length > 1 ? `${form.topics[0]} +${form.topics.length - 1}` : (form.topics[0] ?? '');
}

/** The line above the table: how many, of how many scanned, where it stopped, the ranges read. */
export function consumeSummary(r: ConsumeResult, count: number, searched: boolean, multiTopic: boolean): string {
  const matched = r.scanned !== count || searched ? ` matched of ${r.scanned.toLocaleString()} scanned` : '';
  const ranges = r.ranges.map(
    (x) =>
      `${multiTopic ? x.topic : ''}[${x.partition}] ${BigInt(x.from).toLocaleString()}→${BigInt(x.end).toLocaleString()}`,
  );
  const shown = ranges.length > 6 ? [...ranges.slice(0, 6), `… ${ranges.length - 6} more`] : ranges;
  return `${count.toLocaleString()} message${count === 1 ? '' : 's'}${matched}${r.reachedEnd ? ' · reached the end' : ''}${r.cancelled ? ' · cancelled' : ''} · ${shown.join('  ')}`;
}

/** The line beside the progress bar while a read runs. */
export function consumeProgressLine(p: OperationProgress | null, startedAt: number, now = Date.now()): string {
  if (!p) return 'Connecting…';
  const secs = Math.max(0.1, (now - startedAt) / 1000);
  const of = p.total ? ` of ${p.total.toLocaleString()}` : '';
  return `${p.done.toLocaleString()}${of} scanned${p.matched !== undefined ? ` · ${p.matched.toLocaleString()} matched` : ''} · ${Math.round(p.done / secs).toLocaleString()}/s`;
}
