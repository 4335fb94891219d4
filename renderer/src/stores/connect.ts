import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AppError,
  ConnectCheck,
  ConnectCluster,
  ConnectClusterInput,
  ConnectorSummary,
  Result,
} from '../../../electron/contract';
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

  /** Asks the chosen Connect cluster for its version and Kafka cluster (compared with the connection's). */
  const check = (id: string): Promise<Result<ConnectCheck>> => api.connect.check({ clusterId: id });

  /** Saves a Connect cluster of the connection, then lists the clusters again with it chosen. */
  async function saveCluster(input: ConnectClusterInput): Promise<Result<ConnectCluster>> {
    const r = await api.connect.saveCluster(input);
    if (!r.ok) return r;
    await loadClusters(input.connectionId);
    clusterId.value = r.value.id;
    await loadConnectors();
    return r;
  }

  async function removeCluster(connection: string, id: string): Promise<void> {
    await api.connect.deleteCluster({ clusterId: id });
    await loadClusters(connection);
    await loadConnectors();
  }

  /** A connection's Connect clusters, read without changing the one shown here (a connector preset opens on the first). */
  const clustersOf = (connection: string): Promise<Result<ConnectCluster[]>> =>
    api.connect.listClusters({ connectionId: connection });

  return {
    connectionId,
    clusters,
    clusterId,
    connectors,
    fetchedAt,
    loading,
    error,
    loadClusters,
    loadConnectors,
    check,
    saveCluster,
    removeCluster,
    clustersOf,
  };
});
