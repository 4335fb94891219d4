import { z } from 'zod';
import { ConnectionId } from './connection';
import { ConsumedMessage, DECODE_OPTIONS, OversizedEntry, SessionId, StartPosition } from './operations';
import { UndecodableSummary } from './schemas';

/** The Listen domain: a live tail of one topic, paused, resumed, stopped; its messages kept in a session. */

export const ListenId = z.string().regex(/^[a-z0-9-]{8,64}$/);

export const ListenStartInput = z.strictObject({
  id: ConnectionId,
  topic: z.string().min(1).max(249),
  partitions: z.array(z.number().int().min(0)).optional(),
  /** Default: only what arrives from now on. */
  start: StartPosition.default({ from: 'latest', minus: 0 }),
  ...DECODE_OPTIONS,
});

export const ListenState = z.enum(['starting', 'running', 'paused', 'reconnecting', 'stopped', 'failed']);
export type ListenState = z.infer<typeof ListenState>;

export const ListenStatus = z.strictObject({
  listenId: ListenId,
  topic: z.string(),
  state: ListenState,
  /** Messages received since the start. */
  total: z.number().int(),
  /** Messages per second over the last seconds. */
  rate: z.number(),
  /** Where everything it received is kept (the window pages through it); absent on the command line, which prints it all. */
  sessionId: SessionId.optional(),
  error: z.string().optional(),
  /** Compressed batches skipped because they inflate past the cap (a decompression bomb), the latest last. */
  skippedBatches: z.array(OversizedEntry).max(20).optional(),
  /** Messages not of the chosen key / value format (shown marked, skipped, or the Listen stopped there). */
  undecodable: UndecodableSummary.optional(),
});
export type ListenStatus = z.infer<typeof ListenStatus>;

export const listenChannels = {
  'listen.start': { input: ListenStartInput, output: ListenStatus },
  'listen.pause': { input: z.strictObject({ listenId: ListenId }), output: ListenStatus },
  'listen.resume': { input: z.strictObject({ listenId: ListenId }), output: ListenStatus },
  'listen.stop': { input: z.strictObject({ listenId: ListenId }), output: ListenStatus },
  /** What a Listen received (its session in the main process, bounded), oldest first. */
  'listen.history': {
    input: z.strictObject({
      listenId: ListenId,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(200_000).default(100_000),
    }),
    output: z.strictObject({ messages: z.array(ConsumedMessage), kept: z.number().int(), dropped: z.number().int() }),
  },
  'listen.discard': {
    input: z.strictObject({ listenId: ListenId }),
    output: z.strictObject({ discarded: z.boolean() }),
  },
} as const;
