import type {
  ConfigField,
  ConnectCluster,
  ConnectClusterInput,
  ConnectorState,
  ConnectorSummary,
  PemUpload,
} from '../../../electron/contract';

/**
 * The Connect cluster dialog's fields. A file field is `undefined` while untouched (the stored file
 * is kept), `null` to remove it, an upload to replace it; an empty password on an existing cluster
 * keeps the stored one.
 */
export interface ClusterForm {
  name: string;
  urls: string;
  username: string;
  password: string;
  verify: boolean;
  timeoutMs: number;
  allowPlainHttp: boolean;
  ca: PemUpload | null | undefined;
  clientCert: PemUpload | null | undefined;
  clientKey: PemUpload | null | undefined;
}

/** The dialog's fields for a new cluster (a worker on this machine), or for one saved. */
export function clusterForm(c: 'new' | ConnectCluster): ClusterForm {
  const files = { ca: undefined, clientCert: undefined, clientKey: undefined };
  return c === 'new'
    ? {
        name: 'Connect',
        urls: 'http://localhost:8083',
        username: '',
        password: '',
        verify: true,
        timeoutMs: 15_000,
        allowPlainHttp: false,
        ...files,
      }
    : {
        name: c.name,
        urls: c.urls.join('\n'),
        username: c.username,
        password: '',
        verify: c.verify,
        timeoutMs: c.timeoutMs,
        allowPlainHttp: c.allowPlainHttp,
        ...files,
      };
}

/** The URLs typed, one per line (or separated by spaces or commas). */
export const clusterUrls = (urls: string): string[] => urls.split(/[\s,]+/).filter(Boolean);

/** Basic auth to an http:// URL: the password would cross the network unencrypted. */
export const plainHttpWithAuth = (form: Pick<ClusterForm, 'username' | 'urls'>): boolean =>
  form.username.trim() !== '' && form.urls.split(/[\s,]+/).some((u) => /^http:\/\//i.test(u));

/**
 * What the dialog saves. A password is sent for a new cluster, or when one was typed; plain HTTP is
 * allowed only where it is asked about (basic auth to an http:// URL); a file only when changed.
 */
export function clusterInput(
  form: ClusterForm,
  editing: 'new' | ConnectCluster,
  connectionId: string,
): ConnectClusterInput {
  return {
    ...(editing !== 'new' ? { id: editing.id } : {}),
    connectionId,
    name: form.name,
    urls: clusterUrls(form.urls),
    username: form.username,
    ...(form.password || editing === 'new' ? { password: form.password } : {}),
    verify: form.verify,
    timeoutMs: form.timeoutMs,
    allowPlainHttp: plainHttpWithAuth(form) && form.allowPlainHttp,
    ...(form.ca !== undefined ? { ca: form.ca } : {}),
    ...(form.clientCert !== undefined ? { clientCert: form.clientCert } : {}),
    ...(form.clientKey !== undefined ? { clientKey: form.clientKey } : {}),
  };
}

export type StateFilter = ConnectorState | 'ALL';

/**
 * Connectors in the state chosen whose name or plugin holds the text. FAILED also finds a running
 * connector with a failed task: what a user looking for failures means.
 */
export function filterConnectors(list: ConnectorSummary[], state: StateFilter, text: string): ConnectorSummary[] {
  const q = text.trim().toLowerCase();
  return list.filter(
    (c) =>
      (state === 'ALL' || c.state === state || (state === 'FAILED' && c.tasksFailed > 0)) &&
      (!q || c.name.toLowerCase().includes(q) || c.className.toLowerCase().includes(q)),
  );
}

/** How many connectors each state filter finds (FAILED counting those with a failed task). */
export function stateCounts(list: ConnectorSummary[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of list) {
    m.set(c.state, (m.get(c.state) ?? 0) + 1);
    if (c.tasksFailed && c.state !== 'FAILED') m.set('FAILED', (m.get('FAILED') ?? 0) + 1);
  }
  return m;
}

export type OffsetEntry = { partition: Record<string, unknown>; offset: Record<string, unknown> | null };

/** The offsets typed as JSON (a list of partition / offset entries), or the sentence saying what is wrong. */
export function parseOffsets(text: string): { offsets: OffsetEntry[] } | { error: string } {
  let offsets: unknown;
  try {
    offsets = JSON.parse(text);
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(offsets) || !offsets.length)
    return { error: 'Give a list of {"partition": {…}, "offset": {…}} entries (an offset of null removes one).' };
  return { offsets: offsets as OffsetEntry[] };
}

/** The config sent to be validated: a connector not named yet validates as `new-connector`. */
export const validationConfig = (config: Record<string, string>, name: string): Record<string, string> => ({
  ...config,
  name: name || 'new-connector',
});

/**
 * A plugin's template: the config so far with the plugin's class, each required setting it lacks
 * with its default (empty without one), and one task unless set. Without the worker's fields
 * (validation failed) only the class and the task count are added.
 */
export function templateConfig(
  config: Record<string, string>,
  cls: string,
  fields: ConfigField[] | null,
): Record<string, string> {
  const out: Record<string, string> = { ...config, 'connector.class': cls };
  if (fields) {
    for (const f of fields) if (f.required && f.name !== 'name' && !(f.name in out)) out[f.name] = f.defaultValue ?? '';
    if (!('tasks.max' in out)) out['tasks.max'] = '1';
  }
  return out;
}

/** An existing connector's config as the editor starts from it (its name is a field of its own), and its plugin. */
export function draftFromConnector(config: Record<string, string>): { text: string; plugin: string | null } {
  const { name: _n, ...rest } = config;
  return { text: JSON.stringify(rest, null, 2), plugin: rest['connector.class'] ?? null };
}
