import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GssProcess, nodeHelperLauncher, setHelperLauncher, type HelperChild } from './gssProcess';

// the real spawn, watched: the Electron case must not start any process
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  return { ...actual, spawn: vi.fn(actual.spawn) };
});

/** Whether the kerberos addon (built by npm ci against libkrb5) loads here; the real-helper tests need it. */
const kerberosLoads = (() => {
  try {
    createRequire(`${process.cwd()}/`)('kerberos');
    return true;
  } catch {
    return false;
  }
})();
if (!kerberosLoads)
  console.log(
    'skipped: the real Kerberos helper test — the kerberos addon does not load here (npm ci builds it against libkrb5-dev)',
  );

/** A tmp name no krb5 cache exists at: the helper's environment must reach krb5 for the error to name it. */
const cache = `FILE:/nonexistent/kafka-desk-test-${process.pid}/krb5cc`;
const env = { KRB5_CONFIG: '/nonexistent/krb5.conf', KRB5CCNAME: cache };

/** Pretends to be Electron's main process for the length of `run`. */
async function asElectron<T>(run: () => Promise<T>): Promise<T> {
  Object.defineProperty(process.versions, 'electron', { value: '38.8.6', configurable: true, enumerable: true });
  try {
    return await run();
  } finally {
    delete (process.versions as Record<string, string | undefined>).electron;
  }
}

const started: GssProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) p.close();
  setHelperLauncher(null);
  vi.mocked(spawn).mockClear();
});
function gss(...args: ConstructorParameters<typeof GssProcess>): GssProcess {
  const p = new GssProcess(...args);
  started.push(p);
  return p;
}

