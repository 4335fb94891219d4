import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES, type AppError, type Result } from '../contract';
import type { Core } from '../core';
import { describeCause } from '../core/coreError';
import { dispatch } from '../core/dispatch';
import { contentSecurityPolicy } from '../main/csp';

export interface WebServerOptions {
  core: Pick<Core, 'handlers' | 'events'>;
  /** Built renderer (out/renderer). */
  rendererDir: string;
  /** Interface to bind; loopback unless the user says otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface RunningWebServer {
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** A WebSocket request from the page: `{id, channel, input}`; the answer: `{id, result}`; events: `{event, payload}`. */
interface WireRequest {
  id: number | string;
  channel: string;
  input?: unknown;
}

/**
 * Sends one answer: whatever JSON.stringify cannot write (a BigInt, a cycle, a string over V8's
 * limit: dispatch refuses answers over MAX_REPLY_BYTES, this is the last guard) becomes a coded
 * error for the same request id, so the page hears back and the server stays up.
 */
function sendReply(ws: WebSocket, id: WireRequest['id'] | null, channel: string, result: Result<unknown>): void {
  if (ws.readyState !== ws.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify({ id, result });
  } catch (e) {
    const tooLong = e instanceof RangeError;
    const error: AppError = {
      code: tooLong ? 'PAYLOAD_TOO_LARGE' : 'INTERNAL',
      message: tooLong
        ? `The answer of ${channel.slice(0, 80)} is too large to send to the browser; ask for less at a time.`
        : `Kafka Desk failed unexpectedly in ${channel.slice(0, 80)}: its answer could not be written as JSON.`,
      detail: describeCause(e),
    };
    text = JSON.stringify({ id, result: { ok: false, error } });
  }
  send(ws, text, `the answer of ${channel.slice(0, 80)}`);
}

/** ws.send, its failures (a socket closing meanwhile) logged rather than thrown or left unhandled. */
function send(ws: WebSocket, text: string, what: string): void {
  try {
    ws.send(text, (err) => {
      if (err) console.warn(`Browser mode: could not send ${what}: ${describeCause(err)}`);
    });
  } catch (e) {
    console.warn(`Browser mode: could not send ${what}: ${describeCause(e)}`);
  }
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Browser mode: the built renderer over HTTP and the same core handlers over a WebSocket, on loopback.
 * The socket needs the random token from the printed URL and an Origin (and Host) of this server:
 * another site open in the same browser can neither connect nor rebind a name to 127.0.0.1.
 */
export async function startWebServer(opts: WebServerOptions): Promise<RunningWebServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let allowedHosts = new Set<string>();
  let port = 0;

  const statics = sirv(opts.rendererDir, { single: true, dev: false, etag: true, gzip: false, brotli: false });
  const server: Server = createServer((req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    res.setHeader('content-security-policy', contentSecurityPolicy([`ws://${req.headers.host}`]));
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    statics(req, res, () => {
      res.writeHead(404).end('Not found');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES + 64 * 1024 });
  const refuse = (socket: import('node:stream').Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const origin = req.headers.origin;
    if (url.pathname !== '/api') return refuse(socket, '404 Not Found');
    if (!allowedHosts.has(req.headers.host ?? '')) return refuse(socket, '421 Misdirected Request');
    if (!origin || !allowedHosts.has(origin.replace(/^http:\/\//, '')) || !origin.startsWith('http://')) {
      return refuse(socket, '403 Forbidden');
    }
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(socket, '401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = opts.core.events.onAny((event, payload) => {
      if (ws.readyState !== ws.OPEN) return;
      let text: string;
      try {
        text = JSON.stringify({ event, payload });
      } catch (e) {
        // an event no one asked for has no id to answer: dropped, said on the console, never thrown into the core
        console.warn(
          `Browser mode: dropped the event ${event}, which could not be written as JSON: ${describeCause(e)}`,
        );
        return;
      }
      send(ws, text, `the event ${event}`);
    });
    ws.on('close', unsubscribe);
    // An oversized or malformed frame makes ws close the socket (1009 / 1002) and emit 'error';
    // without a listener that error would take the whole server down.
    ws.on('error', () => ws.terminate());
    ws.on('message', async (data, isBinary) => {
      let req: WireRequest;
      try {
        if (isBinary) throw new Error('binary frame');
        req = JSON.parse(data.toString()) as WireRequest;
        if (typeof req !== 'object' || req === null || (typeof req.id !== 'number' && typeof req.id !== 'string')) {
          throw new Error('missing id');
        }
      } catch {
        sendReply(ws, null, '(unknown)', {
          ok: false,
          error: { code: 'INVALID_INPUT', message: 'The request is not a JSON object with an id and a channel.' },
        });
        return;
      }
      // never String() a parsed value: {"toString": 1} makes it throw
      const channel = typeof req.channel === 'string' ? req.channel : '(no channel)';
      let result: Result<unknown>;
      try {
        result = await dispatch(opts.core.handlers, req.channel, req.input);
      } catch (e) {
        // dispatch turns failures into values; this listener is async, so anything that still escapes would be an unhandled rejection
        result = {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `Kafka Desk failed unexpectedly in ${channel.slice(0, 80)}.`,
            detail: describeCause(e),
          },
        };
      }
      sendReply(ws, req.id, channel, result);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`${hostForUrl}:${port}`]);
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') {
    allowedHosts.add(`localhost:${port}`).add(`127.0.0.1:${port}`);
  }
  const origin = `http://${hostForUrl}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
