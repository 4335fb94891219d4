import type { Handlers } from '../handlers';
import type { ListenManager } from '../operations/listenOperation';
import type { MessageSessions } from './messageSessions';

type SessionChannel = 'sessions.rows' | 'sessions.discard' | 'sessions.describe';

/** What the window's Consume and Listen runs read, kept in main: paged rows, forgetting, and what a reloaded tab asks. */
export function createSessionHandlers(
  sessions: MessageSessions,
  listens: ListenManager,
): Pick<Handlers, SessionChannel> {
  return {
    'sessions.rows': async ({ sessionId, ...query }) => sessions.rows(sessionId, query),
    'sessions.discard': async ({ sessionId }) => ({ discarded: await sessions.discard(sessionId) }),
    'sessions.describe': async ({ sessionId, listenId }) => {
      const session = sessions.describe(sessionId);
      const d = session && {
        source: session.source,
        connectionId: session.connectionId,
        topics: session.topics,
        count: session.count,
      };
      // a Listen is told only with its own session (an id from elsewhere names nothing)
      const listen = listenId === undefined ? null : listens.status(listenId);
      return {
        instance: sessions.instance,
        session: d,
        listen: listen && listen.sessionId === sessionId ? listen : null,
      };
    },
  };
}
