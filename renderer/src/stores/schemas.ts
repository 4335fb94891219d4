import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  AppError,
  ChannelOutput,
  CompatibilityLevel,
  Result,
  SchemaDraft,
  SchemaRegistry,
  SchemaRegistryInput,
  SchemaVersion,
  SubjectSummary,
} from '../../../electron/contract';
import { api } from '../api';
import { deleteSteps } from './schemaForms';

/** The open connection's Schema Registry settings and its subjects; a subject's versions and changes. */
export const useSchemaStore = defineStore('schemas', () => {
  const connectionId = ref<string | null>(null);
  /** null: none set up; undefined: not read yet. */
  const registry = ref<SchemaRegistry | null | undefined>(undefined);
  const registryError = ref<AppError | null>(null);
  const subjects = ref<SubjectSummary[]>([]);
  const defaultCompatibility = ref<CompatibilityLevel | null>(null);
  const mode = ref<string | null>(null);
  const includeDeleted = ref(false);
  /** The list's search text, kept here: the list is drawn again while it reloads, and what was typed stays. */
  const search = ref('');
  const loading = ref(false);
  const error = ref<AppError | null>(null);
  const fetchedAt = ref<string | null>(null);

  /** Reads the connection's registry settings, then its subjects when it has one. */
  async function open(id: string): Promise<void> {
    if (connectionId.value !== id) {
      registry.value = undefined;
      subjects.value = [];
      defaultCompatibility.value = null;
      mode.value = null;
      error.value = null;
      fetchedAt.value = null;
      search.value = '';
    }
    connectionId.value = id;
    const r = await api.registry.get({ connectionId: id });
    if (connectionId.value !== id) return;
    registryError.value = r.ok ? null : r.error;
    if (r.ok) registry.value = r.value;
    if (r.ok && r.value) await loadSubjects();
  }

  async function loadSubjects(): Promise<void> {
    const id = connectionId.value;
    if (!id) return;
    loading.value = true;
    const r = await api.schemas.subjects({ id, includeDeleted: includeDeleted.value });
    if (connectionId.value !== id) return;
    loading.value = false;
    error.value = r.ok ? null : r.error;
    if (!r.ok) return;
    subjects.value = r.value.subjects;
    defaultCompatibility.value = r.value.defaultCompatibility;
    mode.value = r.value.mode;
    fetchedAt.value = new Date().toISOString();
  }

  async function setIncludeDeleted(on: boolean): Promise<void> {
    includeDeleted.value = on;
    await loadSubjects();
  }

  /** Saves the connection's registry settings, then lists its subjects through them. */
  async function saveRegistry(input: SchemaRegistryInput): Promise<Result<SchemaRegistry>> {
    const r = await api.registry.save(input);
    if (!r.ok) return r;
    if (connectionId.value === input.connectionId) {
      registry.value = r.value;
      await loadSubjects();
    }
    return r;
  }

  async function removeRegistry(id: string): Promise<Result<{ deleted: boolean }>> {
    const r = await api.registry.delete({ connectionId: id });
    if (r.ok && connectionId.value === id) {
      registry.value = null;
      subjects.value = [];
      error.value = null;
    }
    return r;
  }

  const summaryOf = (subject: string): SubjectSummary | null =>
    subjects.value.find((s) => s.subject === subject) ?? null;

  const versions = (id: string, subject: string) => api.schemas.versions({ id, subject });
  const version = (id: string, subject: string, v: number | 'latest'): Promise<Result<SchemaVersion>> =>
    api.schemas.get({ id, subject, version: v });
  const check = (id: string, subject: string, draft: SchemaDraft, against: number | 'latest' = 'latest') =>
    api.schemas.check({ id, subject, draft, version: against });

  /** Registers a draft as the subject's next version; the list is read again (its latest version changed). */
  async function register(
    id: string,
    subject: string,
    draft: SchemaDraft,
  ): Promise<Result<ChannelOutput<'schemas.register'>>> {
    const r = await api.schemas.register({ id, subject, draft });
    if (r.ok && connectionId.value === id) await loadSubjects();
    return r;
  }

  /** A subject's own level (null: back to the registry's default); the listed summary follows. */
  async function setCompatibility(
    id: string,
    subject: string,
    level: CompatibilityLevel | null,
  ): Promise<Result<{ level: CompatibilityLevel | null }>> {
    const r = await api.schemas.setCompatibility({ id, subject, level });
    if (r.ok)
      subjects.value = subjects.value.map((s) => (s.subject === subject ? { ...s, compatibility: r.value.level } : s));
    return r;
  }

  /**
   * Deletes a version (or the whole subject without one), soft or permanently. A permanent delete of
   * something live is soft-deleted first: the registry's rule.
   */
  async function remove(
    id: string,
    subject: string,
    v: number | undefined,
    permanent: boolean,
    alreadySoftDeleted: boolean,
  ): Promise<Result<{ deleted: number[] }>> {
    let last: Result<{ deleted: number[] }> = { ok: true, value: { deleted: [] } };
    for (const p of deleteSteps(permanent, alreadySoftDeleted)) {
      last = await api.schemas.delete({ id, subject, ...(v !== undefined ? { version: v } : {}), permanent: p });
      if (!last.ok) break;
    }
    if (connectionId.value === id) await loadSubjects();
    return last;
  }

  /** A connection's registry settings, read without changing the one this screen shows (the topic screen asks). */
  const registryOf = (id: string) => api.registry.get({ connectionId: id });
  const topicSubjects = (id: string, topic: string) => api.schemas.topicSubjects({ id, topic });

  return {
    connectionId,
    registry,
    registryError,
    subjects,
    defaultCompatibility,
    mode,
    includeDeleted,
    search,
    loading,
    error,
    fetchedAt,
    open,
    loadSubjects,
    setIncludeDeleted,
    saveRegistry,
    removeRegistry,
    summaryOf,
    versions,
    version,
    check,
    register,
    setCompatibility,
    remove,
    registryOf,
    topicSubjects,
  };
});
