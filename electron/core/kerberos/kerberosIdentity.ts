import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CoreError, describeCause } from '../coreError';
import { parseCredentialCache, ticketGrantingTicket, type CredentialCache } from './credentialCache';
import { GssProcess } from './gssProcess';
import { kerberosErrorToCore, type KerberosErrorContext } from './kerberosErrors';

/** How a connection logs in with Kerberos, with the core's own copies of its files. */
export interface KerberosSpec {
  principal: string;
  /** The brokers' service name: per connection (connections sharing an identity may differ in it). */
  serviceName: string;
  credentials: 'keytab' | 'password' | 'ticket-cache';
  keytab: { path: string; name: string; sha256: string } | null;
  krb5Conf: { path: string; name: string; sha256: string } | null;
  /** ticket-cache logins: the cache to read ('' = the system default); never written by Kafka Desk. */
  ticketCache: string;
  /** keytab and password logins keep their tickets in this file of their own. */
  ownCache: string;
}

export interface TicketInfo {
  principal: string;
  realm: string;
  /** ISO time the ticket-granting ticket expires; null when the cache cannot be read (KEYRING:, KCM:). */
  expires: string | null;
  /** The service ticket obtained, e.g. kafka/broker-1@REALM. */
  service?: string;
}

/** Tickets are renewed (a fresh login) when the ticket-granting ticket has less than this left. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * One Kerberos identity (principal + credential source + krb5.conf): its own helper process, its own
 * ticket cache, its logins serialized. Connections with the same identity share it.
 */
export class KerberosIdentity {
  private proc: GssProcess | null = null;
  private loginChain: Promise<unknown> = Promise.resolve();
  /** SASL/GSSAPI exchanges completed; a re-authentication counts again. */
  authentications = 0;
  private loggedIn = false;

  constructor(
    readonly spec: KerberosSpec,
    private readonly password: string,
  ) {}

  /**
   * Keytab and password logins keep their tickets in a cache of their own. A ticket-cache login whose
   * cache is a file reads the user's tickets into a copy of its own too, so that the service tickets
   * GSSAPI adds are never written into the user's cache (KCM: / KEYRING: caches are used as they are).
   */
  private get usesOwnCache(): boolean {
    return this.spec.credentials !== 'ticket-cache' || this.userCacheFile() !== null;
  }

  /** The user's ticket cache, for ticket-cache logins, when it is a file. */
  private userCacheFile(): string | null {
    const name =
      this.spec.ticketCache ||
      process.env.KRB5CCNAME ||
      (typeof process.getuid === 'function' ? `FILE:/tmp/krb5cc_${process.getuid()}` : '');
    if (name.startsWith('FILE:')) return name.slice(5);
    if (name.startsWith('/')) return name;
    return null;
  }

  env(): Record<string, string> {
    const env: Record<string, string> = {};
    if (this.spec.krb5Conf) env.KRB5_CONFIG = this.spec.krb5Conf.path;
    if (this.usesOwnCache) env.KRB5CCNAME = `FILE:${this.spec.ownCache}`;
    else if (this.spec.ticketCache) env.KRB5CCNAME = this.spec.ticketCache;
    if (this.spec.credentials === 'keytab' && this.spec.keytab)
      env.KRB5_CLIENT_KTNAME = `FILE:${this.spec.keytab.path}`;
    return env;
  }

  errorContext(service?: string): KerberosErrorContext {
    const s = this.spec;
    return {
      principal: s.principal,
      ...(service ? { service } : {}),
      source:
        s.credentials === 'keytab'
          ? `the keytab '${s.keytab?.name ?? '?'}'`
          : s.credentials === 'password'
            ? 'the password'
            : `the ticket cache ${s.ticketCache || process.env.KRB5CCNAME || '(the system default)'}`,
      config: s.krb5Conf ? `its krb5.conf '${s.krb5Conf.name}'` : "the system's krb5.conf",
    };
  }

  private process(): GssProcess {
    if (!this.proc || !this.proc.alive) this.proc = new GssProcess(this.env());
    return this.proc;
  }

