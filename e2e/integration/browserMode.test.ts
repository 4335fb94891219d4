import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { listenerInputs, readCluster, type ClusterInfo } from './support';

/** `npm run web` as the user starts it: the bundled server (out/web), a fresh data folder, any free port. */
let server: ChildProcess;
let url: URL;
let dataDir: string;
let k: ClusterInfo;

beforeAll(async () => {
  k = await readCluster();
  dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-web-'));
  server = spawn(process.execPath, ['out/web/index.cjs', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) resolve(new URL(m[1]!));
    });
    server.on('exit', (code) => reject(new Error(`browser mode exited with ${code}: ${out}`)));
  });
});

afterAll(() => {
  server?.kill('SIGTERM');
});

function socket(opts: { token?: string | null; origin?: string | null }): Promise<{ ws?: WebSocket; status?: number }> {
  const token = opts.token === undefined ? url.searchParams.get('token') : opts.token;
  const target = `ws://${url.host}/api${token === null ? '' : `?token=${token}`}`;
  const headers: Record<string, string> = {};
  const origin = opts.origin === undefined ? url.origin : opts.origin;
  return new Promise((resolve) => {
    const ws = new WebSocket(target, origin === null ? { headers } : { headers, origin });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.on('error', () => resolve({}));
  });
}

function call(
  ws: WebSocket,
  channel: string,
  input?: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: never };
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg.result!);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

describe('browser mode (npm run web)', () => {
  it('prints a loopback URL carrying a token', () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{24,}$/);
  });

  it('refuses a WebSocket without the token', async () => {
    expect((await socket({ token: null })).status).toBe(401);
    expect((await socket({ token: 'guessed-token-guessed-token-1234' })).status).toBe(401);
  });

  it('refuses a WebSocket from a foreign origin, even with the token', async () => {
    expect((await socket({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await socket({ origin: null })).status).toBe(403);
  });

  it('serves the renderer with a Content-Security-Policy', async () => {
    const res = await fetch(url.origin + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<div id="app">');
  });

  it('keeps the secrets of a saved connection out of every file in the data folder', async () => {
    const { ws } = await socket({});
    expect(ws).toBeDefined();
    const inputs = await listenerInputs(k);
    const scram = await call(ws!, 'connections.save', inputs['SCRAM-SHA-512']);
    expect(scram.ok).toBe(true);
    const mtls = await call(ws!, 'connections.save', inputs['mutual TLS']);
    expect(mtls.ok).toBe(true);
    expect(JSON.stringify(scram.value)).not.toContain(k.users.scram512.password);
    expect(scram.value).toMatchObject({ sasl: { passwordSet: true } });

    // the saved connections work through the socket
    const tested = await call(ws!, 'connections.test', { id: (scram.value as { id: string }).id });
    expect(tested).toMatchObject({ ok: true, value: { clusterId: k.clusterId } });

    const keyPem = await readFile(k.tls.clientKey, 'utf8');
    const keyBody = keyPem
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');
    const files = await allFiles(dataDir);
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) {
      const bytes = await readFile(f);
      expect(bytes.includes(Buffer.from(k.users.scram512.password)), `${f} contains the password`).toBe(false);
      expect(
        bytes.toString('latin1').replace(/\s/g, '').includes(keyBody.slice(0, 64)),
        `${f} contains the private key`,
      ).toBe(false);
      expect((await stat(f)).mode & 0o077, `${f} is readable by others`).toBe(0);
    }
    ws!.close();
  });
});
