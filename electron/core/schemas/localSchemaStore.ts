import { createHash, randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { LocalSchema, LocalSchemaBinding, SchemaType } from '../../contract';
import { LocalSchemaBinding as Binding, SchemaType as Types } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { insideDataDir } from '../paths';
import { AtomicJsonFile } from '../store/atomicJsonFile';
import { privateDir, writePrivateFile } from '../store/privateFiles';
import { SerialQueue } from '../store/serialQueue';
import { compileSchema, type Codec } from './codecs';

const Stored = z.object({
  id: z.string(),
  connectionId: z.string(),
  schemaType: Types,
  name: z.string(),
  size: z.number(),
  sha256: z.string(),
  imports: z.array(z.string()),
  messageNames: z.array(z.string()),
});
const Doc = z.object({ schemaVersion: z.literal(1), schemas: z.array(Stored), bindings: z.array(Binding) });
type Doc = z.infer<typeof Doc>;

/** The folder of a local schema's copied files; the main file is `schema`, its imports under `imports/`. */
const DIR = 'local-schemas';

export type LocalInput = z.output<typeof import('../../contract').LocalSchemaInput>;

/**
 * Local schema files (`.avsc`, `.proto` with its import folder, JSON Schema) per connection: copied into
 * the data folder like keytabs (the original may move or change), parsed when added (a file that does
 * not compile is refused, saying why), and bound to a topic's key or value, or to a registry id.
 */
export class LocalSchemaStore {
  private readonly doc: AtomicJsonFile<Doc>;
  private readonly queue = new SerialQueue();
  private readonly compiled = new Map<string, Codec>();

  constructor(private readonly dataDir: string) {
    this.doc = new AtomicJsonFile<Doc>(
      insideDataDir(dataDir, 'local-schemas.json'),
      1,
      {},
      () => ({ schemaVersion: 1, schemas: [], bindings: [] }),
      (d) => Doc.parse(d),
    );
  }

  private async load(): Promise<Doc> {
    try {
      return await this.doc.read();
    } catch (e) {
      throw new CoreError(
        'STORE_CORRUPT',
        'The local schema list could not be read; the file was left untouched.',
        describeCause(e),
      );
    }
  }

  async list(connectionId: string): Promise<{ schemas: LocalSchema[]; bindings: LocalSchemaBinding[] }> {
    const d = await this.load();
    return {
      schemas: d.schemas.filter((s) => s.connectionId === connectionId),
      bindings: d.bindings.filter((b) => b.connectionId === connectionId),
    };
  }

  add(input: LocalInput): Promise<LocalSchema> {
    return this.queue.run(async () => {
      const references = Object.fromEntries(input.imports.map((f) => [f.name, f.content]));
      let codec: Codec;
      try {
        codec = compileSchema({ schemaType: input.schemaType, schema: input.file.content, references });
      } catch (e) {
        throw new CoreError(
          'SCHEMA_INVALID',
          `'${input.file.name}' is not a valid ${label(input.schemaType)}: ${e instanceof Error ? e.message : String(e)}`,
          undefined,
          [{ path: 'file', message: e instanceof Error ? e.message : String(e) }],
        );
      }
      const id = randomUUID();
      const dir = insideDataDir(this.dataDir, DIR, id);
      await privateDir(dir);
      await writePrivateFile(path.join(dir, 'schema'), input.file.content);
      for (const f of input.imports) {
        // the names were checked by the contract (relative, no ..); insideDataDir is the second lock
        const file = insideDataDir(this.dataDir, DIR, id, 'imports', ...f.name.split('/'));
        await privateDir(path.dirname(file));
        await writePrivateFile(file, f.content);
      }
      const stored: LocalSchema = {
        id,
        connectionId: input.connectionId,
        schemaType: input.schemaType,
        name: input.file.name.split('/').pop() ?? input.file.name,
        size: Buffer.byteLength(input.file.content),
        sha256: createHash('sha256').update(input.file.content).digest('hex'),
        imports: input.imports.map((f) => f.name),
        messageNames: codec.messageNames?.() ?? [],
      };
      const d = await this.load();
      await this.doc.write({ ...d, schemas: [...d.schemas, stored] });
      this.compiled.set(id, codec);
      return stored;
    });
  }

  delete(connectionId: string, id: string): Promise<boolean> {
    return this.queue.run(async () => {
      const d = await this.load();
      if (!d.schemas.some((s) => s.id === id && s.connectionId === connectionId)) return false;
      await this.doc.write({
        schemaVersion: 1,
        schemas: d.schemas.filter((s) => s.id !== id),
        bindings: d.bindings.filter((b) => b.localSchemaId !== id),
      });
      await rm(insideDataDir(this.dataDir, DIR, id), { recursive: true, force: true });
      this.compiled.delete(id);
      return true;
    });
  }

  /** Binds (or unbinds, with null) the target; one schema per topic part and per registry id. */
  bind(b: Omit<LocalSchemaBinding, 'localSchemaId'> & { localSchemaId: string | null }): Promise<LocalSchemaBinding[]> {
    return this.queue.run(async () => {
      const d = await this.load();
      if (
        b.localSchemaId !== null &&
        !d.schemas.some((s) => s.id === b.localSchemaId && s.connectionId === b.connectionId)
      )
        throw new CoreError('NOT_FOUND', 'That local schema is no longer there.');
      const same = (x: LocalSchemaBinding) =>
        x.connectionId === b.connectionId &&
        (x.target.kind === 'topic' && b.target.kind === 'topic'
          ? x.target.topic === b.target.topic && x.target.part === b.target.part
          : x.target.kind === 'schemaId' && b.target.kind === 'schemaId' && x.target.schemaId === b.target.schemaId);
      const bindings = d.bindings.filter((x) => !same(x));
      if (b.localSchemaId !== null)
        bindings.push({
          connectionId: b.connectionId,
          localSchemaId: b.localSchemaId,
          target: b.target,
          ...(b.messageName ? { messageName: b.messageName } : {}),
        });
      await this.doc.write({ ...d, bindings });
      return bindings.filter((x) => x.connectionId === b.connectionId);
    });
  }

  async deleteForConnection(connectionId: string): Promise<void> {
    const { schemas } = await this.list(connectionId);
    for (const s of schemas) await this.delete(connectionId, s.id);
    await this.queue.run(async () => {
      const d = await this.load();
      await this.doc.write({ ...d, bindings: d.bindings.filter((b) => b.connectionId !== connectionId) });
    });
  }

  /** A stored schema's text and its imports' texts (for captures and exports). */
  async source(
    id: string,
  ): Promise<{ schemaType: SchemaType; schema: string; references: Record<string, string>; name: string }> {
    const s = (await this.load()).schemas.find((x) => x.id === id);
    if (!s) throw new CoreError('NOT_FOUND', 'That local schema is no longer there.');
    const dir = insideDataDir(this.dataDir, DIR, id);
    const references: Record<string, string> = {};
    for (const name of s.imports)
      references[name] = await readFile(insideDataDir(this.dataDir, DIR, id, 'imports', ...name.split('/')), 'utf8');
    return {
      schemaType: s.schemaType,
      schema: await readFile(path.join(dir, 'schema'), 'utf8'),
      references,
      name: s.name,
    };
  }

  /** The compiled schema of a stored file. */
  async codec(id: string): Promise<{ codec: Codec; schema: LocalSchema }> {
    const s = (await this.load()).schemas.find((x) => x.id === id);
    if (!s) throw new CoreError('NOT_FOUND', 'That local schema is no longer there.');
    let codec = this.compiled.get(id);
    if (!codec) {
      const src = await this.source(id);
      codec = compileSchema(src);
      this.compiled.set(id, codec);
    }
    return { codec, schema: s };
  }
}

export const label = (t: SchemaType) =>
  t === 'AVRO' ? 'Avro schema' : t === 'PROTOBUF' ? 'Protobuf file' : 'JSON Schema';
