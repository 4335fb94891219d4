import { readFile, stat, writeFile } from 'node:fs/promises';
import {
  CaptureSchemasFile,
  MAX_CAPTURE_SCHEMAS_BYTES,
  type CaptureSchema,
  type ConsumedMessage,
  type DecodedPart,
} from '../../contract';
import { CoreError } from '../coreError';
import { fromWire } from '../operations/wireBytes';
import { compileSchema, readWireHeader, type Codec } from '../schemas/codecs';

/** A registry schema by id, from wherever it is kept (a connection's schema cache, a capture, a schemas file). */
export type SchemaLookup = (schemaId: number) => CaptureSchema | undefined;
/** A connection's schema cache, loaded, as a lookup. */
export type SchemasOf = (connectionId: string) => Promise<SchemaLookup>;

export const noSchemas: SchemaLookup = () => undefined;

/** The registry ids a message's decoded key and value name (what the capture must keep to read it offline). */
export function namedSchemaIds(m: Pick<ConsumedMessage, 'decoded'>, into: Set<number>): void {
  const k = m.decoded?.key?.schemaId;
  const v = m.decoded?.value?.schemaId;
  if (k !== undefined) into.add(k);
  if (v !== undefined) into.add(v);
}

/** The schemas file's name beside an export or import file. */
export const schemasFileName = (file: string) => `${file}.schemas.json`;