  /** The cache this identity reads, when it is a file Kafka Desk can read. */
  private cacheFile(): string | null {
    return this.usesOwnCache ? this.spec.ownCache : null;
  }

  private async readCache(file = this.cacheFile()): Promise<CredentialCache | null> {
    if (!file) return null;
    try {
      return parseCredentialCache(await readFile(file));
    } catch {
      return null;
    }
  }

  /** Makes sure there is a ticket-granting ticket with time left: a fresh login when it is missing or about to expire. */
  ensureTickets(): Promise<void> {
    const run = this.loginChain.then(() => this.login());
    this.loginChain = run.catch(() => undefined);
    return run;
  }

  private async login(): Promise<void> {
    const cache = await this.readCache();
    const tgt = cache ? ticketGrantingTicket(cache) : undefined;
    const fresh =
      tgt !== undefined &&
      tgt.endTime - Date.now() > RENEW_BEFORE_MS &&
      sameName(cache!.principal, this.spec.principal);
    if (this.spec.credentials === 'ticket-cache') {
      const userFile = this.userCacheFile();
      const user = userFile ? await this.readCache(userFile) : null;
      const userTgt = user ? ticketGrantingTicket(user) : undefined;
      if (user && !sameName(user.principal, this.spec.principal)) {
        throw new CoreError(
          'KERBEROS_TICKET_EXPIRED',
          `The ticket cache ${userFile} holds tickets for ${user.principal}, not ${this.spec.principal}. Log in as ${this.spec.principal} (kinit), or change the principal.`,
        );
      }
      if (user && userTgt && userTgt.endTime <= Date.now()) {
        throw new CoreError(
          'KERBEROS_TICKET_EXPIRED',
          `The Kerberos tickets of ${user.principal} expired at ${new Date(userTgt.endTime).toISOString()}. Log in again (kinit ${this.spec.principal}); Kafka Desk reads this cache and never renews it.`,
        );
      }
      // no tickets there (kdestroy, or never logged in): neither are there in the copy
      if (userFile && !user) await rm(this.spec.ownCache, { force: true });
      // a new login in the user's cache (kinit again) is picked up: the copy is refreshed from it
      if (userFile && user && (!fresh || !this.loggedIn || (userTgt && tgt && userTgt.endTime > tgt.endTime))) {
        await mkdir(path.dirname(this.spec.ownCache), { recursive: true, mode: 0o700 });
        await writeFile(this.spec.ownCache, await readFile(userFile), { mode: 0o600 });
        this.loggedIn = true;
      }
      return;
    }
    if (fresh && this.loggedIn) return;
    await mkdir(path.dirname(this.spec.ownCache), { recursive: true, mode: 0o700 });
    // the first login of this identity starts from an empty cache (one left by an earlier run may hold another
    // password's or keytab's tickets); a renewal overwrites the cache in place, which the helper reads on its next call
    if (!this.loggedIn) await rm(this.spec.ownCache, { force: true });
    if (this.spec.credentials === 'password') await this.kinit();
    this.loggedIn = true;
    // keytab logins: the GSS library gets the ticket from the keytab at the first exchange (KRB5_CLIENT_KTNAME)
  }

  private async kinit(): Promise<void> {
    if (!this.password) {
      throw new CoreError('INVALID_INPUT', `The Kerberos password of ${this.spec.principal} is not set.`, undefined, [
        { path: 'sasl.password', message: 'the password is needed' },
      ]);
    }
    const kinit = findKinit();
    if (!kinit) {
      throw new CoreError(
        'KERBEROS_UNAVAILABLE',
        "A Kerberos password login needs MIT Kerberos' kinit, which this system does not have (Debian / Ubuntu: apt install krb5-user; Fedora: krb5-workstation). A keytab works without it.",
      );
    }
    await new Promise<void>((resolve, reject) => {
      const child = execFile(
        kinit,
        kinitArgs(this.spec.ownCache, this.spec.principal),
        { env: { ...process.env, ...this.env() }, timeout: 30_000 },
        (err, _stdout, stderr) => {
          if (!err) return resolve();
          reject(kerberosErrorToCore(String(stderr || err.message), this.errorContext()));
        },
      );
      // kinit may exit before it reads the password (a krb5.conf it cannot read): its exit status and
      // message say why, the broken pipe adds nothing (and unhandled, it would end the process)
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(`${this.password}\n`);
    });
  }

