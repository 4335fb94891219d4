import {
  ErrorCode,
  parseTime,
  type AppError,
  type Decoded,
  type Parsed,
  type PresetOperation,
  type ProduceMessage,
  type ProduceOutcome,
  type ProduceResult,
  type SchemaChoice,
  type WireBytes,
} from '../../../electron/contract';
import { hasTemplate, renderTemplate } from '../../../electron/contract/messageTemplate';
import { plural } from '../components/format';
import { decodeToField, encodeField, type FieldMode } from '../components/wire';

/**
 * Produce's form and the contract's input, both ways: the messages and options a send (or a preset)
 * takes, a message to re-send put back into the form, and the outcome of a run in words. No Vue, no
 * API: tested beside it.
 */
export type ByteMode = 'text' | 'hex' | 'base64';
export type FileFormat = 'lines' | 'ndjson' | 'json' | 'csv';
export interface ProduceForm {
  topic: string | null;
  source: 'compose' | 'file';
  key: string;
  keyMode: ByteMode;
  value: string;
  mode: FieldMode;
  headers: { key: string; value: string; mode: ByteMode }[];
  partition: number | null;
  timestamp: string;
  acks: 'all' | '1' | '0';
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  idempotent: boolean;
  count: number;
  template: boolean;
  rate: number;
  continueOnError: boolean;
  fileFormat: FileFormat;
  /** The schemas the key and value are encoded with (their text is then JSON); `none`: the bytes as typed. */
  keySchema: SchemaPick;
  valueSchema: SchemaPick;
}
/** A schema picker's fields: which kind, and what each kind needs (the others kept while switching). */
export interface SchemaPick {
  kind: 'none' | SchemaChoice['kind'];
  subject: string | null;
  version: 'latest' | number;
  schemaId: number | null;
  localSchemaId: string | null;
  /** Protobuf: the message type (null: the file's first). */
  messageName: string | null;
}
export const noSchema = (): SchemaPick => ({
  kind: 'none',
  subject: null,
  version: 'latest',
  schemaId: null,
  localSchemaId: null,
  messageName: null,
});
/** A file chosen to send, parsed into messages. */
export interface ProduceFile {
  name: string;
  size: number;
  messages: ProduceMessage[];
}
type ProducePresetInput = Extract<PresetOperation, { kind: 'produce' }>['input'];
export type ProduceOptions = Pick<
  ProducePresetInput,
  'acks' | 'compression' | 'idempotent' | 'template' | 'ratePerSecond' | 'continueOnError' | 'keySchema' | 'valueSchema'
>;

export function newProduceForm(): ProduceForm {
  return {
    topic: null,
    source: 'compose',
    key: '',
    keyMode: 'text',
    value: '',
    mode: 'text',
    headers: [],
    partition: null,
    timestamp: '',
    acks: 'all',
    compression: 'none',
    idempotent: true,
    count: 1,
    template: false,
    rate: 0,
    continueOnError: false,
    fileFormat: 'lines',
    keySchema: noSchema(),
    valueSchema: noSchema(),
  };
}

export const byteModes = [
  { value: 'text', label: 'text' },
  { value: 'hex', label: 'hex' },
  { value: 'base64', label: 'base64' },
];
export const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'].map((c) => ({
  value: c,
  label: c === 'none' ? 'no compression' : c,
}));

