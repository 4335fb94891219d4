import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AppError,
  ChannelInput,
  ChannelOutput,
  OngoingReassignment,
  ReplicaAssignment,
} from '../../../electron/contract';
import { api } from '../api';
import type { PlanRequest } from './reassignmentForms';

/** How often a reassignment in progress is asked about while the window follows it. */
const FOLLOW_EVERY_MS = 1500;

/**
 * Partitions and replicas of the open connection: plans, a reassignment followed until it is done,
 * its cancel, leader elections, and the cluster's partition health.
 */
export const useReassignmentStore = defineStore('reassignment', () => {
  const health = ref<ChannelOutput<'partitions.health'> | null>(null);
  const healthFor = ref<string | null>(null);
  const healthLoading = ref(false);
  const healthError = ref<AppError | null>(null);

  /** The reassignments in progress of the topics followed (empty: done), as last asked. */
  const ongoing = ref<OngoingReassignment[]>([]);
  const following = ref(false);
  const followError = ref<AppError | null>(null);
  let followRun = 0;

  async function loadHealth(id: string): Promise<void> {
    if (healthFor.value !== id) health.value = null;
    healthFor.value = id;
    healthLoading.value = true;
    const r = await api.partitions.health({ id });
    if (healthFor.value !== id) return;
    healthLoading.value = false;
    if (r.ok) health.value = r.value;
    healthError.value = r.ok ? null : r.error;
  }

  /** The brokers (with racks) a plan may use. */
  const brokers = async (id: string) => {
    const r = await api.cluster.describe({ id });
    return r.ok ? ({ ok: true, value: r.value.brokers } as const) : r;
  };
  const plan = (id: string, request: PlanRequest) => api.partitions.plan({ id, ...request });
  const reassign = (id: string, assignment: ReplicaAssignment[]) =>
    api.partitions.reassign({ id, plan: { partitions: assignment }, dryRun: false });

  /** Asks once; answers whether anything is still moving. */
  async function poll(id: string, topics: string[]): Promise<boolean> {
    const r = await api.partitions.reassignments({ id, topics });
    if (!r.ok) {
      followError.value = r.error;
      return false;
    }
    followError.value = null;
    ongoing.value = r.value.reassignments;
    return r.value.reassignments.length > 0;
  }

  /** Follows the topics' reassignments until none is listed (or `stop`); answers when it ends. */
  async function follow(id: string, topics: string[]): Promise<void> {
    const mine = ++followRun;
    following.value = true;
    try {
      while (mine === followRun && (await poll(id, topics))) {
        await new Promise((r) => setTimeout(r, FOLLOW_EVERY_MS));
      }
    } finally {
      if (mine === followRun) following.value = false;
    }
  }
  function stop(): void {
    followRun++;
    following.value = false;
  }

  const cancel = (id: string, topic: string) => api.partitions.cancelReassignment({ id, topic });
  const electLeaders = (id: string, input: Omit<ChannelInput<'partitions.electLeaders'>, 'id'>) =>
    api.partitions.electLeaders({ id, ...input });

  return {
    health,
    healthLoading,
    healthError,
    loadHealth,
    ongoing,
    following,
    followError,
    brokers,
    plan,
    reassign,
    poll,
    follow,
    stop,
    cancel,
    electLeaders,
  };
});
