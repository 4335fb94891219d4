import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BrowserWindow,
  app,
  ipcMain,
  nativeTheme,
  net,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
  type WebContents,
} from 'electron';
import { createCore, KeyFileSecretBox, type SecretBox } from '../core';
import { setHelperLauncher, type HelperChild } from '../core/kerberos/gssProcess';
import type { SecretStorageInfo } from '../contract';
import { contentSecurityPolicy } from './csp';
import { allowedExternalUrl } from './externalLinks';
import { APP_ORIGIN, bindIpc, forwardEvents, isAppUrl } from './ipc';
import { hardenSession } from './permissions';
import { chooseSecretStorage, SafeStorageSecretBox } from './safeStorageBox';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const rendererDir = path.join(__dirname, '..', 'renderer');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ttf': 'font/ttf',
};

async function serveRenderer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  const file = path.resolve(rendererDir, '.' + rel);
  if (!file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': contentSecurityPolicy(),
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

/** After `ready` (Linux names its safeStorage backend only then). The decision and its words: safeStorageBox.ts. */
function chooseSecretBox(dataDir: string): { secrets: SecretBox; secretStorage: SecretStorageInfo } {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  const secretStorage = chooseSecretStorage(process.platform, safeStorage.isEncryptionAvailable(), backend);
  // No OS keychain (Linux without a secret service, or basic_text): an explicit 0600 key file, never a built-in key.
  const secrets =
    secretStorage.kind === 'keychain' ? new SafeStorageSecretBox(safeStorage) : new KeyFileSecretBox(dataDir);
  return { secrets, secretStorage };
}

/**
 * The Kerberos helper as a utility process (out/main/gss-helper.cjs, electron/main/gssHelper.ts): the
 * RunAsNode fuse is off, so the app's binary cannot be started as Node (gssProcess.ts refuses to).
 */
function utilityProcessHelper(env: Record<string, string | undefined>, kerberosModulePath: string): HelperChild {
  const defined: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) defined[k] = v;
  const child = utilityProcess.fork(path.join(__dirname, 'gss-helper.cjs'), [kerberosModulePath], {
    env: defined,
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: 'Kafka Desk Kerberos',
  });
  return {
    send: (m) => child.postMessage(m),
    onMessage: (f) => void child.on('message', f),
    // a utility process reports an exit code only (a signal shows as its code)
    onExit: (f) => void child.once('exit', (code) => f(code, null)),
    onError: (f) =>
      void child.on('error', (type, location) =>
        f(new Error(`the Kerberos helper process failed (${type} at ${location})`)),
      ),
    stderr: child.stderr,
    kill: () => void child.kill(),
  };
}

/** Opens an allowed documentation link in the system browser; anything else is dropped. */
function openExternalLink(url: string): void {
  const allowed = allowedExternalUrl(url);
  if (allowed) void shell.openExternal(allowed);
}

/**
 * Every web contents (the window, and anything it might create): no navigation away from our pages,
 * no new windows (an allowed link opens in the browser), no <webview>, and no permissions for its session.
 */
function guardWebContents(contents: WebContents): void {
  hardenSession(contents.session);
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url);
    return { action: 'deny' };
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Kafka Desk',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#18181c' : '#ffffff',
    webPreferences: {
      preload: path.join(__dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // its web contents were guarded by 'web-contents-created' (guardWebContents) as the window was made
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

app.enableSandbox();
app.whenReady().then(() => {
  hardenSession(session.defaultSession);
  setHelperLauncher(utilityProcessHelper);
  protocol.handle('app', serveRenderer);
  void net; // the renderer loads nothing remote
  const dataDir = app.getPath('userData');
  // packaged: electron-builder's extraResources; from the repository: resources/ beside out/
  const resourcesDir = app.isPackaged
    ? path.join(process.resourcesPath, 'resources')
    : path.join(__dirname, '..', '..', 'resources');
  const core = createCore({
    host: 'electron',
    dataDir,
    version: app.getVersion(),
    ...chooseSecretBox(dataDir),
    resourcesDir,
  });
  bindIpc(ipcMain, core);
  const win = createWindow();
  forwardEvents(core, (channel, payload) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(channel, payload);
  });
  // a Listen still running when the app quits: close its consumer and remove its throwaway group
  app.on('before-quit', () => {
    core.operations.cancelAll();
    void core.listens.stopAll();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  void win;
});

app.on('web-contents-created', (_e, contents) => guardWebContents(contents));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