describe('the Kerberos helper under Node (the default launcher)', () => {
  it.skipIf(!kerberosLoads)(
    'starts as a Node child, answers GSS calls with Kerberos errors, and keeps running',
    async () => {
      const p = gss(env);
      // an empty service name is refused by GSS itself: an answer from the addon, not a crash
      await expect(p.call('init', { service: '' })).rejects.toThrow(/invalid name/i);
      expect(p.alive).toBe(true);
      const { ctx } = await p.call('init', { service: 'kafka@broker.invalid' });
      expect(ctx).toEqual(expect.any(Number));
      // the first step looks for tickets in the cache the environment names: the helper has that environment
      await expect(p.call('step', { ctx, token: '' })).rejects.toThrow(
        `No Kerberos credentials available (default cache: ${cache})`,
      );
      await expect(p.call('dispose', { ctx })).resolves.toMatchObject({ ok: true });
      await expect(p.call('step', { ctx, token: '' })).rejects.toThrow('no such GSS context');
      expect(p.alive).toBe(true);
      // a plain Node child: nothing asks it to run as Node any more (the RunAsNode fuse is off in the app)
      expect(spawn).toHaveBeenCalledTimes(1);
      const [file, argv, options] = vi.mocked(spawn).mock.calls[0]! as unknown as [
        string,
        string[],
        { env: Record<string, string | undefined> },
      ];
      expect(file).toBe(process.execPath);
      expect(argv[0]).toBe('-e');
      expect(options.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
      expect(options.env.KRB5CCNAME).toBe(cache);
    },
  );

  it('says the kerberos module could not be loaded when the helper cannot load it', async () => {
    const p = gss(env, (e) => nodeHelperLauncher(e, '/nonexistent/kerberos/index.js'));
    await expect(p.call('init', { service: 'kafka@broker.invalid' })).rejects.toMatchObject({
      code: 'KERBEROS_UNAVAILABLE',
      message: 'Kerberos (GSSAPI) is not available: the kerberos module of this installation could not be loaded.',
      detail: expect.stringContaining('/nonexistent/kerberos/index.js'),
    });
  });
});

describe('the Kerberos helper under Electron', () => {
  it('refuses, without starting the Electron binary as a child, when the host registered no launcher', async () => {
    await asElectron(async () => {
      const p = gss(env);
      await expect(p.call('init', { service: 'kafka@broker.invalid' })).rejects.toMatchObject({
        code: 'KERBEROS_UNAVAILABLE',
      });
      expect(p.alive).toBe(false);
    });
    expect(spawn).not.toHaveBeenCalled();
  });

  it("uses the host's launcher: its environment and the kerberos module path, its messages, its exit", async () => {
    const launched: { env: Record<string, string | undefined>; modulePath: string }[] = [];
    const fake = fakeChild();
    setHelperLauncher((e, modulePath) => {
      launched.push({ env: e, modulePath });
      return fake.child;
    });
    await asElectron(async () => {
      const p = gss(env);
      expect(launched).toHaveLength(1);
      expect(launched[0]!.env).toMatchObject(env);
      expect(launched[0]!.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
      expect(launched[0]!.modulePath).toMatch(/kerberos/);
      fake.emit({ ready: true });
      const reply = p.call('init', { service: 'kafka@b1' });
      await flush();
      expect(fake.sent).toEqual([{ id: 1, op: 'init', service: 'kafka@b1' }]);
      fake.emit({ id: 1, ok: true, ctx: 7 });
      await expect(reply).resolves.toMatchObject({ ctx: 7 });
      const failing = p.call('step', { ctx: 7, token: '' });
      await flush();
      expect(fake.sent).toHaveLength(2);
      fake.emit({ id: 2, ok: false, message: 'Clock skew too great' });
      await expect(failing).rejects.toThrow('Clock skew too great');
      const waiting = p.call('step', { ctx: 7, token: '' });
      await flush();
      expect(fake.sent).toHaveLength(3);
      fake.exit(1, null);
      await expect(waiting).rejects.toThrow('the Kerberos helper process stopped (1)');
      expect(p.alive).toBe(false);
      p.close();
      expect(fake.killed()).toBe(false);
    });
    expect(spawn).not.toHaveBeenCalled();
  });

  it('stops a helper that says it could not load the kerberos module', async () => {
    const fake = fakeChild();
    const p = gss(env, () => fake.child);
    fake.emit({ ready: false, message: 'libgssapi_krb5.so.2: cannot open shared object file' });
    await expect(p.call('init', { service: 'kafka@b1' })).rejects.toMatchObject({
      code: 'KERBEROS_UNAVAILABLE',
      message: expect.stringContaining('no MIT Kerberos library'),
    });
    expect(fake.killed()).toBe(true);
    expect(fake.sent).toEqual([]);
  });
});

describe('the Kerberos helper and a command-line run', () => {
  it('is held while a call waits for it to start or to answer, and let go when idle', async () => {
    const fake = fakeChild();
    const held: boolean[] = [];
    const child: HelperChild = { ...fake.child, ref: () => void held.push(true), unref: () => void held.push(false) };
    const p = gss(env, () => child);
    // a helper nobody is waiting for never keeps the CLI alive
    expect(held.at(-1)).toBe(false);
    // the only work of a run (e.g. a ticket check before any broker socket exists) must not end while the helper starts
    const reply = p.call('init', { service: 'kafka@b1' });
    expect(held.at(-1)).toBe(true);
    fake.emit({ ready: true });
    await flush();
    expect(fake.sent).toHaveLength(1);
    expect(held.at(-1)).toBe(true);
    fake.emit({ id: 1, ok: true, ctx: 1 });
    await reply;
    expect(held.at(-1)).toBe(false);
  });
});

/** Lets GssProcess's awaits run (its call waits for `ready` before sending). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A helper that is not a process: what GssProcess sends is kept, what it receives is emitted by the test. */
function fakeChild() {
  const listeners: ((m: unknown) => void)[] = [];
  const exits: ((code: number | null, signal: string | null) => void)[] = [];
  const sent: Record<string, unknown>[] = [];
  let killed = false;
  const child: HelperChild = {
    send: (m) => void sent.push(m),
    onMessage: (f) => void listeners.push(f),
    onExit: (f) => void exits.push(f),
    onError: () => undefined,
    stderr: null,
    kill: () => void (killed = true),
  };
  return {
    child,
    sent,
    emit: (m: unknown) => listeners.forEach((f) => f(m)),
    exit: (code: number | null, signal: string | null) => exits.forEach((f) => f(code, signal)),
    killed: () => killed,
  };
}
