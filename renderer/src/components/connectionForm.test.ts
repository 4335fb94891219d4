import { describe, expect, it } from 'vitest';
import { Connection, ConnectionInput, connectionTemplates } from '../../../electron/contract';
import { fillForm, formFromConnection, formToInput, isPlainHttpEndpoint } from './connectionForm';

const saved = (sasl: Connection['sasl'], over: Partial<Connection> = {}): Connection =>
  Connection.parse({
    id: '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f',
    name: 'prod',
    color: 'red',
    environment: 'production',
    readOnly: true,
    bootstrapServers: ['b1:9093', 'b2:9093'],
    clientId: 'kafka-desk',
    sasl,
    tls: {
      enabled: true,
      ca: null,
      clientCert: null,
      clientKey: null,
      pkcs12: null,
      pkcs12PasswordSet: true,
      verify: true,
      verifyHostname: false,
    },
    timeouts: { connectionMs: 1000, requestMs: 2000, authenticationMs: 3000 },
    reconnect: { retries: 9, initialRetryMs: 100, maxRetryMs: 5000, multiplier: 3, listenRestarts: 4 },
    maxMessageBytes: 2 * 1048576,
    createdAt: '',
    updatedAt: '',
    ...over,
  });
const none = { oauth: null, aws: null, kerberos: null };

