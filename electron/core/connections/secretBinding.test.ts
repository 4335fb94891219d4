import { describe, expect, it } from 'vitest';
import { ConnectionInput, DEFAULT_RECONNECT, type ConnectionInputParsed } from '../../contract';
import { CoreError } from '../coreError';
import { assertConnectSecretsBound, assertPlainHttpAccepted, assertSecretsBound } from './secretBinding';
import type { StoredConnection } from './storedConnection';

const sealed = { box: 'keyfile' as const, data: 'x' };
const file = (name: string, sha256: string) => ({ name, size: 1, sha256 });

function stored(
  over: Partial<StoredConnection['sasl']> = {},
  tls: Partial<StoredConnection['tls']> = {},
): StoredConnection {
  return {
    id: '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f',
    name: 'prod',
    color: 'none',
    environment: 'production',
    readOnly: false,
    bootstrapServers: ['b1:9093', 'b2:9093'],
    clientId: 'kafka-desk',
    sasl: {
      mechanism: 'scram-sha-512',
      username: 'app',
      password: sealed,
      oauth: null,
      aws: null,
      kerberos: null,
      ...over,
    } as StoredConnection['sasl'],
    tls: {
      enabled: true,
      verify: true,
      verifyHostname: true,
      ca: { ...file('ca.pem', 'aaaa'), file: 'ca.pem' },
      clientCert: null,
      clientKey: null,
      pkcs12: null,
      pkcs12Password: null,
      ...tls,
    },
    timeouts: { connectionMs: 1000, requestMs: 1000, authenticationMs: 1000 },
    reconnect: DEFAULT_RECONNECT,
    maxMessageBytes: 1024 * 1024,
    createdAt: '',
    updatedAt: '',
  };
}

const input = (raw: Record<string, unknown>): ConnectionInputParsed =>
  ConnectionInput.parse({
    id: '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f',
    name: 'prod',
    bootstrapServers: ['b1:9093', 'b2:9093'],
    sasl: { mechanism: 'scram-sha-512', username: 'app' },
    tls: { enabled: true },
    ...raw,
  });

const fieldsOf = (fn: () => void): string[] => {
  try {
    fn();
    return [];
  } catch (e) {
    if (e instanceof CoreError && e.code === 'SECRET_REQUIRED') return (e.fields ?? []).map((f) => f.path);
    throw e;
  }
};

