import { describe, expect, it } from 'vitest';
import { parseCredentialCache, ticketGrantingTicket } from './credentialCache';
import { kerberosErrorToCore } from './kerberosErrors';
import { keytabPrincipals, parseKeytab } from './keytab';
import { KerberosPrincipal } from '../../contract';
import { StoredKerberos } from '../connections/storedConnection';
import { kinitArgs } from './kerberosIdentity';
import { parseKrb5Conf } from './krb5Conf';

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const str16 = (s: string) => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)]);
const str32 = (s: string) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);

/** A keytab record as MIT writes it (format 0x0502). */
function keytabEntry(realm: string, parts: string[], kvno: number, enctype: number, kvno32?: number): Buffer {
  const body = Buffer.concat([
    u16(parts.length),
    str16(realm),
    ...parts.map(str16),
    u32(1),
    u32(1_700_000_000),
    Buffer.from([kvno & 0xff]),
    u16(enctype),
    u16(16),
    Buffer.alloc(16, 7),
    ...(kvno32 === undefined ? [] : [u32(kvno32)]),
  ]);
  return Buffer.concat([u32(body.length), body]);
}

describe('keytab', () => {
  it('lists principals, key versions (32-bit ones too) and encryption types, skipping holes', () => {
    const hole = Buffer.concat([u32(-8 >>> 0), Buffer.alloc(8)]);
    const file = Buffer.concat([
      Buffer.from([5, 2]),
      keytabEntry('CORP.EXAMPLE', ['app'], 3, 18),
      hole,
      keytabEntry('CORP.EXAMPLE', ['kafka', 'b1.corp.example'], 0, 17, 300),
      keytabEntry('CORP.EXAMPLE', ['app'], 3, 17),
    ]);
    const entries = parseKeytab(file);
    expect(entries).toEqual([
      { principal: 'app@CORP.EXAMPLE', kvno: 3, enctype: 18 },
      { principal: 'kafka/b1.corp.example@CORP.EXAMPLE', kvno: 300, enctype: 17 },
      { principal: 'app@CORP.EXAMPLE', kvno: 3, enctype: 17 },
    ]);
    expect(keytabPrincipals(entries)).toEqual(['app@CORP.EXAMPLE', 'kafka/b1.corp.example@CORP.EXAMPLE']);
  });

  it('refuses what is not a keytab, and one cut short', () => {
    expect(() => parseKeytab(Buffer.from('[libdefaults]'))).toThrow('does not start with a keytab header');
    const whole = Buffer.concat([Buffer.from([5, 2]), keytabEntry('R', ['a'], 1, 18)]);
    expect(() => parseKeytab(whole.subarray(0, whole.length - 5))).toThrow(/runs past the end of the file/);
    expect(() => parseKeytab(Buffer.from([5, 2]))).toThrow('it holds no keys');
  });
});

