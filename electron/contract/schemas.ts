import { z } from 'zod';
import { ConnectUrl } from './connect';
import { ConnectionId, FileInfo, PemUpload } from './connection';

/**
 * Schemas: a connection's Schema Registry (the Confluent REST API, as Confluent's, Karapace, Redpanda,
 * Apicurio's compatibility API and AxonOps serve it), its subjects, local schema files, and what a
 * message's key or value decodes to. Decoding and encoding run in the core (core/schemas/).
 */

export const SchemaType = z.enum(['AVRO', 'PROTOBUF', 'JSON']);
export type SchemaType = z.infer<typeof SchemaType>;

/** Upload: set or replace. null: remove. absent: keep what is stored. */
const fileChange = PemUpload.nullable().optional();

export const SchemaRegistryInput = z.strictObject({
  connectionId: ConnectionId,
  /** One or more URLs, tried in order (e.g. https://psrc-xxxx.europe-west3.gcp.confluent.cloud). */
  urls: z.array(ConnectUrl).min(1, 'at least one URL').max(10),
  /** Basic auth (Confluent Cloud: the API key); empty: none. */
  username: z.string().max(1024).default(''),
  /** absent: keep the stored password; empty string: clear it. */
  password: z.string().max(4096).optional(),
  /** A bearer token (OAuth); absent: keep the stored one; empty string: clear it. */
  bearerToken: z.string().max(16_384).optional(),
  ca: fileChange,
  clientCert: fileChange,
  clientKey: fileChange,
  verify: z.boolean().default(true),
  timeoutMs: z.number().int().min(500).max(120_000).default(15_000),
  /** A password or token to an http:// URL crosses the network unencrypted: only when the user accepted that. */
  allowPlainHttp: z.boolean().default(false),
});
export type SchemaRegistryInput = z.input<typeof SchemaRegistryInput>;

export const SchemaRegistry = z.strictObject({
  connectionId: ConnectionId,
  urls: z.array(z.string()),
  username: z.string(),
  passwordSet: z.boolean(),
  bearerTokenSet: z.boolean(),
  ca: FileInfo.nullable(),
  clientCert: FileInfo.nullable(),
  clientKey: FileInfo.nullable(),
  verify: z.boolean(),
  timeoutMs: z.number().int(),
  allowPlainHttp: z.boolean(),
});
export type SchemaRegistry = z.infer<typeof SchemaRegistry>;

export const CompatibilityLevel = z.enum([
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
]);
export type CompatibilityLevel = z.infer<typeof CompatibilityLevel>;

/** Subject names as registries allow them (no control characters). */
export const SubjectName = z
  .string()
  .min(1)
  .max(1000)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

export const SchemaReference = z.strictObject({
  /** The name the schema refers to it by: an import path for Protobuf, a type name for Avro, a $ref URL for JSON Schema. */
  name: z.string().min(1).max(1000),
  subject: SubjectName,
  version: z.number().int().min(1),
});
export type SchemaReference = z.infer<typeof SchemaReference>;

export const SubjectSummary = z.strictObject({
  subject: z.string(),
  latestVersion: z.number().int(),
  schemaId: z.number().int(),
  schemaType: SchemaType,
  /** The subject's own level; null: it uses the registry's default (`defaultCompatibility`). */
  compatibility: CompatibilityLevel.nullable(),
  /** A soft-deleted subject (listed with `deleted: true`). */
  deleted: z.boolean().default(false),
});
export type SubjectSummary = z.infer<typeof SubjectSummary>;

export const SubjectList = z.strictObject({
  subjects: z.array(SubjectSummary),
  defaultCompatibility: CompatibilityLevel.nullable(),
  /** The registry's mode (READWRITE, READONLY, IMPORT) when it says. */
  mode: z.string().nullable(),
});

export const SchemaVersion = z.strictObject({
  subject: z.string(),
  version: z.number().int(),
  schemaId: z.number().int(),
  schemaType: SchemaType,
  schema: z.string(),
  references: z.array(SchemaReference),
});
export type SchemaVersion = z.infer<typeof SchemaVersion>;

export const SchemaDraft = z.strictObject({
  schemaType: SchemaType.default('AVRO'),
  schema: z
    .string()
    .min(1)
    .max(4 * 1024 * 1024),
  references: z.array(SchemaReference).max(500).default([]),
});
export type SchemaDraft = z.input<typeof SchemaDraft>;

/**
 * Which schema encodes a key or value for Produce: a subject's version, a registry id, or a local file.
 * `messageName`: the Protobuf message type (default: the file's first).
 */
export const SchemaChoice = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('subject'),
    subject: SubjectName,
    version: z.union([z.literal('latest'), z.number().int().min(1)]).default('latest'),
    messageName: z.string().max(1000).optional(),
  }),
  z.strictObject({
    kind: z.literal('id'),
    schemaId: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    messageName: z.string().max(1000).optional(),
  }),
  z.strictObject({
    kind: z.literal('local'),
    localSchemaId: z.string().regex(/^[a-z0-9-]{8,64}$/),
    messageName: z.string().max(1000).optional(),
    /**
     * Write Confluent's wire header with this registry id before the payload (a local copy of a registered
     * schema); absent: the bare payload, as topics without a registry carry it.
     */
    schemaId: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
  }),
]);
export type SchemaChoice = z.input<typeof SchemaChoice>;