/** The schemas file's text: `{"kafkaDeskSchemas": 1, "schemas": [...]}`, by id. */
export function schemasFileText(schemas: CaptureSchema[]): string {
  const doc: CaptureSchemasFile = {
    kafkaDeskSchemas: 1,
    schemas: [...schemas].sort((a, b) => a.schemaId - b.schemaId),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * A schemas file's text, checked: its size is capped before it is parsed, and its shape (with every
 * text and list capped) is the contract's. A file that is not one is refused with the reason; two
 * different schemas under one id are refused too (one of them would decode the other's messages).
 */
export function parseSchemasFile(text: string, where: string): CaptureSchema[] {
  if (Buffer.byteLength(text, 'utf8') > MAX_CAPTURE_SCHEMAS_BYTES)
    throw new CoreError(
      'PAYLOAD_TOO_LARGE',
      `${where} is larger than ${MAX_CAPTURE_SCHEMAS_BYTES / 1048576} MiB; a schemas file is not that large.`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CoreError('INVALID_INPUT', `${where} is not JSON: ${(e as Error).message}`);
  }
  const parsed = CaptureSchemasFile.safeParse(doc);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new CoreError(
      'INVALID_INPUT',
      `${where} is not a Kafka Desk schemas file ({"kafkaDeskSchemas": 1, "schemas": [...]}): ${i.path.map(String).join('.') || '(file)'} ${i.message}.`,
    );
  }
  const byId = new Map<number, CaptureSchema>();
  for (const s of parsed.data.schemas) {
    const seen = byId.get(s.schemaId);
    if (seen && (seen.schema !== s.schema || seen.schemaType !== s.schemaType))
      throw new CoreError('INVALID_INPUT', `${where} holds two different schemas with id ${s.schemaId}.`);
    byId.set(s.schemaId, s);
  }
  return [...byId.values()];
}

/** Writes a schemas file (`{"kafkaDeskSchemas": 1, "schemas": [...]}`). */
export async function writeSchemasFile(file: string, schemas: CaptureSchema[]): Promise<void> {
  try {
    await writeFile(file, schemasFileText(schemas));
  } catch (e) {
    throw new CoreError('FILE_ERROR', `Cannot write ${file}: ${(e as Error).message}`);
  }
}

/** A schemas file by path (its size checked before it is read). */
export async function readSchemasFile(file: string): Promise<CaptureSchema[]> {
  let text: string;
  try {
    const st = await stat(file);
    if (st.size > MAX_CAPTURE_SCHEMAS_BYTES)
      throw new CoreError(
        'PAYLOAD_TOO_LARGE',
        `${file} is larger than ${MAX_CAPTURE_SCHEMAS_BYTES / 1048576} MiB; a schemas file is not that large.`,
      );
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('FILE_ERROR', `Cannot read ${file}: ${(e as Error).message}`);
  }
  return parseSchemasFile(text, file);
}

const FORMAT_OF = { AVRO: 'avro', PROTOBUF: 'protobuf', JSON: 'json-schema' } as const;

/**
 * Decodes imported messages that are in Confluent's wire format but carry no decoded form (a kcat
 * dump, another tool's export) with the schemas given beside the file: no registry, no network. A
 * schema is compiled once, on the first message naming it; one that does not compile is reported
 * once and its messages keep their bytes with the reason. Parts already decoded are kept as they are.
 */
export class ImportDecoder {
  private readonly byId: Map<number, CaptureSchema>;
  private readonly codecs = new Map<number, Codec | { error: string }>();
  readonly warnings: string[] = [];

  constructor(schemas: CaptureSchema[]) {
    this.byId = new Map(schemas.map((s) => [s.schemaId, s]));
  }

  get lookup(): SchemaLookup {
    return (id) => this.byId.get(id);
  }

  decode(m: ConsumedMessage): ConsumedMessage {
    if (!this.byId.size) return m;
    // a part that decoded is kept; one that could not (its schema was not at hand) is tried again here
    const keep = (d: DecodedPart | undefined) => (d && !d.error ? d : undefined);
    const key = keep(m.decoded?.key) ?? this.part(fromWire(m.key), `${m.topic}-key`) ?? m.decoded?.key;
    const value = keep(m.decoded?.value) ?? this.part(fromWire(m.value), `${m.topic}-value`) ?? m.decoded?.value;
    if (!key && !value) return m;
    return { ...m, decoded: { ...(key ? { key } : {}), ...(value ? { value } : {}) } };
  }

  /** `subject`: the one TopicNameStrategy names, preferred among those holding the id (as a Consume decodes). */
  private part(buf: Buffer | null, subject: string): DecodedPart | undefined {
    if (!buf || buf.length < 5 || buf[0] !== 0) return undefined;
    const schemaId = buf.readInt32BE(1);
    const schema = this.byId.get(schemaId);
    if (!schema) return undefined;
    const codec = this.codec(schema);
    if ('error' in codec) return { schemaId, error: codec.error };
    const holder = schema.usedBy.find((u) => u.subject === subject) ?? schema.usedBy[0];
    const meta: DecodedPart = {
      format: FORMAT_OF[codec.schemaType],
      schemaId,
      ...(holder ? { subject: holder.subject, version: holder.version } : {}),
    };
    const header = readWireHeader(buf, codec.schemaType === 'PROTOBUF');
    if (!header)
      return { ...meta, error: 'the Protobuf message-index list after the schema id is cut short or malformed' };
    try {
      const r = codec.decode(buf.subarray(header.payloadOffset), header.messageIndexes);
      return {
        ...meta,
        ...(r.messageName ? { messageName: r.messageName } : {}),
        json: JSON.stringify(r.value),
        ...(r.invalid ? { invalid: r.invalid } : {}),
      };
    } catch (e) {
      return { ...meta, error: `does not decode with schema id ${schemaId}: ${messageOf(e)}` };
    }
  }

  private codec(s: CaptureSchema): Codec | { error: string } {
    let c = this.codecs.get(s.schemaId);
    if (!c) {
      try {
        c = compileSchema({ schemaType: s.schemaType, schema: s.schema, references: s.referenced });
      } catch (e) {
        c = { error: `schema id ${s.schemaId} (${s.schemaType}) does not compile: ${messageOf(e)}` };
        this.warnings.push(`Schema id ${s.schemaId} of the schemas file does not compile: ${messageOf(e)}`);
      }
      this.codecs.set(s.schemaId, c);
    }
    return c;
  }
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
