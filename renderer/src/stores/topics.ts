import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppError, Result, TopicDetail } from '../../../electron/contract';
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

  /** Runs an admin action; on success the returned detail replaces the shown one. */
  async function apply(r: Promise<Result<TopicDetail>>): Promise<Result<TopicDetail>> {
    const result = await r;
    if (result.ok) detail.value = result.value;
    return result;
  }

  return { detail, loading, error, open, apply };
});
