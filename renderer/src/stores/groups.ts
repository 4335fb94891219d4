import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AppError,
  ConsumerGroupDetail,
  ConsumerGroupSummary,
  GroupResetResult,
  ResetStrategy,
  Result,
} from '../../../electron/contract';
import { api } from '../api';

/** Groups whose lag the list reads (one detail request each, four at a time). */
export const LAG_LIMIT = 500;

/** Consumer groups of the open connection, and the group open in the detail view. */
export const useGroupsStore = defineStore('groups', () => {
  const connectionId = ref<string | null>(null);
  const list = ref<ConsumerGroupSummary[]>([]);
  const listFetchedAt = ref<string | null>(null);
  const detail = ref<ConsumerGroupDetail | null>(null);
  const loading = ref(false);
  const error = ref<AppError | null>(null);
  /**
   * Total lag per group of the list (a string: 64-bit), from each group's detail as the group screen
   * shows it; null when it could not be read; absent while it is being read or beyond LAG_LIMIT.
   */
  const lags = ref<Record<string, string | null>>({});
  let lagRun = 0;

  /** Reads the lag of the listed groups, a few at a time, the first LAG_LIMIT of them. */
  async function loadLags(id: string): Promise<void> {
    const run = ++lagRun;
    const queue = list.value.slice(0, LAG_LIMIT).map((g) => g.groupId);
    const worker = async () => {
      for (let g = queue.shift(); g !== undefined; g = queue.shift()) {
        const r = await api.groups.describe({ id, groupId: g });
        if (run !== lagRun || connectionId.value !== id) return;
        lags.value = { ...lags.value, [g]: r.ok ? r.value.totalLag : null };
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  }

  async function loadList(id: string): Promise<void> {
    if (connectionId.value !== id) {
      list.value = [];
      lags.value = {};
    }
    connectionId.value = id;
    loading.value = true;
    const r = await api.groups.list({ id });
    if (connectionId.value !== id) return;
    loading.value = false;
    if (r.ok) {
      list.value = r.value;
      listFetchedAt.value = new Date().toISOString();
      void loadLags(id);
    }
    error.value = r.ok ? null : r.error;
  }

  async function open(id: string, groupId: string): Promise<void> {
    if (detail.value?.groupId !== groupId) detail.value = null;
    if (connectionId.value !== id) {
      list.value = [];
      lags.value = {};
    }
    connectionId.value = id;
    loading.value = true;
    const r = await api.groups.describe({ id, groupId });
    loading.value = false;
    if (r.ok) {
      detail.value = r.value;
      if (groupId in lags.value) lags.value = { ...lags.value, [groupId]: r.value.totalLag };
    }
    error.value = r.ok ? null : r.error;
  }

  /** Previews (`dryRun`) or applies a reset of the group's offsets on a topic; once applied, the group is read again. */
  async function resetOffsets(
    id: string,
    groupId: string,
    topic: string,
    strategy: ResetStrategy,
    dryRun: boolean,
  ): Promise<Result<GroupResetResult>> {
    const r = await api.groups.resetOffsets({ id, groupId, topic, strategy, dryRun });
    if (r.ok && r.value.applied) await open(id, groupId);
    return r;
  }

  const remove = (id: string, groupId: string) => api.groups.delete({ id, groupId });

  return { connectionId, list, listFetchedAt, detail, loading, error, lags, loadList, open, resetOffsets, remove };
});
