import { execFileSync } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureRowsPage, CaptureSummary, ConsumeResult } from '../../electron/contract';
import { createCore, KeyFileSecretBox, type Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { createTopic, freshCore, readCluster, type ClusterInfo } from './support';

/**
 * Offline debugging (issue 6): what was read and saved opens again after the core restarts with
 * the network cut. The "network" is a TCP proxy in front of the broker's bootstrap port: closing it
 * leaves the saved connection with nothing to reach, as a lost VPN would.
 */
let k: ClusterInfo;
let proxy: Server;
let proxyPort = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
  k = await readCluster();
  const [host, port] = [k.listeners.plaintext.split(':')[0]!, Number(k.listeners.plaintext.split(':')[1])];
  proxy = createServer((client) => {
    const upstream = connect(port, host);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as { port: number }).port;
});
afterAll(() => proxy?.close());

function cutTheNetwork(): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((r) => proxy.close(() => r()));
}

async function call<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel as never, input as never);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

describe('offline: captures and cached metadata after a restart with the network cut', () => {
  it('a capture saved from a Consume, and the topic list, open again with no broker reachable; the inspector data is intact', async () => {
    const topic = `it-offline-${Date.now()}`;
    await createTopic(k, topic, 2);
    execFileSync('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-K', ':', '-H', 'trace=abc'], {
      input: 'k1:{"order":1}\nk2:{"order":2}\nk3:not json\n',
    });
    const { core, dataDir } = await freshCore();
    const conn = await call<{ id: string }>(core, 'connections.save', {
      name: 'via proxy',
      bootstrapServers: [`127.0.0.1:${proxyPort}`],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
      timeouts: { connectionMs: 2000, requestMs: 5000, authenticationMs: 2000 },
    });
    const listed = await call<{ topics: { name: string }[]; fromCache: unknown }>(core, 'topics.list', { id: conn.id });
    expect(listed.topics.map((t) => t.name)).toContain(topic);
    const read = await call<ConsumeResult>(core, 'operations.consume', { id: conn.id, topic });
    expect(read.messages).toHaveLength(3);
    const saved = await call<CaptureSummary>(core, 'captures.save', {
      from: 'messages',
      source: 'consume',
      name: 'before the flight',
      connectionId: conn.id,
      messages: read.messages,
    });
    expect(saved).toMatchObject({ messageCount: 3, connectionName: 'via proxy', topics: [topic] });
    core.captures.close();

    await cutTheNetwork();
    // a new core on the same data folder: the app started again, offline
    const offline = createCore({ host: 'cli', dataDir, version: 'test', secrets: new KeyFileSecretBox(dataDir) });
    expect((await call<{ name: string }[]>(offline, 'connections.list', {})).map((c) => c.name)).toEqual(['via proxy']);
    const test = await dispatch(offline.handlers, 'connections.test', { id: conn.id });
    expect(test).toMatchObject({ ok: false, error: { code: 'CONNECTION_REFUSED' } });
    const cached = await call<{ topics: { name: string }[]; fromCache: { asOf: string; reason: string } | null }>(
      offline,
      'topics.list',
      { id: conn.id },
    );
    expect(cached.fromCache).not.toBeNull();
    expect(cached.topics.map((t) => t.name)).toContain(topic);

    const captures = await call<CaptureSummary[]>(offline, 'captures.list', {});
    expect(captures.map((c) => c.name)).toEqual(['before the flight']);
    const page = await call<CaptureRowsPage>(offline, 'captures.rows', {
      id: saved.id,
      search: { header: { key: 'trace', value: 'abc' }, jsonPath: { path: '$.order', equals: '2' } },
    });
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ key: 'k2', value: '{"order":2}', headers: [['trace', 'abc']], topic });
    expect(page.rows[0]!.offset).toBe(read.messages.find((m) => m.key === 'k2')!.offset);
    const all = await call<CaptureRowsPage>(offline, 'captures.rows', { id: saved.id, search: { text: 'NOT JSON' } });
    expect(all.rows.map((r) => r.value)).toEqual(['not json']);
    offline.captures.close();
  });
});