/** How a key or value is read (Consume, Listen) or written (Produce). `auto`: Confluent's wire format when present, an attached local schema, else as bytes / text. */
export const MessageFormat = z.enum(['auto', 'string', 'json', 'avro', 'protobuf', 'json-schema', 'bytes']);
export type MessageFormat = z.infer<typeof MessageFormat>;

/** With a chosen format: a message that is not of it is shown raw and marked, skipped, or ends the read. */
export const OnUndecodable = z.enum(['show', 'skip', 'stop']);
export type OnUndecodable = z.infer<typeof OnUndecodable>;

/** A key's or value's decoded form, beside its bytes. */
export const DecodedPart = z.strictObject({
  /** Absent when its schema could not be had (`error` says why). */
  format: z.enum(['avro', 'protobuf', 'json-schema', 'json']).optional(),
  /** The registry id from the wire header (absent: a local schema decoded a bare payload). */
  schemaId: z.number().int().optional(),
  subject: z.string().optional(),
  version: z.number().int().optional(),
  /** Protobuf: the message type. */
  messageName: z.string().optional(),
  /** A local schema file that decoded it. */
  localSchema: z.string().optional(),
  /** The decoded value as compact JSON text (what the table, filters, export and "copy as JSON" use). */
  json: z.string().optional(),
  /** JSON Schema: the value does not validate (it is still shown), for a person. */
  invalid: z.string().optional(),
  /** It did not decode: why (the bytes are shown as they are). */
  error: z.string().optional(),
});
export type DecodedPart = z.infer<typeof DecodedPart>;

export const Decoded = z.strictObject({ key: DecodedPart.optional(), value: DecodedPart.optional() });
export type Decoded = z.infer<typeof Decoded>;

/** Messages that were not of the chosen format: how many, and the first by topic, partition and offset. */
export const UndecodableSummary = z.strictObject({
  count: z.number().int(),
  action: OnUndecodable,
  first: z
    .strictObject({
      topic: z.string(),
      partition: z.number().int(),
      offset: z.string(),
      part: z.enum(['key', 'value']),
      reason: z.string(),
    })
    .optional(),
});
export type UndecodableSummary = z.infer<typeof UndecodableSummary>;

/** A local schema file (a `.avsc`, `.proto` with its imports, a JSON Schema), copied into the data folder. */
export const LocalSchemaId = z.string().regex(/^[a-z0-9-]{8,64}$/);
export const LocalSchemaFile = z.strictObject({
  /** Display name, and for a Protobuf import the path the importing file names it by (e.g. `common/money.proto`). */
  name: z
    .string()
    .min(1)
    .max(500)
    .refine((n) => !n.split('/').some((p) => p === '..' || p === '') && !n.startsWith('/') && !/[\\\0]/.test(n), {
      message: 'must be a relative path without .. (e.g. common/money.proto)',
    }),
  content: z.string().max(4 * 1024 * 1024),
});
export const LocalSchemaInput = z.strictObject({
  connectionId: ConnectionId,
  schemaType: SchemaType,
  file: LocalSchemaFile,
  /** Protobuf: the files it imports (an import folder's content), by the path it imports them by. */
  imports: z.array(LocalSchemaFile).max(200).default([]),
});
export const LocalSchema = z.strictObject({
  id: LocalSchemaId,
  connectionId: ConnectionId,
  schemaType: SchemaType,
  name: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  imports: z.array(z.string()),
  /** Protobuf: its message types, in Confluent's order. */
  messageNames: z.array(z.string()),
});
export type LocalSchema = z.infer<typeof LocalSchema>;

/** A local schema attached to a topic's key or value (payloads without a schema id), or standing for a registry id. */
export const LocalSchemaBinding = z.strictObject({
  connectionId: ConnectionId,
  localSchemaId: LocalSchemaId,
  messageName: z.string().max(1000).optional(),
  target: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('topic'), topic: z.string().min(1).max(249), part: z.enum(['key', 'value']) }),
    z.strictObject({
      kind: z.literal('schemaId'),
      schemaId: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    }),
  ]),
});
export type LocalSchemaBinding = z.infer<typeof LocalSchemaBinding>;

const conn = { id: ConnectionId };
const subject = { ...conn, subject: SubjectName };

/** A schema resolved for the editor: the text, a JSON Schema of its JSON form (completion, validation) and a valid sample. */
export const ResolvedSchema = z.strictObject({
  schemaType: SchemaType,
  schema: z.string(),
  schemaId: z.number().int().optional(),
  subject: z.string().optional(),
  version: z.number().int().optional(),
  messageName: z.string().optional(),
  messageNames: z.array(z.string()),
  /** JSON text of a JSON Schema (draft-07) for the value as typed. */
  jsonSchema: z.string(),
  /** A valid value, as JSON text. */
  sample: z.string(),
});
export type ResolvedSchema = z.infer<typeof ResolvedSchema>;