const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}…` : s);
const no = (message: string) => ({ ok: false, message }) as const;
/** encodeField refuses with an Error naming the field: its sentence, as a refusal. */
function encoded(text: string, mode: FieldMode, what: string): Parsed<WireBytes> {
  try {
    return { ok: true, value: encodeField(text, mode, what) };
  } catch (e) {
    return no((e as Error).message);
  }
}

/**
 * The value as sent. JSON with the template switch on: what the template renders must be JSON, not
 * its source — the first message (and the last of a batch) is rendered with the core's own renderer
 * and checked.
 */
export function produceValue(form: ProduceForm): Parsed<WireBytes> {
  // with a schema the value is JSON text, encoded by the core, whatever the editor's mode says
  if (form.mode !== 'json' && form.valueSchema.kind === 'none') return encoded(form.value, form.mode, 'The value');
  if (form.template && hasTemplate(form.value)) {
    const seqs = form.source === 'compose' && form.count > 1 ? [1, form.count] : [1];
    for (const seq of seqs) {
      const r = renderTemplate(form.value, seq);
      if (!r.ok) return no(`The value of message ${seq.toLocaleString()} (seq ${seq}): ${r.message}`);
      try {
        JSON.parse(r.text);
      } catch (e) {
        return no(
          `The value of message ${seq.toLocaleString()} (seq ${seq}) renders as ${clip(r.text)}, which is not valid JSON: ${(e as Error).message}`,
        );
      }
    }
    return { ok: true, value: form.value };
  }
  const v = encoded(form.value, 'json', 'The value');
  const hint = hasTemplate(form.value)
    ? ' It holds template tags: switch on “template” (under Batch) to render them per message.'
    : '';
  return v.ok ? v : no(`${v.message}${hint}`);
}

/** A sample of what the JSON template renders, under the editor while the template switch is on. */
export function templateSample(form: ProduceForm): { ok: boolean; text: string } | null {
  if (form.source !== 'compose' || form.mode !== 'json' || !form.template || !hasTemplate(form.value)) return null;
  const r = renderTemplate(form.value, 1);
  if (!r.ok) return { ok: false, text: r.message };
  try {
    JSON.parse(r.text);
    return { ok: true, text: clip(r.text.replace(/\s*\n\s*/g, ' '), 160) };
  } catch (e) {
    return { ok: false, text: `not valid JSON: ${(e as Error).message}` };
  }
}

/** The composed message: key, value, headers, partition and timestamp as the form has them. */
export function composedMessage(form: ProduceForm): Parsed<ProduceMessage> {
  const headers: [string, WireBytes][] = [];
  for (const [i, h] of form.headers.entries()) {
    if (!h.key) continue;
    const w = encoded(h.value, h.mode, `Header ${i + 1} (${h.key})`);
    if (!w.ok) return w;
    headers.push([h.key, w.value]);
  }
  const timestamp = form.timestamp.trim() ? parseTime(form.timestamp, 'The timestamp') : null;
  if (timestamp && !timestamp.ok) return timestamp;
  const key =
    form.key === '' ? null : encoded(form.key, form.keySchema.kind === 'none' ? form.keyMode : 'json', 'The key');
  if (key && !key.ok) return key;
  const value = produceValue(form);
  if (!value.ok) return value;
  return {
    ok: true,
    value: {
      key: key ? key.value : null,
      value: value.value,
      headers,
      ...(form.partition !== null ? { partition: form.partition } : {}),
      ...(timestamp ? { timestamp: timestamp.value } : {}),
    },
  };
}

/** The messages a send takes: the file's, or the composed one `count` times. */
export function produceMessages(form: ProduceForm, file: ProduceFile | null): Parsed<ProduceMessage[]> {
  for (const [pick, what] of [
    [form.keySchema, 'key'],
    [form.valueSchema, 'value'],
  ] as const) {
    const c = schemaChoice(pick, what);
    if (!c.ok) return c;
  }
  if (form.source === 'file') return file ? { ok: true, value: file.messages } : no('Choose a file to send.');
  const m = composedMessage(form);
  return m.ok ? { ok: true, value: Array.from({ length: form.count }, () => m.value) } : m;
}

export function produceOptions(form: ProduceForm): ProduceOptions {
  return {
    acks: form.acks,
    compression: form.compression,
    idempotent: form.idempotent,
    template: form.template,
    ratePerSecond: form.rate,
    continueOnError: form.continueOnError,
    ...schemaOptions(form),
  };
}

/** A picker's choice as the contract takes it (null: none), or what is still to choose. */
export function schemaChoice(p: SchemaPick, what: 'key' | 'value'): Parsed<SchemaChoice | null> {
  const messageName = p.messageName ? { messageName: p.messageName } : {};
  switch (p.kind) {
    case 'none':
      return { ok: true, value: null };
    case 'subject':
      return p.subject
        ? { ok: true, value: { kind: 'subject', subject: p.subject, version: p.version, ...messageName } }
        : no(`Choose the subject of the ${what}'s schema.`);
    case 'id':
      return p.schemaId !== null
        ? { ok: true, value: { kind: 'id', schemaId: p.schemaId, ...messageName } }
        : no(`Write the schema id of the ${what}'s schema.`);
    case 'local':
      return p.localSchemaId
        ? { ok: true, value: { kind: 'local', localSchemaId: p.localSchemaId, ...messageName } }
        : no(`Choose the local schema file of the ${what}.`);
  }
}

