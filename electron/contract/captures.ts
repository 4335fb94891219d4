import { z } from 'zod';
import { ConnectionId } from './connection';
import { ListenId } from './listen';
import { ConsumedMessage, MessageFilter, OperationId, ProduceResult, SessionId } from './operations';
import { SchemaReference, SchemaType, SchemaChoice } from './schemas';

/** A capture's row id in the capture store. */
export const CaptureId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Shown in lists and typed on the command line: unique (ignoring case), no control characters. */
export const CaptureName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, 'must not hold control characters');

export const CaptureTag = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[^\p{Cc},]*$/u, 'must not hold commas or control characters');
export const CaptureNote = z.string().max(20_000);

/** Where a capture's messages came from. */
export const CaptureSource = z.enum(['consume', 'listen', 'messages', 'selection', 'import']);
export type CaptureSource = z.infer<typeof CaptureSource>;

export const CaptureSummary = z.strictObject({
  id: CaptureId,
  name: z.string(),
  /** ISO time the capture was saved. */
  createdAt: z.string(),
  source: CaptureSource,
  /** The saved connection the messages were read from (null: imported, or the command line's unsaved connection). */
  connectionId: z.string().nullable(),
  connectionName: z.string().nullable(),
  /** Distinct topics of its messages, sorted. */
  topics: z.array(z.string()),
  tags: z.array(z.string()),
  note: z.string(),
  messageCount: z.number().int().nonnegative(),
});
export type CaptureSummary = z.infer<typeof CaptureSummary>;

/** A message as a capture keeps it: the consumed message, its position in the capture, and a note. */
export const CapturedMessage = ConsumedMessage.extend({
  /** 1, 2, 3… in the order the messages were saved. */
  seq: z.number().int().positive(),
  note: z.string().nullable(),
});
export type CapturedMessage = z.infer<typeof CapturedMessage>;

const Digits = z.string().regex(/^\d{1,19}$/, 'must be a whole number');

/**
 * Search inside a capture (or a session's rows): the message filter, run next to the data (SQL), and
 * where the messages are. Every condition given must hold.
 */
export const CaptureSearch = MessageFilter.extend({
  topics: z.array(z.string().min(1).max(249)).min(1).max(200).optional(),
  partitions: z.array(z.number().int().min(0)).min(1).max(10_000).optional(),
  /** Inclusive; either end may be left open. */
  offsetFrom: Digits.optional(),
  offsetTo: Digits.optional(),
  /** Milliseconds since the epoch, inclusive. */
  timeFrom: z.number().int().nonnegative().optional(),
  timeTo: z.number().int().nonnegative().optional(),
});
export type CaptureSearch = z.infer<typeof CaptureSearch>;

export const CaptureSortField = z.enum(['seq', 'offset', 'timestamp', 'partition', 'key']);
export type CaptureSortField = z.infer<typeof CaptureSortField>;

export const CaptureRowsQuery = z.strictObject({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(10_000).default(200),
  sort: z
    .strictObject({ field: CaptureSortField, direction: z.enum(['asc', 'desc']).default('asc') })
    .default({ field: 'seq', direction: 'asc' }),
  search: CaptureSearch.default({}),
  /** In saved order with a search: answer with the first page's matches without counting them all (`counted` false, `total` a lower bound). */
  quick: z.boolean().default(false),
});
export type CaptureRowsQuery = z.input<typeof CaptureRowsQuery>;
export type CaptureRowsQueryParsed = z.output<typeof CaptureRowsQuery>;

/** Where the text search matched in a row, for highlighting (the term itself is `highlight`). */
export const CaptureMatchField = z.enum(['key', 'value', 'header']);

export const CaptureRowsPage = z.strictObject({
  rows: z.array(CapturedMessage.extend({ matchedIn: z.array(CaptureMatchField) })),
  /** Rows matching the search (all rows without one). */
  total: z.number().int().nonnegative(),
  /** False when `quick` answered before counting: `total` is then only what was found so far. */
  counted: z.boolean().default(true),
  /** Rows in the capture. */
  captureTotal: z.number().int().nonnegative(),
  offset: z.number().int(),
  /** The search text to highlight, case-insensitively (null without a text search). */
  highlight: z.string().nullable(),
});
export type CaptureRowsPage = z.infer<typeof CaptureRowsPage>;