export const schemaChannels = {
  'registry.get': { input: z.strictObject({ connectionId: ConnectionId }), output: SchemaRegistry.nullable() },
  'registry.save': { input: SchemaRegistryInput, output: SchemaRegistry },
  'registry.delete': {
    input: z.strictObject({ connectionId: ConnectionId }),
    output: z.strictObject({ deleted: z.boolean() }),
  },
  'schemas.subjects': {
    input: z.strictObject({ ...conn, includeDeleted: z.boolean().default(false) }),
    output: SubjectList,
  },
  'schemas.versions': {
    input: z.strictObject(subject),
    output: z.strictObject({ subject: z.string(), versions: z.array(z.number().int()) }),
  },
  'schemas.get': {
    input: z.strictObject({ ...subject, version: z.union([z.literal('latest'), z.number().int().min(1)]) }),
    output: SchemaVersion,
  },
  'schemas.byId': {
    input: z.strictObject({
      ...conn,
      schemaId: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    }),
    output: z.strictObject({
      schemaId: z.number().int(),
      schemaType: SchemaType,
      schema: z.string(),
      references: z.array(SchemaReference),
      /** The subject versions that hold it. */
      usedBy: z.array(z.strictObject({ subject: z.string(), version: z.number().int() })),
    }),
  },
  /** Registers a new version (the registry answers the id of an identical schema already there). */
  'schemas.register': {
    input: z.strictObject({ ...subject, draft: SchemaDraft }),
    output: z.strictObject({ schemaId: z.number().int(), version: z.number().int().nullable() }),
  },
  /** Whether a draft is compatible with the subject's latest version (or a given one), with the registry's reasons. */
  'schemas.check': {
    input: z.strictObject({
      ...subject,
      draft: SchemaDraft,
      version: z.union([z.literal('latest'), z.number().int().min(1)]).default('latest'),
    }),
    output: z.strictObject({ compatible: z.boolean(), messages: z.array(z.string()), subjectExists: z.boolean() }),
  },
  /** A subject's level, or the registry's default (no subject); null: remove the subject's own level. */
  'schemas.setCompatibility': {
    input: z.strictObject({ ...conn, subject: SubjectName.optional(), level: CompatibilityLevel.nullable() }),
    output: z.strictObject({ level: CompatibilityLevel.nullable() }),
  },
  /** Deletes one version or the whole subject; `permanent` needs a soft delete first (the registry's rule). */
  'schemas.delete': {
    input: z.strictObject({
      ...subject,
      version: z.number().int().min(1).optional(),
      permanent: z.boolean().default(false),
    }),
    output: z.strictObject({ deleted: z.array(z.number().int()) }),
  },
  /** The subjects a topic uses by TopicNameStrategy (`<topic>-key`, `<topic>-value`), when they exist. */
  'schemas.topicSubjects': {
    input: z.strictObject({
      ...conn,
      topic: z.string().min(1).max(249),
      /** Read up to this many of the newest messages to see which schema ids they carry (0: none). */
      sample: z.number().int().min(0).max(1000).default(100),
    }),
    output: z.strictObject({
      key: SubjectSummary.nullable(),
      value: SubjectSummary.nullable(),
      /** Other subjects whose name starts with the topic's (RecordNameStrategy / TopicRecordNameStrategy users). */
      related: z.array(z.string()),
      /** What the newest messages actually carry: the schema ids in their wire headers, per key / value, with the subjects holding each. */
      carried: z.array(
        z.strictObject({
          part: z.enum(['key', 'value']),
          schemaId: z.number().int(),
          subjects: z.array(z.strictObject({ subject: z.string(), version: z.number().int() })),
          messages: z.number().int(),
        }),
      ),
      /** How many of the newest messages were looked at (0 when the topic is empty or was not read). */
      sampled: z.number().int(),
      /** Why the messages could not be read (the topic does not exist, the cluster is down): the subjects are still told. */
      sampleError: z.string().optional(),
    }),
  },
  /** A schema for the editor: its JSON Schema and a sample value. */
  'schemas.resolve': {
    input: z.strictObject({ ...conn, choice: SchemaChoice }),
    output: ResolvedSchema,
  },
  'localSchemas.list': {
    input: z.strictObject({ connectionId: ConnectionId }),
    output: z.strictObject({ schemas: z.array(LocalSchema), bindings: z.array(LocalSchemaBinding) }),
  },
  'localSchemas.add': { input: LocalSchemaInput, output: LocalSchema },
  'localSchemas.delete': {
    input: z.strictObject({ connectionId: ConnectionId, localSchemaId: LocalSchemaId }),
    output: z.strictObject({ deleted: z.boolean() }),
  },
  /** Attaches (or with `localSchemaId: null`, detaches) a local schema to a topic's key / value or a registry id. */
  'localSchemas.bind': {
    input: LocalSchemaBinding.extend({ localSchemaId: LocalSchemaId.nullable() }),
    output: z.strictObject({ bindings: z.array(LocalSchemaBinding) }),
  },
} as const;
