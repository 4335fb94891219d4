import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppError, ClusterDescription, TopicSummary } from '../../../electron/contract';
import { api } from '../api';

/** What the cluster view shows for the open connection. */
export const useClusterStore = defineStore('cluster', () => {
  const connectionId = ref<string | null>(null);
  const description = ref<ClusterDescription | null>(null);
  const topics = ref<TopicSummary[]>([]);
  const loading = ref(false);
  const error = ref<AppError | null>(null);

  async function open(id: string): Promise<void> {
    if (connectionId.value !== id) {
      description.value = null;
      topics.value = [];
    }
    connectionId.value = id;
    loading.value = true;
    error.value = null;
    const [d, t] = await Promise.all([api.cluster.describe({ id }), api.topics.list({ id, includeInternal: true })]);
    if (connectionId.value !== id) return;
    loading.value = false;
    if (d.ok) description.value = d.value;
    if (t.ok) topics.value = t.value;
    error.value = !d.ok ? d.error : !t.ok ? t.error : null;
  }

  return { connectionId, description, topics, loading, error, open };
});
