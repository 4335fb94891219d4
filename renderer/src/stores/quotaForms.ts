import {
  applyAlteration,
  entityLabel,
  QUOTA_KEY_INFO,
  QUOTA_KEYS,
  QuotaAlteration,
  type QuotaAlterationInput,
  type QuotaEntity,
  type QuotaEntry,
  type QuotaFilterInput,
  type QuotaKey,
  type QuotaValues,
} from '../../../electron/contract';

/** The four kinds of entity Kafka takes quotas for. */
export type EntityKind = 'user' | 'clientId' | 'userClient' | 'ip';

export const KIND_OPTIONS: { value: EntityKind; label: string }[] = [
  { value: 'user', label: 'User' },
  { value: 'clientId', label: 'Client id' },
  { value: 'userClient', label: 'User and client id' },
  { value: 'ip', label: 'IP address' },
];

export function kindOf(e: QuotaEntity): EntityKind {
  if (e.ip !== undefined) return 'ip';
  if (e.user !== undefined && e.clientId !== undefined) return 'userClient';
  return e.user !== undefined ? 'user' : 'clientId';
}

/** The keys an entity of the kind takes. */
export const keysFor = (kind: EntityKind): QuotaKey[] =>
  QUOTA_KEYS.filter((k) => QUOTA_KEY_INFO[k].for === (kind === 'ip' ? 'ip' : 'client'));

/** The list's kind filter, as Kafka's own filter (a kind of any name, default included, strict). */
export function filterFor(kind: EntityKind | 'all'): QuotaFilterInput {
  const any = { match: 'any' as const };
  switch (kind) {
    case 'all':
      return {};
    case 'user':
      return { user: any, strict: true };
    case 'clientId':
      return { clientId: any, strict: true };
    case 'userClient':
      return { user: any, clientId: any, strict: true };
    case 'ip':
      return { ip: any, strict: true };
  }
}

/** The list's text search: in the entity's label ("user alice", "default client id", …). */
export const matchesSearch = (entry: QuotaEntry, text: string): boolean =>
  !text.trim() || entityLabel(entry.entity).toLowerCase().includes(text.trim().toLowerCase());

/** The quota dialog's fields: the entity (a name, or the kind's default) and each key's value as typed. */
export interface QuotaForm {
  kind: EntityKind;
  user: string;
  userDefault: boolean;
  clientId: string;
  clientDefault: boolean;
  ip: string;
  ipDefault: boolean;
  /** Empty: the key is not set (removed, when the entity had it). */
  values: Record<QuotaKey, string>;
}

const noValues = (): Record<QuotaKey, string> =>
  Object.fromEntries(QUOTA_KEYS.map((k) => [k, ''])) as Record<QuotaKey, string>;

export const emptyQuotaForm = (kind: EntityKind = 'user'): QuotaForm => ({
  kind,
  user: '',
  userDefault: false,
  clientId: '',
  clientDefault: false,
  ip: '',
  ipDefault: false,
  values: noValues(),
});

/** An entity's form, its keys filled in as the cluster has them. */
export function formFromEntry(entry: QuotaEntry): QuotaForm {
  const e = entry.entity;
  const values = noValues();
  for (const k of QUOTA_KEYS) if (entry.values[k] !== undefined) values[k] = String(entry.values[k]);
  return {
    kind: kindOf(e),
    user: e.user ?? '',
    userDefault: e.user === null,
    clientId: e.clientId ?? '',
    clientDefault: e.clientId === null,
    ip: e.ip ?? '',
    ipDefault: e.ip === null,
    values,
  };
}

/** The entity the form names (before it is checked). */
export function formEntity(form: QuotaForm): QuotaEntity {
  const name = (text: string, dflt: boolean) => (dflt ? null : text.trim());
  switch (form.kind) {
    case 'user':
      return { user: name(form.user, form.userDefault) };
    case 'clientId':
      return { clientId: name(form.clientId, form.clientDefault) };
    case 'userClient':
      return { user: name(form.user, form.userDefault), clientId: name(form.clientId, form.clientDefault) };
    case 'ip':
      return { ip: name(form.ip, form.ipDefault) };
  }
}

export interface QuotaChange {
  key: string;
  before: number | null;
  after: number | null;
}

/**
 * The change the form makes to an entity that has `before`: the keys set, the keys cleared (removed),
 * what each becomes; or the problems, at the contract's paths under the form's names (`user`,
 * `values.producer_byte_rate`, …).
 */
export function quotaDraft(
  form: QuotaForm,
  before: QuotaValues,
): { alteration: QuotaAlterationInput; changes: QuotaChange[] } | { problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const set: Partial<Record<QuotaKey, number>> = {};
  const remove: QuotaKey[] = [];
  for (const k of keysFor(form.kind)) {
    const text = form.values[k].trim().replace(/[_,\s]/g, '');
    if (!text) {
      if (before[k] !== undefined) remove.push(k);
      continue;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) problems[`values.${k}`] = 'a number';
    else if (n !== before[k]) set[k] = n;
  }
  const entity = formEntity(form);
  if (Object.keys(problems).length) return { problems };
  if (!Object.keys(set).length && !remove.length) return { problems: { values: 'nothing to change' } };
  const alteration: QuotaAlterationInput = { entity, set, remove };
  const parsed = QuotaAlteration.safeParse(alteration);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const [head, ...rest] = i.path.map(String);
      const at =
        head === 'entity'
          ? (rest[0] ?? (form.kind === 'ip' ? 'ip' : form.kind === 'clientId' ? 'clientId' : 'user'))
          : head === 'set'
            ? `values.${rest[0]}`
            : head === 'remove'
              ? 'values'
              : (head ?? 'values');
      problems[at] ??= i.message;
    }
    return { problems };
  }
  const after = applyAlteration(before, parsed.data);
  const changes = [...new Set([...Object.keys(set), ...remove])].sort().map((key) => ({
    key,
    before: before[key] ?? null,
    after: after[key] ?? null,
  }));
  return { alteration, changes };
}

const BYTES = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * A value as a person reads it: bytes a second in binary units, the others with their unit (`short`:
 * a table's cell, under a title that names what is counted, only "/s").
 */
export function formatQuota(key: string, value: number | null | undefined, short = false): string {
  if (value === null || value === undefined) return '—';
  const info = QUOTA_KEY_INFO[key as QuotaKey];
  if (!info) return String(value);
  if (info.unit === 'bytes/s') {
    let v = value;
    let i = 0;
    while (v >= 1024 && i < BYTES.length - 1 && Number.isInteger(v / 1024)) {
      v /= 1024;
      i++;
    }
    return `${v.toLocaleString('en-US')} ${BYTES[i]}/s`;
  }
  if (info.unit === '%') return `${value.toLocaleString('en-US')} %`;
  return short ? `${value.toLocaleString('en-US')}/s` : `${value.toLocaleString('en-US')} ${info.unit}`;
}

/** The short title of a key's column. */
export const KEY_TITLES: Record<QuotaKey, string> = {
  producer_byte_rate: 'Produce',
  consumer_byte_rate: 'Fetch',
  request_percentage: 'Request time',
  controller_mutation_rate: 'Partition mutations',
  connection_creation_rate: 'New connections',
};
