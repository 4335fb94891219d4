import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, channelNames, ipcChannel, type Result } from '../contract';
import type { Core } from '../core';
import { dispatch } from '../core/dispatch';

/** The origin the renderer is served from (the `app:` protocol registered in index.ts). */
export const APP_ORIGIN = 'app://kafka-desk';

/**
 * Is this URL one of our own pages? Compared by scheme and host: Node's URL gives `origin === 'null'`
 * for schemes it does not know, so `new URL(u).origin` cannot be used for `app:`.
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'kafka-desk' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender: Pick<WebContents, 'mainFrame'> };

/** Only our own page, in the main frame (no iframes, no other origin), may call the core. */
export function isTrustedSender(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame !== event.sender.mainFrame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This request did not come from the Kafka Desk window and was refused.' },
};

/** The one router: every contract channel bound to ipcMain.handle, with a sender check and payload validation. */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  core: Pick<Core, 'handlers'>,
  trusted = isTrustedSender,
): void {
  for (const name of channelNames) {
    ipcMain.handle(ipcChannel(name), async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!trusted(event)) return FORBIDDEN;
      return dispatch(core.handlers, name, input);
    });
  }
}

/** Forwards core events to a window. */
export function forwardEvents(
  core: Pick<Core, 'events'>,
  send: (channel: string, payload: unknown) => void,
): () => void {
  return core.events.onAny((event, payload) => send(IPC_EVENT_CHANNEL, { event, payload }));
}
