import type { SchemaReference, SchemaType } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { compileSchema, type Codec } from './codecs';
import type { CachedSchema, SchemaCache } from './schemaCache';
import type { RegistryClient } from './registryClient';

/** References are followed this deep and this many in all: a registry's answer is input too. */
const MAX_REFERENCE_DEPTH = 32;
const MAX_REFERENCES = 500;

export interface CompiledSchema {
  schema: CachedSchema;
  codec: Codec;
}

/**
 * Registry schemas for one connection, by id: fetched once (with what they reference, transitively),
 * kept in the connection's SchemaCache, compiled once. Decoding asks `prepare(ids)` for a batch's ids
 * (the only network step), then `compiled(id)` per message, synchronously.
 */
export class SchemaResolver {
  private readonly codecs = new Map<number, CompiledSchema | { error: string }>();
  /** Ids whose fetch failed in this run, and why: not asked again for every message. */
  private readonly failed = new Map<number, string>();

  constructor(
    private readonly client: RegistryClient | null,
    private readonly cache: SchemaCache,
  ) {}

  get hasRegistry(): boolean {
    return this.client !== null;
  }

  /** Fetches the ids not cached yet; a failure is remembered per id (the messages say why), never thrown. */
  async prepare(ids: Iterable<number>): Promise<void> {
    await this.cache.load();
    const missing = [...new Set(ids)].filter((id) => !this.cache.get(id) && !this.failed.has(id));
    if (!missing.length) return;
    if (!this.client) {
      for (const id of missing)
        this.failed.set(id, `schema id ${id} is not known here and the connection has no Schema Registry`);
      return;
    }
    const fetched: CachedSchema[] = [];
    await Promise.all(
      missing.map(async (id) => {
        try {
          fetched.push(await this.fetch(id));
        } catch (e) {
          this.failed.set(id, e instanceof CoreError ? e.message : describeCause(e));
        }
      }),
    );
    await this.cache.put(fetched);
  }

  /** The schema of an id, fetched if needed; throws when it cannot be had. */
  async schema(id: number): Promise<CachedSchema> {
    await this.prepare([id]);
    const s = this.cache.get(id);
    if (!s)
      throw new CoreError(
        'SCHEMA_UNAVAILABLE',
        `Schema id ${id} could not be fetched: ${this.failed.get(id) ?? 'unknown'}.`,
      );
    return s;
  }

  /** After `prepare`: the id's compiled schema, or why there is none. */
  compiled(id: number): CompiledSchema | { error: string } {
    const known = this.codecs.get(id);
    if (known) return known;
    const s = this.cache.get(id);
    if (!s) return { error: this.failed.get(id) ?? `schema id ${id} was not fetched` };
    let out: CompiledSchema | { error: string };
    try {
      out = {
        schema: s,
        codec: compileSchema({ schemaType: s.schemaType, schema: s.schema, references: s.referenced }),
      };
    } catch (e) {
      out = {
        error: `schema id ${id} (${s.schemaType}) does not compile: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    this.codecs.set(id, out);
    return out;
  }

  private async fetch(id: number): Promise<CachedSchema> {
    const client = this.client as RegistryClient;
    const s = await client.byId(id);
    const referenced = await this.referenced(s.references);
    const usedBy = await client.usedBy(id).catch(() => []);
    return { schemaId: id, schemaType: s.schemaType, schema: s.schema, references: s.references, referenced, usedBy };
  }

  /** name → text of every referenced schema, dependencies before what depends on them. */
  async referenced(refs: SchemaReference[]): Promise<Record<string, string>> {
    const client = this.client;
    const out: Record<string, string> = {};
    if (!refs.length || !client) return out;
    let count = 0;
    const visit = async (list: SchemaReference[], depth: number, path: string[]) => {
      if (depth > MAX_REFERENCE_DEPTH)
        throw new CoreError(
          'SCHEMA_INVALID',
          `Schema references go deeper than ${MAX_REFERENCE_DEPTH} levels (${path.join(' → ')}).`,
        );
      for (const r of list) {
        if (r.name in out || path.includes(r.name)) continue;
        if (++count > MAX_REFERENCES)
          throw new CoreError('SCHEMA_INVALID', `A schema references more than ${MAX_REFERENCES} others.`);
        const v = await client.version(r.subject, r.version);
        await visit(v.references, depth + 1, [...path, r.name]);
        out[r.name] = v.schema;
      }
    };
    await visit(refs, 1, []);
    return out;
  }

  /** A draft's references fetched, compiled: for a schema typed or chosen in the window. */
  async compileDraft(d: { schemaType: SchemaType; schema: string; references: SchemaReference[] }): Promise<Codec> {
    const referenced = await this.referenced(d.references);
    try {
      return compileSchema({ schemaType: d.schemaType, schema: d.schema, references: referenced });
    } catch (e) {
      throw new CoreError(
        'SCHEMA_INVALID',
        `The ${d.schemaType} schema does not parse: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}
