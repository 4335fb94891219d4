import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppError, Preset, PresetInput, Result } from '../../../electron/contract';
import { api } from '../api';

/** Saved operations (presets): stored by the core in the data folder, shared with the CLI. */
export const usePresetsStore = defineStore('presets', () => {
  const items = ref<Preset[]>([]);
  const error = ref<AppError | null>(null);

  async function load(): Promise<void> {
    const r = await api.presets.list();
    if (r.ok) items.value = r.value;
    error.value = r.ok ? null : r.error;
  }

  async function save(input: PresetInput): Promise<Result<Preset>> {
    const r = await api.presets.save(input);
    if (r.ok) await load();
    return r;
  }

  async function remove(id: string): Promise<void> {
    await api.presets.delete({ id });
    await load();
  }

  return { items, error, load, save, remove };
});
