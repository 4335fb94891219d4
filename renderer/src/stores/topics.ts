import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppError, ChannelInput, Result, TopicDetail } from '../../../electron/contract';
import { api } from '../api';

/** The topic open in the detail view, and the admin actions on it. */
export const useTopicStore = defineStore('topic', () => {
  const key = ref<string | null>(null);
  const detail = ref<TopicDetail | null>(null);
  const loading = ref(false);
  const error = ref<AppError | null>(null);

  async function open(id: string, name: string): Promise<void> {
    const k = `${id}/${name}`;
    if (key.value !== k) detail.value = null;
    key.value = k;
    loading.value = true;
    const r = await api.topics.describe({ id, name });
    if (key.value !== k) return;
    loading.value = false;
    if (r.ok) detail.value = r.value;
    error.value = r.ok ? null : r.error;
  }

  /** An admin action's reply is the topic as it is now: on success it replaces the shown one. */
  async function apply(r: Promise<Result<TopicDetail>>): Promise<Result<TopicDetail>> {
    const result = await r;
    if (result.ok) detail.value = result.value;
    return result;
  }
  type Target = { id: string; name: string };
  const alterConfigs = (t: Target, change: Pick<ChannelInput<'topics.alterConfigs'>, 'set' | 'reset'>) =>
    apply(api.topics.alterConfigs({ ...t, ...change }));
  const addPartitions = (t: Target, totalCount: number) => apply(api.topics.addPartitions({ ...t, totalCount }));
  const deleteRecords = (t: Target, before: ChannelInput<'topics.deleteRecords'>['before']) =>
    apply(api.topics.deleteRecords({ ...t, before }));
  /** Deletes the topic; `confirmName` is the name typed again (the core checks it matches). */
  const remove = (t: Target, confirmName: string) => api.topics.delete({ ...t, confirmName });

  return { detail, loading, error, open, alterConfigs, addPartitions, deleteRecords, remove };
});
