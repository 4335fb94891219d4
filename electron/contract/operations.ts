import { z } from 'zod';
import { ConnectionId } from './connection';
import { Decoded, MessageFormat, OnUndecodable, SchemaChoice, UndecodableSummary } from './schemas';

/**
 * Bytes on the wire, as the CLI's --json and the IPC carry them: a string when the bytes are valid
 * UTF-8, `{base64}` otherwise, `null` for a null key / value. Never a lossy decode.
 */
export const WireBytes = z.union([
  z.string(),
  z.strictObject({ base64: z.string().regex(/^[A-Za-z0-9+/]*=*$/) }),
  z.null(),
]);
export type WireBytes = z.infer<typeof WireBytes>;

export const MessageHeader = z.tuple([z.string(), WireBytes]);

export const Compression = z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
export type Compression = z.infer<typeof Compression>;

export const ProduceMessage = z.strictObject({
  key: WireBytes.default(null),
  value: WireBytes.default(null),
  /** In order; the same key may appear more than once. */
  headers: z.array(MessageHeader).max(1000).default([]),
  /** Absent: the default partitioner (murmur2 on the key, as the Java client). */
  partition: z.number().int().min(0).optional(),
  /** Milliseconds since the epoch; absent: now. */
  timestamp: z.number().int().nonnegative().optional(),
});
export type ProduceMessage = z.input<typeof ProduceMessage>;

/** Chosen by the caller for a long operation: progress events carry it and `operations.cancel` takes it. */
export const OperationId = z.string().regex(/^[a-z0-9-]{8,64}$/);

export const ProduceInput = z.strictObject({
  id: ConnectionId,
  operationId: OperationId.optional(),
  topic: z.string().min(1).max(249),
  messages: z.array(ProduceMessage).min(1).max(100_000),
  acks: z.enum(['all', '1', '0']).default('all'),
  compression: Compression.default('none'),
  idempotent: z.boolean().default(true),
  /** A message larger than this is refused before sending; absent: the connection's limit (10 MiB unless changed). */
  maxMessageBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .optional(),
  /** With several messages: go on after one fails (true) or stop at the first failure (false). */
  continueOnError: z.boolean().default(false),
  /** Render {{seq}}, {{uuid}}, {{now}}, {{iso}}, {{randomInt a b}}, {{pick "a" "b"}} in text keys, values and headers, per message. */
  template: z.boolean().default(false),
  /** At most this many messages per second (0: as fast as the broker takes them). */
  ratePerSecond: z.number().int().min(0).max(1_000_000).default(0),
  /**
   * Encode each message's key / value (JSON text) with a schema: Confluent's wire format for a registry
   * schema, the bare payload for a local file. Absent: the bytes are sent as given.
   */
  keySchema: SchemaChoice.optional(),
  valueSchema: SchemaChoice.optional(),
});

export const ProduceOutcome = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('delivered'),
    index: z.number().int(),
    partition: z.number().int(),
    offset: z.string(),
    timestamp: z.string(),
  }),
  z.strictObject({ status: z.literal('failed'), index: z.number().int(), code: z.string(), message: z.string() }),
  z.strictObject({ status: z.literal('not-sent'), index: z.number().int(), message: z.string() }),
]);
export type ProduceOutcome = z.infer<typeof ProduceOutcome>;

export const ProduceResult = z.strictObject({
  delivered: z.number().int(),
  failed: z.number().int(),
  /** Stopped by `operations.cancel`; the messages not sent say so. */
  cancelled: z.boolean().default(false),
  results: z.array(ProduceOutcome),
});
export type ProduceResult = z.infer<typeof ProduceResult>;

export const StartPosition = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('earliest') }),
  z.strictObject({ from: z.literal('latest'), minus: z.number().int().min(0).default(0) }),
  z.strictObject({ from: z.literal('offset'), offset: z.string().regex(/^\d+$/) }),
  z.strictObject({ from: z.literal('timestamp'), timestamp: z.number().int().nonnegative() }),
  z.strictObject({ from: z.literal('group'), groupId: z.string().min(1) }),
]);
export type StartPosition = z.infer<typeof StartPosition>;

/**
 * Which messages to keep, by their content: one definition with one semantics, for Consume and Listen
 * (applied in the main process as messages are read, so a user can find one message among millions
 * without pulling millions into the window) and for a capture's or a session's rows (`CaptureSearch`).
 * Compiled to JavaScript and to SQL by core/filters/messageFilter.ts. All given conditions must hold;
 * an empty text or regex is no condition; null and binary keys, values and header values are not text.
 */