  /**
   * SASL/GSSAPI (RFC 4752) with one broker: GSS context tokens until the context is complete, then
   * the security-layer step — unwrap the broker's four bytes, answer "no security layer" wrapped.
   * `send` carries one SASL token to the broker and returns its answer.
   */
  async authenticate(host: string, serviceName: string, send: (token: Buffer) => Promise<Buffer>): Promise<void> {
    const service = `${serviceName}/${host}`;
    let brokerAnswered = true;
    const fail = (e: unknown) => {
      // kafkajs keeps the socket of a failed login open; an empty token makes the broker end the exchange and close it
      if (brokerAnswered) {
        brokerAnswered = false;
        void send(Buffer.alloc(0)).catch(() => undefined);
      }
      if (e instanceof CoreError) return e;
      return kerberosErrorToCore(describeCause(e), this.errorContext(service));
    };
    await this.ensureTickets().catch((e: unknown) => Promise.reject(fail(e)));
    const gss = this.process();
    let ctx: number;
    try {
      ctx = (await gss.call('init', { service: `${serviceName}@${host}`, principal: this.spec.principal }))
        .ctx as number;
    } catch (e) {
      throw fail(e);
    }
    try {
      let out = await gss.call('step', { ctx, token: '' }).catch((e: unknown) => Promise.reject(fail(e)));
      for (let round = 0; round < 10; round++) {
        const reply = await send(Buffer.from(out.token as string, 'base64')).catch(async (e: unknown) => {
          brokerAnswered = false; // the broker refused: it closes the connection itself
          return Promise.reject(await this.explainRefusal(e));
        });
        if (!out.complete) {
          out = await gss
            .call('step', { ctx, token: reply.toString('base64') })
            .catch((e: unknown) => Promise.reject(fail(e)));
          continue;
        }
        // the context is established: the broker offers its security layers (RFC 4752 §3.1)
        const offer = Buffer.from(
          (
            await gss
              .call('unwrap', { ctx, token: reply.toString('base64') })
              .catch((e: unknown) => Promise.reject(fail(e)))
          ).data as string,
          'base64',
        );
        if (offer.length !== 4 || (offer[0]! & 0x01) === 0) {
          throw new CoreError(
            'AUTH_FAILED',
            `The broker at ${host} did not offer SASL/GSSAPI without a security layer, which Kafka always does; is this a Kafka listener?`,
            `security layer offer: ${offer.toString('hex')}`,
          );
        }
        const answer = (await gss.call('wrap', { ctx, data: Buffer.from([0x01, 0, 0, 0]).toString('base64') }))
          .token as string;
        await send(Buffer.from(answer, 'base64'));
        this.authentications++;
        return;
      }
      throw new CoreError('AUTH_FAILED', `The SASL/GSSAPI exchange with ${host} did not finish after 10 rounds.`);
    } finally {
      void gss.call('dispose', { ctx }).catch(() => undefined);
    }
  }

