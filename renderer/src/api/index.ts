import type { KafkaDeskBridge } from '../../../electron/contract';
import { bridgeTransport } from './bridgeTransport';
import { createApi, type Api } from './client';
import { webSocketTransport } from './webSocketTransport';

declare global {
  interface Window {
    kafkaDesk?: KafkaDeskBridge;
  }
}

const TOKEN_KEY = 'kafka-desk.token';

/** Browser mode opened without its access token (neither in the address nor kept for this tab): nothing can work. */
export let browserModeTokenMissing = false;

/** In browser mode the token arrives in the URL once; it is kept for this tab and removed from the address bar. */
function browserModeUrl(): string {
  const here = new URL(window.location.href);
  const fromUrl = here.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    here.searchParams.delete('token');
    window.history.replaceState(null, '', here.pathname + here.search + here.hash);
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  browserModeTokenMissing = token === '';
  const scheme = here.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${here.host}/api?token=${encodeURIComponent(token)}`;
}

export const api: Api = createApi(
  window.kafkaDesk ? bridgeTransport(window.kafkaDesk) : webSocketTransport(browserModeUrl()),
);
export type { Api };
export { TOKEN_REFUSED } from './webSocketTransport';
