import type { ResolvedSchema, SchemaChoice } from '../../contract';
import { CoreError } from '../coreError';
import type { ResolvedEndpoint } from '../http/endpointStore';
import { insideDataDir } from '../paths';
import type { LocalSchemaStore } from './localSchemaStore';
import type { ChosenSchema } from './messageEncoder';
import { MessageDecoder, type DecodeSettings, type LocalCodec } from './messageDecoder';
import { RegistryClient } from './registryClient';
import type { RegistryStore } from './registryStore';
import { SchemaCache } from './schemaCache';
import { SchemaResolver } from './schemaResolver';

export interface SchemaServiceDeps {
  dataDir: string;
  registries: RegistryStore;
  local: LocalSchemaStore;
  /** The connection's name and read-only flag (a read-only one changes nothing in its registry). */
  ownerOf: (connectionId: string) => Promise<{ name: string; readOnly: boolean }>;
  /** A registry given for this run only (the command line's --schema-registry), by connection id. */
  transient: (connectionId: string) => Omit<ResolvedEndpoint, 'id'> | undefined;
  /** Saved connections keep their schema cache in the data folder; transient ones in memory. */
  isSaved: (connectionId: string) => boolean;
}

/**
 * Everything schemas need per connection: its registry client (saved or given for the run), its schema
 * cache (kept in the data folder for offline use), local schema files, and from those a decoder for a
 * Consume or Listen and the codec a Produce encodes with.
 */
export class SchemaService {
  private readonly caches = new Map<string, SchemaCache>();

  constructor(private readonly deps: SchemaServiceDeps) {}

  async client(connectionId: string): Promise<RegistryClient | null> {
    const endpoint = this.deps.transient(connectionId) ?? (await this.deps.registries.resolve(connectionId));
    if (!endpoint) return null;
    return new RegistryClient(endpoint, await this.deps.ownerOf(connectionId));
  }

  async requireClient(connectionId: string): Promise<RegistryClient> {
    const c = await this.client(connectionId);
    if (!c)
      throw new CoreError(
        'SCHEMA_UNAVAILABLE',
        "This connection has no Schema Registry: add its URL in the connection's Schema Registry settings (or --schema-registry on the command line).",
      );
    return c;
  }

  cache(connectionId: string): SchemaCache {
    let c = this.caches.get(connectionId);
    if (!c) {
      const saved = this.deps.isSaved(connectionId) && /^[A-Za-z0-9-]{1,64}$/.test(connectionId);
      c = new SchemaCache(saved ? insideDataDir(this.deps.dataDir, 'schema-cache', `${connectionId}.json`) : null);
      this.caches.set(connectionId, c);
    }
    return c;
  }

  /** Forgets a connection's cache (its registry changed: another registry's ids mean other schemas). */
  forget(connectionId: string): void {
    this.caches.delete(connectionId);
  }

  async resolver(connectionId: string): Promise<SchemaResolver> {
    const client = await this.client(connectionId).catch(() => null);
    const cache = this.cache(connectionId);
    if (client) await cache.useWith(client.endpoint.urls);
    return new SchemaResolver(client, cache);
  }

  async decoder(connectionId: string, settings: DecodeSettings): Promise<MessageDecoder> {
    const resolver = await this.resolver(connectionId);
    const { schemas, bindings } = await this.deps.local.list(connectionId);
    const topicParts = new Map<string, LocalCodec>();
    const ids = new Map<number, LocalCodec>();
    for (const b of bindings) {
      const s = schemas.find((x) => x.id === b.localSchemaId);
      if (!s) continue;
      const { codec } = await this.deps.local.codec(s.id);
      const local: LocalCodec = { codec, name: s.name, ...(b.messageName ? { messageName: b.messageName } : {}) };
      if (b.target.kind === 'topic') topicParts.set(`${b.target.part}\u0000${b.target.topic}`, local);
      else ids.set(b.target.schemaId, local);
    }
    return new MessageDecoder(
      {
        resolver,
        local: (topic, part) => topicParts.get(`${part}\u0000${topic}`),
        localForId: (id) => ids.get(id),
      },
      settings,
    );
  }

  /** The codec a Produce encodes with, and the id its wire header carries. */
  async chosen(connectionId: string, choice: SchemaChoice): Promise<ChosenSchema> {
    const messageName = choice.messageName;
    const named = messageName ? { messageName } : {};
    if (choice.kind === 'local') {
      const { codec, schema } = await this.deps.local.codec(choice.localSchemaId);
      return {
        codec,
        ...(choice.schemaId !== undefined ? { schemaId: choice.schemaId } : {}),
        ...named,
        label: `local schema ${schema.name}`,
        choice,
      };
    }
    const resolver = await this.resolver(connectionId);
    if (!resolver.hasRegistry) await this.requireClient(connectionId);
    if (choice.kind === 'id') {
      const schema = await resolver.schema(choice.schemaId);
      const c = resolver.compiled(choice.schemaId);
      if ('error' in c) throw new CoreError('SCHEMA_INVALID', c.error);
      return { codec: c.codec, schemaId: choice.schemaId, ...named, label: `schema id ${schema.schemaId}`, choice };
    }
    const client = await this.requireClient(connectionId);
    const v = await client.version(choice.subject, choice.version ?? 'latest');
    const schema = await resolver.schema(v.schemaId);
    const c = resolver.compiled(schema.schemaId);
    if ('error' in c) throw new CoreError('SCHEMA_INVALID', c.error);
    return {
      codec: c.codec,
      schemaId: v.schemaId,
      subject: v.subject,
      version: v.version,
      ...named,
      label: `subject ${v.subject} v${v.version} (id ${v.schemaId})`,
      choice,
    };
  }

  /** A schema for the editor: its text, JSON Schema and a sample. */
  async resolve(connectionId: string, choice: SchemaChoice): Promise<ResolvedSchema> {
    const chosen = await this.chosen(connectionId, choice);
    const { codec } = chosen;
    const names = codec.messageNames?.() ?? [];
    const messageName = chosen.messageName ?? names[0];
    let text = '';
    let meta: Partial<ResolvedSchema> = {};
    if (choice.kind === 'local') text = (await this.deps.local.source(choice.localSchemaId)).schema;
    else {
      const s = this.cache(connectionId).get(chosen.schemaId as number);
      text = s?.schema ?? '';
      const subject = chosen.subject ?? s?.usedBy[0]?.subject;
      const version = chosen.version ?? s?.usedBy[0]?.version;
      meta = {
        schemaId: chosen.schemaId as number,
        ...(subject !== undefined ? { subject } : {}),
        ...(version !== undefined ? { version } : {}),
      };
    }
    return {
      schemaType: codec.schemaType,
      schema: text,
      ...meta,
      ...(messageName ? { messageName } : {}),
      messageNames: names,
      jsonSchema: JSON.stringify(codec.jsonSchema(messageName)),
      sample: JSON.stringify(codec.sample(messageName), null, 2),
    };
  }
}
