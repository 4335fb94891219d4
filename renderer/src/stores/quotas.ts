import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AppError,
  ChannelOutput,
  QuotaAlterationInput,
  QuotaEntry,
  QuotaFilterInput,
  Result,
} from '../../../electron/contract';
import { api } from '../api';

/** The client quotas of the open connection, as the kind filter asks for them, and the changes to them. */
export const useQuotasStore = defineStore('quotas', () => {
  const connectionId = ref<string | null>(null);
  const entries = ref<QuotaEntry[]>([]);
  const fetchedAt = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<AppError | null>(null);
  let lastFilter: QuotaFilterInput = {};
  let run = 0;

  async function load(id: string, filter: QuotaFilterInput = lastFilter): Promise<void> {
    if (connectionId.value !== id) {
      entries.value = [];
      fetchedAt.value = null;
      error.value = null;
    }
    connectionId.value = id;
    lastFilter = filter;
    const mine = ++run;
    loading.value = true;
    const r = await api.quotas.list({ id, filter });
    if (mine !== run) return;
    loading.value = false;
    if (r.ok) {
      entries.value = r.value.entries;
      fetchedAt.value = r.value.fetchedAt;
    }
    error.value = r.ok ? null : r.error;
  }

  /** Asks the broker whether it takes the change; nothing changes. */
  const check = (id: string, alteration: QuotaAlterationInput) =>
    api.quotas.alter({ id, entries: [alteration], validateOnly: true });

  /** Applies the change; the list is read again. */
  async function apply(id: string, alteration: QuotaAlterationInput): Promise<Result<ChannelOutput<'quotas.alter'>>> {
    const r = await api.quotas.alter({ id, entries: [alteration], validateOnly: false });
    if (r.ok) await load(id);
    return r;
  }

  return { connectionId, entries, fetchedAt, loading, error, load, check, apply };
});