  /**
   * The broker refused the ticket. krb5 corrects for a KDC whose clock differs from this computer's
   * (kdc_timesync) and notes the difference in the cache, but the broker's Java checks the time in
   * the ticket against its own clock and only answers "authentication failed": say what it was.
   */
  private async explainRefusal(e: unknown): Promise<unknown> {
    const cache = await this.readCache();
    if (cache && Math.abs(cache.kdcTimeOffset) > 300) {
      const minutes = Math.round(Math.abs(cache.kdcTimeOffset) / 60);
      return new CoreError(
        'KERBEROS_CLOCK_SKEW',
        `This computer's clock is ${minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`} ${cache.kdcTimeOffset > 0 ? 'behind' : 'ahead of'} the Kerberos server's, so the broker refused the login as ${this.spec.principal} (Kerberos allows about 5 minutes). Set the clock right (turn on network time) and try again.`,
        describeCause(e),
      );
    }
    return e;
  }

  /** For the doctor: log in, get the broker's service ticket, and say who, which realm, until when. */
  async serviceTicket(host: string, serviceName: string): Promise<TicketInfo> {
    const service = `${serviceName}/${host}`;
    await this.ensureTickets();
    const gss = this.process();
    try {
      const { ctx } = await gss.call('init', { service: `${serviceName}@${host}`, principal: this.spec.principal });
      await gss.call('step', { ctx, token: '' });
      void gss.call('dispose', { ctx }).catch(() => undefined);
    } catch (e) {
      throw e instanceof CoreError ? e : kerberosErrorToCore(describeCause(e), this.errorContext(service));
    }
    const cache = await this.readCache();
    const tgt = cache ? ticketGrantingTicket(cache) : undefined;
    const principal = cache?.principal ?? this.spec.principal;
    const ticket = cache?.tickets.find((t) => t.server.startsWith(`${service}@`));
    return {
      principal,
      realm: principal.slice(principal.lastIndexOf('@') + 1),
      expires: tgt ? new Date(tgt.endTime).toISOString() : null,
      service: ticket?.server ?? service,
    };
  }

  close(): void {
    this.proc?.close();
    this.proc = null;
  }
}

/**
 * kinit's arguments for a password login into `cache`: `--` ends the options (kinit uses getopt), so a
 * principal is only ever a name — one that starts with '-' (the contract refuses those, but a
 * connection saved by an older version may hold one) cannot become -c, -X, -k, -V….
 */
export function kinitArgs(cache: string, principal: string): string[] {
  return ['-c', `FILE:${cache}`, '--', principal];
}

function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  // a principal typed without its realm matches the cache's full name
  return !b.includes('@') && a.startsWith(`${b}@`);
}

function findKinit(): string | null {
  const dirs = [
    ...(process.env.PATH ?? '').split(path.delimiter),
    '/usr/bin',
    '/usr/local/bin',
    '/opt/homebrew/opt/krb5/bin',
    '/usr/local/opt/krb5/bin',
  ];
  for (const d of dirs) {
    if (!d) continue;
    const p = path.join(d, 'kinit');
    if (existsSync(p)) return p;
  }
  return null;
}

const identities = new Map<string, KerberosIdentity>();

/** The identity for these settings: one per principal, credential source, files and cache. */
export function kerberosIdentity(spec: KerberosSpec, password: string): KerberosIdentity {
  const key = JSON.stringify([
    spec.principal,
    spec.credentials,
    spec.keytab?.path,
    spec.keytab?.sha256,
    spec.krb5Conf?.path,
    spec.krb5Conf?.sha256,
    spec.ticketCache,
    spec.ownCache,
    password,
  ]);
  let id = identities.get(key);
  if (!id) {
    // settings changed for the same cache: the old identity's process and tickets are stale
    for (const [k, other] of identities) {
      if (other.spec.ownCache === spec.ownCache) {
        other.close();
        identities.delete(k);
      }
    }
    id = new KerberosIdentity(spec, password);
    identities.set(key, id);
  }
  return id;
}

/** Stops every identity's helper process (on quit, and when a connection's files are deleted). */
export function closeKerberosIdentities(ownCacheDir?: string): void {
  for (const [k, id] of identities) {
    if (ownCacheDir === undefined || id.spec.ownCache.startsWith(ownCacheDir + path.sep)) {
      id.close();
      identities.delete(k);
    }
  }
}

/** SASL/GSSAPI exchanges completed by every identity (re-authentications included), for tests and the status bar. */
export function kerberosAuthentications(): number {
  let n = 0;
  for (const id of identities.values()) n += id.authentications;
  return n;
}
