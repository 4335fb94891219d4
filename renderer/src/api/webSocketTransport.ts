import type { ChannelName, EventName, Result } from '../../../electron/contract';
import type { Transport } from './transport';

interface Pending {
  resolve: (r: Result<unknown>) => void;
}

const lost = (message: string): Result<never> => ({ ok: false, error: { code: 'CONNECTION_CLOSED', message } });

/** What to say when the socket is refused although the server answers: its token is missing or stale. */
export const TOKEN_REFUSED =
  "This page was opened without Kafka Desk's access token (or with one from an earlier run). Open the address that `npm run web` printed in its terminal — it ends in ?token=… — or start `npm run web` again for a new one.";

/**
 * The socket failed: is the server down, or did it refuse this page? A browser does not say why a
 * WebSocket failed, so ask the same server over plain HTTP (which needs no token): if it answers, the
 * refusal was the token's.
 */
async function whyRefused(socketUrl: string): Promise<Result<never>> {
  try {
    const page = new URL(socketUrl);
    page.protocol = page.protocol === 'wss:' ? 'https:' : 'http:';
    page.pathname = '/';
    page.search = '';
    const r = await fetch(page.href, { method: 'HEAD', cache: 'no-store' });
    if (r.ok) return { ok: false, error: { code: 'FORBIDDEN', message: TOKEN_REFUSED } };
  } catch {
    // the server is not there at all
  }
  return lost(
    'Could not reach the Kafka Desk server. Is `npm run web` still running? Open the address it printed (it carries the access token).',
  );
}

/**
 * Browser mode: one WebSocket to the local server, requests matched to replies by id, events fanned
 * out to subscribers. Reconnects on demand after the server restarts.
 */
export function webSocketTransport(url: string): Transport {
  let socket: WebSocket | undefined;
  let opening: Promise<WebSocket> | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const open = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        opening = undefined;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = undefined;
        reject(new Error('closed'));
      };
      ws.onclose = () => {
        if (socket === ws) socket = undefined;
        for (const [id, p] of pending) {
          p.resolve(lost('The connection to the Kafka Desk server was lost. Is `npm run web` still running?'));
          pending.delete(id);
        }
      };
      ws.onmessage = (m: MessageEvent<string>) => {
        const msg = JSON.parse(m.data) as { id?: number; result?: Result<unknown>; event?: string; payload?: unknown };
        if (msg.event) {
          for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
        } else if (typeof msg.id === 'number' && msg.result) {
          pending.get(msg.id)?.resolve(msg.result);
          pending.delete(msg.id);
        }
      };
    });
    return opening;
  };

  return {
    kind: 'web',
    async invoke(channel: ChannelName, input: unknown) {
      let ws: WebSocket;
      try {
        ws = await open();
      } catch {
        return whyRefused(url);
      }
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, { resolve });
        ws.send(JSON.stringify({ id, channel, input }));
      });
    },
    subscribe(event: EventName, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      void open().catch(() => undefined);
      return () => set.delete(listener);
    },
  };
}
