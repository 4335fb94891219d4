import type { ChannelName, EventName, Result } from '../../../electron/contract';

/** How the typed client reaches the core: the preload bridge (Electron) or a WebSocket (browser mode). */
export interface Transport {
  readonly kind: 'electron' | 'web';
  invoke(channel: ChannelName, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}