export const MessageFilter = z.strictObject({
  /** Case-insensitive text in the key, the value or a header value. */
  text: z.string().max(1000).optional(),
  /** A regular expression (RE2 syntax) tested on the key, the value and the header values. */
  regex: z.string().max(1000).optional(),
  regexIgnoreCase: z.boolean().optional(),
  /** A header with this key (and, if given, this value). */
  header: z.strictObject({ key: z.string().min(1).max(1000), value: z.string().max(10_000).optional() }).optional(),
  /** A JSONPath on the value (e.g. `$.customer.id`); matches when it finds something equal to `equals`, or anything when `equals` is absent. */
  jsonPath: z.strictObject({ path: z.string().min(1).max(1000), equals: z.string().max(10_000).optional() }).optional(),
});
export type MessageFilter = z.infer<typeof MessageFilter>;

const TopicName = z.string().min(1).max(249);

/** How Consume and Listen read keys and values: decoded by schema (auto), or as a chosen format. */
export const DECODE_OPTIONS = {
  keyFormat: MessageFormat.default('auto'),
  valueFormat: MessageFormat.default('auto'),
  /** With a chosen format (not auto, string or bytes): a message that is not of it is shown marked, skipped, or ends the read. */
  onUndecodable: OnUndecodable.default('show'),
};

/** Reading as a named consumer group instead of the default throwaway one. */
export const ConsumeGroup = z.strictObject({
  groupId: z.string().min(1).max(2048),
  /** auto: commit what was read as it goes and at the end; manual: commit nothing (the result says what to commit). */
  commit: z.enum(['auto', 'manual']).default('manual'),
  /** The group has live members elsewhere: join anyway (they are rebalanced). Without it the read is refused, naming them. */
  joinLiveGroup: z.boolean().default(false),
});

/** Consume's options (without the connection), as presets keep them. */
export const ConsumeOptions = z.strictObject({
  operationId: OperationId.optional(),
  /** One topic, several, or a regular expression over the cluster's topic names: exactly one of the three. */
  topic: TopicName.optional(),
  topics: z.array(TopicName).min(1).max(200).optional(),
  topicPattern: z.string().min(1).max(1000).optional(),
  partitions: z.array(z.number().int().min(0)).optional(),
  start: StartPosition.default({ from: 'earliest' }),
  /** Stop after this many messages (at least; a fetch may bring a few more, which are dropped). */
  max: z.number().int().min(1).max(1_000_000).default(100),
  /** Stop each partition at the first message stamped after this time (ms since the epoch). */
  stopAtTimestamp: z.number().int().nonnegative().optional(),
  /** Read messages of transactions that are not committed (or were aborted) too. */
  readUncommitted: z.boolean().default(false),
  /** Stop at the end offsets seen when the read started (true), or wait up to `waitMs` for more. */
  untilEnd: z.boolean().default(true),
  waitMs: z.number().int().min(0).max(600_000).default(0),
  /** Records handled per poll (kafkajs has no max.poll.records; the rest is fetched again). */
  maxRecordsPerPoll: z.number().int().min(1).max(100_000).default(500),
  /** A message (key + value + headers) larger than this is reported by topic, partition and offset. */
  maxMessageBytes: z
    .number()
    .int()
    .min(1)
    .max(256 * 1024 * 1024)
    .optional(),
  /** What to do with such a message; default: skip with auto-commit, stop otherwise. */
  onOversize: z.enum(['skip', 'stop']).optional(),
  group: ConsumeGroup.optional(),
  filter: MessageFilter.optional(),
  ...DECODE_OPTIONS,
});

const oneTopicSource = (i: {
  topic?: string | undefined;
  topics?: string[] | undefined;
  topicPattern?: string | undefined;
}) => [i.topic, i.topics, i.topicPattern].filter((x) => x !== undefined).length === 1;
const oneTopicMessage = () => ({ message: 'Give exactly one of topic, topics or topicPattern.', path: ['topic'] });
export const ConsumePresetInput = ConsumeOptions.omit({ operationId: true }).refine(oneTopicSource, oneTopicMessage());
export const ConsumeInput = ConsumeOptions.extend({
  id: ConnectionId,
  /**
   * `reply`: the messages come back in the result (sorted by topic, partition and offset); `session`:
   * they are kept in main's session store and the window pages through them (`sessions.rows`);
   * `events`: handed over batch by batch as they are read (`operation.messages`, each partition in
   * offset order), none kept — a host that writes them out reads millions in constant memory.
   */
  into: z.enum(['reply', 'session', 'events']).default('reply'),
}).refine(oneTopicSource, oneTopicMessage());
export type ConsumeInput = z.input<typeof ConsumeInput>;

/** A Consume or Listen run's messages in the main process's session store. */
export const SessionId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const ConsumedMessage = z.strictObject({
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  timestamp: z.string(),
  timestampType: z.enum(['CreateTime', 'LogAppendTime']),
  key: WireBytes,
  value: WireBytes,
  headers: z.array(MessageHeader),
  size: z.number().int(),
  /** The key's and value's decoded form (a schema's, or a chosen format's), when there is one. */
  decoded: Decoded.optional(),
});
export type ConsumedMessage = z.infer<typeof ConsumedMessage>;

