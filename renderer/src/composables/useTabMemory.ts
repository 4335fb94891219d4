import { useRoute } from 'vue-router';
import type { AppError } from '../../../electron/contract';
import { api } from '../api';
import { useTabsStore } from '../stores/tabs';

const PREFIX = 'kafka-desk.tab-run.';

/**
 * What a tab's screen remembers across a reload (F5) and a restart: its form and its last run — the
 * session (and Listen) in the core whose rows it shows. Kept in localStorage under the tab's id (the
 * route's `tab` query; tabs are listed again after a restart, so the tab finds it again), forgotten
 * when the screen goes away (its tab closed), and for tabs no longer open at the next save. Outside a
 * tab (no `tab` query) nothing is kept.
 *
 * The saved text is read back as hostile input: whoever reads it validates every field.
 */
export function useTabMemory(kind: 'consume' | 'listen') {
  const route = useRoute();
  const tabs = useTabsStore();
  const tabId =
    typeof route.query.tab === 'string' && /^[a-z0-9]{1,40}$/i.test(route.query.tab) ? route.query.tab : null;
  const key = tabId && `${PREFIX}${kind}.${tabId}`;

  function read(): Record<string, unknown> | null {
    if (!key) return null;
    try {
      const raw = JSON.parse(localStorage.getItem(key) ?? 'null') as unknown;
      return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  function write(value: Record<string, unknown>): void {
    if (!key) return;
    try {
      localStorage.setItem(key, JSON.stringify(value));
      // tabs closed while their screen was never shown again leave nothing behind
      const open = new Set(tabs.tabs.map((t) => t.id));
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const k = localStorage.key(i);
        const id = k?.startsWith(PREFIX) ? k.slice(k.lastIndexOf('.') + 1) : null;
        if (k && id && id !== tabId && !open.has(id)) localStorage.removeItem(k);
      }
    } catch {
      // storage full or locked: the tab simply does not come back after a reload
    }
  }
  function forget(): void {
    if (key) localStorage.removeItem(key);
  }
  return { enabled: key !== null, read, write, forget };
}

/** A remembered run, asked of the core again: still kept (with the Listen's status), or gone and why, in one sentence. */
export type Reopened =
  | { kept: true; instance: string; count: number; listen: import('../../../electron/contract').ListenStatus | null }
  | { kept: false; sentence: string; error?: AppError };

/**
 * Whether the session a tab remembers is still the one it was: the core's `instance` changes with
 * each start (a session id then names another run, or nothing), and a store keeps only the last few.
 */
export async function reopenSession(
  saved: { instance: string; sessionId: number; listenId?: string },
  what: { gone: string; again: string },
): Promise<Reopened> {
  const r = await api.sessions.describe({
    sessionId: saved.sessionId,
    ...(saved.listenId ? { listenId: saved.listenId } : {}),
  });
  if (!r.ok)
    return { kept: false, sentence: `${what.gone} could not be opened again: ${r.error.message}`, error: r.error };
  if (r.value.instance !== saved.instance)
    return { kept: false, sentence: `${what.gone} are gone: the app was restarted. ${what.again}` };
  if (!r.value.session)
    return {
      kept: false,
      sentence: `${what.gone} are no longer kept (only the last few reads and Listens are). ${what.again}`,
    };
  return { kept: true, instance: r.value.instance, count: r.value.session.count, listen: r.value.listen };
}

/** The core's instance now, for remembering a session just made (null when it cannot be asked). */
export async function sessionInstance(sessionId: number): Promise<string | null> {
  const r = await api.sessions.describe({ sessionId });
  return r.ok && r.value.session ? r.value.instance : null;
}

/**
 * Copies the saved fields that have the type of the form's own (everything else is ignored). An empty
 * array takes strings; a field that is null in the form takes what `nullable` names for it.
 */
export function restoreFields<T extends object>(
  form: T,
  saved: unknown,
  nullable: Record<string, 'number' | 'string'> = {},
): boolean {
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) return false;
  let any = false;
  const target = form as Record<string, unknown>;
  for (const [k, v] of Object.entries(saved as Record<string, unknown>)) {
    if (!Object.prototype.hasOwnProperty.call(target, k)) continue;
    const cur = target[k];
    const same = Array.isArray(cur)
      ? Array.isArray(v) && v.length <= 10_000 && v.every((x) => typeof x === (cur.length ? typeof cur[0] : 'string'))
      : cur === null
        ? v === null || (nullable[k] !== undefined && typeof v === nullable[k])
        : typeof v === typeof cur && v !== null;
    if (!same || (typeof v === 'string' && v.length > 100_000) || (typeof v === 'number' && !Number.isFinite(v)))
      continue;
    target[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
    any = true;
  }
  return any;
}
