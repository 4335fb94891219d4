import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppError, ConnectCluster, ConnectorSummary } from '../../../electron/contract';
import { api } from '../api';

/** The open connection's Kafka Connect clusters, the chosen one, and its connectors. */
export const useConnectStore = defineStore('connect', () => {
  const connectionId = ref<string | null>(null);
  const clusters = ref<ConnectCluster[]>([]);
  const clusterId = ref<string | null>(null);
  const connectors = ref<ConnectorSummary[]>([]);
  const fetchedAt = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<AppError | null>(null);

  async function loadClusters(id: string): Promise<void> {
    if (connectionId.value !== id) {
      clusters.value = [];
      connectors.value = [];
      clusterId.value = null;
    }
    connectionId.value = id;
    const r = await api.connect.listClusters({ connectionId: id });
    if (r.ok) {
      clusters.value = r.value;
      if (!clusterId.value || !r.value.some((c) => c.id === clusterId.value)) clusterId.value = r.value[0]?.id ?? null;
    } else error.value = r.error;
  }

  async function loadConnectors(): Promise<void> {
    const cid = clusterId.value;
    if (!cid) return;
    loading.value = true;
    const r = await api.connect.connectors({ clusterId: cid });
    if (clusterId.value !== cid) return;
    loading.value = false;
    if (r.ok) {
      connectors.value = r.value;
      fetchedAt.value = new Date().toISOString();
    }
    error.value = r.ok ? null : r.error;
  }

  return { connectionId, clusters, clusterId, connectors, fetchedAt, loading, error, loadClusters, loadConnectors };
});
