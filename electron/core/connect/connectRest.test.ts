import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectRest } from './connectRest';
import type { ResolvedConnectCluster } from './connectStore';

/**
 * The REST client's own duties (basic auth, TLS trust, failover, errors as sentences) against local
 * HTTP(S) servers; Kafka Connect's behaviour itself is tested against a real worker (e2e/integration).
 */
const cluster = (over: Partial<ResolvedConnectCluster>): ResolvedConnectCluster => ({
  id: 'c',
  connectionId: 'x',
  name: 'test',
  urls: [],
  username: '',
  password: '',
  verify: true,
  timeoutMs: 2000,
  allowPlainHttp: true,
  ...over,
});

let plain: http.Server;
let secure: https.Server;
let ca: string;
let plainUrl: string;
let secureUrl: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kd-rest-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  ca = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  const handler: http.RequestListener = (req, res) => {
    if (req.headers.authorization !== `Basic ${Buffer.from('admin:s3cret').toString('base64')}`) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error_code: 401, message: 'User cannot access the resource.' }));
      return;
    }
    if (req.url === '/slow') return; // never answers
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: '4.1.1', path: req.url }));
  };
  plain = http.createServer(handler);
  secure = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: ca }, handler);
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
});
afterAll(() => {
  plain.closeAllConnections();
  secure.closeAllConnections();
  plain.close();
  secure.close();
});

describe('the Kafka Connect REST client', () => {
  it('sends basic auth, and names a refused login', async () => {
    expect(
      await new ConnectRest(cluster({ urls: [plainUrl], username: 'admin', password: 's3cret' })).ok('GET', '/'),
    ).toMatchObject({ version: '4.1.1' });
    await expect(
      new ConnectRest(cluster({ urls: [plainUrl], username: 'admin', password: 'wrong' })).ok('GET', '/'),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED', message: "Kafka Connect refused the credentials for 'admin'." });
    await expect(new ConnectRest(cluster({ urls: [plainUrl] })).ok('GET', '/')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining('it asks for basic auth'),
    });
  });

  it('trusts an https endpoint through the given CA, and says so when it cannot', async () => {
    expect(
      await new ConnectRest(cluster({ urls: [secureUrl], username: 'admin', password: 's3cret', ca })).ok('GET', '/x'),
    ).toMatchObject({ path: '/x' });
    await expect(
      new ConnectRest(cluster({ urls: [secureUrl], username: 'admin', password: 's3cret' })).ok('GET', '/'),
    ).rejects.toMatchObject({ code: 'TLS_UNTRUSTED' });
    expect(
      await new ConnectRest(cluster({ urls: [secureUrl], username: 'admin', password: 's3cret', verify: false })).ok(
        'GET',
        '/',
      ),
    ).toMatchObject({ version: '4.1.1' });
  });

  it('goes on to the next worker when one refuses the connection; names them all when none answers', async () => {
    expect(
      await new ConnectRest(
        cluster({ urls: ['http://127.0.0.1:1', plainUrl], username: 'admin', password: 's3cret' }),
      ).ok('GET', '/'),
    ).toMatchObject({ version: '4.1.1' });
    await expect(
      new ConnectRest(cluster({ urls: ['http://127.0.0.1:1', 'http://127.0.0.1:2'] })).ok('GET', '/'),
    ).rejects.toMatchObject({
      code: 'CONNECTION_REFUSED',
      message: expect.stringContaining('http://127.0.0.1:1, http://127.0.0.1:2 refused the connection'),
    });
  });

  it('gives up after the timeout with a sentence', async () => {
    await expect(
      new ConnectRest(cluster({ urls: [plainUrl], username: 'admin', password: 's3cret', timeoutMs: 500 })).ok(
        'GET',
        '/slow',
      ),
    ).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('did not answer within') });
  });
});
