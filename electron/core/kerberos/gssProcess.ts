import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { CoreError } from '../coreError';

/**
 * The process a Kerberos identity's GSS calls run in. krb5 reads `KRB5_CONFIG`, `KRB5CCNAME` and
 * `KRB5_CLIENT_KTNAME` from the process environment, and the `kerberos` addon runs its calls on
 * libuv's thread pool, so two identities in one process would see each other's files. Each identity
 * gets a Node child of its own (Electron's binary runs as Node with ELECTRON_RUN_AS_NODE) with its
 * environment, talking JSON over the IPC channel. The script is plain CommonJS so it runs unbundled.
 */
const WORKER = String.raw`(() => {
let kerberos;
try { kerberos = require(process.argv[1]); } catch (e) {
  process.send({ ready: false, message: String((e && e.message) || e) }, () => process.exit(3));
  return;
}
const contexts = new Map();
let next = 1;
process.on('message', async (m) => {
  try {
    let r = {};
    if (m.op === 'init') {
      const c = await kerberos.initializeClient(m.service, m.principal ? { principal: m.principal } : {});
      contexts.set(next, c);
      r = { ctx: next++ };
    } else {
      const c = contexts.get(m.ctx);
      if (!c) throw new Error('no such GSS context');
      if (m.op === 'step') {
        const response = await c.step(m.token);
        r = { token: response || '', complete: !!c.contextComplete };
      } else if (m.op === 'unwrap') r = { data: await c.unwrap(m.token) };
      else if (m.op === 'wrap') r = { token: await c.wrap(m.data) };
      else if (m.op === 'dispose') contexts.delete(m.ctx);
    }
    process.send({ id: m.id, ok: true, ...r });
  } catch (e) {
    process.send({ id: m.id, ok: false, message: String((e && e.message) || e) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
})();
`;

function kerberosModulePath(): string {
  // bundled hosts are CommonJS (require exists); under the test runner the module is resolved from the project
  const req = typeof require === 'function' ? require : createRequire(`${process.cwd()}/`);
  return req.resolve('kerberos');
}

type Reply = { id: number; ok: true; [k: string]: unknown } | { id: number; ok: false; message: string };
type Pending = { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void };

export class GssLibraryMissing extends CoreError {}

export class GssProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private exited = false;
  private readonly ready: Promise<void>;
  private stderr = '';

  constructor(env: Record<string, string | undefined>) {
    let modulePath: string;
    try {
      modulePath = kerberosModulePath();
    } catch (e) {
      this.ready = Promise.reject(libraryMissing(String(e)));
      this.ready.catch(() => undefined);
      this.child = null as unknown as ChildProcess;
      this.exited = true;
      return;
    }
    this.child = spawn(process.execPath, ['-e', WORKER, modulePath], {
      env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.child.once('message', (m: { ready?: boolean; message?: string }) => {
        if (m.ready) resolve();
        else reject(libraryMissing(m.message ?? 'unknown'));
      });
      this.child.once('error', (e) => reject(libraryMissing(e.message)));
      this.child.once('exit', (code) => reject(libraryMissing(`the Kerberos helper process exited (${code}) ${this.stderr}`)));
    });
    this.ready.catch(() => undefined);
    this.child.on('message', (m: Reply | { ready: boolean }) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.idle();
      if (m.ok) p.resolve(m);
      else p.reject(new Error(m.message));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`the Kerberos helper process stopped (${signal ?? code}) ${this.stderr}`));
      this.pending.clear();
    });
    this.idle();
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** The helper never keeps a command-line run alive on its own; it does while a call is waiting. */
  private idle(): void {
    // the stderr pipe is a handle too (a net.Socket)
    const stderr = this.child.stderr as (NodeJS.ReadableStream & { ref?: () => void; unref?: () => void }) | null;
    if (this.pending.size > 0) {
      this.child.ref();
      this.child.channel?.ref();
      stderr?.ref?.();
    } else {
      this.child.unref();
      this.child.channel?.unref();
      stderr?.unref?.();
    }
  }

  async call(op: 'init' | 'step' | 'unwrap' | 'wrap' | 'dispose', args: Record<string, unknown>): Promise<Record<string, unknown>> {
    await this.ready;
    if (this.exited) throw new Error(`the Kerberos helper process stopped ${this.stderr}`);
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.idle();
      this.child.send({ id, op, ...args });
    });
  }

  close(): void {
    if (!this.exited) this.child.kill();
  }
}

function libraryMissing(cause: string): CoreError {
  return new GssLibraryMissing(
    'KERBEROS_UNAVAILABLE',
    /libgssapi|libkrb5|cannot open shared object/i.test(cause)
      ? "Kerberos (GSSAPI) is not available: this system has no MIT Kerberos library (Debian / Ubuntu: apt install libgssapi-krb5-2; Fedora: krb5-libs)."
      : 'Kerberos (GSSAPI) is not available: the kerberos module of this installation could not be loaded.',
    cause,
  );
}