/** The schemas chosen for the key and value, as a send takes them (an unfinished choice is left out). */
function schemaOptions(form: ProduceForm): Pick<ProduceOptions, 'keySchema' | 'valueSchema'> {
  const k = schemaChoice(form.keySchema, 'key');
  const v = schemaChoice(form.valueSchema, 'value');
  return {
    ...(k.ok && k.value ? { keySchema: k.value } : {}),
    ...(v.ok && v.value ? { valueSchema: v.value } : {}),
  };
}

/** A send's (or a re-sent message's) schema choice back in a picker's fields. */
export function schemaPickOf(c: SchemaChoice | undefined): SchemaPick {
  const p = noSchema();
  if (!c) return p;
  p.kind = c.kind;
  p.messageName = c.messageName ?? null;
  if (c.kind === 'subject') Object.assign(p, { subject: c.subject, version: c.version ?? 'latest' });
  if (c.kind === 'id') p.schemaId = c.schemaId;
  if (c.kind === 'local') p.localSchemaId = c.localSchemaId;
  return p;
}

/**
 * What a refused encoding says about the composed key and value (the core names `messages.N.key` /
 * `.value`), shown beside the field; nothing for another error.
 */
export function schemaFieldErrors(e: AppError | null): { key: string | null; value: string | null } {
  const out: { key: string | null; value: string | null } = { key: null, value: null };
  if (e?.code !== 'SCHEMA_INVALID') return out;
  for (const f of e.fields ?? []) {
    const m = /^messages\.(\d+)\.(key|value)$/.exec(f.path);
    if (!m || out[m[2] as 'key' | 'value'] !== null) continue;
    out[m[2] as 'key' | 'value'] = Number(m[1]) > 0 ? `Message ${Number(m[1]) + 1}: ${f.message}` : f.message;
  }
  return out;
}

/** The format a file's name suggests. */
export function guessFileFormat(name: string): FileFormat {
  const n = name.toLowerCase();
  return n.endsWith('.csv')
    ? 'csv'
    : n.endsWith('.ndjson') || n.endsWith('.jsonl')
      ? 'ndjson'
      : n.endsWith('.json')
        ? 'json'
        : 'lines';
}

/** A message to re-send (from the inspector): its key, value and headers, to any topic. */
export function applyDraft(
  form: ProduceForm,
  m: { topic: string; key: WireBytes; value: WireBytes; headers: [string, WireBytes][]; decoded?: Decoded },
  sameConnection: boolean,
): void {
  form.source = 'compose';
  if (sameConnection) form.topic = m.topic;
  // a part decoded by a registry schema is re-sent as its JSON, encoded again by the same schema id
  // (on this connection: another one's registry may give that id to another schema)
  const again = (part: 'key' | 'value'): { json: string; pick: SchemaPick } | null => {
    const d = m.decoded?.[part];
    return sameConnection && d?.json !== undefined && d.schemaId !== undefined
      ? { json: d.json, pick: schemaPickOf({ kind: 'id', schemaId: d.schemaId, messageName: d.messageName }) }
      : null;
  };
  const dk = again('key');
  const k = decodeToField(dk ? dk.json : m.key);
  form.key = k.text;
  form.keyMode = k.mode === 'json' ? 'text' : k.mode;
  form.keySchema = dk ? dk.pick : noSchema();
  const dv = again('value');
  const v = decodeToField(dv ? dv.json : m.value);
  form.value = v.text; // the bytes as they were (JSON is not reformatted: Format does that on request)
  form.mode = v.mode;
  form.valueSchema = dv ? dv.pick : noSchema();
  form.headers = m.headers.map(([key, w]) => {
    const f = decodeToField(w);
    return { key, value: f.text, mode: f.mode === 'json' ? 'text' : f.mode };
  });
  form.partition = null;
  form.timestamp = '';
  form.count = 1;
}

