export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A schema as the registry serves it, its references already fetched: name → schema text (transitively). */
export interface SchemaSource {
  schemaType: SchemaType;
  schema: string;
  references: Record<string, string>;
}

export interface DecodeResult {
  /** JSON-ready: only plain objects, arrays, strings, finite numbers, booleans and null. */
  value: unknown;
  /** Protobuf: the full name of the message type the bytes were read as. */
  messageName?: string;
  /** JSON Schema: why the message does not validate, for a person (the value is still shown). */
  invalid?: string;
}

export interface Codec {
  readonly schemaType: SchemaType;
  /** payload = the bytes after the wire header (or the whole value when there is none). Throws SchemaDecodeError. */
  decode(payload: Buffer, messageIndexes?: number[]): DecodeResult;
  /** value = JSON-ready input as the user typed it; throws SchemaEncodeError naming the field. */
  encode(value: unknown, messageName?: string): { bytes: Buffer; messageIndexes?: number[] };
  /** A valid sample value (readable placeholders, all required fields present). */
  sample(messageName?: string): unknown;
  /** A JSON Schema (draft-07) of the JSON-ready form, for the editor's completion and validation. */
  jsonSchema(messageName?: string): object;
  /** Protobuf: the message types in the file, in order (index paths as Confluent numbers them). */
  messageNames?(): string[];
  /** Protobuf: a message type's Confluent index path (to decode a bare payload as that type). */
  indexesOf?(messageName: string): number[];
}

/** A value that does not fit the schema; `path` names the field (`orders.lines[2].qty`, `value` for the whole). */
export class SchemaEncodeError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'SchemaEncodeError';
  }
}

/** A schema text that cannot be compiled (syntax, a missing reference, a construct refused for safety). */
export class SchemaParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaParseError';
  }
}

/** Bytes that are not a value of the schema (truncated, trailing bytes, a hostile length). */
export class SchemaDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaDecodeError';
  }
}
