import { compileAvro } from './avroCodec';
import { compileJsonSchema } from './jsonSchemaCodec';
import { compileProtobuf } from './protobufCodec';
import { SchemaParseError, type Codec, type SchemaSource } from './types';

export * from './types';
export { readWireHeader, writeWireHeader, MAX_MESSAGE_INDEXES, type WireHeader } from './wireFormat';

/**
 * Compiles a schema into its codec. Pure and synchronous: the same source always gives an
 * equivalent codec, so the caller caches one per schema id. Throws SchemaParseError.
 */
export function compileSchema(src: SchemaSource): Codec {
  switch (src.schemaType) {
    case 'AVRO':
      return compileAvro(src);
    case 'PROTOBUF':
      return compileProtobuf(src);
    case 'JSON':
      return compileJsonSchema(src);
    default:
      throw new SchemaParseError(
        `Schema type ${String((src as { schemaType: unknown }).schemaType)} is not supported.`,
      );
  }
}