export const CaptureExportFormat = z.enum(['ndjson', 'json', 'csv']);
export type CaptureExportFormat = z.infer<typeof CaptureExportFormat>;

const Seqs = z.array(z.number().int().positive()).min(1).max(1_000_000);
const SaveCommon = {
  name: CaptureName,
  tags: z.array(CaptureTag).max(50).default([]),
  note: CaptureNote.default(''),
};

/** Save messages as a new capture: given in the request, a Listen session's (copied in main), or a selection of another capture. */
export const CaptureSaveInput = z.discriminatedUnion('from', [
  z.strictObject({
    from: z.literal('messages'),
    ...SaveCommon,
    source: z.enum(['consume', 'messages']).default('messages'),
    connectionId: ConnectionId.optional(),
    messages: z.array(ConsumedMessage).min(1).max(100_000),
  }),
  z.strictObject({
    from: z.literal('listen'),
    ...SaveCommon,
    listenId: ListenId,
    /** Positions in the session (as `listen.history` numbers them, from 0); absent: all it keeps. */
    indexes: z.array(z.number().int().min(0)).min(1).max(1_000_000).optional(),
  }),
  z.strictObject({ from: z.literal('capture'), ...SaveCommon, captureId: CaptureId, seqs: Seqs }),
  /** A Consume's or Listen's session (copied in main), or the messages `seqs` names in it. */
  z.strictObject({ from: z.literal('session'), ...SaveCommon, sessionId: SessionId, seqs: Seqs.optional() }),
]);
export type CaptureSaveInput = z.input<typeof CaptureSaveInput>;

const byId = z.strictObject({ id: CaptureId });

/** Replay a capture (or a selection) into a topic; the connection is chosen by the caller. */
export const CaptureReplayOptions = z.strictObject({
  topic: z.string().min(1).max(249),
  seqs: Seqs.optional(),
  /** `same`: each message to the partition it was read from; `default`: the key's partition (murmur2, as the Java client). */
  partitions: z.enum(['same', 'default']).default('default'),
  /** `keep`: the original timestamps; `now`: the time of sending. */
  timestamps: z.enum(['keep', 'now']).default('now'),
  /** At most this many messages per second (0: as fast as the broker takes them). */
  ratePerSecond: z.number().int().min(0).max(1_000_000).default(0),
  /**
   * Re-encode keys / values with a schema (the target connection's registry, a schema id, a local file)
   * from their decoded JSON (or their text when they were not decoded). Absent: the original bytes.
   */
  reencode: z.strictObject({ keySchema: SchemaChoice.optional(), valueSchema: SchemaChoice.optional() }).optional(),
});
export type CaptureReplayOptions = z.output<typeof CaptureReplayOptions>;

/**
 * A registry schema a capture keeps, so its messages decode with no registry and no network: the
 * schema's text, the texts of what it references (name → text, dependencies first) and the subject
 * versions that held it. The same shape as a connection's schema cache. Sizes are capped: a schemas
 * file is input from anywhere.
 */
export const CaptureSchema = z.object({
  /** The registry id (the wire header's 4 bytes: a non-negative int32). */
  schemaId: z.number().int().min(0).max(2_147_483_647),
  schemaType: SchemaType,
  schema: z.string().max(4 * 1024 * 1024),
  references: z.array(SchemaReference).max(500),
  referenced: z
    .record(z.string().max(1000), z.string().max(4 * 1024 * 1024))
    .refine((r) => Object.keys(r).length <= 500, 'must name at most 500 referenced schemas'),
  usedBy: z
    .array(z.object({ subject: z.string().max(1000), version: z.number().int() }))
    .max(1000)
    .default([]),
});
export type CaptureSchema = z.infer<typeof CaptureSchema>;

/** The largest schemas file read (the side file of an export, `<export>.schemas.json`). */
export const MAX_CAPTURE_SCHEMAS_BYTES = 16 * 1024 * 1024;

