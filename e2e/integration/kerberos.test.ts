import { execFile, execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConnectionInput,
  ConsumedMessage,
  ConsumeResult,
  DoctorReport,
  ListenStatus,
  ProduceResult,
} from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { parseCredentialCache } from '../../electron/core/kerberos/credentialCache';
import { kerberosAuthentications } from '../../electron/core/kerberos/kerberosIdentity';
import { fakeTimeLibrary, startKdcAgain, stopKdc } from '../infra/kdc';
import { createTopic, freshCore, pemUpload, readCluster, type ClusterInfo } from './support';

/**
 * SASL/GSSAPI (issue 5) against the run's MIT KDC and the broker's Kerberos listeners: Kafka Desk's
 * own mechanism (kerberos addon in a process per identity), cross-checked with kcat over PLAINTEXT.
 */
const execFileAsync = promisify(execFile);
let k: ClusterInfo;
let krb: NonNullable<ClusterInfo['kerberos']>;
let core: Core;
let dataDir: string;
let keytab: { name: string; base64: string };
let krb5Conf: { name: string; content: string };
let userCache: string;
const savedEnvCache = process.env.KRB5CCNAME;

beforeAll(async () => {
  k = await readCluster();
  if (!k.kerberos) {
    console.log('skipped: the test broker has no GSSAPI listeners (krb5-kdc is not installed)');
    return;
  }
  krb = k.kerberos;
  ({ core, dataDir } = await freshCore());
  keytab = { name: 'alice.keytab', base64: (await readFile(krb.keytabUser.keytab)).toString('base64') };
  krb5Conf = await pemUpload(krb.krb5Conf);
  // the user's own ticket cache: Kafka Desk must never write it
  userCache = path.join(await mkdtemp(path.join(tmpdir(), 'kd-user-cc-')), 'krb5cc_user');
  process.env.KRB5CCNAME = `FILE:${userCache}`;
});
afterAll(() => {
  if (savedEnvCache === undefined) delete process.env.KRB5CCNAME;
  else process.env.KRB5CCNAME = savedEnvCache;
});

const base = { timeouts: { connectionMs: 5000, requestMs: 15000, authenticationMs: 10000 } };
const withKeytab = (name: string, extra: Partial<ConnectionInput> = {}): ConnectionInput => ({
  ...base,
  name,
  bootstrapServers: [krb.listeners.gssapi],
  sasl: {
    mechanism: 'gssapi',
    kerberos: { principal: krb.keytabUser.principal, credentials: 'keytab', keytab, krb5Conf },
  },
  tls: { enabled: false },
  ...extra,
});
const withPassword = (name: string, password = krb.passwordUser.password, conf = krb5Conf): ConnectionInput => ({
  ...base,
  name,
  bootstrapServers: [krb.listeners.gssapi],
  sasl: {
    mechanism: 'gssapi',
    password,
    kerberos: { principal: krb.passwordUser.principal, credentials: 'password', krb5Conf: conf },
  },
  tls: { enabled: false },
});
const overSsl = async (c: ConnectionInput): Promise<ConnectionInput> => ({
  ...c,
  name: `${c.name} ssl`,
  bootstrapServers: [krb.listeners.gssapiSsl],
  tls: { enabled: true, ca: await pemUpload(k.tls.ca) },
});
/** A krb5.conf of its own (another identity for the core: no tickets cached from earlier tests). */
const variant = (label: string, extraLibdefaults = '') => ({
  name: `${label}.conf`,
  content: krb5Conf.content.replace('[libdefaults]', `# ${label}\n[libdefaults]\n${extraLibdefaults}`),
});

async function save(input: ConnectionInput): Promise<string> {
  const r = await dispatch(core.handlers, 'connections.save', input);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return (r.value as { id: string }).id;
}
async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel as never, input as never);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
const kcatRead = (topic: string, n: number) =>
  execFileSync(
    'kcat',
    ['-b', k.listeners.plaintext, '-C', '-t', topic, '-o', 'beginning', '-c', String(n), '-e', '-q', '-f', '%k=%s\n'],
    { timeout: 30_000 },
  ).toString();
