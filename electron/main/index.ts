import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BrowserWindow, app, ipcMain, nativeTheme, net, protocol, safeStorage, shell } from 'electron';
import { createCore, KeyFileSecretBox, type SecretBox } from '../core';
import { contentSecurityPolicy } from './csp';
import { APP_ORIGIN, bindIpc, forwardEvents, isAppUrl } from './ipc';
import { SafeStorageSecretBox } from './safeStorageBox';

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

function chooseSecretBox(dataDir: string): SecretBox {
  if (safeStorage.isEncryptionAvailable()) return new SafeStorageSecretBox(safeStorage);
  // No OS keychain (e.g. Linux without a secret service): an explicit 0600 key file, never a built-in key.
  return new KeyFileSecretBox(dataDir);
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
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

app.enableSandbox();
app.whenReady().then(() => {
  protocol.handle('app', serveRenderer);
  void net; // the renderer loads nothing remote
  const dataDir = app.getPath('userData');
  // packaged: electron-builder's extraResources; from the repository: resources/ beside out/
  const resourcesDir = app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(__dirname, '..', '..', 'resources');
  const core = createCore({ host: 'electron', dataDir, version: app.getVersion(), secrets: chooseSecretBox(dataDir), resourcesDir });
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

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
