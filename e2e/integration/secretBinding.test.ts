import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError, Connection, ConnectionInput } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { ensureConnect, type ConnectInfo } from '../infra/connect';
import { freshCore, listenerInputs, readCluster, type ClusterInfo } from './support';
import { startTokenServer } from './tokenServer';

/**
 * A stored secret goes only where it was saved for. A caller that names a saved connection (its id)
 * and supplies other endpoints — the bootstrap servers, the token endpoint, a Connect URL — gets
 * SECRET_REQUIRED, and the other endpoint never sees the secret. The "other endpoints" here are real
 * listeners that record what they are sent: a TCP relay in front of the broker's SASL listener (it
 * sees a PLAIN password in the clear), a token endpoint, an HTTP server in place of a Connect worker.
 */
let k: ClusterInfo;
let info: ConnectInfo;
let core: Core;
let inputs: Record<string, ConnectionInput>;

/** A relay to `target` that keeps every byte the client sent: what a host of the caller's choosing would receive. */
async function recordingRelay(
  target: string,
): Promise<{ address: string; sent: () => Buffer; close: () => Promise<void> }> {
  const chunks: Buffer[] = [];
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    client.on('data', (d: Buffer) => chunks.push(d));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(server.address() as { port: number }).port}`,
    sent: () => Buffer.concat(chunks),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** An HTTP server that records Authorization headers and answers as a Connect worker's root would. */
async function recordingHttp(): Promise<{ url: string; auth: () => string[]; close: () => Promise<void> }> {
  const auth: string[] = [];
  const server: HttpServer = createHttpServer((req, res) => {
    if (req.headers.authorization) auth.push(req.headers.authorization);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ version: '4.1.1', commit: 'x', kafka_cluster_id: 'elsewhere' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    auth: () => [...auth],
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function save(input: ConnectionInput): Promise<Connection> {
  const r = await dispatch(core.handlers, 'connections.save', input);
  if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
  return r.value as Connection;
}
const errorOf = (r: Awaited<ReturnType<typeof dispatch>>): AppError => {
  if (r.ok) throw new Error('expected an error, it went through');
  return r.error;
};

beforeAll(async () => {
  k = await readCluster();
  info = await ensureConnect({ log: (s) => console.log(`[connect] ${s}`) });
  ({ core } = await freshCore());
  inputs = await listenerInputs(k);
});

describe('a stored secret goes only where it was saved for', () => {
  let relay: Awaited<ReturnType<typeof recordingRelay>>;
  beforeAll(async () => {
    relay = await recordingRelay(k.listeners.sasl);
  });
  afterAll(() => relay.close());

  it('a SASL PLAIN password is not sent to other bootstrap servers by test, doctor or save; entered again, it is', async () => {
    const password = k.users.plain.password;
    const saved = await save({ ...inputs['SASL PLAIN']!, name: 'plain, saved' });
    const { password: _omit, ...keptSasl } = inputs['SASL PLAIN']!.sasl;
    const moved: ConnectionInput = {
      ...inputs['SASL PLAIN']!,
      id: saved.id,
      name: 'plain, saved',
      bootstrapServers: [relay.address],
      sasl: keptSasl,
    };
    for (const [channel, input] of [
      ['connections.test', { connection: moved }],
      ['connections.doctor', { connection: moved }],
      ['connections.save', moved],
    ] as const) {
      const e = errorOf(await dispatch(core.handlers, channel, input));
      expect(e.code, channel).toBe('SECRET_REQUIRED');
      expect(e.fields, channel).toEqual([
        { path: 'sasl.password', message: 'enter the password again for the new servers or settings' },
      ]);
      expect(e.message).toBe(
        `The saved password of 'plain, saved' was entered for ${k.listeners.sasl} without TLS, SASL PLAIN. Enter it again to use it with ${relay.address} without TLS, SASL PLAIN: Kafka Desk sends a stored secret only where it was saved for.`,
      );
    }
    expect(relay.sent().includes(Buffer.from(password))).toBe(false);
    // the saved connection still points where it did
    expect(await dispatch(core.handlers, 'connections.get', { id: saved.id })).toMatchObject({
      ok: true,
      value: { bootstrapServers: [k.listeners.sasl] },
    });
    // the user types it again: now it may go there (and the relay shows the test would have seen it)
    expect(
      await dispatch(core.handlers, 'connections.test', { connection: { ...moved, sasl: { ...keptSasl, password } } }),
    ).toMatchObject({ ok: true });
    expect(relay.sent().includes(Buffer.from(password))).toBe(true);
  });

  it('changing only the TLS trust, or the mechanism, needs the secret again too; the unchanged form does not', async () => {
    const saved = await save({ ...inputs['mutual TLS']!, name: 'mtls, saved' });
    const { clientKey: _key, ...tlsKept } = inputs['mutual TLS']!.tls;
    const base: ConnectionInput = {
      ...inputs['mutual TLS']!,
      id: saved.id,
      name: 'mtls, saved',
      tls: { ...tlsKept, clientCert: undefined, ca: undefined },
    };
    expect(await dispatch(core.handlers, 'connections.test', { connection: base })).toMatchObject({ ok: true });
    const noVerify = errorOf(
      await dispatch(core.handlers, 'connections.test', {
        connection: { ...base, tls: { ...base.tls, verify: false } },
      }),
    );
    expect(noVerify).toMatchObject({ code: 'SECRET_REQUIRED', fields: [{ path: 'tls.clientKey' }] });
    const plain = await save({ ...inputs['SASL PLAIN']!, name: 'plain, again' });
    const { password: _p, ...keptSasl } = inputs['SASL PLAIN']!.sasl;
    expect(
      errorOf(
        await dispatch(core.handlers, 'connections.test', {
          connection: { ...inputs['SASL PLAIN']!, id: plain.id, sasl: { ...keptSasl, mechanism: 'scram-sha-256' } },
        }),
      ),
    ).toMatchObject({ code: 'SECRET_REQUIRED', fields: [{ path: 'sasl.password' }] });
  });

  it('an OAuth client secret is not sent to another token endpoint', async () => {
    const good = await startTokenServer({ 'kafka-desk-app': 'client-secret-1' });
    const other = await startTokenServer({});
    try {
      const input: ConnectionInput = {
        name: 'oauth, saved',
        bootstrapServers: [k.listeners.oauth],
        sasl: {
          mechanism: 'oauthbearer',
          password: 'client-secret-1',
          oauth: { tokenEndpoint: good.url, clientId: 'kafka-desk-app', scope: '', allowPlainHttp: true },
        },
        tls: { enabled: false },
      };
      const saved = await save(input);
      const moved = {
        ...input,
        id: saved.id,
        sasl: {
          mechanism: 'oauthbearer' as const,
          oauth: { tokenEndpoint: other.url, clientId: 'kafka-desk-app', scope: '', allowPlainHttp: true },
        },
      };
      const e = errorOf(await dispatch(core.handlers, 'connections.test', { connection: moved }));
      expect(e).toMatchObject({
        code: 'SECRET_REQUIRED',
        fields: [{ path: 'sasl.password', message: 'enter the client secret again for the new servers or settings' }],
      });
      expect(e.message).toContain(`token endpoint ${other.url}`);
      expect(other.requests()).toBe(0);
      expect(other.secretsSeen()).toEqual([]);
    } finally {
      await good.close();
      await other.close();
    }
  });

  it('a Connect password is not sent to another URL; basic auth over plain http:// needs the user to accept it', async () => {
    const recorder = await recordingHttp();
    try {
      const conn = await save({ ...inputs.PLAINTEXT!, name: 'with connect' });
      const plainHttp = errorOf(
        await dispatch(core.handlers, 'connect.saveCluster', {
          connectionId: conn.id,
          name: 'worker',
          urls: [info.url],
          username: 'admin',
          password: 'connect-s3cret',
        }),
      );
      expect(plainHttp).toMatchObject({ code: 'INSECURE_ENDPOINT', fields: [{ path: 'allowPlainHttp' }] });
      const saved = await dispatch(core.handlers, 'connect.saveCluster', {
        connectionId: conn.id,
        name: 'worker',
        urls: [info.url],
        username: 'admin',
        password: 'connect-s3cret',
        allowPlainHttp: true,
      });
      expect(saved).toMatchObject({ ok: true, value: { passwordSet: true, allowPlainHttp: true } });
      const clusterId = (saved as { value: { id: string } }).value.id;
      const e = errorOf(
        await dispatch(core.handlers, 'connect.saveCluster', {
          id: clusterId,
          connectionId: conn.id,
          name: 'worker',
          urls: [recorder.url],
          username: 'admin',
          allowPlainHttp: true,
        }),
      );
      expect(e).toMatchObject({
        code: 'SECRET_REQUIRED',
        fields: [{ path: 'password', message: 'enter the password again for the new URLs or settings' }],
      });
      expect(e.message).toBe(
        `The saved password of Connect cluster 'worker' was entered for ${info.url}. Enter it again to use it with ${recorder.url}: Kafka Desk sends a stored secret only where it was saved for.`,
      );
      // the saved cluster still points at the worker: a check sends the password there, not to the recorder
      expect(await dispatch(core.handlers, 'connect.check', { clusterId })).toMatchObject({
        ok: true,
        value: { url: info.url },
      });
      expect(recorder.auth()).toEqual([]);
    } finally {
      await recorder.close();
    }
  });
});
