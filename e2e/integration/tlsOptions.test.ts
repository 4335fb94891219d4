import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { freshCore, pemUpload, readCluster, type ClusterInfo } from './support';

let k: ClusterInfo;
let core: Core;
let dir: string;
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-tls-'));
});

describe('PKCS#12 client certificates', () => {
  let p12: string;
  beforeAll(async () => {
    openssl(
      'pkcs12',
      '-export',
      '-in',
      k.tls.clientCert,
      '-inkey',
      k.tls.clientKey,
      '-passout',
      'pass:p12-secret',
      '-out',
      'client.p12',
    );
    p12 = (await readFile(path.join(dir, 'client.p12'))).toString('base64');
  });
  const input = (password: string) => ({
    name: `mtls-p12-${password}`,
    bootstrapServers: [k.listeners.mtls],
    sasl: { mechanism: 'none' },
    tls: { enabled: true, pkcs12: { name: 'client.p12', base64: p12 }, pkcs12Password: password },
  });

  it('connects to the mutual-TLS listener with a .p12 and its password (saved, sealed)', async () => {
    const ca = await pemUpload(k.tls.ca);
    const saved = await dispatch(core.handlers, 'connections.save', {
      ...input('p12-secret'),
      tls: { ...input('p12-secret').tls, ca },
    });
    expect(saved).toMatchObject({
      ok: true,
      value: { tls: { pkcs12: { name: 'client.p12' }, pkcs12PasswordSet: true } },
    });
    const id = (saved as { value: { id: string } }).value.id;
    expect(await dispatch(core.handlers, 'connections.test', { id })).toMatchObject({
      ok: true,
      value: { clusterId: k.clusterId },
    });
  });

  it('says when the password does not open the file, and saves nothing', async () => {
    const r = await dispatch(core.handlers, 'connections.save', input('wrong'));
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_CERTIFICATE',
        message: "The password does not open 'client.p12'.",
        fields: [{ path: 'tls.pkcs12Password' }],
      },
    });
    expect((await dispatch(core.handlers, 'connections.list', {})) as { value: { name: string }[] }).not.toMatchObject({
      value: [{ name: 'mtls-p12-wrong' }],
    });
  });
});

describe('host-name verification', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // a CA and a server certificate issued for another host name
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=test-ca',
    );
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'srv.key',
      '-out',
      'srv.csr',
      '-subj',
      '/CN=other.example',
    );
    execFileSync('bash', ['-c', 'printf "subjectAltName=DNS:other.example\\n" > san.ext'], { cwd: dir });
    openssl(
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'srv.pem',
      '-days',
      '2',
      '-extfile',
      'san.ext',
    );
    server = createServer(
      { key: await readFile(path.join(dir, 'srv.key')), cert: await readFile(path.join(dir, 'srv.pem')) },
      (s) => s.end(),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server?.close());

  const conn = async (verifyHostname: boolean) => ({
    name: 'wrong-host',
    bootstrapServers: [`127.0.0.1:${port}`],
    sasl: { mechanism: 'none' },
    tls: { enabled: true, ca: await pemUpload(path.join(dir, 'ca.pem')), verifyHostname },
    timeouts: { connectionMs: 3000, requestMs: 3000, authenticationMs: 3000 },
  });

  it('a certificate for another host is refused, naming the host', async () => {
    const r = await dispatch(core.handlers, 'connections.test', { connection: await conn(true) });
    expect(r).toMatchObject({ ok: false, error: { code: 'TLS_HOSTNAME_MISMATCH' } });
    expect((r as { error: { message: string } }).error.message).toContain('does not name the host');
  });

  it('"skip hostname verification" accepts it (the chain is still checked)', async () => {
    const r = await dispatch(core.handlers, 'connections.test', { connection: await conn(false) });
    // the TLS handshake now passes; this test server is not Kafka and hangs up
    expect(r.ok).toBe(false);
    expect((r as { error: { code: string } }).error.code).not.toMatch(/^TLS_/);
    const other = {
      ...(await conn(false)),
      tls: { enabled: true, ca: await pemUpload(k.tls.otherCa), verifyHostname: false },
    };
    expect(await dispatch(core.handlers, 'connections.test', { connection: other })).toMatchObject({
      ok: false,
      error: { code: 'TLS_UNTRUSTED' },
    });
  });
});
