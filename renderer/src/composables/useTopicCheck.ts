import { computed, onBeforeUnmount, reactive, watch } from 'vue';
import { api } from '../api';

/**
 * Which of the chosen topic names the cluster does not have. A name is called missing only against
 * a list fetched fresh from the cluster after it was picked (never the offline copy, never while
 * loading, never after an error), so a topic created a moment ago elsewhere is not flagged, and an
 * offline window warns about nothing. `names` is that fresh list, for suggestions.
 */
export function useTopicCheck(connectionId: () => string | null | undefined, chosen: () => string[]) {
  const state = reactive({
    for: null as string | null,
    names: [] as string[],
    internal: new Set<string>(),
    at: 0,
    ok: false,
    loading: false,
  });
  const known = computed(() => new Set(state.names));
  /** When each name was picked (ms): it is checked against a list fetched after that. */
  const pickedAt = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  async function check(): Promise<void> {
    const id = connectionId();
    if (!id) return;
    const mine = ++seq;
    const started = Date.now();
    state.loading = true;
    const r = await api.topics.list({ id, includeInternal: true });
    if (mine !== seq) return;
    state.loading = false;
    state.for = id;
    state.at = started;
    state.ok = r.ok && r.value.fromCache === null;
    if (r.ok) {
      state.names = r.value.topics.map((t) => t.name);
      state.internal = new Set(r.value.topics.filter((t) => t.internal).map((t) => t.name));
    }
  }
  function schedule(ms: number) {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), ms);
  }
  watch(
    connectionId,
    () => {
      state.ok = false;
      pickedAt.clear();
      schedule(0);
    },
    { immediate: true },
  );
  watch(
    () => chosen().join('\n'),
    () => {
      const fresh = chosen().filter((n) => n && !pickedAt.has(n));
      for (const n of fresh) pickedAt.set(n, Date.now());
      // a name the last list does not hold is checked again (after typing pauses)
      if (fresh.some((n) => !known.value.has(n))) schedule(350);
    },
  );
  onBeforeUnmount(() => clearTimeout(timer));

  const missing = computed(() => {
    if (!state.ok || state.loading || state.for !== connectionId()) return [];
    return [...new Set(chosen())].filter((n) => n && !known.value.has(n) && (pickedAt.get(n) ?? 0) <= state.at);
  });
  /** Topics applications write to (internal ones left out), sorted. */
  const suggestions = computed(() =>
    state.names.filter((n) => !state.internal.has(n)).sort((a, b) => a.localeCompare(b)),
  );
  return { missing, suggestions, recheck: check };
}