/**
 * The schemas file written beside an export (`<export file>.schemas.json`) and read back by an import:
 * `{"kafkaDeskSchemas": 1, "schemas": [CaptureSchema…]}`. The export itself stays one message per line.
 */
export const CaptureSchemasFile = z.object({
  kafkaDeskSchemas: z.literal(1),
  schemas: z.array(CaptureSchema).max(10_000),
});
export type CaptureSchemasFile = z.infer<typeof CaptureSchemasFile>;

/** The largest export the window receives as text (larger ones: the command line, or a later file dialog in main). */
export const MAX_CAPTURE_EXPORT_BYTES = 40 * 1024 * 1024;

export const captureChannels = {
  'captures.list': { input: z.strictObject({}).optional(), output: z.array(CaptureSummary) },
  'captures.get': { input: byId, output: CaptureSummary },
  'captures.save': { input: CaptureSaveInput, output: CaptureSummary },
  'captures.rename': { input: z.strictObject({ id: CaptureId, name: CaptureName }), output: CaptureSummary },
  'captures.tag': {
    input: z.strictObject({ id: CaptureId, tags: z.array(CaptureTag).max(50) }),
    output: CaptureSummary,
  },
  'captures.annotate': { input: z.strictObject({ id: CaptureId, note: CaptureNote }), output: CaptureSummary },
  /** A note on one message of a capture; null removes it. */
  'captures.annotateMessage': {
    input: z.strictObject({ id: CaptureId, seq: z.number().int().positive(), note: CaptureNote.nullable() }),
    output: z.strictObject({ seq: z.number().int(), note: z.string().nullable() }),
  },
  'captures.delete': { input: byId, output: z.strictObject({ deleted: z.boolean() }) },
  'captures.rows': { input: CaptureRowsQuery.extend({ id: CaptureId }), output: CaptureRowsPage },
  /**
   * The capture (or the messages `seqs` names, or those `search` matches — the table's filter, run in
   * the store; with both, the named ones that match) as a file's text, for the window to save.
   */
  'captures.export': {
    input: z.strictObject({
      id: CaptureId,
      format: CaptureExportFormat,
      seqs: Seqs.optional(),
      search: CaptureSearch.optional(),
    }),
    output: z.strictObject({
      fileName: z.string(),
      mimeType: z.string(),
      text: z.string(),
      count: z.number().int(),
      /**
       * The registry schemas the exported messages name, as the schemas file's text (`fileName` is the
       * export's name + `.schemas.json`), for a second download beside the export; absent when none.
       */
      schemas: z.strictObject({ fileName: z.string(), text: z.string() }).optional(),
    }),
  },
  /** The registry schemas a capture keeps (those its messages' decoded keys and values name), by id. */
  'captures.schemas': { input: byId, output: z.strictObject({ schemas: z.array(CaptureSchema) }) },
  /**
   * A file the user picked (its text, as `operations.parseFile` takes one): NDJSON from Kafka Desk or
   * kcat -J, and optionally the schemas file exported beside it (its text): its schemas are kept with
   * the capture, and messages in Confluent's wire format with no decoded form are decoded with them.
   */
  'captures.import': {
    input: z.strictObject({
      name: CaptureName,
      fileName: z.string().min(1).max(500),
      text: z.string().max(40 * 1024 * 1024),
      tags: z.array(CaptureTag).max(50).default([]),
      schemas: z.string().max(MAX_CAPTURE_SCHEMAS_BYTES).optional(),
    }),
    output: z.strictObject({ capture: CaptureSummary, warnings: z.array(z.string()) }),
  },
  /** Replay into a topic of a saved connection: progress events and `operations.cancel` as for a Produce; `seqs[i]` is the capture message of result i. */
  'captures.replay': {
    input: CaptureReplayOptions.extend({
      id: CaptureId,
      connectionId: ConnectionId,
      operationId: OperationId.optional(),
    }),
    output: ProduceResult.extend({ seqs: z.array(z.number().int()) }),
  },
  /** The sample capture that ships with the app (an offline demo for the first run): imported once, then reopened. */
  'captures.openSample': { input: z.strictObject({}).optional(), output: CaptureSummary },
} as const;

export const SAMPLE_CAPTURE_NAME = 'Sample: orders (offline demo)';