describe('the connection form', () => {
  it('starts a new connection with the defaults, and sends what the contract accepts', () => {
    const form = formFromConnection(null);
    expect(form).toMatchObject({
      mechanism: 'none',
      clientId: 'kafka-desk',
      tls: false,
      verify: true,
      verifyHostname: true,
      maxMessageMiB: 10,
      krbService: 'kafka',
    });
    form.name = ' local ';
    form.bootstrap = 'localhost:9092, other:9092';
    const input = formToInput(form, null);
    expect(input).toEqual({
      name: 'local',
      color: 'none',
      environment: 'none',
      readOnly: false,
      bootstrapServers: ['localhost:9092', 'other:9092'],
      clientId: 'kafka-desk',
      sasl: { mechanism: 'none', username: '', password: '' },
      tls: { enabled: false, verify: true, verifyHostname: true, pkcs12Password: '' },
      timeouts: { connectionMs: 10_000, requestMs: 30_000, authenticationMs: 10_000 },
      reconnect: { retries: 2, initialRetryMs: 200, maxRetryMs: 2000, multiplier: 2, listenRestarts: 10 },
      maxMessageBytes: 10 * 1048576,
    });
    expect(ConnectionInput.safeParse(input).success).toBe(true);
  });

  it("shows a saved connection's reconnection settings and sends them back as edited", () => {
    const c = saved({ mechanism: 'none', username: '', passwordSet: false, ...none });
    const form = formFromConnection(c);
    expect(form.reconnect).toEqual({
      retries: 9,
      initialRetryMs: 100,
      maxRetryMs: 5000,
      multiplier: 3,
      listenRestarts: 4,
    });
    form.reconnect.retries = 0;
    expect(formToInput(form, c).reconnect).toEqual({
      retries: 0,
      initialRetryMs: 100,
      maxRetryMs: 5000,
      multiplier: 3,
      listenRestarts: 4,
    });
    // editing the form never changes the connection it came from
    expect(c.reconnect.retries).toBe(9);
    // an import's values fill the form
    fillForm(form, { ...formToInput(form, c), reconnect: { retries: 7, initialRetryMs: 50, maxRetryMs: 60 } });
    expect(form.reconnect).toMatchObject({ retries: 7, initialRetryMs: 50, maxRetryMs: 60, multiplier: 2 });
  });

  it('keeps stored secrets while their fields stay empty, and sends a typed one', () => {
    const c = saved({ mechanism: 'scram-sha-512', username: 'app', passwordSet: true, ...none });
    const form = formFromConnection(c);
    expect(form).toMatchObject({
      name: 'prod',
      mechanism: 'scram-sha-512',
      username: 'app',
      password: '',
      bootstrap: 'b1:9093, b2:9093',
      verifyHostname: false,
      maxMessageMiB: 2,
    });
    const kept = formToInput(form, c);
    expect(kept.id).toBe(c.id);
    expect(kept.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'app' });
    expect('pkcs12Password' in kept.tls).toBe(false);
    form.password = 'new';
    form.pkcs12Password = 'p12';
    const typed = formToInput(form, c);
    expect(typed.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'app', password: 'new' });
    expect(typed.tls.pkcs12Password).toBe('p12');
  });

  it("sends the chosen mechanism's settings block and none of the others'", () => {
    const form = formFromConnection(null);
    Object.assign(form, {
      name: 'x',
      bootstrap: 'b:9092',
      tokenEndpoint: ' http://login.local/token ',
      oauthClientId: 'app',
      oauthAllowPlainHttp: true,
      awsRegion: 'eu-west-1',
      awsCredentials: 'profile',
      awsProfile: 'analytics',
      krbPrincipal: 'app@CORP',
      krbCredentials: 'ticket-cache',
    });
    const sasl = (mechanism: typeof form.mechanism) => formToInput({ ...form, mechanism }, null).sasl;
    expect(sasl('oauthbearer')).toEqual({
      mechanism: 'oauthbearer',
      username: '',
      password: '',
      oauth: { tokenEndpoint: 'http://login.local/token', clientId: 'app', scope: '', allowPlainHttp: true },
    });
    expect(sasl('aws-msk-iam')).toEqual({
      mechanism: 'aws-msk-iam',
      username: '',
      password: '',
      aws: { region: 'eu-west-1', credentials: 'profile', profile: 'analytics', accessKeyId: '' },
    });
    expect(sasl('gssapi')).toEqual({
      mechanism: 'gssapi',
      username: '',
      password: '',
      kerberos: { principal: 'app@CORP', serviceName: 'kafka', credentials: 'ticket-cache', ticketCache: '' },
    });
    expect(sasl('plain')).toEqual({ mechanism: 'plain', username: '', password: '' });
    for (const m of [
      'none',
      'plain',
      'scram-sha-256',
      'scram-sha-512',
      'gssapi',
      'oauthbearer',
      'aws-msk-iam',
    ] as const) {
      expect(ConnectionInput.safeParse(formToInput({ ...form, mechanism: m }, null)).success, m).toBe(true);
    }
  });

  it('accepts plain HTTP for the client secret only while the endpoint is http://', () => {
    expect(isPlainHttpEndpoint(' HTTP://x/token')).toBe(true);
    expect(isPlainHttpEndpoint('https://x/token')).toBe(false);
    const form = {
      ...formFromConnection(null),
      mechanism: 'oauthbearer' as const,
      tokenEndpoint: 'https://x/token',
      oauthAllowPlainHttp: true,
    };
    const input = formToInput(form, null);
    expect(input.sasl.mechanism === 'oauthbearer' && input.sasl.oauth?.allowPlainHttp).toBe(false);
  });

  it('sends the Kerberos files chosen (and whether the krb5.conf may load code), and keeps the stored ones otherwise', () => {
    const c = saved({
      mechanism: 'gssapi',
      username: '',
      passwordSet: false,
      ...none,
      kerberos: {
        principal: 'app@CORP',
        serviceName: 'kafka-prod',
        credentials: 'keytab',
        keytab: null,
        krb5Conf: null,
        ticketCache: '',
      },
    });
    const form = formFromConnection(c);
    expect(form).toMatchObject({
      mechanism: 'gssapi',
      krbPrincipal: 'app@CORP',
      krbService: 'kafka-prod',
      krbCredentials: 'keytab',
    });
    expect(formToInput(form, c).sasl).toEqual({
      mechanism: 'gssapi',
      username: '',
      password: '',
      kerberos: { principal: 'app@CORP', serviceName: 'kafka-prod', credentials: 'keytab', ticketCache: '' },
    });
    form.keytab = { name: 'app.keytab', base64: 'AAAA' };
    form.krb5Conf = { name: 'krb5.conf', content: '[libdefaults]\n' };
    form.krb5AllowCode = true;
    const input = formToInput(form, c);
    expect(input.sasl.kerberos).toMatchObject({
      keytab: { name: 'app.keytab' },
      krb5Conf: { name: 'krb5.conf', allowCodeLoading: true },
    });
    form.krb5Conf = null;
    expect(formToInput(form, c).sasl.kerberos).toMatchObject({ krb5Conf: null });
  });

  it('is filled from a template or an import without accepting plain HTTP for the user', () => {
    const form = formFromConnection(null);
    fillForm(form, {
      name: 'imported',
      bootstrapServers: ['b:9093'],
      sasl: {
        mechanism: 'oauthbearer',
        password: 's3cret',
        oauth: { tokenEndpoint: 'http://login/token', clientId: 'app', allowPlainHttp: true },
      },
      tls: { enabled: true, ca: { name: 'ca.pem', content: '-----BEGIN CERTIFICATE-----' } },
    });
    expect(form).toMatchObject({
      name: 'imported',
      mechanism: 'oauthbearer',
      password: 's3cret',
      tokenEndpoint: 'http://login/token',
      oauthClientId: 'app',
      oauthAllowPlainHttp: false,
      tls: true,
      ca: { name: 'ca.pem' },
    });
    for (const t of connectionTemplates) {
      fillForm(form, t.input);
      expect(form.mechanism).toBe(t.input.sasl.mechanism);
    }
  });
});
