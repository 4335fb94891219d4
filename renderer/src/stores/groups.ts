import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppError, ConsumerGroupDetail, ConsumerGroupSummary } from '../../../electron/contract';
import { api } from '../api';

/** Consumer groups of the open connection, and the group open in the detail view. */
export const useGroupsStore = defineStore('groups', () => {
  const connectionId = ref<string | null>(null);
  const list = ref<ConsumerGroupSummary[]>([]);
  const listFetchedAt = ref<string | null>(null);
  const detail = ref<ConsumerGroupDetail | null>(null);
  const loading = ref(false);
  const error = ref<AppError | null>(null);

  async function loadList(id: string): Promise<void> {
    if (connectionId.value !== id) list.value = [];
    connectionId.value = id;
    loading.value = true;
    const r = await api.groups.list({ id });
    if (connectionId.value !== id) return;
    loading.value = false;
    if (r.ok) {
      list.value = r.value;
      listFetchedAt.value = new Date().toISOString();
    }
    error.value = r.ok ? null : r.error;
  }

  async function open(id: string, groupId: string): Promise<void> {
    if (detail.value?.groupId !== groupId) detail.value = null;
    connectionId.value = id;
    loading.value = true;
    const r = await api.groups.describe({ id, groupId });
    loading.value = false;
    if (r.ok) detail.value = r.value;
    error.value = r.ok ? null : r.error;
  }

  return { connectionId, list, listFetchedAt, detail, loading, error, loadList, open };
});
