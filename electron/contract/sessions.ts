import { z } from 'zod';
import { CaptureRowsPage, CaptureRowsQuery } from './captures';
import { ListenId, ListenStatus } from './listen';
import { SessionId } from './operations';

/** The session store: what a Consume or Listen of the window read, paged and searched in main as a capture is. */
export const sessionChannels = {
  'sessions.rows': { input: CaptureRowsQuery.extend({ sessionId: SessionId }), output: CaptureRowsPage },
  /**
   * What a reloaded tab asks before it shows a run it remembers: whether the session is still kept
   * (null: dropped, or made by the process before a restart — `instance` tells which), and for a
   * Listen its status (running again live, or stopped; null when it is gone).
   */
  'sessions.describe': {
    input: z.strictObject({ sessionId: SessionId, listenId: ListenId.optional() }),
    output: z.strictObject({
      /** Changes with every start of the core: a session id remembered from another instance names nothing here. */
      instance: z.string(),
      session: z
        .strictObject({
          source: z.enum(['consume', 'listen']),
          connectionId: z.string().nullable(),
          topics: z.array(z.string()),
          count: z.number().int(),
        })
        .nullable(),
      listen: ListenStatus.nullable(),
    }),
  },
  /** Forgets a session's messages (a closed tab). */
  'sessions.discard': {
    input: z.strictObject({ sessionId: SessionId }),
    output: z.strictObject({ discarded: z.boolean() }),
  },
} as const;
