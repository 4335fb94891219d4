import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECONNECT, type Connection, type ConsumeResult } from '../../electron/contract';
import { createCore, KeyFileSecretBox, type Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { createTopic, freshCore, readCluster, type ClusterInfo } from './support';

/**
 * A connection's reconnection settings are what every operation does when a broker goes away: a
 * "broker" that takes each connection and closes it at once (a listener gone bad) counts how many
 * times Kafka Desk tried — the first try and then exactly `retries` more — for the admin calls,
 * Consume, Produce and Commit, from the window's core and from the command line.
 */
const exec = promisify(execFile);
const bin = path.resolve('bin/kafka-desk.cjs');
const cli = (args: string[]) =>
  exec(process.execPath, [bin, ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let k: ClusterInfo;
let core: Core;
let dataDir: string;
let accepted = 0;
let closing: net.Server;
let dead: string;

beforeAll(async () => {
  k = await readCluster();
  ({ core, dataDir } = await freshCore());
  closing = net.createServer((s) => {
    accepted++;
    s.destroy();
  });
  await new Promise<void>((r) => closing.listen(0, '127.0.0.1', () => r()));
  dead = `127.0.0.1:${(closing.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  core.sessions.close();
  await new Promise((r) => closing.close(r));
});

const save = async (name: string, bootstrap: string, reconnect?: object) => {
  const r = await dispatch(core.handlers, 'connections.save', {
    name,
    bootstrapServers: [bootstrap],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
    ...(reconnect ? { reconnect } : {}),
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Connection;
};

describe('reconnection settings', () => {
  it('are saved with the connection and shown back; a connection saved without them has the defaults', async () => {
    const c = await save('tuned', dead, { retries: 7, initialRetryMs: 50, maxRetryMs: 400, multiplier: 1.5 });
    expect(c.reconnect).toEqual({
      retries: 7,
      initialRetryMs: 50,
      maxRetryMs: 400,
      multiplier: 1.5,
      listenRestarts: 10,
    });
    const plain = await save('plain', dead);
    expect(plain.reconnect).toEqual(DEFAULT_RECONNECT);

    // a connections file from before the settings existed: loaded with the defaults
    const file = path.join(dataDir, 'connections.json');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { connections: Record<string, unknown>[] };
    for (const x of doc.connections) delete x.reconnect;
    await writeFile(file, JSON.stringify(doc));
    const again = createCore({ host: 'cli', dataDir, version: 'test', secrets: new KeyFileSecretBox(dataDir) });
    const list = await dispatch(again.handlers, 'connections.list', {});
    again.sessions.close();
    if (!list.ok) throw new Error(list.error.message);
    expect((list.value as Connection[]).map((x) => x.reconnect)).toEqual([DEFAULT_RECONNECT, DEFAULT_RECONNECT]);
  });

  it('refuses a longest wait shorter than the first, naming the field', async () => {
    const r = await dispatch(core.handlers, 'connections.save', {
      name: 'crossed',
      bootstrapServers: [dead],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
      reconnect: { initialRetryMs: 5000, maxRetryMs: 1000 },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message).toContain('reconnect.maxRetryMs');
      expect(r.error.message).toContain('must not be shorter than the first');
    }
  });

  it('every operation tries once and then exactly `retries` more times against a broker that hangs up', async () => {
    const topic = 'reconnect-none';
    for (const retries of [0, 1, 4]) {
      const c = await save(`retries ${retries}`, dead, { retries, initialRetryMs: 10, maxRetryMs: 40 });
      const calls = [
        ['topics.list', { id: c.id }],
        ['operations.consume', { id: c.id, topic }],
        ['operations.produce', { id: c.id, topic, messages: [{ value: 'x' }] }],
        ['operations.commit', { id: c.id, groupId: 'g', topic, offsets: [{ partition: 0, offset: '1' }] }],
      ] as const;
      for (const [channel, input] of calls) {
        accepted = 0;
        const r = await dispatch(core.handlers, channel, input as never);
        expect(r.ok, `${channel} with retries ${retries}`).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('CONNECTION_CLOSED');
        expect(accepted, `${channel} with retries ${retries}`).toBe(retries + 1);
      }
    }
  });

  it('the command line sets them for a run: over a saved connection (nothing saved) and for one given by flags', async () => {
    await save('cli saved', dead, { retries: 0, initialRetryMs: 10, maxRetryMs: 40 });
    accepted = 0;
    const over = await cli(['topics', '--connection', 'cli saved', '--data-dir', dataDir, '--retries', '3']);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toContain('closed the connection');
    expect(accepted).toBe(4);
    // the saved connection keeps its own
    const list = await dispatch(core.handlers, 'connections.list', {});
    if (!list.ok) throw new Error(list.error.message);
    expect((list.value as Connection[]).find((x) => x.name === 'cli saved')?.reconnect.retries).toBe(0);

    accepted = 0;
    const flags = await cli([
      'topics',
      '--bootstrap',
      dead,
      '--data-dir',
      dataDir,
      '--retries',
      '2',
      '--retry-backoff-ms',
      '10',
      '--retry-backoff-max-ms',
      '30',
    ]);
    expect(flags.code).not.toBe(0);
    expect(accepted).toBe(3);

    const bad = await cli(['topics', '--bootstrap', dead, '--data-dir', dataDir, '--retries', 'lots']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('retries');
    const crossed = await cli([
      'topics',
      '--bootstrap',
      dead,
      '--data-dir',
      dataDir,
      '--retry-backoff-ms',
      '5000',
      '--retry-backoff-max-ms',
      '100',
    ]);
    expect(crossed.code).not.toBe(0);
    expect(crossed.stderr).toContain('must not be shorter than the first');
  });

  it('a connection with its own settings reads and writes a real broker as any other', async () => {
    const c = await save('real', k.listeners.plaintext, {
      retries: 5,
      initialRetryMs: 100,
      maxRetryMs: 1000,
      multiplier: 3,
      listenRestarts: 2,
    });
    const topic = `it-reconnect-${Date.now()}`;
    await createTopic(k, topic, 1);
    const sent = await dispatch(core.handlers, 'operations.produce', {
      id: c.id,
      topic,
      messages: [{ value: 'a' }, { value: 'b' }],
    });
    expect(sent.ok).toBe(true);
    const read = await dispatch(core.handlers, 'operations.consume', { id: c.id, topic });
    if (!read.ok) throw new Error(read.error.message);
    expect((read.value as ConsumeResult).messages.map((m) => m.value)).toEqual(['a', 'b']);
  });
});