/** A preset's send put into the form: its options and its first message (as many times as it has messages). */
export function applyProduceInput(form: ProduceForm, i: ProducePresetInput): void {
  const m = i.messages[0];
  form.topic = i.topic;
  form.acks = i.acks ?? 'all';
  form.compression = i.compression ?? 'none';
  form.idempotent = i.idempotent ?? true;
  form.count = i.messages.length;
  form.template = i.template ?? false;
  form.rate = i.ratePerSecond ?? 0;
  form.continueOnError = i.continueOnError ?? false;
  if (m) {
    applyDraft(form, { topic: i.topic, key: m.key ?? null, value: m.value ?? null, headers: m.headers ?? [] }, true);
    form.count = i.messages.length;
    form.partition = m.partition ?? null;
    if (m.timestamp !== undefined) form.timestamp = new Date(m.timestamp).toISOString();
  }
  form.keySchema = schemaPickOf(i.keySchema);
  form.valueSchema = schemaPickOf(i.valueSchema);
}

/** One run's outcome, as the banner under Send shows it and the earlier runs list it. */
export interface RunOutcome {
  n: number;
  at: number;
  kind: 'success' | 'warning' | 'error';
  title: string;
  error: AppError | null;
}

/** Where the messages went: one partition and its offset(s), or the partitions. */
function where(r: ProduceResult): string {
  const sent = r.results.filter((x): x is Extract<ProduceOutcome, { status: 'delivered' }> => x.status === 'delivered');
  const parts = [...new Set(sent.map((x) => x.partition))].sort((a, b) => a - b);
  if (parts.length !== 1)
    return parts.length ? ` / partitions ${parts.slice(0, 8).join(', ')}${parts.length > 8 ? ', …' : ''}` : '';
  const offsets = sent.map((x) => BigInt(x.offset)).filter((o) => o >= 0n);
  if (!offsets.length) return ` / partition ${parts[0]} (acks=0: no offset reported)`;
  const lo = offsets.reduce((a, b) => (b < a ? b : a));
  const hi = offsets.reduce((a, b) => (b > a ? b : a));
  return ` / partition ${parts[0]} @ ${lo === hi ? `offset ${lo.toLocaleString()}` : `offsets ${lo.toLocaleString()}–${hi.toLocaleString()}`}`;
}

/** Run `n` (sent `total` messages to `topic`) in words: its result, or the error that stopped it. */
export function produceOutcome(
  n: number,
  topic: string,
  total: number,
  r: ProduceResult | null,
  error: AppError | null,
  at = Date.now(),
): RunOutcome {
  const base = { n, at };
  if (!r)
    return {
      ...base,
      kind: 'error',
      title: `Not sent to ${topic}`,
      error: error ?? { code: 'INTERNAL', message: 'The send did not finish.' },
    };
  const count = r.results.length || total;
  if (r.cancelled)
    return {
      ...base,
      kind: 'warning',
      title: `Cancelled: ${r.delivered.toLocaleString()} of ${plural(count, 'message')} sent to ${topic}${r.delivered ? where(r) : ''}`,
      error: null,
    };
  if (r.failed === 0)
    return {
      ...base,
      kind: 'success',
      title: `Sent ${plural(r.delivered, 'message')} to ${topic}${where(r)}`,
      error: null,
    };
  const failures = r.results.filter((x): x is Extract<ProduceOutcome, { status: 'failed' }> => x.status === 'failed');
  const first = failures[0];
  const notSent = count - r.delivered - failures.length;
  const reason = first ? `Message ${(first.index + 1).toLocaleString()}: ${first.message}` : 'Kafka did not take them.';
  const rest = [
    failures.length > 1 ? `${plural(failures.length, 'message')} failed` : '',
    notSent > 0 ? `${notSent.toLocaleString()} not sent after the failure` : '',
    r.delivered ? `${r.delivered.toLocaleString()} delivered${where(r)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    ...base,
    kind: 'error',
    title: r.delivered
      ? `${(count - r.delivered).toLocaleString()} of ${plural(count, 'message')} not sent to ${topic}`
      : `Not sent to ${topic}`,
    error: { code: ErrorCode.catch('KAFKA_ERROR').parse(first?.code), message: rest ? `${reason} (${rest})` : reason },
  };
}