describe('stored secrets stay with their endpoints', () => {
  it('the same endpoints (servers in another order or case) keep every secret', () => {
    expect(fieldsOf(() => assertSecretsBound(stored(), input({ bootstrapServers: ['B2:9093', 'b1:9093'] })))).toEqual(
      [],
    );
  });

  it('another server, TLS off, verification off, another CA or another mechanism: the password is asked again', () => {
    for (const raw of [
      { bootstrapServers: ['evil:9093'] },
      { bootstrapServers: ['b1:9093'] },
      { tls: { enabled: false } },
      { tls: { enabled: true, verify: false } },
      { tls: { enabled: true, verifyHostname: false } },
      {
        tls: {
          enabled: true,
          ca: { name: 'other.pem', content: '-----BEGIN CERTIFICATE-----\nother\n-----END CERTIFICATE-----\n' },
        },
      },
      { tls: { enabled: true, ca: null } },
      { sasl: { mechanism: 'plain', username: 'app' } },
    ]) {
      expect(
        fieldsOf(() => assertSecretsBound(stored(), input(raw))),
        JSON.stringify(raw),
      ).toEqual(['sasl.password']);
    }
  });

  it('a password typed again, cleared, or no longer used is not asked for', () => {
    expect(
      fieldsOf(() =>
        assertSecretsBound(
          stored(),
          input({
            bootstrapServers: ['evil:9093'],
            sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'typed' },
          }),
        ),
      ),
    ).toEqual([]);
    expect(
      fieldsOf(() =>
        assertSecretsBound(
          stored(),
          input({
            bootstrapServers: ['evil:9093'],
            sasl: { mechanism: 'scram-sha-512', username: 'app', password: '' },
          }),
        ),
      ),
    ).toEqual([]);
    expect(
      fieldsOf(() =>
        assertSecretsBound(stored(), input({ bootstrapServers: ['evil:9093'], sasl: { mechanism: 'none' } })),
      ),
    ).toEqual([]);
  });

  it('the OAuth client secret follows its token endpoint; the AWS secret key its region', () => {
    const oauth = stored({
      mechanism: 'oauthbearer',
      oauth: { tokenEndpoint: 'https://login.example.com/token', clientId: 'c', scope: '', allowPlainHttp: false },
    });
    const sasl = (tokenEndpoint: string) => ({
      sasl: { mechanism: 'oauthbearer', oauth: { tokenEndpoint, clientId: 'c' } },
    });
    expect(fieldsOf(() => assertSecretsBound(oauth, input(sasl('https://login.example.com/token'))))).toEqual([]);
    expect(fieldsOf(() => assertSecretsBound(oauth, input(sasl('https://evil.example.com/token'))))).toEqual([
      'sasl.password',
    ]);
    const aws = stored({
      mechanism: 'aws-msk-iam',
      aws: { region: 'eu-west-1', credentials: 'keys', profile: '', accessKeyId: 'AKIA' },
    });
    expect(
      fieldsOf(() =>
        assertSecretsBound(
          aws,
          input({
            sasl: { mechanism: 'aws-msk-iam', aws: { region: 'us-east-1', credentials: 'keys', accessKeyId: 'AKIA' } },
          }),
        ),
      ),
    ).toEqual(['sasl.password']);
    // the default AWS chain uses no stored secret
    expect(
      fieldsOf(() =>
        assertSecretsBound(
          aws,
          input({
            bootstrapServers: ['x:9098'],
            sasl: { mechanism: 'aws-msk-iam', aws: { region: 'eu-west-1', credentials: 'default' } },
          }),
        ),
      ),
    ).toEqual([]);
  });

  it('a client key, a PKCS#12 bundle and its password follow the servers and TLS trust', () => {
    const keyed = stored(
      { mechanism: 'none', password: null },
      {
        clientKey: { ...file('k.pem', 'kk'), file: 'client-key.pem.sealed' },
        clientCert: { ...file('c.pem', 'cc'), file: 'client-cert.pem' },
      },
    );
    expect(
      fieldsOf(() =>
        assertSecretsBound(keyed, input({ sasl: { mechanism: 'none' }, bootstrapServers: ['evil:9093'] })),
      ),
    ).toEqual(['tls.clientKey']);
    expect(
      fieldsOf(() =>
        assertSecretsBound(
          keyed,
          input({ sasl: { mechanism: 'none' }, bootstrapServers: ['evil:9093'], tls: { enabled: false } }),
        ),
      ),
    ).toEqual([]);
    const bundled = stored(
      { mechanism: 'none', password: null },
      { pkcs12: { ...file('c.p12', 'pp'), file: 'client.p12.sealed' }, pkcs12Password: sealed },
    );
    expect(
      fieldsOf(() =>
        assertSecretsBound(bundled, input({ sasl: { mechanism: 'none' }, tls: { enabled: true, verify: false } })),
      ),
    ).toEqual(['tls.pkcs12']);
    // a new bundle with the stored password: the password would be tried on a file of the caller's choosing
    expect(
      fieldsOf(() =>
        assertSecretsBound(
          bundled,
          input({
            sasl: { mechanism: 'none' },
            bootstrapServers: ['evil:9093'],
            tls: { enabled: true, pkcs12: { name: 'x.p12', base64: 'AAAA' } },
          }),
        ),
      ),
    ).toEqual(['tls.pkcs12Password']);
  });

  it('a keytab and a Kerberos password follow the servers and the krb5.conf (which names the KDC)', () => {
    const kerberos = {
      principal: 'app@CORP',
      serviceName: 'kafka',
      credentials: 'keytab' as const,
      keytab: { name: 'app.keytab', size: 1, sha256: 'kt', file: 'client.keytab' as const, principals: ['app@CORP'] },
      krb5Conf: {
        name: 'krb5.conf',
        size: 1,
        sha256: 'conf',
        file: 'krb5.conf' as const,
        defaultRealm: 'CORP',
        realms: ['CORP'],
        includes: [],
        loadsCode: [],
      },
      ticketCache: '',
    };
    const s = stored({ mechanism: 'gssapi', password: null, kerberos });
    const k = (over: Record<string, unknown> = {}) => ({
      sasl: { mechanism: 'gssapi', kerberos: { principal: 'app@CORP', credentials: 'keytab', ...over } },
    });
    expect(fieldsOf(() => assertSecretsBound(s, input(k())))).toEqual([]);
    expect(
      fieldsOf(() =>
        assertSecretsBound(
          s,
          input(k({ krb5Conf: { name: 'evil.conf', content: '[libdefaults]\n default_realm = CORP\n' } })),
        ),
      ),
    ).toEqual(['sasl.kerberos.keytab']);
    expect(fieldsOf(() => assertSecretsBound(s, input(k({ krb5Conf: null }))))).toEqual(['sasl.kerberos.keytab']);
    expect(fieldsOf(() => assertSecretsBound(s, input({ ...k(), bootstrapServers: ['evil:9093'] })))).toEqual([
      'sasl.kerberos.keytab',
    ]);
    const pw = stored({
      mechanism: 'gssapi',
      password: sealed,
      kerberos: { ...kerberos, credentials: 'password', keytab: null },
    });
    expect(fieldsOf(() => assertSecretsBound(pw, input(k({ credentials: 'password', krb5Conf: null }))))).toEqual([
      'sasl.password',
    ]);
  });

  it('several secrets at once are named together', () => {
    const both = stored({}, { clientKey: { ...file('k.pem', 'kk'), file: 'client-key.pem.sealed' } });
    let message = '';
    try {
      assertSecretsBound(both, input({ bootstrapServers: ['evil:9093'] }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      "The saved password and client private key of 'prod' were entered for b1:9093, b2:9093 with TLS, trusting the CA aaaa…, SASL SCRAM-SHA-512. Enter them again to use them with evil:9093 with TLS, trusting the CA aaaa…, SASL SCRAM-SHA-512: Kafka Desk sends a stored secret only where it was saved for.",
    );
  });

  it('Kafka Connect: the password and client key follow the URLs, verification and CA', () => {
    const s = {
      name: 'worker',
      urls: ['https://connect:8083'],
      verify: true,
      ca: null,
      password: sealed,
      clientKey: null,
    };
    expect(() => assertConnectSecretsBound(s, { urls: ['https://connect:8083/'], verify: true })).not.toThrow();
    expect(() => assertConnectSecretsBound(s, { urls: ['https://evil:8083'], verify: true })).toThrow(
      /The saved password of Connect cluster 'worker' was entered for https:\/\/connect:8083/,
    );
    expect(() => assertConnectSecretsBound(s, { urls: ['https://connect:8083'], verify: false })).toThrow(CoreError);
    expect(() =>
      assertConnectSecretsBound(s, { urls: ['https://evil:8083'], verify: true, password: 'typed' }),
    ).not.toThrow();
  });

  it('plain http:// is refused until accepted; https and an accepted http pass', () => {
    expect(() =>
      assertPlainHttpAccepted('http://login.example.com/token', false, 'client secret', 'sasl.oauth.allowPlainHttp'),
    ).toThrow(/plain HTTP: the client secret would cross the network unencrypted/);
    expect(() => assertPlainHttpAccepted('HTTP://login.example.com/token', false, 'client secret', 'f')).toThrow(
      CoreError,
    );
    expect(() => assertPlainHttpAccepted('http://login.example.com/token', true, 'client secret', 'f')).not.toThrow();
    expect(() => assertPlainHttpAccepted('https://login.example.com/token', false, 'client secret', 'f')).not.toThrow();
  });
});
