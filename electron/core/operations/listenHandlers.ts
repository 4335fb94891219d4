import type { ResolvedConnection } from '../connections/storedConnection';
import type { Handlers } from '../handlers';
import type { ListenManager } from './listenOperation';
import type { SchemaService } from '../schemas/schemaService';

type ListenChannel =
  'listen.start' | 'listen.pause' | 'listen.resume' | 'listen.stop' | 'listen.history' | 'listen.discard';

/** A live tail of a topic: started on a connection, paused, resumed, stopped; what it received, paged. */
export function createListenHandlers(
  listens: ListenManager,
  resolveById: (id: string) => Promise<ResolvedConnection>,
  schemas: SchemaService,
): Pick<Handlers, ListenChannel> {
  return {
    'listen.start': async (input) =>
      listens.start(await resolveById(input.id), input, input.id, await schemas.decoder(input.id, input)),
    'listen.pause': async ({ listenId }) => listens.pause(listenId),
    'listen.resume': async ({ listenId }) => listens.resume(listenId),
    'listen.stop': ({ listenId }) => listens.stop(listenId),
    'listen.history': async ({ listenId, offset, limit }) => listens.history(listenId, offset, limit),
    'listen.discard': async ({ listenId }) => ({ discarded: await listens.discard(listenId) }),
  };
}
