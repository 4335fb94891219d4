import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { CoreError, describeCause } from '../coreError';
import { gssWorkerMain } from './gssWorker';

/**
 * The process a Kerberos identity's GSS calls run in. krb5 reads `KRB5_CONFIG`, `KRB5CCNAME` and
 * `KRB5_CLIENT_KTNAME` from the process environment, and the `kerberos` addon runs its calls on
 * libuv's thread pool, so two identities in one process would see each other's files. Each identity
 * gets a helper process of its own with its environment, running `gssWorkerMain` (gssWorker.ts).
 *
 * How the helper is started depends on the host, so it comes from a launcher: under Node (the CLI,
 * browser mode, tests) a Node child over the IPC channel; in the Electron app a utility process, which
 * the host registers with `setHelperLauncher` (the packaged app turns the RunAsNode fuse off, so its
 * binary can no longer be run as Node).
 */

export class GssLibraryMissing extends CoreError {}

/** A started helper, as GssProcess uses it (a Node ChildProcess or an Electron UtilityProcess behind it). */
export interface HelperChild {
  send(message: Record<string, unknown>): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the helper has ended (or could not start). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onError(listener: (error: Error) => void): void;
  /** The helper's stderr, quoted when it stops unexpectedly; null when the host does not pipe it. */
  readonly stderr: NodeJS.ReadableStream | null;
  kill(): void;
  /** Whether the helper keeps a command-line run alive; hosts whose event loop never ends leave them out. */
  ref?(): void;
  unref?(): void;
}

/** Starts a helper with this environment, running `gssWorkerMain(kerberosModulePath, …)`. May throw a CoreError to refuse. */
export type HelperLauncher = (env: Record<string, string | undefined>, kerberosModulePath: string) => HelperChild;

/** The helper script a Node child runs: the worker from its source text, talking over process.send. */
const NODE_HELPER_SCRIPT = `(${gssWorkerMain.toString()})(process.argv[1], {
  send: (m) => process.send(m),
  onMessage: (f) => process.on('message', f),
  onDisconnect: (f) => process.on('disconnect', f),
});`;

/**
 * The default launcher: `node -e <worker> <kerberos module path>`, with an IPC channel. Under Electron
 * `process.execPath` is the app itself, which would start a second copy of the app, not Node: that is
 * refused, and the Electron host registers its own launcher instead.
 */
export const nodeHelperLauncher: HelperLauncher = (env, kerberosModulePath) => {
  if (process.versions.electron) {
    throw new GssLibraryMissing(
      'KERBEROS_UNAVAILABLE',
      'Kerberos (GSSAPI) is not available: this build of the app has no way to start its Kerberos helper process.',
      'no helper launcher was registered under Electron (the Electron binary is never started as a Node child)',
    );
  }
  const child = spawn(process.execPath, ['-e', NODE_HELPER_SCRIPT, kerberosModulePath], {
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // the stderr pipe is a handle too (a net.Socket)
  const stderr = child.stderr as (NodeJS.ReadableStream & { ref?: () => void; unref?: () => void }) | null;
  return {
    send: (m) => void child.send(m),
    onMessage: (f) => void child.on('message', f),
    onExit: (f) => void child.once('exit', f),
    onError: (f) => void child.on('error', f),
    stderr,
    kill: () => void child.kill(),
    ref: () => {
      child.ref();
      child.channel?.ref();
      stderr?.ref?.();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
      stderr?.unref?.();
    },
  };
};

let registeredLauncher: HelperLauncher | null = null;

/** The host's way to start helpers (the Electron app: a utility process); null goes back to the default. */
export function setHelperLauncher(launcher: HelperLauncher | null): void {
  registeredLauncher = launcher;
}

function kerberosModulePath(): string {
  // bundled hosts are CommonJS (require exists); under the test runner the module is resolved from the project
  const req = typeof require === 'function' ? require : createRequire(`${process.cwd()}/`);
  return req.resolve('kerberos');
}

type Reply = { id: number; ok: true; [k: string]: unknown } | { id: number; ok: false; message: string };
type Pending = { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void };

export class GssProcess {
  private readonly child: HelperChild | null = null;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  /** Calls waiting for the helper to say it is ready: they keep it referenced too. */
  private starting = 0;
  private exited = false;
  private readonly ready: Promise<void>;
  private stderr = '';

  /** `launcher`: the one `setHelperLauncher` registered, else the Node one. */
  constructor(
    env: Record<string, string | undefined>,
    launcher: HelperLauncher = registeredLauncher ?? nodeHelperLauncher,
  ) {
    let child: HelperChild;
    try {
      child = launcher({ ...process.env, ...env }, kerberosModulePath());
    } catch (e) {
      this.ready = Promise.reject(e instanceof CoreError ? e : libraryMissing(describeCause(e)));
      this.ready.catch(() => undefined);
      this.exited = true;
      return;
    }
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
    let started = false;
    this.ready = new Promise<void>((resolve, reject) => {
      child.onMessage((m) => {
        if (started) return;
        started = true;
        const hello = m as { ready?: boolean; message?: string };
        if (hello.ready) return resolve();
        reject(libraryMissing(hello.message ?? 'unknown'));
        this.close();
      });
      child.onError((e) => reject(libraryMissing(e.message)));
      child.onExit((code) => reject(libraryMissing(`the Kerberos helper process exited (${code}) ${this.stderr}`)));
    });
    this.ready.catch(() => undefined);
    child.onMessage((raw) => {
      const m = raw as Reply | { ready: boolean };
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.idle();
      if (m.ok) p.resolve(m);
      else p.reject(new Error(m.message));
    });
    child.onExit((code, signal) => {
      this.exited = true;
      for (const p of this.pending.values())
        p.reject(new Error(`the Kerberos helper process stopped (${signal ?? code}) ${this.stderr}`));
      this.pending.clear();
    });
    this.idle();
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** The helper never keeps a command-line run alive on its own; it does while a call is waiting. */
  private idle(): void {
    if (this.pending.size > 0 || this.starting > 0) this.child?.ref?.();
    else this.child?.unref?.();
  }

  async call(
    op: 'init' | 'step' | 'unwrap' | 'wrap' | 'dispose',
    args: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    // a command-line run whose only work is this call must not end while the helper starts
    this.starting++;
    this.idle();
    try {
      await this.ready;
    } finally {
      this.starting--;
      this.idle();
    }
    const child = this.child;
    if (this.exited || !child) throw new Error(`the Kerberos helper process stopped ${this.stderr}`);
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.idle();
      try {
        child.send({ id, op, ...args });
      } catch (e) {
        this.pending.delete(id);
        this.idle();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  close(): void {
    if (!this.exited) this.child?.kill();
  }
}

function libraryMissing(cause: string): CoreError {
  return new GssLibraryMissing(
    'KERBEROS_UNAVAILABLE',
    /libgssapi|libkrb5|cannot open shared object/i.test(cause)
      ? 'Kerberos (GSSAPI) is not available: this system has no MIT Kerberos library (Debian / Ubuntu: apt install libgssapi-krb5-2; Fedora: krb5-libs).'
      : 'Kerberos (GSSAPI) is not available: the kerberos module of this installation could not be loaded.',
    cause,
  );
}
