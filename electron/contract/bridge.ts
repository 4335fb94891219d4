import type { ChannelInput, ChannelName, ChannelOutput } from './channels';
import type { Result } from './errors';
import type { EventName, EventPayload } from './events';

type DomainOf<C extends string> = C extends `${infer D}.${string}` ? D : never;
type VerbOf<C extends string, D extends string> = C extends `${D}.${infer V}` ? V : never;

/** `{ connections: { list(input), save(input), ... }, topics: { list(input) }, ... }` */
export type ContractApi = {
  [D in DomainOf<ChannelName>]: {
    [V in VerbOf<ChannelName, D>]: `${D}.${V}` extends infer C extends ChannelName
      ? (input?: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>
      : never;
  };
};

/** What the preload puts on `window.kafkaDesk`, and what the renderer's client offers too. */
export type KafkaDeskBridge = ContractApi & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** IPC channel names used between preload and main: one per contract channel, one for events. */
export const ipcChannel = (name: ChannelName): string => `kafka-desk:${name}`;
export const IPC_EVENT_CHANNEL = 'kafka-desk:event';

export function splitChannel(name: ChannelName): [string, string] {
  const i = name.indexOf('.');
  return [name.slice(0, i), name.slice(i + 1)];
}
