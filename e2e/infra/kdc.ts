/**
 * A throw-away MIT Kerberos KDC for the test broker's GSSAPI listeners (Debian's krb5-kdc): a realm
 * created per run in `.dev-kafka/kdc/` on loopback TCP 17088, no system file touched. Principals:
 * the broker's `kafka/localhost` (keytab), `alice` (keytab) and `bob` (random password). Used by
 * brokerProcess.ts when the KDC tools are installed; without them the broker starts without GSSAPI.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const REALM = 'TEST.LOCAL';
export const KDC_PORT = 17088;

export interface KerberosInfo {
  realm: string;
  kdc: string;
  /** The run's krb5.conf (clients and the broker JVM use it). */
  krb5Conf: string;
  pid: number;
  broker: { principal: string; keytab: string };
  /** A client principal with a keytab, and one with a password. */
  keytabUser: { principal: string; keytab: string };
  passwordUser: { principal: string; password: string };
}

const TOOLS = ['krb5kdc', 'kdb5_util', 'kadmin.local'];
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

function tool(name: string): string | null {
  for (const dir of [...SBIN, ...(process.env.PATH ?? '').split(':')]) {
    const p = path.join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** Whether this machine can run the test KDC (Debian: krb5-kdc, krb5-admin-server). */
export function kerberosAvailable(): boolean {
  return TOOLS.every((t) => tool(t) !== null);
}

/** Creates the realm in `dir` (wiped first), starts krb5kdc, and writes the keytabs. */
export async function startKdc(dir: string, log: (s: string) => void): Promise<KerberosInfo> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const krb5Conf = path.join(dir, 'krb5.conf');
  const kdcConf = path.join(dir, 'kdc.conf');
  await writeFile(
    krb5Conf,
    `[libdefaults]
  default_realm = ${REALM}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  rdns = false
  udp_preference_limit = 1
  ticket_lifetime = 10h
  forwardable = true

[realms]
  ${REALM} = {
    kdc = 127.0.0.1:${KDC_PORT}
  }

[domain_realm]
  localhost = ${REALM}
  127.0.0.1 = ${REALM}
`,
  );
  await writeFile(
    kdcConf,
    `[kdcdefaults]
  kdc_ports = ${KDC_PORT}
  kdc_tcp_ports = ${KDC_PORT}

[realms]
  ${REALM} = {
    database_name = ${path.join(dir, 'principal')}
    key_stash_file = ${path.join(dir, 'stash')}
    acl_file = ${path.join(dir, 'kadm5.acl')}
    max_life = 10h 0m 0s
    max_renewable_life = 7d 0h 0m 0s
    # as Active Directory does: a client proves it knows its key before it gets a ticket
    default_principal_flags = +preauth
  }
`,
  );
  await writeFile(path.join(dir, 'kadm5.acl'), '');
  const env = { ...process.env, KRB5_CONFIG: krb5Conf, KRB5_KDC_PROFILE: kdcConf };
  const run = (name: string, args: string[]) => execFileAsync(tool(name)!, args, { env, cwd: dir });
  await run('kdb5_util', ['create', '-s', '-r', REALM, '-P', randomBytes(12).toString('hex')]);
  const password = randomBytes(9).toString('base64url');
  const broker = { principal: `kafka/localhost@${REALM}`, keytab: path.join(dir, 'kafka.keytab') };
  const keytabUser = { principal: `alice@${REALM}`, keytab: path.join(dir, 'alice.keytab') };
  for (const q of [
    `addprinc -randkey ${broker.principal}`,
    `addprinc -randkey ${keytabUser.principal}`,
    `addprinc -pw ${password} bob@${REALM}`,
    `ktadd -k ${broker.keytab} ${broker.principal}`,
    `ktadd -k ${keytabUser.keytab} ${keytabUser.principal}`,
  ]) {
    await run('kadmin.local', ['-r', REALM, '-q', q]);
  }
  const pid = await runKdcDaemon(dir, env);
  log(`KDC for ${REALM} on 127.0.0.1:${KDC_PORT} (pid ${pid})`);
  return {
    realm: REALM,
    kdc: `127.0.0.1:${KDC_PORT}`,
    krb5Conf,
    pid,
    broker,
    keytabUser,
    passwordUser: { principal: `bob@${REALM}`, password },
  };
}

/** Starts the realm's krb5kdc daemon (already created in `dir`) and returns its pid. */
async function runKdcDaemon(dir: string, env: NodeJS.ProcessEnv): Promise<number> {
  const pidFile = path.join(dir, 'krb5kdc.pid');
  await rm(pidFile, { force: true });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(tool('krb5kdc')!, ['-P', pidFile, '-r', REALM], { env, cwd: dir, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`krb5kdc exited with ${code}`))));
  });
  // krb5kdc's parent exits once it has forked; the daemon writes its pid file a moment later
  let pid = 0;
  for (let i = 0; i < 100 && !(pid > 0); i++) {
    pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (!(pid > 0)) await new Promise((r) => setTimeout(r, 50));
  }
  if (!(pid > 0)) throw new Error(`krb5kdc started but wrote no pid to ${pidFile}`);
  return pid;
}

/** Stops the realm's KDC (tests of an unreachable KDC); `startKdcAgain` brings it back with the same database. */
export async function stopKdc(kdcDir: string): Promise<void> {
  const pid = Number((await readFile(path.join(kdcDir, 'krb5kdc.pid'), 'utf8').catch(() => '')).trim());
  if (!(pid > 0)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(pid, 'SIGKILL');
}

/**
 * Starts the stopped KDC again. `clockOffset` (e.g. "+2h") runs it under libfaketime (Debian's
 * faketime package) so that its clock differs from this computer's: the clock-skew tests.
 */
export async function startKdcAgain(kdcDir: string, clockOffset?: string): Promise<number> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KRB5_CONFIG: path.join(kdcDir, 'krb5.conf'),
    KRB5_KDC_PROFILE: path.join(kdcDir, 'kdc.conf'),
  };
  if (clockOffset) {
    const lib = fakeTimeLibrary();
    if (!lib) throw new Error('libfaketime is not installed (Debian: apt install faketime)');
    env.LD_PRELOAD = lib;
    env.FAKETIME = clockOffset;
  }
  return runKdcDaemon(kdcDir, env);
}

/** Debian's libfaketime, when installed. */
export function fakeTimeLibrary(): string | null {
  for (const dir of [
    '/usr/lib/x86_64-linux-gnu/faketime',
    '/usr/lib/aarch64-linux-gnu/faketime',
    '/usr/lib/faketime',
  ]) {
    const p = path.join(dir, 'libfaketime.so.1');
    if (existsSync(p)) return p;
  }
  return null;
}
