import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AppError,
  ChannelInput,
  ChannelOutput,
  ConfigResource,
  ConfigsDescription,
  Result,
} from '../../../electron/contract';
import { api } from '../api';

const keyOf = (id: string, r: ConfigResource) => `${id}/${JSON.stringify(r)}`;

/** The configs of the broker (or cluster default) on screen, and the changes to them. */
export const useConfigsStore = defineStore('configs', () => {
  const key = ref<string | null>(null);
  const description = ref<ConfigsDescription | null>(null);
  const loading = ref(false);
  const error = ref<AppError | null>(null);

  async function load(id: string, resource: ConfigResource): Promise<void> {
    const k = keyOf(id, resource);
    if (key.value !== k) {
      description.value = null;
      error.value = null;
    }
    key.value = k;
    loading.value = true;
    const r = await api.configs.describe({ id, resource, documentation: true });
    if (key.value !== k) return;
    loading.value = false;
    if (r.ok) description.value = r.value;
    error.value = r.ok ? null : r.error;
  }

  /**
   * Sends one change (or only has the broker check it); a change applied replaces the configs shown
   * with those the broker now has, read back with their documentation.
   */
  async function alter(input: ChannelInput<'configs.alter'>): Promise<Result<ChannelOutput<'configs.alter'>>> {
    const r = await api.configs.alter(input);
    if (r.ok && !r.value.validateOnly && key.value === keyOf(input.id, input.resource))
      await load(input.id, input.resource);
    return r;
  }

  return { description, loading, error, load, alter };
});
