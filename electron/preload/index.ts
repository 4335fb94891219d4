import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT_CHANNEL, channelNames, ipcChannel, isEventName, splitChannel } from '../contract';

/**
 * Exposes `window.kafkaDesk`: one function per contract channel (`kafkaDesk.topics.list(input)`) and
 * `on(event, listener)` returning an unsubscribe function. No raw invoke, no IpcRendererEvent.
 */
const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
for (const name of channelNames) {
  const [domain, verb] = splitChannel(name);
  (api[domain] ??= {})[verb] = (input?: unknown) => ipcRenderer.invoke(ipcChannel(name), input);
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: { event: string; payload: unknown }) => {
  for (const l of listeners.get(message.event) ?? []) l(message.payload);
});

contextBridge.exposeInMainWorld('kafkaDesk', {
  ...api,
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!isEventName(event) || typeof listener !== 'function') throw new Error(`unknown event ${String(event)}`);
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  },
});