/** A message or a compressed batch that was not read: by topic, partition and offset, skipped or stopped at. */
export const OversizedEntry = z.strictObject({
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  size: z.number().int(),
  action: z.enum(['skipped', 'stopped']),
  /** A batch that inflates past the cap: its last offset, how many messages it holds, its compressed size and codec. */
  batch: z
    .strictObject({
      lastOffset: z.string(),
      records: z.number().int(),
      compressedBytes: z.number().int(),
      codec: z.string(),
    })
    .optional(),
});
export type OversizedEntry = z.infer<typeof OversizedEntry>;

export const ConsumeResult = z.strictObject({
  /** The messages read (or matched), sorted by topic, partition and offset; empty when kept in a session. */
  messages: z.array(ConsumedMessage),
  /** With `into: 'session'`: where the messages are, and how many (in the order they were read). */
  session: z.strictObject({ id: SessionId, count: z.number().int() }).optional(),
  /** Topic-partition → offset range read. */
  ranges: z.array(
    z.strictObject({ topic: z.string(), partition: z.number().int(), from: z.string(), end: z.string() }),
  ),
  reachedEnd: z.boolean(),
  /** Messages read; with a filter, `messages` holds only the matches among them. */
  scanned: z.number().int(),
  /**
   * Messages over `maxMessageBytes`, and compressed batches that would inflate past the cap (a
   * decompression bomb; `size` is the cap it passed, `batch` says which messages): reported, never shown.
   */
  oversized: z.array(OversizedEntry).default([]),
  /** Messages not of the chosen key / value format: counted, the first named. */
  undecodable: UndecodableSummary.optional(),
  /** Why the read ended before reaching its end or max, for a person (a cancel, an oversized message). */
  stoppedBecause: z.string().optional(),
  cancelled: z.boolean().default(false),
  /** Per partition read from: the next offset (last read + 1), what "commit what I read" commits. */
  nextOffsets: z
    .array(z.strictObject({ topic: z.string(), partition: z.number().int(), offset: z.string() }))
    .default([]),
  /** With a named group: the offsets to commit for what was read (last read + 1), and whether they were committed. */
  group: z
    .strictObject({
      groupId: z.string(),
      committed: z.boolean(),
      offsets: z.array(z.strictObject({ topic: z.string(), partition: z.number().int(), offset: z.string() })),
    })
    .optional(),
});
export type ConsumeResult = z.infer<typeof ConsumeResult>;

export const CommitInput = z.strictObject({
  id: ConnectionId,
  groupId: z.string().min(1).max(2048),
  topic: z.string().min(1).max(249),
  /** The next offset to read, per partition (Kafka's convention: last read + 1). */
  offsets: z.array(z.strictObject({ partition: z.number().int().min(0), offset: z.string().regex(/^\d+$/) })).min(1),
});

export const CommitResult = z.strictObject({
  groupId: z.string(),
  topic: z.string(),
  before: z.array(z.strictObject({ partition: z.number().int(), offset: z.string().nullable() })),
  after: z.array(z.strictObject({ partition: z.number().int(), offset: z.string().nullable() })),
});
export type CommitResult = z.infer<typeof CommitResult>;

/** Pushed while a Produce batch or a Consume runs (at most a few per second). */
export const OperationProgress = z.strictObject({
  operationId: OperationId,
  kind: z.enum(['produce', 'consume']),
  state: z.enum(['running', 'finished', 'cancelled']),
  /** Produce: messages sent or failed; Consume: messages scanned. */
  done: z.number().int(),
  /** Consume with a filter: matches so far. */
  matched: z.number().int().optional(),
  /** Produce: messages in the batch; Consume: the offsets in the range (when it has an end). */
  total: z.number().int().optional(),
});
export type OperationProgress = z.infer<typeof OperationProgress>;

export const MessageFileFormat = z.enum(['lines', 'ndjson', 'json', 'csv']);

/** A file's text turned into messages for Produce (the UI's "send a file"); parsed in the core, like the CLI's --file. */
export const ParseFileInput = z.strictObject({
  name: z.string().min(1).max(500),
  format: MessageFileFormat,
  text: z.string().max(40 * 1024 * 1024),
});

export const operationChannels = {
  'operations.parseFile': {
    input: ParseFileInput,
    output: z.strictObject({ messages: z.array(ProduceMessage).max(100_000) }),
  },
  'operations.cancel': {
    input: z.strictObject({ operationId: OperationId }),
    output: z.strictObject({ cancelled: z.boolean() }),
  },
  'operations.commit': { input: CommitInput, output: CommitResult },
  'operations.produce': { input: ProduceInput, output: ProduceResult },
  'operations.consume': { input: ConsumeInput, output: ConsumeResult },
} as const;
