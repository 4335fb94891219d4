import type { ParentPort } from 'electron';
import { gssWorkerMain } from '../core/kerberos/gssWorker';

/**
 * The Kerberos helper of the Electron app (out/main/gss-helper.cjs): a utility process the main process
 * forks per Kerberos identity (index.ts), since the packaged app cannot run its binary as Node. It runs
 * the same worker as the Node helper, over `process.parentPort`. A utility process's argv is
 * [executable, this script, ...fork args], so the kerberos module path the parent resolved is argv[2].
 */
const port: ParentPort | null | undefined = process.parentPort;
if (!port) throw new Error('gss-helper.cjs runs only as an Electron utility process (utilityProcess.fork).');

gssWorkerMain(process.argv[2] ?? '', {
  send: (m) => port.postMessage(m),
  onMessage: (f) => void port.on('message', (e) => f(e.data)),
  // a utility process has no disconnect: it is killed with the app, or by GssProcess.close
  onDisconnect: () => undefined,
});
