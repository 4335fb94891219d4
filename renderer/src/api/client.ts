import {
  channelNames,
  splitChannel,
  type ContractApi,
  type EventName,
  type EventPayload,
} from '../../../electron/contract';
import type { Transport } from './transport';

export type Api = ContractApi & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  readonly transport: Transport['kind'];
};

/** The renderer's one way to the core: `api.connections.save(input)` returns a `Result`, never throws. */
export function createApi(transport: Transport): Api {
  const api: Record<string, unknown> = {};
  for (const name of channelNames) {
    const [domain, verb] = splitChannel(name);
    const group = (api[domain] ??= {}) as Record<string, unknown>;
    group[verb] = (input?: unknown) => transport.invoke(name, input);
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => transport.subscribe(event, listener);
  api.transport = transport.kind;
  return api as Api;
}
