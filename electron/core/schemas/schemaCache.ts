import path from 'node:path';
import { z } from 'zod';
import { privateDir } from '../store/privateFiles';
import { AtomicJsonFile } from '../store/atomicJsonFile';
import { SchemaReference, SchemaType } from '../../contract';

/** A registry schema as decoding needs it: its text and, by the names it uses, the texts it references. */
export const CachedSchema = z.object({
  schemaId: z.number().int(),
  schemaType: SchemaType,
  schema: z.string(),
  references: z.array(SchemaReference),
  /** name → text of every schema it references, directly or not, dependencies first. */
  referenced: z.record(z.string(), z.string()),
  /** The subject versions that hold it, when the registry said (an id is shared by every subject registering the same schema). */
  usedBy: z.array(z.object({ subject: z.string(), version: z.number().int() })).default([]),
});
export type CachedSchema = z.infer<typeof CachedSchema>;

const Doc = z.object({
  schemaVersion: z.literal(1),
  /** The registry URLs the schemas came from (absent in files written before it was kept). */
  registry: z.array(z.string()).optional(),
  schemas: z.array(CachedSchema),
});
type Doc = z.infer<typeof Doc>;

/**
 * Schemas by registry id, for one connection: an id names one schema for ever (a registry never reuses
 * one), so what was fetched once is kept — in memory, and for a saved connection in the data folder,
 * so messages read earlier still decode offline or with the registry down. A file that does not parse
 * is ignored (the cache is refilled from the registry), never fatal. An id means something only in the
 * registry that gave it: a cache from URLs none of which the connection's registry has now (it was
 * pointed at another registry) is dropped, not used to decode with another registry's schemas.
 */
export class SchemaCache {
  private readonly byId = new Map<number, CachedSchema>();
  private loaded: Promise<void> | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly file: AtomicJsonFile<Doc> | null;
  /** Where the schemas held came from: the file's record, then the registry they are used with. */
  private registry: string[] | undefined;

  constructor(private readonly path: string | null) {
    const file = path;
    this.file = file
      ? new AtomicJsonFile<Doc>(
          file,
          1,
          {},
          () => ({ schemaVersion: 1, schemas: [] }),
          (d) => Doc.parse(d),
        )
      : null;
  }

  load(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.file) return;
      try {
        const doc = await this.file.read();
        this.registry ??= doc.registry;
        for (const s of doc.schemas) if (!this.byId.has(s.schemaId)) this.byId.set(s.schemaId, s);
      } catch {
        // a damaged cache is only a cache
      }
    })();
    return this.loaded;
  }

  /**
   * The registry (its URLs) this cache now serves: schemas from a registry with none of these URLs are
   * forgotten, in memory and in the file. A cache whose origin is not recorded is kept, and recorded.
   */
  async useWith(urls: string[]): Promise<void> {
    await this.load();
    const same = (a: string) => a.replace(/\/+$/, '');
    const before = this.registry;
    this.registry = urls;
    if (!before || before.some((u) => urls.some((v) => same(u) === same(v)))) return;
    this.byId.clear();
    await this.persist();
  }

  get(id: number): CachedSchema | undefined {
    return this.byId.get(id);
  }

  all(): CachedSchema[] {
    return [...this.byId.values()];
  }

  /** Keeps them and writes the file (queued: one write at a time, the last state wins). */
  put(schemas: CachedSchema[]): Promise<void> {
    for (const s of schemas) this.byId.set(s.schemaId, s);
    return schemas.length ? this.persist() : Promise.resolve();
  }

  private persist(): Promise<void> {
    if (!this.file) return Promise.resolve();
    const file = this.file;
    const dir = path.dirname(this.path as string);
    this.writing = this.writing
      .then(() => privateDir(dir))
      .then(() =>
        file.write({ schemaVersion: 1, ...(this.registry ? { registry: this.registry } : {}), schemas: this.all() }),
      )
      .catch(() => undefined);
    return this.writing;
  }
}
