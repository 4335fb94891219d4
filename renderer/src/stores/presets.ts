import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppError, ChannelOutput, Preset, PresetInput, Result } from '../../../electron/contract';
import { api } from '../api';
import { downloadText } from '../ui/download';

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

  /** Saves the presets (all, or the ones named) as a file through the browser's download; no secrets travel in it. */
  async function exportToFile(ids?: string[]): Promise<Result<{ count: number }>> {
    const r = await api.presets.export(ids ? { ids } : {});
    if (!r.ok) return r;
    downloadText('kafka-desk-presets.json', r.value.json);
    return { ok: true, value: { count: r.value.count } };
  }

  /** Imports a presets file, keeping the connection names in it or running them all on `connectionName`. */
  async function importFile(
    json: string,
    connectionName: string | null,
  ): Promise<Result<ChannelOutput<'presets.import'>>> {
    const r = await api.presets.import({ json, ...(connectionName ? { connectionName } : {}) });
    if (r.ok) await load();
    return r;
  }

  return { items, error, load, save, remove, exportToFile, importFile };
});
