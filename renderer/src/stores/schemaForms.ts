import { registryTemplates } from '../../../electron/contract';
import type {
  CompatibilityLevel,
  PemUpload,
  RegistryTemplate,
  SchemaRegistry,
  SchemaReference,
  SchemaRegistryInput,
  SchemaType,
  SubjectSummary,
} from '../../../electron/contract';

/**
 * The Schema Registry dialog's fields. A file field is `undefined` while untouched (the stored file is
 * kept), `null` to remove it, an upload to replace it. An empty password or token on a saved registry
 * keeps the stored one; `clearBearerToken` removes a stored token; clearing the user removes its password.
 */
export interface RegistryForm {
  urls: string;
  username: string;
  password: string;
  bearerToken: string;
  clearBearerToken: boolean;
  verify: boolean;
  timeoutMs: number;
  allowPlainHttp: boolean;
  ca: PemUpload | null | undefined;
  clientCert: PemUpload | null | undefined;
  clientKey: PemUpload | null | undefined;
}

/** The dialog's fields for a new registry (one on this machine, Confluent's default port), or for the saved one. */
export function registryForm(saved: SchemaRegistry | null): RegistryForm {
  const files = { ca: undefined, clientCert: undefined, clientKey: undefined };
  return {
    urls: saved ? saved.urls.join('\n') : 'http://localhost:8081',
    username: saved?.username ?? '',
    password: '',
    bearerToken: '',
    clearBearerToken: false,
    verify: saved?.verify ?? true,
    timeoutMs: saved?.timeoutMs ?? 15_000,
    allowPlainHttp: saved?.allowPlainHttp ?? false,
    ...files,
  };
}

/** The URLs typed, one per line (or separated by spaces or commas). */
export const registryUrls = (urls: string): string[] => urls.split(/[\s,]+/).filter(Boolean);

/** What a template left as it was because the user had typed their own. */
export interface TemplateKept {
  urls: boolean;
  username: boolean;
}

/**
 * Fills what a template gives (its URLs, the user a service fixes) where the field holds nothing of the
 * user's own: empty, the new form's default, or what a template put there. A value typed stays, and is
 * named in the answer so the dialog can say why that field did not change. Secrets, files and TLS are
 * never touched: no template knows them.
 */
export function applyRegistryTemplate(form: RegistryForm, t: RegistryTemplate): TemplateKept {
  const sameUrls = (a: string, b: string) => registryUrls(a).join('\n') === registryUrls(b).join('\n');
  const ownUrls =
    registryUrls(form.urls).length > 0 &&
    !sameUrls(form.urls, registryForm(null).urls) &&
    !registryTemplates.some((x) => sameUrls(form.urls, x.urls.join('\n')));
  if (!ownUrls) form.urls = t.urls.join('\n');
  const user = form.username.trim();
  // a template without a fixed user leaves the field alone: clearing it would drop a saved password too
  const ownUser = user !== '' && !registryTemplates.some((x) => x.username === user);
  if (t.username !== undefined && !ownUser) form.username = t.username;
  return { urls: ownUrls, username: ownUser && t.username !== undefined };
}

/** Whether the form would send a password (basic auth) or a bearer token, typed now or kept from the saved registry. */
function sendsSecret(form: RegistryForm, saved: SchemaRegistry | null): boolean {
  const user = form.username.trim() !== '';
  const password = form.password !== '' || (saved?.passwordSet ?? false);
  const token = form.bearerToken !== '' || (!form.clearBearerToken && (saved?.bearerTokenSet ?? false));
  return (user && password) || token;
}

