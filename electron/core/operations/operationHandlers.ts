import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import type { CoreEvents } from '../events';
import type { Handlers } from '../handlers';
import type { MessageSessions } from '../sessions/messageSessions';
import { encodeMessages } from '../schemas/messageEncoder';
import type { SchemaService } from '../schemas/schemaService';
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
  schemas: SchemaService;
  /** Where a Consume `into: 'events'` hands its batches. */
  events: CoreEvents;
}

/** Produce, Consume and Commit Offset on a connection; a file's text parsed into messages; cancelling a run. */
export function createOperationHandlers({
  resolveById,
  running,
  sessions,
  schemas,
  events,
}: OperationDeps): Pick<Handlers, OperationChannel> {
  return {
    'operations.produce': async (input) => {
      const conn = await resolveById(input.id);
      if (!input.keySchema && !input.valueSchema)
        return produce(conn, input, running.begin(input.operationId, 'produce'));
      // encoded before anything is sent: a value that does not fit its schema stops the batch, naming the field
      const [key, value] = await Promise.all([
        input.keySchema ? schemas.chosen(input.id, input.keySchema) : undefined,
        input.valueSchema ? schemas.chosen(input.id, input.valueSchema) : undefined,
      ]);
      const encoded = encodeMessages(input.messages, { key, value }, input.template);
      return produce(conn, input, running.begin(input.operationId, 'produce'), encoded);
    },
    'operations.consume': async (input) => {
      const conn = await resolveById(input.id);
      const decoder = await schemas.decoder(input.id, input);
      if (input.into === 'reply')
        return consume(conn, input, running.begin(input.operationId, 'consume'), undefined, decoder);
      if (input.into === 'events') {
        const operationId = input.operationId;
        if (!operationId)
          throw new CoreError(
            'INVALID_INPUT',
            "into: 'events' needs an operationId (the events carry it).",
            undefined,
            [{ path: 'operationId', message: 'required with into: events' }],
          );
        return consume(
          conn,
          input,
          running.begin(operationId, 'consume'),
          (messages) => {
            if (messages.length) events.emit('operation.messages', { operationId, messages });
          },
          decoder,
        );
      }
      // kept in main, page by page for the window: a million messages never cross the boundary at once
      const sessionId = await sessions.begin({ source: 'consume', connectionId: input.id, connectionName: conn.name });
      const result = await consume(
        conn,
        input,
        running.begin(input.operationId, 'consume'),
        (batch) => sessions.add(sessionId, batch),
        decoder,
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
