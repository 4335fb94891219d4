import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppError, ChannelInput, ChannelOutput, Transaction } from '../../../electron/contract';
import { api } from '../api';

type ListAsk = Omit<ChannelInput<'transactions.list'>, 'id'>;

/** The transactions of the open connection (the transactions screen), and the producers of the topic open in its detail. */
export const useTransactionsStore = defineStore('transactions', () => {
  const connectionId = ref<string | null>(null);
  const transactions = ref<Transaction[]>([]);
  const fetchedAt = ref<string | null>(null);
  const hungAfterMs = ref<number | null>(null);
  const loading = ref(false);
  const error = ref<AppError | null>(null);
  let run = 0;

  async function load(id: string, ask: ListAsk): Promise<void> {
    if (connectionId.value !== id) {
      transactions.value = [];
      fetchedAt.value = null;
      error.value = null;
    }
    connectionId.value = id;
    const mine = ++run;
    loading.value = true;
    const r = await api.transactions.list({ id, ...ask });
    if (mine !== run) return;
    loading.value = false;
    if (r.ok) {
      transactions.value = r.value.transactions;
      fetchedAt.value = r.value.fetchedAt;
      hungAfterMs.value = r.value.hungAfterMs;
    } else transactions.value = [];
    error.value = r.ok ? null : r.error;
  }

  /** The topic whose producers were read last (connection and name), and what they were. */
  const producersOf = ref<{ id: string; topic: string } | null>(null);
  const producers = ref<ChannelOutput<'transactions.producers'> | null>(null);
  const producersLoading = ref(false);
  const producersError = ref<AppError | null>(null);
  let producersRun = 0;

  async function loadProducers(id: string, topic: string): Promise<void> {
    const same = producersOf.value?.id === id && producersOf.value.topic === topic;
    if (!same) {
      producers.value = null;
      producersError.value = null;
    }
    producersOf.value = { id, topic };
    const mine = ++producersRun;
    producersLoading.value = true;
    const r = await api.transactions.producers({ id, topic });
    if (mine !== producersRun) return;
    producersLoading.value = false;
    producers.value = r.ok ? r.value : null;
    producersError.value = r.ok ? null : r.error;
  }

  return {
    connectionId,
    transactions,
    fetchedAt,
    hungAfterMs,
    loading,
    error,
    load,
    producersOf,
    producers,
    producersLoading,
    producersError,
    loadProducers,
  };
});
