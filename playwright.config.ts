import { defineConfig } from '@playwright/test';

/**
 * UI tests: the built renderer in Debian's Chromium through browser mode (e2e/ui/fixtures.ts starts
 * the real server and core per test), against the real broker from e2e/infra. `npx playwright
 * install` cannot download browsers here, so the system Chromium is used (CHROMIUM_PATH overrides).
 */
export default defineConfig({
  testDir: 'e2e/ui',
  outputDir: 'test-results/ui',
  globalSetup: './e2e/infra/globalSetup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
