import {
  splitChannel,
  type ChannelName,
  type EventName,
  type KafkaDeskBridge,
  type Result,
} from '../../../electron/contract';
import type { Transport } from './transport';

/** Calls `window.kafkaDesk.<domain>.<verb>(input)` exposed by the preload. */
export function bridgeTransport(bridge: KafkaDeskBridge): Transport {
  const table = bridge as unknown as Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>>;
  return {
    kind: 'electron',
    invoke(channel: ChannelName, input: unknown) {
      const [domain, verb] = splitChannel(channel);
      const fn = table[domain]?.[verb];
      if (!fn)
        return Promise.resolve({
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: `The app does not offer ${channel}.` },
        });
      return fn(input);
    },
    subscribe(event: EventName, listener: (payload: unknown) => void) {
      return bridge.on(event, listener as never);
    },
  };
}
