import { describe, expect, it } from 'vitest';
import { SASL_BLOCK_MECHANISM, SaslInput, SaslMechanism, SaslView, saslBlockOf, saslInputOf } from '../../contract';
import { CoreError } from '../coreError';
import {
  assertSaslBlockGiven,
  mapSasl,
  requireSaslBlock,
  saslKeepsPassword,
  saslPasswordLabel,
  saslUsername,
  saslUsesPassword,
} from './sasl';
import { StoredSasl, type ResolvedSasl } from './storedConnection';

const oauth = { tokenEndpoint: 'https://login.example.com/token', clientId: 'app', scope: '', allowPlainHttp: false };
const aws = { region: 'eu-west-1', credentials: 'keys' as const, profile: '', accessKeyId: 'AKIA' };
const sealed = { box: 'keyfile' as const, data: 'x' };

describe('SASL settings: one union by mechanism', () => {
  it('names one block per mechanism that needs one, and none for the others', () => {
    expect(SaslMechanism.options.map((m) => [m, saslBlockOf(m)])).toEqual([
      ['none', null],
      ['plain', null],
      ['scram-sha-256', null],
      ['scram-sha-512', null],
      ['gssapi', 'kerberos'],
      ['oauthbearer', 'oauth'],
      ['aws-msk-iam', 'aws'],
    ]);
    expect(saslBlockOf('kerberos5')).toBeNull();
    expect(Object.values(SASL_BLOCK_MECHANISM).every((m) => SaslMechanism.options.includes(m))).toBe(true);
  });

  it("refuses another mechanism's block in what is sent, and an unknown mechanism as the enum does", () => {
    expect(SaslInput.safeParse({ mechanism: 'oauthbearer', oauth }).success).toBe(true);
    // test and doctor runs may leave the block out: the stored one is used
    expect(SaslInput.safeParse({ mechanism: 'oauthbearer' }).success).toBe(true);
    const other = SaslInput.safeParse({ mechanism: 'plain', username: 'u', oauth });
    expect(other.error?.issues.map((i) => i.path.join('.'))).toEqual(['oauth']);
    const unknown = SaslInput.safeParse({ mechanism: 'kerberos5' });
    expect(unknown.error?.issues).toMatchObject([
      { path: ['mechanism'], message: expect.stringMatching(/^Invalid option: expected one of "none"\|"plain"/) },
    ]);
  });

  it('reads stored files leniently: a missing block is null, a block of another mechanism is dropped', () => {
    expect(StoredSasl.parse({ mechanism: 'none', username: '', password: null })).toEqual({
      mechanism: 'none',
      username: '',
      password: null,
      oauth: null,
      aws: null,
      kerberos: null,
    });
    expect(StoredSasl.parse({ mechanism: 'plain', username: 'u', password: sealed, oauth, aws: null })).toEqual({
      mechanism: 'plain',
      username: 'u',
      password: sealed,
      oauth: null,
      aws: null,
      kerberos: null,
    });
    expect(
      StoredSasl.parse({
        mechanism: 'oauthbearer',
        username: '',
        password: sealed,
        oauth: { ...oauth, allowPlainHttp: undefined },
      }).oauth,
    ).toEqual(oauth);
  });

  it('maps one shape into another by mechanism: the own block mapped, the others null', () => {
    const stored = StoredSasl.parse({ mechanism: 'aws-msk-iam', username: '', password: sealed, aws });
    const view = mapSasl<StoredSasl, SaslView>(
      stored,
      { username: '', passwordSet: true },
      { oauth: (o) => o, aws: (a) => a && { ...a, accessKeyId: 'shown' }, kerberos: () => null },
    );
    expect(view).toEqual({
      mechanism: 'aws-msk-iam',
      username: '',
      passwordSet: true,
      oauth: null,
      aws: { ...aws, accessKeyId: 'shown' },
      kerberos: null,
    });
    expect(SaslView.safeParse(view).success).toBe(true);
    const input = SaslInput.parse({ mechanism: 'scram-sha-256', username: 'u', password: 'p' });
    const resolved = mapSasl<typeof input, ResolvedSasl>(
      input,
      { username: 'u', password: 'p' },
      { oauth: () => oauth, aws: () => aws, kerberos: () => null },
    );
    expect(resolved).toEqual({
      mechanism: 'scram-sha-256',
      username: 'u',
      password: 'p',
      oauth: null,
      aws: null,
      kerberos: null,
    });
  });

  it('builds what is sent with the block of the mechanism only', () => {
    const blocks = { oauth: () => oauth, aws: () => aws, kerberos: () => ({ principal: 'app@CORP' }) };
    expect(saslInputOf('plain', { username: 'u' }, blocks)).toEqual({ mechanism: 'plain', username: 'u' });
    expect(saslInputOf('gssapi', {}, blocks)).toEqual({ mechanism: 'gssapi', kerberos: { principal: 'app@CORP' } });
  });

  it('says per mechanism what the user name and the password are for', () => {
    expect(SaslMechanism.options.map((m) => saslUsername(m, 'u'))).toEqual(['', 'u', 'u', 'u', '', '', '']);
    expect(saslUsesPassword({ mechanism: 'none' })).toBe(false);
    expect(saslUsesPassword({ mechanism: 'plain' })).toBe(true);
    expect(saslUsesPassword({ mechanism: 'aws-msk-iam', aws: { credentials: 'default' } })).toBe(false);
    expect(saslKeepsPassword({ mechanism: 'aws-msk-iam', aws: { credentials: 'default' } })).toBe(true);
    expect(saslUsesPassword({ mechanism: 'gssapi', kerberos: { credentials: 'password' } })).toBe(true);
    expect(saslKeepsPassword({ mechanism: 'gssapi', kerberos: { credentials: 'keytab' } })).toBe(false);
    expect(['oauthbearer', 'aws-msk-iam', 'plain'].map((m) => saslPasswordLabel(m as SaslMechanism))).toEqual([
      'client secret',
      'AWS secret access key',
      'password',
    ]);
  });

  it('names the missing block when saving, and when a connection is used', () => {
    const fail = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        if (e instanceof CoreError) return { code: e.code, message: e.message, fields: e.fields };
      }
      return null;
    };
    expect(fail(() => assertSaslBlockGiven({ mechanism: 'plain' }))).toBeNull();
    expect(fail(() => assertSaslBlockGiven({ mechanism: 'aws-msk-iam' }))).toEqual({
      code: 'INVALID_INPUT',
      message: "AWS MSK IAM needs the cluster's AWS region.",
      fields: [{ path: 'sasl.aws.region', message: 'the AWS region is needed' }],
    });
    expect(fail(() => assertSaslBlockGiven({ mechanism: 'oauthbearer' }))?.message).toBe(
      'SASL/OAUTHBEARER needs the token endpoint and the client id.',
    );
    expect(fail(() => assertSaslBlockGiven({ mechanism: 'gssapi' }))?.fields).toEqual([
      { path: 'sasl.kerberos.principal', message: 'the principal is needed' },
    ]);
    const resolved = {
      mechanism: 'gssapi',
      username: '',
      password: '',
      oauth: null,
      aws: null,
      kerberos: null,
    } satisfies ResolvedSasl;
    expect(fail(() => requireSaslBlock('prod', resolved, 'kerberos'))?.message).toBe(
      "'prod' uses SASL/GSSAPI but has no Kerberos principal.",
    );
  });
});