/** A password or token to an http:// URL: it would cross the network unencrypted (the dialog asks). */
export const plainHttpWithSecret = (form: RegistryForm, saved: SchemaRegistry | null): boolean =>
  sendsSecret(form, saved) && registryUrls(form.urls).some((u) => /^http:\/\//i.test(u));

/**
 * What the dialog saves: a password or token only when typed (or to clear it), plain HTTP allowed only
 * where it is asked about, a file only when changed.
 */
export function registryInput(
  form: RegistryForm,
  saved: SchemaRegistry | null,
  connectionId: string,
): SchemaRegistryInput {
  const username = form.username.trim();
  const password = form.password !== '' ? form.password : !username && saved?.passwordSet ? '' : undefined;
  const bearerToken = form.bearerToken !== '' ? form.bearerToken : form.clearBearerToken ? '' : undefined;
  return {
    connectionId,
    urls: registryUrls(form.urls),
    username,
    ...(password !== undefined ? { password } : {}),
    ...(bearerToken !== undefined ? { bearerToken } : {}),
    verify: form.verify,
    timeoutMs: form.timeoutMs,
    allowPlainHttp: plainHttpWithSecret(form, saved) && form.allowPlainHttp,
    ...(form.ca !== undefined ? { ca: form.ca } : {}),
    ...(form.clientCert !== undefined ? { clientCert: form.clientCert } : {}),
    ...(form.clientKey !== undefined ? { clientKey: form.clientKey } : {}),
  };
}

/** The message of the core's error for a field (or one of its items: `urls` covers `urls.1`), if any. */
export function fieldMessage(
  fields: readonly { path: string; message: string }[] | undefined,
  path: string,
): string | undefined {
  const hits = (fields ?? []).filter((f) => f.path === path || f.path.startsWith(`${path}.`));
  return hits.length ? hits.map((f) => f.message).join('; ') : undefined;
}

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
];

/** A subject's level as the list shows it: its own, or the registry's default it falls back to. */
export const compatibilityLabel = (level: CompatibilityLevel | null, defaultLevel: CompatibilityLevel | null): string =>
  level ?? `default (${defaultLevel ?? 'unknown'})`;

/** Subjects whose name holds the text (case-insensitive), soft-deleted ones only when asked for. */
export function filterSubjects(
  list: readonly SubjectSummary[],
  text: string,
  includeDeleted: boolean,
): SubjectSummary[] {
  const q = text.trim().toLowerCase();
  return list.filter((s) => (includeDeleted || !s.deleted) && (!q || s.subject.toLowerCase().includes(q)));
}

/** Avro and JSON Schema are JSON; a .proto is shown as text. */
export const schemaLanguage = (type: SchemaType): 'json' | 'plaintext' => (type === 'PROTOBUF' ? 'plaintext' : 'json');

/** The registry keeps Avro and JSON Schema compact; shown (and diffed) indented. Text that is not JSON stays as it is. */
export function prettySchema(type: SchemaType, schema: string): string {
  if (type === 'PROTOBUF') return schema;
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}

/** A first draft for a subject with no version yet, named after it. */
export function draftTemplate(type: SchemaType, subject: string): string {
  const name =
    subject
      .replace(/-(key|value)$/, '')
      .replace(/[^A-Za-z0-9_]/g, '_')
      .replace(/^([^A-Za-z_])/, '_$1') || 'Record';
  const typeName = name.charAt(0).toUpperCase() + name.slice(1);
  if (type === 'PROTOBUF') return `syntax = "proto3";\n\nmessage ${typeName} {\n  string id = 1;\n}\n`;
  if (type === 'JSON')
    return JSON.stringify(
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: typeName,
        type: 'object',
        properties: { id: { type: 'string' } },
        required: ['id'],
      },
      null,
      2,
    );
  return JSON.stringify({ type: 'record', name: typeName, fields: [{ name: 'id', type: 'string' }] }, null, 2);
}

/**
 * The calls a delete takes: the registry deletes permanently only what was soft-deleted first, so a
 * permanent delete of something live is a soft delete, then the permanent one.
 */
export const deleteSteps = (permanent: boolean, alreadySoftDeleted: boolean): boolean[] =>
  !permanent ? [false] : alreadySoftDeleted ? [true] : [false, true];

/**
 * A row of a draft's references as typed: the name the schema uses for it (an Avro full name, a
 * Protobuf import path, a JSON Schema `$ref` URL), the subject serving it, and its version as text
 * (a number, or `latest`: the registry needs a number, so it is resolved before sending).
 */
export interface ReferenceRow {
  name: string;
  subject: string;
  version: string;
}

/** What is wrong with a row, field by field (absent: nothing). */
export interface ReferenceRowErrors {
  name?: string;
  subject?: string;
  version?: string;
}

export const emptyReferenceRow = (): ReferenceRow => ({ name: '', subject: '', version: 'latest' });

