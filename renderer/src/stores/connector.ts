import { ref } from 'vue';
import type { AppError, ConfigField, ConnectorDetail, Result } from '../../../electron/contract';
import { api } from '../api';
import { draftFromConnector, templateConfig, validationConfig, type OffsetEntry } from './connectForms';

/** Which connector, on which Connect cluster. */
export interface ConnectorRef {
  clusterId: string;
  name: string;
}

/**
 * One connector as its screen shows it, with the actions on it. Each screen (a tab) holds its own:
 * several connectors can be open side by side. An action's reply replaces the detail shown.
 */
export function useConnector(target: () => ConnectorRef) {
  const detail = ref<ConnectorDetail | null>(null);
  const error = ref<AppError | null>(null);
  /** The action running (`pause`, `task-0`, `reset`…), for its button's spinner. */
  const busy = ref<string | null>(null);

  /** Reads the connector again; what was shown stays when that fails. */
  async function load(): Promise<void> {
    const r = await api.connect.connector(target());
    if (r.ok) detail.value = r.value;
    error.value = r.ok ? null : r.error;
  }
  async function act(what: string, call: () => Promise<Result<ConnectorDetail>>): Promise<Result<ConnectorDetail>> {
    busy.value = what;
    const r = await call();
    busy.value = null;
    if (r.ok) {
      detail.value = r.value;
      error.value = null;
    } else error.value = r.error;
    return r;
  }
  const action = (a: 'pause' | 'resume' | 'stop' | 'restart', includeTasks = false, onlyFailed = false) =>
    act(a, () => api.connect.action({ ...target(), action: a, includeTasks, onlyFailed }));
  const restartTask = (task: number) => act(`task-${task}`, () => api.connect.restartTask({ ...target(), task }));
  const resetOffsets = () => act('reset', () => api.connect.resetOffsets(target()));
  const alterOffsets = (offsets: OffsetEntry[]) =>
    act('alter', () => api.connect.alterOffsets({ ...target(), offsets }));
  async function remove(): Promise<Result<{ deleted: boolean }>> {
    const r = await api.connect.delete(target());
    if (!r.ok) error.value = r.error;
    return r;
  }
  return { detail, error, busy, load, action, restartTask, resetOffsets, alterOffsets, remove };
}

/**
 * Creating or editing a connector on a Connect cluster: the plugins to start from, the worker's
 * validation of a config (each field's errors and docs), and saving.
 */
export function useConnectorEditor(clusterId: () => string) {
  const plugins = ref<{ className: string; type: string; version: string }[]>([]);
  const fields = ref<ConfigField[]>([]);
  /** null until validated. */
  const errorCount = ref<number | null>(null);
  const error = ref<AppError | null>(null);
  const busy = ref(false);

  async function loadPlugins(): Promise<void> {
    const p = await api.connect.plugins({ clusterId: clusterId() });
    if (p.ok) plugins.value = p.value;
    else error.value = p.error;
  }
  /** The config of a connector to edit or to clone, as the editor starts from it; null (with the error) when it cannot be read. */
  async function loadSource(name: string): Promise<{ text: string; plugin: string | null } | null> {
    const r = await api.connect.connector({ clusterId: clusterId(), name });
    if (!r.ok) {
      error.value = r.error;
      return null;
    }
    return draftFromConnector(r.value.config);
  }
  /** A plugin's template, from the config so far (the worker names the plugin's required settings). */
  async function template(config: Record<string, string>, cls: string, name: string): Promise<Record<string, string>> {
    const withClass = { ...config, 'connector.class': cls };
    const v = await api.connect.validate({ clusterId: clusterId(), config: validationConfig(withClass, name) });
    fields.value = [];
    errorCount.value = null;
    return templateConfig(config, cls, v.ok ? v.value.fields : null);
  }
  async function validate(config: Record<string, string>, name: string): Promise<void> {
    busy.value = true;
    const r = await api.connect.validate({ clusterId: clusterId(), config: validationConfig(config, name) });
    busy.value = false;
    if (!r.ok) {
      error.value = r.error;
      return;
    }
    error.value = null;
    fields.value = r.value.fields;
    errorCount.value = r.value.errorCount;
  }
  /**
   * Creates the connector, or updates the one edited. Refused by the worker's validation, each
   * message is put next to its field (validating again) and the error stays above.
   */
  async function save(
    editing: boolean,
    name: string,
    config: Record<string, string>,
  ): Promise<Result<ConnectorDetail>> {
    busy.value = true;
    const r = editing
      ? await api.connect.update({ clusterId: clusterId(), name, config })
      : await api.connect.create({ clusterId: clusterId(), name: name.trim(), config });
    busy.value = false;
    if (!r.ok) {
      if (r.error.code === 'INVALID_INPUT' && r.error.fields?.some((f) => f.path.startsWith('config.')))
        await validate(config, name);
      error.value = r.error;
    }
    return r;
  }
  return { plugins, fields, errorCount, error, busy, loadPlugins, loadSource, template, validate, save };
}
