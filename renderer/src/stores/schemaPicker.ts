import { defineStore } from 'pinia';
import type {
  ChannelOutput,
  LocalSchema,
  LocalSchemaBinding,
  ResolvedSchema,
  Result,
  SchemaChoice,
  SchemaType,
} from '../../../electron/contract';
import { api } from '../api';

type SubjectList = ChannelOutput<'schemas.subjects'>;

/**
 * What Produce's schema pickers ask the core: whether the connection has a registry, its subjects and
 * their versions, the local schema files, and a chosen schema resolved for the editor (its JSON Schema
 * and a sample). Nothing is kept here but the registry's presence per connection (asked once a tab).
 */
export const useSchemaPickerStore = defineStore('schemaPicker', () => {
  const registryKnown = new Map<string, Promise<boolean>>();

  /** Whether the connection has a Schema Registry set up (a failed question counts as none, asked again later). */
  function hasRegistry(connectionId: string): Promise<boolean> {
    let p = registryKnown.get(connectionId);
    if (!p) {
      p = api.registry.get({ connectionId }).then((r) => {
        if (!r.ok) registryKnown.delete(connectionId);
        return r.ok && r.value !== null;
      });
      registryKnown.set(connectionId, p);
    }
    return p;
  }
  /** Forgets what was learnt about a connection's registry (it was saved or removed meanwhile). */
  function forgetRegistry(connectionId: string) {
    registryKnown.delete(connectionId);
  }
  function subjects(connectionId: string): Promise<Result<SubjectList>> {
    return api.schemas.subjects({ id: connectionId });
  }
  function versions(connectionId: string, subject: string): Promise<Result<{ subject: string; versions: number[] }>> {
    return api.schemas.versions({ id: connectionId, subject });
  }
  function resolve(connectionId: string, choice: SchemaChoice): Promise<Result<ResolvedSchema>> {
    return api.schemas.resolve({ id: connectionId, choice });
  }
  async function localSchemas(connectionId: string): Promise<Result<LocalSchema[]>> {
    const r = await api.localSchemas.list({ connectionId });
    return r.ok ? { ok: true, value: r.value.schemas } : r;
  }
  /** A schema file chosen from disk, copied into the data folder (a .proto's imports are not taken here). */
  function addLocalSchema(
    connectionId: string,
    schemaType: SchemaType,
    name: string,
    content: string,
  ): Promise<Result<LocalSchema>> {
    return api.localSchemas.add({ connectionId, schemaType, file: { name, content }, imports: [] });
  }
  /** The local schema files and what they are attached to (topics' keys and values, registry ids). */
  function localSchemaList(connectionId: string): Promise<Result<ChannelOutput<'localSchemas.list'>>> {
    return api.localSchemas.list({ connectionId });
  }
  /** A schema file with, for a .proto, the files it imports (named by the path it imports them by). */
  function addLocalSchemaWithImports(
    connectionId: string,
    schemaType: SchemaType,
    file: { name: string; content: string },
    imports: { name: string; content: string }[],
  ): Promise<Result<LocalSchema>> {
    return api.localSchemas.add({ connectionId, schemaType, file, imports });
  }
  /** Attaches a local schema to a topic's key or value (null: detaches what is attached). */
  function bindToTopic(
    connectionId: string,
    topic: string,
    part: 'key' | 'value',
    localSchemaId: string | null,
    messageName?: string,
  ): Promise<Result<{ bindings: LocalSchemaBinding[] }>> {
    return api.localSchemas.bind({
      connectionId,
      localSchemaId,
      ...(messageName ? { messageName } : {}),
      target: { kind: 'topic', topic, part },
    });
  }
  function deleteLocalSchema(connectionId: string, localSchemaId: string): Promise<Result<{ deleted: boolean }>> {
    return api.localSchemas.delete({ connectionId, localSchemaId });
  }
  return {
    hasRegistry,
    forgetRegistry,
    subjects,
    versions,
    resolve,
    localSchemas,
    addLocalSchema,
    localSchemaList,
    addLocalSchemaWithImports,
    bindToTopic,
    deleteLocalSchema,
  };
});