/** The rows of a registered version's references (a draft that starts from it keeps them). */
export const referenceRows = (refs: readonly SchemaReference[]): ReferenceRow[] =>
  refs.map((r) => ({ name: r.name, subject: r.subject, version: String(r.version) }));

/** What each kind of schema calls a reference, for the name field's hint. */
export const referenceNameHint = (type: SchemaType): string =>
  type === 'PROTOBUF' ? 'other.proto' : type === 'JSON' ? 'other.json' : 'namespace.Name';

const isLatest = (v: string) => v.trim().toLowerCase() === 'latest';
/** The version typed as a number; null when it is `latest`, undefined when it is neither. */
function versionNumber(v: string): number | null | undefined {
  if (isLatest(v)) return null;
  const t = v.trim();
  if (!/^[0-9]{1,9}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 ? n : undefined;
}

/** What can be told of the rows without asking the registry: empty or repeated names, no subject, a version that is not one. */
export function referenceFormErrors(rows: readonly ReferenceRow[]): ReferenceRowErrors[] {
  const names = rows.map((r) => r.name.trim());
  return rows.map((r, i) => {
    const e: ReferenceRowErrors = {};
    const name = names[i]!;
    if (!name) e.name = 'Enter the name the schema uses for it.';
    else if (name.length > 1000) e.name = 'At most 1000 characters.';
    else if (names.indexOf(name) !== i) e.name = 'Named in an earlier row too: each name refers to one schema.';
    const subject = r.subject.trim();
    if (!subject) e.subject = 'Choose the subject that holds it.';
    else if (subject.length > 1000) e.subject = 'At most 1000 characters.';
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    else if (/[\u0000-\u001f\u007f]/.test(subject)) e.subject = 'A subject name has no control characters.';
    if (versionNumber(r.version) === undefined) e.version = 'A version number (1, 2, …) or latest.';
    return e;
  });
}

const hasError = (e: ReferenceRowErrors) => e.name !== undefined || e.subject !== undefined || e.version !== undefined;

/** The subjects whose versions must be read to check the rows and resolve `latest` (those the form accepts). */
export function referenceSubjects(rows: readonly ReferenceRow[]): string[] {
  const errors = referenceFormErrors(rows);
  const out = new Set<string>();
  rows.forEach((r, i) => {
    if (errors[i]!.subject === undefined && errors[i]!.version === undefined) out.add(r.subject.trim());
  });
  return [...out];
}

/**
 * The references to send, or what is wrong with each row: the form's errors, then a subject the
 * registry does not serve (`versionsOf` answers null or no versions for it) or a version it does not
 * hold; `latest` becomes the subject's latest version number.
 */
export function resolveReferences(
  rows: readonly ReferenceRow[],
  versionsOf: ReadonlyMap<string, readonly number[] | null>,
): { ok: true; references: SchemaReference[] } | { ok: false; errors: ReferenceRowErrors[] } {
  const references: SchemaReference[] = [];
  const errors = referenceFormErrors(rows).map((e, i) => {
    const r = rows[i]!;
    const subject = r.subject.trim();
    const wanted = versionNumber(r.version);
    if (e.subject !== undefined || wanted === undefined) return e;
    const held = versionsOf.get(subject);
    if (!held?.length) return { ...e, subject: `The registry has no subject '${subject}'.` };
    const version = wanted ?? Math.max(...held);
    if (!held.includes(version))
      return { ...e, version: `'${subject}' has no version ${version} (it has ${held.join(', ')}).` };
    if (e.name === undefined) references.push({ name: r.name.trim(), subject, version });
    return e;
  });
  return errors.some(hasError) ? { ok: false, errors } : { ok: true, references };
}

/** The registry's subjects to offer for a reference: live ones holding the text typed, not the draft's own. */
export function referenceSubjectOptions(
  list: readonly SubjectSummary[],
  typed: string,
  own: string,
  limit = 50,
): string[] {
  const q = typed.trim().toLowerCase();
  return list
    .filter((s) => !s.deleted && s.subject !== own && (!q || s.subject.toLowerCase().includes(q)))
    .map((s) => s.subject)
    .slice(0, limit);
}
