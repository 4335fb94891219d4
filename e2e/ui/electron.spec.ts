import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/** The Electron shell: where the binary is installed, open the window and read app.info through the preload. */
const electronDir = path.resolve('node_modules/electron');
const pathTxt = path.join(electronDir, 'path.txt');
const binary = existsSync(pathTxt) ? path.join(electronDir, 'dist', readFileSync(pathTxt, 'utf8').trim()) : null;
const installed = binary !== null && existsSync(binary);
if (!installed) console.log('skipped: Electron binary not installed');

test('the Electron window opens and answers app.info through window.kafkaDesk', async () => {
  test.skip(!installed, 'skipped: Electron binary not installed');
  const app = await electron.launch({
    executablePath: binary!,
    args: ['--no-sandbox', path.resolve('out/main/index.cjs')],
  });
  try {
    const win = await app.firstWindow();
    const info = await win.evaluate(() =>
      (globalThis as unknown as { kafkaDesk: { app: { info(): Promise<unknown> } } }).kafkaDesk.app.info(),
    );
    expect(info).toMatchObject({ ok: true, value: { name: 'Kafka Desk', host: 'electron' } });
    const exposed = await win.evaluate(() =>
      Object.keys((globalThis as unknown as { kafkaDesk: object }).kafkaDesk).sort(),
    );
    expect(exposed).toEqual(['app', 'cluster', 'connections', 'on', 'topics']);
    expect(await win.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
  } finally {
    await app.close();
  }
});
