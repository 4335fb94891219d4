import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type {
  AppError,
  AppInfo,
  Connection,
  ConnectionImportResult,
  DoctorReport,
  ConnectionInput,
  ConnectionTestResult,
  ImportFormat,
  Result,
} from '../../../electron/contract';
import { api } from '../api';
import { downloadText } from '../ui/download';

/** Saved connections as the core reports them (secrets reduced to "set / not set"). */
export const useConnectionsStore = defineStore('connections', () => {
  const items = ref<Connection[]>([]);
  const loaded = ref(false);
  const loadError = ref<AppError | null>(null);
  const appInfo = ref<AppInfo | null>(null);

  const byId = computed(() => new Map(items.value.map((c) => [c.id, c])));

  async function load(): Promise<void> {
    const [list, info] = await Promise.all([api.connections.list(), appInfo.value ? null : api.app.info()]);
    if (info?.ok) appInfo.value = info.value;
    if (list.ok) {
      items.value = list.value;
      loadError.value = null;
    } else {
      loadError.value = list.error;
    }
    loaded.value = true;
  }

  function upsert(c: Connection): void {
    const i = items.value.findIndex((x) => x.id === c.id);
    if (i >= 0) items.value.splice(i, 1, c);
    else items.value.push(c);
    items.value.sort((a, b) => a.name.localeCompare(b.name));
  }

  async function save(input: ConnectionInput): Promise<Result<Connection>> {
    const r = await api.connections.save(input);
    if (r.ok) upsert(r.value);
    return r;
  }

  async function remove(id: string): Promise<Result<{ deleted: boolean }>> {
    const r = await api.connections.delete({ id });
    if (r.ok) items.value = items.value.filter((c) => c.id !== id);
    return r;
  }

  function importConfig(input: {
    format: ImportFormat;
    text: string;
    name?: string;
  }): Promise<Result<ConnectionImportResult>> {
    return api.connections.import(input);
  }

  async function duplicate(id: string): Promise<Result<Connection>> {
    const r = await api.connections.duplicate({ id });
    if (r.ok) upsert(r.value);
    return r;
  }

  /** Saves the export (no secrets) as a dated file through the browser's download. */
  async function exportToFile(now = new Date()): Promise<Result<{ count: number }>> {
    const r = await api.connections.export({});
    if (!r.ok) return r;
    downloadText(`kafka-desk-connections-${now.toISOString().slice(0, 10)}.json`, r.value.json);
    return { ok: true, value: { count: r.value.count } };
  }

  function doctor(input: { id: string } | { connection: ConnectionInput }): Promise<Result<DoctorReport>> {
    return api.connections.doctor(input);
  }

  function test(input: { id: string } | { connection: ConnectionInput }): Promise<Result<ConnectionTestResult>> {
    return api.connections.test(input);
  }

  api.on('connections.changed', (e) => {
    if (e.reason === 'deleted') items.value = items.value.filter((c) => c.id !== e.id);
    else if (e.connection) upsert(e.connection);
  });

  return {
    items,
    loaded,
    loadError,
    appInfo,
    byId,
    load,
    save,
    remove,
    test,
    doctor,
    importConfig,
    duplicate,
    exportToFile,
  };
});
