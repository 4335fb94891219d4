/** How the helper talks to its parent: Node's IPC channel (process.send) or Electron's parentPort. */
export interface GssWorkerIo {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The parent went away; a helper that cannot tell (a utility process ends with the app) never calls it. */
  onDisconnect(listener: () => void): void;
}

/**
 * The Kerberos helper's whole program: loads the `kerberos` addon from `kerberosModulePath`, says
 * `{ ready }`, then answers `{ id, op: init | step | unwrap | wrap | dispose, … }` with
 * `{ id, ok: true, … }` or `{ id, ok: false, message }`.
 *
 * It closes over nothing (no imports, no module-level names; the types are erased): the Node helper
 * runs it from its source text (`gssWorkerMain.toString()` under `node -e`), the Electron helper from
 * the gss-helper bundle, so it is the same code in both. Keep it that way: a reference to anything
 * outside this function works in the bundle and breaks in the Node helper.
 */
export function gssWorkerMain(kerberosModulePath: string, io: GssWorkerIo): void {
  interface GssClient {
    contextComplete: boolean;
    step(token: string): Promise<string | null>;
    unwrap(token: string): Promise<string>;
    wrap(data: string): Promise<string>;
  }
  interface KerberosModule {
    initializeClient(service: string, options: { principal?: string }): Promise<GssClient>;
  }
  interface Request {
    id: number;
    op: 'init' | 'step' | 'unwrap' | 'wrap' | 'dispose';
    service?: string;
    principal?: string;
    ctx?: number;
    token?: string;
    data?: string;
  }
  const text = (e: unknown): string => String((e instanceof Error && e.message) || e);

  let kerberos: KerberosModule;
  try {
    // a path the parent resolved: the addon is never bundled, and require is the only loader that
    // both a `node -e` script and a CommonJS bundle have
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    kerberos = require(kerberosModulePath) as KerberosModule;
  } catch (e) {
    // nothing else is listened to, so a Node helper ends once this is sent; the parent stops it too
    io.send({ ready: false, message: text(e) });
    return;
  }
  const contexts = new Map<number, GssClient>();
  let next = 1;
  io.onMessage(async (raw) => {
    const m = raw as Request;
    try {
      let r: Record<string, unknown> = {};
      if (m.op === 'init') {
        const c = await kerberos.initializeClient(m.service ?? '', m.principal ? { principal: m.principal } : {});
        contexts.set(next, c);
        r = { ctx: next++ };
      } else {
        const c = contexts.get(m.ctx ?? 0);
        if (!c) throw new Error('no such GSS context');
        if (m.op === 'step') {
          const response = await c.step(m.token ?? '');
          r = { token: response || '', complete: !!c.contextComplete };
        } else if (m.op === 'unwrap') r = { data: await c.unwrap(m.token ?? '') };
        else if (m.op === 'wrap') r = { token: await c.wrap(m.data ?? '') };
        else if (m.op === 'dispose') contexts.delete(m.ctx ?? 0);
      }
      io.send({ id: m.id, ok: true, ...r });
    } catch (e) {
      io.send({ id: m.id, ok: false, message: text(e) });
    }
  });
  io.onDisconnect(() => process.exit(0));
  io.send({ ready: true });
}
