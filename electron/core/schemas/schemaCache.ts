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

const Doc = z.object({ schemaVersion: z.literal(1), schemas: z.array(CachedSchema) });
type Doc = z.infer<typeof Doc>;

/**
 * Schemas by registry id, for one connection: an id names one schema for ever (a registry never reuses
 * one), so what was fetched once is kept — in memory, and for a saved connection in the data folder,
 * so messages read earlier still decode offline or with the registry down. A file that does not parse
 * is ignored (the cache is refilled from the registry), never fatal.
 */
export class SchemaCache {
  private readonly byId = new Map<number, CachedSchema>();
  private loaded: Promise<void> | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly file: AtomicJsonFile<Doc> | null;

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
        for (const s of (await this.file.read()).schemas) if (!this.byId.has(s.schemaId)) this.byId.set(s.schemaId, s);
      } catch {
        // a damaged cache is only a cache
      }
    })();
    return this.loaded;
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
    if (!this.file || !schemas.length) return Promise.resolve();
    const file = this.file;
    const dir = path.dirname(this.path as string);
    this.writing = this.writing
      .then(() => privateDir(dir))
      .then(() => file.write({ schemaVersion: 1, schemas: this.all() }))
      .catch(() => undefined);
    return this.writing;
  }
}
