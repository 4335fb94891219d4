import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { freshCore, readCluster, type ClusterInfo } from './support';
import { startTokenServer } from './tokenServer';

let k: ClusterInfo;
let core: Core;
let tokens: Awaited<ReturnType<typeof startTokenServer>>;

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  tokens = await startTokenServer({ 'kafka-desk-app': 'client-secret-1', 'stale-app': 'stale-secret' }, ['stale-app']);
});
afterAll(() => tokens?.close());

const oauthInput = (secret: string, tokenEndpoint = tokens.url) => ({
  name: `oauth-${secret.length}-${Math.random().toString(36).slice(2, 8)}`,
  bootstrapServers: [k.listeners.oauth],
  // the test's token endpoint is plain HTTP on loopback: accepted, as the form's warning asks
  sasl: {
    mechanism: 'oauthbearer',
    password: secret,
    oauth: { tokenEndpoint, clientId: 'kafka-desk-app', scope: 'kafka', allowPlainHttp: true },
  },
  tls: { enabled: false },
  timeouts: { connectionMs: 5000, requestMs: 10000, authenticationMs: 5000 },
});

describe('SASL/OAUTHBEARER with client credentials, against the real broker', () => {
  it('gets a token from the endpoint and logs in with it', async () => {
    const before = tokens.issued();
    const r = await dispatch(core.handlers, 'connections.test', { connection: oauthInput('client-secret-1') });
    expect(r).toMatchObject({ ok: true, value: { clusterId: k.clusterId } });
    expect(tokens.issued()).toBeGreaterThan(before);
  });

  it('a saved OAUTHBEARER connection keeps the client secret sealed and browses the cluster', async () => {
    const saved = await dispatch(core.handlers, 'connections.save', oauthInput('client-secret-1'));
    expect(saved).toMatchObject({
      ok: true,
      value: {
        sasl: {
          mechanism: 'oauthbearer',
          passwordSet: true,
          oauth: { clientId: 'kafka-desk-app', tokenEndpoint: tokens.url },
        },
      },
    });
    expect(JSON.stringify(saved)).not.toContain('client-secret-1');
    const id = (saved as { value: { id: string } }).value.id;
    expect(await dispatch(core.handlers, 'cluster.overview', { id })).toMatchObject({
      ok: true,
      value: { clusterId: k.clusterId },
    });
  });

  it('a wrong client secret is reported as the token endpoint refusing the client', async () => {
    const r = await dispatch(core.handlers, 'connections.test', { connection: oauthInput('wrong') });
    expect(r).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect((r as { error: { message: string } }).error.message).toBe(
      "The OAuth token endpoint refused the client credentials of 'kafka-desk-app' (invalid_client: Client authentication failed). Check the client id and secret.",
    );
  });

  it("a token the broker does not accept (expired) is reported with the broker's status", async () => {
    const r = await dispatch(core.handlers, 'connections.test', {
      connection: {
        ...oauthInput('stale-secret'),
        sasl: {
          ...oauthInput('stale-secret').sasl,
          oauth: { tokenEndpoint: tokens.url, clientId: 'stale-app', scope: '', allowPlainHttp: true },
        },
      },
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'AUTH_FAILED',
        message: `The broker at ${k.listeners.oauth} refused the OAUTHBEARER token from ${tokens.url} (invalid_token): check the audience, scope and issuer the cluster expects.`,
      },
    });
  });

  it('an unreachable token endpoint is named', async () => {
    // a port that was free a moment ago: nothing listens there
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const url = `http://127.0.0.1:${port}/token`;
    const r = await dispatch(core.handlers, 'connections.test', { connection: oauthInput('client-secret-1', url) });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'CONNECTION_REFUSED',
        message: `The OAuth token endpoint ${url} could not be reached, so no token was obtained.`,
      },
    });
  });

  it('a plain http:// token endpoint is refused until the user accepts sending the client secret over it', async () => {
    const input = oauthInput('client-secret-1');
    const plain = { ...input, sasl: { ...input.sasl, oauth: { ...input.sasl.oauth, allowPlainHttp: false } } };
    const before = tokens.requests();
    for (const channel of ['connections.test', 'connections.save'] as const) {
      const r = await dispatch(core.handlers, channel, channel === 'connections.test' ? { connection: plain } : plain);
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'INSECURE_ENDPOINT', fields: [{ path: 'sasl.oauth.allowPlainHttp' }] },
      });
      expect((r as { error: { message: string } }).error.message).toBe(
        `${tokens.url} is plain HTTP: the client secret would cross the network unencrypted, readable by anyone on the way. Use https, or accept sending it over plain HTTP (only on a network you trust).`,
      );
    }
    // nothing was sent to the endpoint
    expect(tokens.requests()).toBe(before);
  });

  it('OAUTHBEARER against a listener that does not offer it says so', async () => {
    const r = await dispatch(core.handlers, 'connections.test', {
      connection: { ...oauthInput('client-secret-1'), bootstrapServers: [k.listeners.sasl] },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'SASL_MECHANISM_UNSUPPORTED' } });
  });
});

describe('AWS MSK IAM (over OAUTHBEARER)', () => {
  it('sends the signed token through SASL/OAUTHBEARER; a broker without IAM refuses it, and the message says what to check', async () => {
    const r = await dispatch(core.handlers, 'connections.test', {
      connection: {
        name: 'msk-iam',
        bootstrapServers: [k.listeners.oauth],
        sasl: {
          mechanism: 'aws-msk-iam',
          password: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          aws: { region: 'eu-west-1', credentials: 'keys', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
        },
        tls: { enabled: false },
        timeouts: { connectionMs: 5000, requestMs: 10000, authenticationMs: 5000 },
      },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    expect((r as { error: { message: string } }).error.message).toMatch(
      /refused the AWS MSK IAM token \(invalid_token\): check that the cluster has IAM authentication/,
    );
  });
});
