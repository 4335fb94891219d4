import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AppError,
  ChannelInput,
  ChannelOutput,
  Result,
  ScramMechanism,
  ScramUser,
} from '../../../electron/contract';
import { api } from '../api';

/** The SCRAM users of the open connection, and the changes to them. The store never keeps a password. */
export const useUsersStore = defineStore('users', () => {
  const connectionId = ref<string | null>(null);
  const users = ref<ScramUser[]>([]);
  const fetchedAt = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<AppError | null>(null);
  let run = 0;

  async function load(id: string): Promise<void> {
    if (connectionId.value !== id) {
      users.value = [];
      fetchedAt.value = null;
      error.value = null;
    }
    connectionId.value = id;
    const mine = ++run;
    loading.value = true;
    const r = await api.users.list({ id });
    if (mine !== run) return;
    loading.value = false;
    if (r.ok) {
      users.value = r.value.users;
      fetchedAt.value = r.value.fetchedAt;
    }
    error.value = r.ok ? null : r.error;
  }

  /** Creates a credential or changes its password; the list is read again when it was. */
  async function upsert(
    id: string,
    input: Omit<ChannelInput<'users.upsert'>, 'id'>,
  ): Promise<Result<ChannelOutput<'users.upsert'>>> {
    const r = await api.users.upsert({ id, ...input });
    if (r.ok) await load(id);
    return r;
  }

  /** Deletes one mechanism's credential, or (none) the whole user; the list is read again. */
  async function remove(
    id: string,
    name: string,
    mechanism?: ScramMechanism,
  ): Promise<Result<ChannelOutput<'users.delete'>>> {
    const r = await api.users.delete({ id, name, ...(mechanism ? { mechanism } : {}) });
    if (r.ok) await load(id);
    return r;
  }

  return { connectionId, users, fetchedAt, loading, error, load, upsert, remove };
});
