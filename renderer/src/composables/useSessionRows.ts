import { computed, onBeforeUnmount, watch } from 'vue';
import { api } from '../api';
import type { FetchRows } from '../components/MessageTable.vue';

/**
 * The rows of a session in main's store, for the message table (it asks for the rows it shows). With
 * `owned`, the session belongs to this screen's runs: it is let go when the next run replaces it or the
 * screen goes away (its tab closed; a reload never unmounts).
 */
export function useSessionRows(sessionId: () => number | undefined, owned = false) {
  const fetchRows = computed<FetchRows | null>(() => {
    const id = sessionId();
    return id === undefined ? null : (q) => api.sessions.rows({ sessionId: id, ...q });
  });
  if (owned) {
    watch(sessionId, (_, old) => {
      if (old !== undefined) void api.sessions.discard({ sessionId: old });
    });
    onBeforeUnmount(() => {
      const id = sessionId();
      if (id !== undefined) void api.sessions.discard({ sessionId: id });
    });
  }
  return { fetchRows };
}
