import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionInput } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { freshCore, listenerInputs, pemUpload, readCluster, type ClusterInfo } from './support';

let k: ClusterInfo;
let core: Core;
let inputs: Record<string, ConnectionInput>;

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  inputs = await listenerInputs(k);
});

const test = (input: unknown) => dispatch(core.handlers, 'connections.test', input);

describe('connections.test against the real broker', () => {
  for (const listener of ['PLAINTEXT', 'SASL PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'TLS', 'mutual TLS']) {
    it(`succeeds on ${listener}`, async () => {
      const r = await test({ connection: inputs[listener] });
      expect(r).toMatchObject({ ok: true, value: { clusterId: k.clusterId, brokerCount: 1, controllerId: 1 } });
    });
  }

  it('succeeds for a saved SCRAM connection, with the password kept by the core', async () => {
    const saved = await dispatch(core.handlers, 'connections.save', inputs['SCRAM-SHA-512']);
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const r = await test({ id: (saved.value as { id: string }).id });
    expect(r).toMatchObject({ ok: true, value: { clusterId: k.clusterId } });
  });

  const failing: [string, () => ConnectionInput, string, RegExp][] = [
    [
      'a wrong password',
      () => ({ ...inputs['SCRAM-SHA-512']!, sasl: { ...inputs['SCRAM-SHA-512']!.sasl, password: 'not-the-password' } }),
      'AUTH_FAILED',
      /refused the SASL\/SCRAM-SHA-512 login for user 'scram512'/,
    ],
    [
      'a wrong mechanism (SCRAM-SHA-256 for a SHA-512-only user)',
      () => ({
        ...inputs['SCRAM-SHA-512']!,
        sasl: { ...inputs['SCRAM-SHA-512']!.sasl, mechanism: 'scram-sha-256' } as ConnectionInput['sasl'],
      }),
      'AUTH_FAILED',
      /SCRAM-SHA-256/,
    ],
    [
      'a SASL login on a listener without SASL',
      () => ({ ...inputs['SASL PLAIN']!, bootstrapServers: [k.listeners.plaintext] }),
      'SASL_MECHANISM_UNSUPPORTED',
      /does not take a SASL login/,
    ],
    [
      'an untrusted CA',
      () => ({ ...inputs.TLS!, tls: { enabled: true, ca: { name: 'other-ca.pem', content: '' } } }),
      'TLS_UNTRUSTED',
      /not signed by a CA this connection trusts/,
    ],
    [
      'a missing client certificate on the mutual-TLS listener',
      () => ({ ...inputs.TLS!, bootstrapServers: [k.listeners.mtls] }),
      'TLS_CLIENT_CERT_REQUIRED',
      /requires a client certificate/,
    ],
    [
      'a closed port',
      () => ({ ...inputs.PLAINTEXT!, bootstrapServers: ['127.0.0.1:1'] }),
      'CONNECTION_REFUSED',
      /connection refused/,
    ],
    [
      'an unknown host',
      () => ({ ...inputs.PLAINTEXT!, bootstrapServers: ['no-such-broker.invalid:9092'] }),
      'HOST_NOT_FOUND',
      /'no-such-broker\.invalid' could not be resolved/,
    ],
    [
      'TLS against a plaintext port',
      () => ({ ...inputs.TLS!, bootstrapServers: [k.listeners.plaintext] }),
      'TLS_NOT_TLS',
      /does not speak TLS/,
    ],
  ];

  for (const [what, make, code, message] of failing) {
    it(`fails with a readable message for ${what}`, async () => {
      const input = make();
      if (input.tls.ca?.name === 'other-ca.pem') input.tls.ca = await pemUpload(k.tls.otherCa);
      const r = await test({ connection: input });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(message);
      expect(r.error.detail, 'the raw cause is kept for the details disclosure').toBeTruthy();
    });
  }
});

afterAll(() => undefined);