describe('krb5.conf', () => {
  it('reads the default realm, the realms and include lines', () => {
    const s = parseKrb5Conf(
      `includedir /etc/krb5.conf.d/\n# comment\n[libdefaults]\n  default_realm = CORP.EXAMPLE\n  dns_lookup_kdc = false\n\n[realms]\n  CORP.EXAMPLE = {\n    kdc = kdc1.corp.example:88\n    kdc = kdc2.corp.example:88\n  }\n  LAB = {\n    kdc = 10.0.0.1\n  }\n[domain_realm]\n  .corp.example = CORP.EXAMPLE\n`,
    );
    expect(s).toEqual({
      defaultRealm: 'CORP.EXAMPLE',
      realms: ['CORP.EXAMPLE', 'LAB'],
      includes: [{ line: 1, text: 'includedir /etc/krb5.conf.d/' }],
      loadsCode: [],
    });
  });

  it('reports what makes the Kerberos library load code, each with its line', () => {
    const s = parseKrb5Conf(
      [
        'module /opt/lib/profile.so:x', // 1
        '[libdefaults]', // 2
        '  default_realm = CORP.EXAMPLE', // 3
        '  plugin_base_dir* = /opt/krb5/plugins', // 4: the "final" flag does not hide the name
        '  ccapi_library = /opt/lib/libcc.so', // 5: Heimdal
        '  pkinit_anchors = FILE:/etc/ca.pem', // 6: a file, no code
        '[realms]', // 7
        '  CORP.EXAMPLE = {', // 8
        '    kdc = kdc1', // 9
        '    pkinit_identities = PKCS11:opensc-pkcs11.so', // 10
        '  }', // 11
        '[plugins]', // 12
        '  localauth =', // 13: a subsection opened on the next line
        '  {', // 14
        '    module = mine:/opt/lib/localauth.so', // 15
        '    enable_only = mine', // 16
        '  }', // 17
        '[plugins]', // 18: empty, loads nothing
        '[domain_realm]', // 19
        '  .corp.example = CORP.EXAMPLE', // 20
      ].join('\n'),
    );
    expect(s.loadsCode).toEqual([
      { line: 1, text: 'module /opt/lib/profile.so:x' },
      { line: 4, text: 'plugin_base_dir* = /opt/krb5/plugins' },
      { line: 5, text: 'ccapi_library = /opt/lib/libcc.so' },
      { line: 10, text: 'pkinit_identities = PKCS11:opensc-pkcs11.so' },
      { line: 12, text: '[plugins]' },
      { line: 15, text: 'module = mine:/opt/lib/localauth.so' },
    ]);
    expect(s.realms).toEqual(['CORP.EXAMPLE']);
  });

  it('finds include lines where krb5 reads them (the start of any line, even inside braces); a module only before the first section', () => {
    const s = parseKrb5Conf('[realms]\n  CORP = {\ninclude /etc/krb5.extra\n    kdc = a\n  }\n');
    expect(s.includes).toEqual([{ line: 3, text: 'include /etc/krb5.extra' }]);
    // after a section krb5 refuses a module line: so does the check
    expect(() => parseKrb5Conf('[libdefaults]\nmodule /x.so:y\n')).toThrow(
      "line 2: expected [section], name = value or '}', found 'module /x.so:y'",
    );
    expect(() => parseKrb5Conf('include   \n[libdefaults]\n')).toThrow("line 1: 'include' names no file");
    // a file that is only a module directive: krb5 loads the module instead of reading the file
    expect(parseKrb5Conf('module /opt/lib/profile.so:x\n').loadsCode).toEqual([
      { line: 1, text: 'module /opt/lib/profile.so:x' },
    ]);
  });

  it('refuses what krb5 would read differently: lines over 2047 bytes, control characters, a subsection without its brace', () => {
    expect(() => parseKrb5Conf(`[libdefaults]\n# ${'é'.repeat(1023)}\n`)).toThrow(
      'line 2: it is longer than 2047 bytes',
    );
    expect(parseKrb5Conf(`[libdefaults]\n# ${'x'.repeat(2045)}\r\n  default_realm = CORP\n`).defaultRealm).toBe('CORP');
    expect(() => parseKrb5Conf('[libdefaults]\n  a = b\u001b[2J\n')).toThrow(
      'line 2: it holds a control character (U+001B)',
    );
    expect(() => parseKrb5Conf('[libdefaults]\r  a = b\n')).toThrow('line 1: it holds a control character (U+000D)');
    expect(parseKrb5Conf('[libdefaults]\r\n\tdefault_realm = CORP\r\n').defaultRealm).toBe('CORP');
    expect(() => parseKrb5Conf('[plugins]\n  ccselect =\n  # comment\n')).toThrow(
      "line 3: expected '{' on the line after 'ccselect =' (line 2)",
    );
  });

  it('shows lines with invisible characters escaped', () => {
    const s = parseKrb5Conf('[libdefaults]\n  plugin_base_dir = /opt/\u202egol.so\n');
    expect(s.loadsCode).toEqual([{ line: 2, text: 'plugin_base_dir = /opt/<U+202E>gol.so' }]);
  });

  it('names the line that is wrong', () => {
    expect(() => parseKrb5Conf('default_realm = X\n')).toThrow("line 1: 'default_realm' comes before any [section]");
    expect(() => parseKrb5Conf('[realms]\n  X = {\n    kdc = a\n')).toThrow(
      "line 4: the '{' opened for X is never closed",
    );
    expect(() => parseKrb5Conf('[realms]\n}\n')).toThrow("line 2: a '}' closes nothing");
    expect(() => parseKrb5Conf('[libdefaults]\nthis is prose\n')).toThrow(
      "line 2: expected [section], name = value or '}', found 'this is prose'",
    );
    expect(() => parseKrb5Conf('\u0000\u0001binary')).toThrow('binary');
    expect(() => parseKrb5Conf('# only a comment\n')).toThrow('it has no settings');
  });
});

