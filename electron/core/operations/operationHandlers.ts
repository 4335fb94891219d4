import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import type { Handlers } from '../handlers';
import type { MessageSessions } from '../sessions/messageSessions';
import { commitOffsets } from './commitOperation';
import { consume } from './consumeOperation';
import { APP_FILE_MESSAGE_LIMIT, parseMessageFile } from './messageFile';
import type { OperationRegistry } from './operationRegistry';
import { produce } from './produceOperation';

type OperationChannel =
  'operations.produce' | 'operations.consume' | 'operations.commit' | 'operations.parseFile' | 'operations.cancel';

export interface OperationDeps {
  resolveById: (id: string) => Promise<ResolvedConnection>;
  /** Running Produce batches and Consumes: progress events, cancel. */
  running: OperationRegistry;
  sessions: MessageSessions;
}

/** Produce, Consume and Commit Offset on a connection; a file's text parsed into messages; cancelling a run. */
export function createOperationHandlers({
  resolveById,
  running,
  sessions,
}: OperationDeps): Pick<Handlers, OperationChannel> {
  return {
    'operations.produce': async (input) =>
      produce(await resolveById(input.id), input, running.begin(input.operationId, 'produce')),
    'operations.consume': async (input) => {
      const conn = await resolveById(input.id);
      if (input.into === 'reply') return consume(conn, input, running.begin(input.operationId, 'consume'));
      // kept in main, page by page for the window: a million messages never cross the boundary at once
      const sessionId = await sessions.begin({ source: 'consume', connectionId: input.id, connectionName: conn.name });
      const result = await consume(conn, input, running.begin(input.operationId, 'consume'), (batch) =>
        sessions.add(sessionId, batch),
      );
      await sessions.settled(sessionId);
      return { ...result, session: { id: sessionId, count: sessions.count(sessionId) } };
    },
    'operations.commit': async (input) => commitOffsets(await resolveById(input.id), input),
    'operations.parseFile': async ({ name, format, text }) => {
      // stops at the first message past the limit, naming its line / row / item (PAYLOAD_TOO_LARGE)
      const messages = parseMessageFile(text, format, name, { limit: APP_FILE_MESSAGE_LIMIT });
      if (!messages.length) throw new CoreError('INVALID_INPUT', `${name} holds no messages.`);
      return { messages };
    },
    'operations.cancel': async ({ operationId }) => ({ cancelled: running.cancel(operationId) }),
  };
}
