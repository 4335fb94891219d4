import { defineStore } from 'pinia';
import { ref } from 'vue';
import {
  exactFilter,
  type AclBinding,
  type AclBindingInput,
  type AclFilterInput,
  type AclFilterSpec,
  type AppError,
  type ChannelOutput,
  type Result,
} from '../../../electron/contract';
import { api } from '../api';

/** The ACLs of the open connection, as the filter bar asks for them, and the changes to them. */
export const useAclsStore = defineStore('acls', () => {
  const connectionId = ref<string | null>(null);
  const bindings = ref<AclBinding[]>([]);
  const fetchedAt = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<AppError | null>(null);
  /** The cluster has no authorizer: its sentence, the screen's empty state (not an error). */
  const noAuthorizer = ref<string | null>(null);
  let lastFilter: AclFilterInput = {};
  let run = 0;

  async function load(id: string, filter: AclFilterInput = lastFilter): Promise<void> {
    if (connectionId.value !== id) {
      bindings.value = [];
      fetchedAt.value = null;
      noAuthorizer.value = null;
      error.value = null;
    }
    connectionId.value = id;
    lastFilter = filter;
    const mine = ++run;
    loading.value = true;
    const r = await api.acls.list({ id, filter });
    if (mine !== run) return;
    loading.value = false;
    if (r.ok) {
      bindings.value = r.value.bindings;
      fetchedAt.value = r.value.fetchedAt;
    } else bindings.value = [];
    noAuthorizer.value = !r.ok && r.error.code === 'AUTHORIZER_DISABLED' ? r.error.message : null;
    error.value = r.ok || noAuthorizer.value ? null : r.error;
  }

  /** Creates the bindings; the list is read again (with the same filter) when they were. */
  async function create(id: string, list: AclBindingInput[]): Promise<Result<ChannelOutput<'acls.create'>>> {
    const r = await api.acls.create({ id, bindings: list });
    if (r.ok) await load(id);
    return r;
  }

  /** What the filters match, nothing deleted: the delete dialog's preview. */
  const preview = (id: string, filters: AclFilterInput[]) => api.acls.delete({ id, filters, dryRun: true });

  /**
   * Deletes exactly the bindings given (one exact filter each, so nothing created since the preview
   * goes with them); the list is read again.
   */
  async function remove(id: string, list: AclBinding[]): Promise<Result<ChannelOutput<'acls.delete'>>> {
    const filters = list.map(exactFilter).filter((f): f is AclFilterSpec => f !== null);
    const r = await api.acls.delete({ id, filters, dryRun: false });
    if (r.ok) await load(id);
    return r;
  }

  return { connectionId, bindings, fetchedAt, loading, error, noAuthorizer, load, create, preview, remove };
});