async function expectError(input: ConnectionInput, code: string, message: RegExp | string) {
  const r = await dispatch(core.handlers, 'connections.test', { connection: input });
  expect(r.ok, JSON.stringify(r)).toBe(false);
  const e = (r as { error: { code: string; message: string } }).error;
  expect(e.code, e.message).toBe(code);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  return e;
}

describe('SASL/GSSAPI (Kerberos) against the real KDC and broker', () => {
  it('a keytab connection produces and consumes over SASL_PLAINTEXT and SASL_SSL; kcat reads what it wrote', async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const topic = `it-krb-keytab-${Date.now()}`;
    await createTopic(k, topic, 1);
    for (const input of [withKeytab('alice keytab'), await overSsl(withKeytab('alice keytab'))]) {
      const id = await save(input);
      const p = await call<ProduceResult>('operations.produce', {
        id,
        topic,
        messages: [{ key: input.name, value: `over ${input.bootstrapServers[0]}` }],
      });
      expect(p.delivered).toBe(1);
      const c = await call<ConsumeResult>('operations.consume', { id, topic });
      expect(c.messages.map((m) => m.value)).toContain(`over ${input.bootstrapServers[0]}`);
    }
    expect(kcatRead(topic, 2)).toBe(
      `alice keytab=over ${krb.listeners.gssapi}\nalice keytab ssl=over ${krb.listeners.gssapiSsl}\n`,
    );
  });

  it("a password connection (kinit into its own cache) works on both listeners; the user's ticket cache is never written", async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const topic = `it-krb-password-${Date.now()}`;
    await createTopic(k, topic, 1);
    for (const input of [withPassword('bob password'), await overSsl(withPassword('bob password'))]) {
      const id = await save(input);
      expect(
        (
          await call<ProduceResult>('operations.produce', {
            id,
            topic,
            messages: [{ key: 'bob', value: input.bootstrapServers[0] }],
          })
        ).delivered,
      ).toBe(1);
      // bob's tickets are in the connection's own cache, in the data folder
      const cache = parseCredentialCache(await readFile(path.join(dataDir, 'connections', id, 'krb5cc')));
      expect(cache.principal).toBe(krb.passwordUser.principal);
      expect(cache.tickets.map((t) => t.server)).toContain(`kafka/localhost@${krb.realm}`);
    }
    expect(kcatRead(topic, 2)).toBe(`bob=${krb.listeners.gssapi}\nbob=${krb.listeners.gssapiSsl}\n`);
    expect(existsSync(userCache)).toBe(false);
  });

  it("a ticket-cache login reads the user's kinit tickets without writing to that cache; another principal's cache or none is named", async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const dir = await mkdtemp(path.join(tmpdir(), 'kd-kinit-'));
    const cache = path.join(dir, 'krb5cc_bob');
    execFileSync('kinit', ['-c', `FILE:${cache}`, krb.passwordUser.principal], {
      input: `${krb.passwordUser.password}\n`,
      env: { ...process.env, KRB5_CONFIG: krb.krb5Conf },
    });
    const before = await readFile(cache);
    const viaCache = (principal: string, ticketCache: string, label: string): ConnectionInput => ({
      ...base,
      name: label,
      bootstrapServers: [krb.listeners.gssapi],
      sasl: {
        mechanism: 'gssapi',
        kerberos: { principal, credentials: 'ticket-cache', ticketCache, krb5Conf: variant(label) },
      },
      tls: { enabled: false },
    });
    expect(
      await call('connections.test', {
        connection: viaCache(krb.passwordUser.principal, `FILE:${cache}`, 'bob-cache'),
      }),
    ).toMatchObject({ clusterId: k.clusterId });
    expect((await readFile(cache)).equals(before)).toBe(true);
    await expectError(
      viaCache(krb.keytabUser.principal, `FILE:${cache}`, 'alice-in-bob-cache'),
      'KERBEROS_TICKET_EXPIRED',
      `The ticket cache ${cache} holds tickets for bob@TEST.LOCAL, not alice@TEST.LOCAL. Log in as alice@TEST.LOCAL (kinit), or change the principal.`,
    );
    await expectError(
      viaCache(krb.passwordUser.principal, `FILE:${dir}/none`, 'no-cache'),
      'KERBEROS_TICKET_EXPIRED',
      /^There is no Kerberos ticket for bob@TEST\.LOCAL in the ticket cache FILE:.*\/none\. Log in first \(kinit bob@TEST\.LOCAL\)/,
    );
  });

  it('two connections with different principals and different krb5.conf files work at the same time', async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const topic = `it-krb-two-${Date.now()}`;
    await createTopic(k, topic, 1);
    // each krb5.conf names only its own realm setup; a mix-up of KRB5_CONFIG between the two would show in the caches
    const a = await save(
      withKeytab('alice two', {
        sasl: {
          mechanism: 'gssapi',
          kerberos: {
            principal: krb.keytabUser.principal,
            credentials: 'keytab',
            keytab,
            krb5Conf: variant('alice-only', '  ticket_lifetime = 3h'),
          },
        },
      }),
    );
    const b = await save(
      withPassword('bob two', krb.passwordUser.password, variant('bob-only', '  ticket_lifetime = 2h')),
    );
    const rounds = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call<ProduceResult>('operations.produce', {
          id: i % 2 ? b : a,
          topic,
          messages: [{ key: i % 2 ? 'bob' : 'alice', value: String(i) }],
        }),
      ),
    );
    expect(rounds.every((r) => r.delivered === 1)).toBe(true);
    const read = await call<ConsumeResult>('operations.consume', { id: a, topic });
    expect(read.messages.map((m) => `${m.key}:${m.value}`).sort()).toEqual([
      'alice:0',
      'alice:2',
      'alice:4',
      'bob:1',
      'bob:3',
      'bob:5',
    ]);
    const ca = parseCredentialCache(await readFile(path.join(dataDir, 'connections', a, 'krb5cc')));
    const cb = parseCredentialCache(await readFile(path.join(dataDir, 'connections', b, 'krb5cc')));
    expect(ca.principal).toBe(krb.keytabUser.principal);
    expect(cb.principal).toBe(krb.passwordUser.principal);
    // each krb5.conf's ticket_lifetime shows in its own identity's ticket (3 h vs 2 h, within a minute)
    const life = (c: typeof ca) => {
      const t = c.tickets.find((x) => x.server.startsWith('krbtgt/'))!;
      return Math.round((t.endTime - Date.now()) / 3_600_000);
    };
    expect(life(ca)).toBe(3);
    expect(life(cb)).toBe(2);
  });

  it('the doctor gets a ticket (principal, realm, expiry) before the SASL step', async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const report = await call<DoctorReport>('connections.doctor', { connection: withKeytab('doctor') });
    expect(report.ok).toBe(true);
    const kinds = report.steps.map((s) => s.kind);
    expect(kinds.indexOf('kerberos')).toBeGreaterThan(kinds.indexOf('tcp'));
    expect(kinds.indexOf('kerberos')).toBeLessThan(kinds.indexOf('sasl'));
    const step = report.steps.find((s) => s.kind === 'kerberos')!;
    expect(step.status).toBe('ok');
    expect(step.summary).toMatch(
      new RegExp(
        `^Logged in as alice@TEST\\.LOCAL \\(realm TEST\\.LOCAL\\) with the keytab 'alice\\.keytab'; the ticket is valid until 20\\d\\d-.*; got the service ticket kafka/localhost@TEST\\.LOCAL\\.$`,
      ),
    );
    expect(report.steps.find((s) => s.kind === 'sasl')!.summary).toBe(
      'Logged in as alice@TEST.LOCAL with SASL/GSSAPI.',
    );
  });

  it('keytab and krb5.conf are 0600 copies in the data folder; the renderer sees names, sizes, principals, fingerprints — never the bytes; deleting the connection deletes them', async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const saved = await dispatch(core.handlers, 'connections.save', withKeytab('files'));
    expect(saved).toMatchObject({
      ok: true,
      value: {
        sasl: {
          mechanism: 'gssapi',
          kerberos: {
            principal: krb.keytabUser.principal,
            serviceName: 'kafka',
            credentials: 'keytab',
            keytab: { name: 'alice.keytab', principals: [krb.keytabUser.principal] },
            krb5Conf: { name: 'krb5.conf', defaultRealm: 'TEST.LOCAL', realms: ['TEST.LOCAL'] },
          },
        },
      },
    });
    const id = (saved as { value: { id: string } }).value.id;
    const replies = JSON.stringify([
      saved,
      await dispatch(core.handlers, 'connections.list', {}),
      await dispatch(core.handlers, 'connections.get', { id }),
      await dispatch(core.handlers, 'connections.export', {}),
    ]);
    // not the file, nor any 24-character run of its base64 (the keys are in there)
    for (let i = 0; i + 24 <= keytab.base64.length; i += 4)
      expect(replies.includes(keytab.base64.slice(i, i + 24))).toBe(false);
    const dir = path.join(dataDir, 'connections', id);
    for (const f of ['client.keytab', 'krb5.conf']) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect((await readFile(path.join(dir, 'client.keytab'))).toString('base64')).toBe(keytab.base64);
    await call('connections.test', { id });
    expect(existsSync(path.join(dir, 'krb5cc'))).toBe(true);
    expect(await call('connections.delete', { id })).toEqual({ deleted: true });
    expect(existsSync(dir)).toBe(false);
  });

  it('a corrupt keytab, a krb5.conf that does not parse, and a keytab for another principal are refused when saved', async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const bad = (kerberos: object) =>
      dispatch(core.handlers, 'connections.save', {
        ...withKeytab('bad'),
        sasl: {
          mechanism: 'gssapi',
          kerberos: { principal: krb.keytabUser.principal, credentials: 'keytab', keytab, krb5Conf, ...kerberos },
        },
      });
    expect(
      await bad({
        keytab: { name: 'broken.keytab', base64: Buffer.from('this is not a keytab at all').toString('base64') },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_KEYTAB',
        message:
          "'broken.keytab' is not a Kerberos keytab (it does not start with a keytab header (0x0501 or 0x0502)). Export one with ktutil, kadmin's ktadd, or ktpass.",
        fields: [{ path: 'sasl.kerberos.keytab' }],
      },
    });
    // a keytab cut short in the middle of its first key
    const truncated = Buffer.from(keytab.base64, 'base64').subarray(0, 30).toString('base64');
    expect(await bad({ keytab: { name: 'cut.keytab', base64: truncated } })).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_KEYTAB',
        message: expect.stringMatching(
          /^'cut\.keytab' is not a Kerberos keytab \(a record of \d+ bytes runs past the end of the file\)/,
        ),
      },
    });
    expect(await bad({ krb5Conf: { name: 'notes.txt', content: 'realm: CORP\nkdc: kdc1\n' } })).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_KRB5_CONF',
        message:
          "'notes.txt' is not a krb5.conf that Kerberos can read: line 1: expected [section], name = value or '}', found 'realm: CORP'.",
      },
    });
    expect(await bad({ principal: krb.passwordUser.principal })).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_KEYTAB',
        message: `The keytab 'alice.keytab' has no key for bob@TEST.LOCAL; it holds alice@TEST.LOCAL. Choose that principal, or the keytab made for bob@TEST.LOCAL.`,
        fields: [{ path: 'sasl.kerberos.principal' }],
      },
    });
    expect((await call<unknown[]>('connections.list', {})).some((c) => (c as { name: string }).name === 'bad')).toBe(
      false,
    );
  });

  it("a krb5.conf that includes the realm's file works, and shows the include; one whose module line krb5 acts on is refused until confirmed", async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    // the realm and its KDC are only in the included file: the login works only if krb5 reads it
    const including = {
      name: 'including.conf',
      content: `# everything is in the file below\ninclude ${krb.krb5Conf}\n`,
    };
    const viaInclude = withKeytab('include', {
      sasl: {
        mechanism: 'gssapi',
        kerberos: { principal: krb.keytabUser.principal, credentials: 'keytab', keytab, krb5Conf: including },
      },
    });
    expect(await call('connections.test', { connection: viaInclude })).toMatchObject({ clusterId: k.clusterId });
    expect(await dispatch(core.handlers, 'connections.save', viaInclude)).toMatchObject({
      ok: true,
      value: {
        sasl: {
          kerberos: {
            krb5Conf: {
              name: 'including.conf',
              includes: [{ line: 2, text: `include ${krb.krb5Conf}` }],
              loadsCode: [],
            },
          },
        },
      },
    });

    // a module line: krb5 loads that module instead of reading the file
    const moduleConf = { name: 'module.conf', content: `module /nonexistent/kd-evil.so:x\n${krb5Conf.content}` };
    const withModule = (allowCodeLoading?: boolean) =>
      withKeytab('module', {
        sasl: {
          mechanism: 'gssapi',
          kerberos: {
            principal: krb.keytabUser.principal,
            credentials: 'keytab',
            keytab,
            krb5Conf: { ...moduleConf, ...(allowCodeLoading === undefined ? {} : { allowCodeLoading }) },
          },
        },
      });
    const refused = await dispatch(core.handlers, 'connections.test', { connection: withModule() });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'CONFIRMATION_REQUIRED',
        message: expect.stringMatching(
          /^'module\.conf' makes the Kerberos library load code: line 1 `module \/nonexistent\/kd-evil\.so:x`\. Kafka Desk refuses it unless you confirm/,
        ),
        fields: [{ path: 'sasl.kerberos.krb5Conf.allowCodeLoading' }],
      },
    });
    expect(await dispatch(core.handlers, 'connections.save', withModule(false))).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    // confirmed: the library tries the module (there is none), so the file's own realms are never read
    await expectError(
      withModule(true),
      'KERBEROS_KDC_UNREACHABLE',
      /^Its krb5\.conf 'module\.conf' names no KDC for the realm TEST\.LOCAL/,
    );
    expect(await dispatch(core.handlers, 'connections.save', withModule(true))).toMatchObject({
      ok: true,
      value: {
        sasl: { kerberos: { krb5Conf: { loadsCode: [{ line: 1, text: 'module /nonexistent/kd-evil.so:x' }] } } },
      },
    });
  });

  it('a wrong password, an out-of-date keytab, an unknown principal and a wrong service name each say what is wrong', async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    await expectError(
      withPassword('wrong pw', 'not-the-password', variant('wrong-pw')),
      'KERBEROS_BAD_CREDENTIALS',
      'The Kerberos server refused the password of bob@TEST.LOCAL.',
    );
    // carol's first keytab, then a new key (kvno 2): the first keytab is out of date
    const kdcEnv = {
      ...process.env,
      KRB5_CONFIG: krb.krb5Conf,
      KRB5_KDC_PROFILE: path.join(path.dirname(krb.krb5Conf), 'kdc.conf'),
    };
    const dir = await mkdtemp(path.join(tmpdir(), 'kd-carol-'));
    const carol = `carol${Date.now()}@${krb.realm}`;
    for (const q of [
      `addprinc -randkey ${carol}`,
      `ktadd -k ${dir}/old.keytab ${carol}`,
      `ktadd -k ${dir}/new.keytab ${carol}`,
    ]) {
      await execFileAsync('kadmin.local', ['-r', krb.realm, '-q', q], { env: kdcEnv });
    }
    const oldKeytab = { name: 'carol-old.keytab', base64: (await readFile(`${dir}/old.keytab`)).toString('base64') };
    await expectError(
      {
        ...withKeytab('stale'),
        sasl: {
          mechanism: 'gssapi',
          kerberos: { principal: carol, credentials: 'keytab', keytab: oldKeytab, krb5Conf },
        },
      },
      'KERBEROS_BAD_CREDENTIALS',
      `The Kerberos server refused the key in the keytab 'carol-old.keytab' for ${carol}: the keytab is out of date (the password or key version changed since it was made). Export a new keytab.`,
    );
    await expectError(
      {
        ...withPassword('nobody'),
        sasl: {
          mechanism: 'gssapi',
          password: 'x',
          kerberos: { principal: `nobody@${krb.realm}`, credentials: 'password', krb5Conf },
        },
      },
      'KERBEROS_PRINCIPAL_UNKNOWN',
      'The Kerberos server does not know the principal nobody@TEST.LOCAL: check its spelling and its realm (names are case-sensitive).',
    );
    const e = await expectError(
      {
        ...withKeytab('service'),
        sasl: {
          mechanism: 'gssapi',
          kerberos: {
            principal: krb.keytabUser.principal,
            serviceName: 'kafka-brokers',
            credentials: 'keytab',
            keytab,
            krb5Conf,
          },
        },
      },
      'KERBEROS_SERVICE_UNKNOWN',
      /^The Kerberos server does not know the service principal kafka-brokers\/localhost@TEST\.LOCAL: .*service name/,
    );
    expect(e.message).toContain("the Kerberos service name ('kafka-brokers')");
  });

  it('a stopped KDC, and a KDC whose clock is two hours off, are named as such', async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const kdcDir = path.dirname(krb.krb5Conf);
    await stopKdc(kdcDir);
    try {
      await expectError(
        withPassword('kdc down', krb.passwordUser.password, variant('kdc-down')),
        'KERBEROS_KDC_UNREACHABLE',
        "No Kerberos server (KDC) for the realm TEST.LOCAL answered: check the kdc entries in its krb5.conf 'kdc-down.conf', the network or VPN, and that the KDC is running.",
      );
      if (!fakeTimeLibrary()) {
        console.log('skipped the clock-skew half: libfaketime is not installed (Debian: faketime)');
        return;
      }
      await startKdcAgain(kdcDir, '+2h');
      // krb5 told not to adjust to the KDC's clock: the KDC refuses the login
      await expectError(
        withKeytab('skew strict', {
          sasl: {
            mechanism: 'gssapi',
            kerberos: {
              principal: krb.keytabUser.principal,
              credentials: 'keytab',
              keytab,
              krb5Conf: variant('no-timesync', '  kdc_timesync = 0'),
            },
          },
        }),
        'KERBEROS_CLOCK_SKEW',
        /^This computer's clock and the Kerberos server's differ by more than Kerberos allows/,
      );
      // krb5's default adjusts to the KDC, and the broker (on this computer's time) refuses the ticket
      await expectError(
        withPassword('skew default', krb.passwordUser.password, variant('timesync')),
        'KERBEROS_CLOCK_SKEW',
        /^This computer's clock is 2 hours behind the Kerberos server's, so the broker refused the login as bob@TEST\.LOCAL/,
      );
    } finally {
      await stopKdc(kdcDir);
      await startKdcAgain(kdcDir);
    }
    // and back to normal
    expect(
      await call('connections.test', {
        connection: withPassword('kdc back', krb.passwordUser.password, variant('kdc-back')),
      }),
    ).toMatchObject({ clusterId: k.clusterId });
  });

  it("a Listen over GSSAPI keeps receiving across the broker's re-authentication (every 15 s on this listener)", async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const topic = `it-krb-listen-${Date.now()}`;
    await createTopic(k, topic, 1);
    const id = await save(withKeytab('listen'));
    const status = await call<ListenStatus>('listen.start', { id, topic });
    const got: ConsumedMessage[] = [];
    const off = core.events.onAny((event, payload) => {
      if (event === 'listen.batch') got.push(...(payload as { messages: ConsumedMessage[] }).messages);
    });
    const waitFor = async (n: number) => {
      for (let i = 0; i < 300 && got.length < n; i++) await new Promise((r) => setTimeout(r, 100));
    };
    try {
      await call('operations.produce', { id, topic, messages: [{ value: 'first' }] });
      await waitFor(1);
      const before = kerberosAuthentications();
      // longer than the listener's connections.max.reauth.ms: the broker closes a session that does not log in again
      await new Promise((r) => setTimeout(r, 20_000));
      await call('operations.produce', { id, topic, messages: [{ value: 'after re-authentication' }] });
      await waitFor(2);
      expect(got.map((m) => m.value)).toEqual(['first', 'after re-authentication']);
      expect(kerberosAuthentications()).toBeGreaterThan(before);
      const history = await call<{ kept: number }>('listen.history', {
        listenId: status.listenId,
        offset: 0,
        limit: 10,
      });
      expect(history.kept).toBe(2);
    } finally {
      off();
      await call('listen.stop', { listenId: status.listenId });
    }
  }, 60_000);

  it('the command line: --sasl-mechanism gssapi with a keytab and a krb5.conf, and a saved Kerberos connection by name', async (ctx) => {
    if (!k.kerberos) return ctx.skip();
    const bin = path.resolve('bin/kafka-desk.cjs');
    const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      execFileAsync(process.execPath, [bin, ...args], { timeout: 60_000, env: { ...process.env, ...env } }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const topic = `it-krb-cli-${Date.now()}`;
    await createTopic(k, topic, 1);
    const flags = [
      '--bootstrap',
      krb.listeners.gssapi,
      '--sasl-mechanism',
      'gssapi',
      '--kerberos-principal',
      krb.keytabUser.principal,
      '--keytab',
      krb.keytabUser.keytab,
      '--krb5-conf',
      krb.krb5Conf,
    ];
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kd-cli-krb-'));
    const produced = await cli([
      'produce',
      '--topic',
      topic,
      '--value',
      'from the terminal',
      '--data-dir',
      dataDir,
      ...flags,
    ]);
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await cli(['consume', '--topic', topic, '--json', '--data-dir', dataDir, ...flags]);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(JSON.parse(consumed.stdout.trim().split('\n')[0]!)).toMatchObject({ topic, value: 'from the terminal' });
    // a wrong service name: the same sentence as in the app, on stderr, exit code not 0
    const wrong = await cli(['topics', '--data-dir', dataDir, ...flags, '--kerberos-service-name', 'kafkaa']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(
      'The Kerberos server does not know the service principal kafkaa/localhost@TEST.LOCAL',
    );
    // a --krb5-conf that loads code is refused with the app's sentence unless --allow-krb5-modules; with it
    // (a [plugins] module that is not there, which krb5 skips) the login works
    const pluginsConf = path.join(dataDir, 'plugins-krb5.conf');
    await writeFile(
      pluginsConf,
      `${await readFile(krb.krb5Conf, 'utf8')}\n[plugins]\n  ccselect = {\n    module = kd_missing:/nonexistent/libkd-missing.so\n  }\n`,
    );
    const withPlugins = [
      '--bootstrap',
      krb.listeners.gssapi,
      '--sasl-mechanism',
      'gssapi',
      '--kerberos-principal',
      krb.keytabUser.principal,
      '--keytab',
      krb.keytabUser.keytab,
      '--krb5-conf',
      pluginsConf,
    ];
    const refusedConf = await cli(['topics', '--data-dir', dataDir, ...withPlugins]);
    expect(refusedConf.code).toBe(1);
    expect(refusedConf.stderr).toContain("kafka-desk: 'plugins-krb5.conf' makes the Kerberos library load code: line ");
    expect(refusedConf.stderr).toContain('--allow-krb5-modules');
    const allowedConf = await cli(['topics', '--json', '--data-dir', dataDir, ...withPlugins, '--allow-krb5-modules']);
    expect(allowedConf.code, allowedConf.stderr).toBe(0);
    expect(allowedConf.stdout).toContain(topic);
    // a principal kinit would read as an option: the contract's sentence, before any login
    const dash = await cli([
      'topics',
      '--data-dir',
      dataDir,
      '--bootstrap',
      krb.listeners.gssapi,
      '--sasl-mechanism',
      'gssapi',
      '--kerberos-principal=-V',
      '--password',
      'x',
    ]);
    expect(dash.code).toBe(1);
    expect(dash.stderr).toContain("sasl.kerberos.principal: cannot start with '-'");
    // a password login from the environment, saved in the app's data folder and used by name
    const { createCore, KeyFileSecretBox } = await import('../../electron/core');
    const saved = createCore({ host: 'cli', dataDir, version: 'test', secrets: new KeyFileSecretBox(dataDir) });
    const r = await dispatch(saved.handlers, 'connections.save', withPassword('bob cli'));
    expect(r.ok).toBe(true);
    const byName = await cli(['consume', '--connection', 'bob cli', '--topic', topic, '--json', '--data-dir', dataDir]);
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stdout).toContain('from the terminal');
  });
});