describe('credential cache', () => {
  const principal = (realm: string, parts: string[]) =>
    Buffer.concat([u32(1), u32(parts.length), str32(realm), ...parts.map(str32)]);
  const cred = (client: Buffer, server: Buffer, end: number) =>
    Buffer.concat([
      client,
      server,
      u16(18),
      str32('k'.repeat(32)),
      u32(1),
      u32(1),
      u32(end),
      u32(end + 3600),
      Buffer.from([0]),
      u32(0),
      u32(0),
      u32(0),
      str32('ticket'),
      str32(''),
    ]);

  it('reads the principal, the tickets with their end times, and the KDC time offset krb5 recorded', () => {
    const header = Buffer.concat([u16(1), u16(8), u32(7200), u32(0)]); // DeltaTime: the KDC is 2 h ahead
    const me = principal('R', ['alice']);
    const file = Buffer.concat([
      Buffer.from([5, 4]),
      u16(header.length),
      header,
      me,
      cred(me, principal('R', ['krbtgt', 'R']), 2_000_000_000),
      cred(me, principal('X-CACHECONF:', ['krb5_ccache_conf_data', 'pa_type']), 0),
      cred(me, principal('R', ['kafka', 'localhost']), 2_000_000_100),
    ]);
    const c = parseCredentialCache(file);
    expect(c.principal).toBe('alice@R');
    expect(c.kdcTimeOffset).toBe(7200);
    expect(c.tickets.map((t) => [t.server, t.endTime])).toEqual([
      ['krbtgt/R@R', 2_000_000_000_000],
      ['kafka/localhost@R', 2_000_000_100_000],
    ]);
    expect(ticketGrantingTicket(c)?.endTime).toBe(2_000_000_000_000);
    expect(() => parseCredentialCache(file.subarray(0, file.length - 3))).toThrow('truncated');
  });
});

describe('Kerberos messages in words', () => {
  const ctx = {
    principal: 'app@CORP',
    service: 'kafka/b1',
    source: "the keytab 'app.keytab'",
    config: "its krb5.conf 'corp.conf'",
  };
  it.each([
    ['Unspecified GSS failure.  Minor code may provide more information: Clock skew too great', 'KERBEROS_CLOCK_SKEW'],
    ["kinit: Cannot contact any KDC for realm 'CORP' while getting initial credentials", 'KERBEROS_KDC_UNREACHABLE'],
    ["Client 'app@CORP' not found in Kerberos database", 'KERBEROS_PRINCIPAL_UNKNOWN'],
    ['Server kafka/b1@CORP not found in Kerberos database', 'KERBEROS_SERVICE_UNKNOWN'],
    ['kinit: Password incorrect while getting initial credentials', 'KERBEROS_BAD_CREDENTIALS'],
    ['Preauthentication failed', 'KERBEROS_BAD_CREDENTIALS'],
    ['Key table entry not found', 'KERBEROS_BAD_CREDENTIALS'],
    ['Ticket expired', 'KERBEROS_TICKET_EXPIRED'],
    ['No Kerberos credentials available (default cache: FILE:/tmp/krb5cc_0)', 'KERBEROS_TICKET_EXPIRED'],
    ['Something else entirely', 'KERBEROS_FAILED'],
  ])('%s → %s', (raw, code) => {
    const e = kerberosErrorToCore(raw, ctx);
    expect(e.code).toBe(code);
    expect(e.detail).toBe(raw);
  });
  it('names the service principal that was asked for', () => {
    expect(kerberosErrorToCore('Server kafka/b1@CORP not found in Kerberos database', ctx).message).toMatch(
      /^The Kerberos server does not know the service principal kafka\/b1@CORP:/,
    );
  });
});

describe('the principal', () => {
  it('accepts ordinary principals', () => {
    for (const p of [
      'app@CORP.EXAMPLE',
      'app/host-1.corp.example@CORP.EXAMPLE',
      'alice',
      'svc_kafka-desk.2@AD.CORP.EXAMPLE',
      'a-b@CORP',
      '  padded@CORP  ',
    ]) {
      expect(KerberosPrincipal.safeParse(p).success, p).toBe(true);
    }
  });
  it('says what is wrong first', () => {
    const first = (p: string) => KerberosPrincipal.safeParse(p).error?.issues[0]?.message;
    expect(first('-c/tmp/x')).toBe("cannot start with '-': programs would read it as an option, not a name");
    expect(first('app\u0000@CORP')).toBe('cannot hold control or invisible characters (it holds U+0000)');
    expect(first('CORP\\alice')).toBe("cannot hold '\\' (write user@REALM, not DOMAIN\\user)");
    expect(first('app user@CORP')).toBe('must be a principal such as app@EXAMPLE.COM or app/host@EXAMPLE.COM');
  });
  it('goes to kinit after --', () => {
    expect(kinitArgs('/d/krb5cc', 'app@CORP')).toEqual(['-c', 'FILE:/d/krb5cc', '--', 'app@CORP']);
  });
});

describe('a stored krb5.conf from an older version', () => {
  it('reads as one without include or code-loading lines', () => {
    const old = {
      principal: 'app@CORP',
      serviceName: 'kafka',
      credentials: 'keytab',
      keytab: null,
      krb5Conf: { name: 'k.conf', size: 10, sha256: 'ab', file: 'krb5.conf', defaultRealm: 'CORP', realms: ['CORP'] },
      ticketCache: '',
    };
    expect(StoredKerberos.parse(old).krb5Conf).toEqual({ ...old.krb5Conf, includes: [], loadsCode: [] });
  });
});
