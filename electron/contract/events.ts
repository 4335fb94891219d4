import { z } from 'zod';
import { Connection, ConnectionId } from './connection';
import { ListenStatus } from './listen';
import { ConsumedMessage, OperationId, OperationProgress } from './operations';

/** Events pushed from the core to every open window / browser tab. */
export const events = {
  'connections.changed': z.strictObject({
    reason: z.enum(['saved', 'deleted']),
    id: ConnectionId,
    connection: Connection.optional(),
  }),
  /**
   * Listen pushes in batches (by count and time), never one event per message: the status (true
   * totals and rate) and the newest messages since the last batch; at high rates only the newest few
   * hundred (`skipped` says how many others; everything is in the session).
   */
  'listen.batch': z.strictObject({
    status: ListenStatus,
    messages: z.array(ConsumedMessage),
    skipped: z.number().int().nonnegative().default(0),
  }),
  /** A Consume with `into: 'events'`: the messages of one batch (or the matches in it), as they were read. */
  'operation.messages': z.strictObject({
    operationId: OperationId,
    messages: z.array(ConsumedMessage),
  }),
  /** Progress of a Produce batch or a Consume (scanned / matched), throttled. */
  'operation.progress': OperationProgress,
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
