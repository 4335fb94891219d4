import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { createCore, KeyFileSecretBox } from '../../electron/core';
import { startWebServer, type RunningWebServer } from '../../electron/web/server';
import { readCluster, type ClusterInfo } from '../infra/kafka';

const rendererDir = path.resolve('out/renderer');

// every answer of the core is parsed against its channel's output schema while the UI tests run (dispatch.ts)
process.env.KAFKA_DESK_CHECK_REPLIES ??= '1';

/** Browser mode with a real core on a fresh data folder, and the live test broker's description. */
export const test = base.extend<{ app: RunningWebServer & { dataDir: string }; kafka: ClusterInfo }>({
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    if (!existsSync(path.join(rendererDir, 'index.html')))
      throw new Error('out/renderer is not built: run npm run build');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-ui-'));
    const core = createCore({ host: 'web', dataDir, version: 'ui-test', secrets: new KeyFileSecretBox(dataDir) });
    const server = await startWebServer({ core, rendererDir, port: 0 });
    await use({ ...server, dataDir });
    await server.close();
  },
  // eslint-disable-next-line no-empty-pattern
  kafka: async ({}, use) => {
    await use(await readCluster());
  },
});

export const expect = test.expect;
export const shotsDir = path.resolve('test-results/screenshots');

/** Naive UI fades colours on a theme change; wait until the page background is the chosen theme's. */
export async function settleTheme(page: import('@playwright/test').Page, theme: 'light' | 'dark'): Promise<void> {
  await expect(page.locator('.shell')).toHaveAttribute('data-theme', theme);
  await expect(page.locator('.shell')).toHaveCSS(
    'background-color',
    theme === 'dark' ? 'rgb(16, 16, 20)' : 'rgb(255, 255, 255)',
  );
  await expect(page.locator('body')).toHaveCSS(
    'color',
    theme === 'dark' ? 'rgba(255, 255, 255, 0.82)' : 'rgb(51, 54, 57)',
  );
}

/** Screenshots of what is on screen at 1280 and 1440 wide, light and dark (`<name>-<width>-<theme>.png`); back to 1280 light after. */
export async function screenshotsAt(page: import('@playwright/test').Page, name: string): Promise<void> {
  for (const width of [1280, 1440]) {
    for (const theme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: theme });
      await settleTheme(page, theme);
      await page.screenshot({ path: path.join(shotsDir, `${name}-${width}-${theme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await settleTheme(page, 'light');
  await page.setViewportSize({ width: 1280, height: 800 });
}
