import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AppError,
  ChannelInput,
  ClusterOverview,
  FromCache,
  LogDirFailure,
  Result,
  TopicDetail,
  TopicSummary,
} from '../../../electron/contract';
import { api } from '../api';

/** The open connection's cluster: overview (brokers, counts) and the topic list. */
export const useClusterStore = defineStore('cluster', () => {
  const connectionId = ref<string | null>(null);
  const overview = ref<ClusterOverview | null>(null);
  const topics = ref<TopicSummary[]>([]);
  const topicsFetchedAt = ref<string | null>(null);
  /** Set when the topics shown are the last ones fetched: the cluster cannot be reached now. */
  const topicsFromCache = ref<FromCache | null>(null);
  /** The brokers that did not tell their sizes on disk (the others' are shown). */
  const sizeFailures = ref<LogDirFailure[]>([]);
  const loading = ref(false);
  const error = ref<AppError | null>(null);

  function switchTo(id: string): void {
    if (connectionId.value !== id) {
      overview.value = null;
      topics.value = [];
      topicsFetchedAt.value = null;
      error.value = null;
    }
    connectionId.value = id;
  }

  async function loadOverview(id: string): Promise<void> {
    switchTo(id);
    loading.value = true;
    const r = await api.cluster.overview({ id });
    if (connectionId.value !== id) return;
    loading.value = false;
    if (r.ok) overview.value = r.value;
    error.value = r.ok ? null : r.error;
  }

  async function loadTopics(id: string): Promise<void> {
    switchTo(id);
    loading.value = true;
    const r = await api.topics.list({ id, includeInternal: true, withCounts: true, withSizes: true });
    if (connectionId.value !== id) return;
    loading.value = false;
    if (r.ok) {
      topics.value = r.value.topics;
      topicsFetchedAt.value = r.value.fetchedAt;
      topicsFromCache.value = r.value.fromCache;
      sizeFailures.value = r.value.sizeFailures ?? [];
    }
    error.value = r.ok ? null : r.error;
  }

  /**
   * Creates a topic; on success the topic list is read again (with it), unless `readList` is false:
   * a topic created beside a topic field may be on another connection than the list's, and that
   * field reads its own list again.
   */
  async function createTopic(
    input: ChannelInput<'topics.create'>,
    { readList = true } = {},
  ): Promise<Result<TopicDetail>> {
    const r = await api.topics.create(input);
    if (r.ok && readList) await loadTopics(input.id);
    return r;
  }

  return {
    connectionId,
    overview,
    topics,
    topicsFetchedAt,
    topicsFromCache,
    sizeFailures,
    loading,
    error,
    loadOverview,
    loadTopics,
    createTopic,
  };
});
