import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChannelName, ConnectionInput } from '../../electron/contract';
import { createCore, KeyFileSecretBox } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { settleTheme, shotsDir } from './fixtures';

/** Set-up the schema specs share: the local broker's connection, the data folder's core, the registry's REST API, and a look at a screen. */

/** A connection to the test broker, as a user would save it (`extra`: production, read-only, …). */
export const localConnection = (
  kafka: { listeners: { plaintext: string } },
  extra: Partial<ConnectionInput> = {},
): ConnectionInput => ({
  name: 'Local',
  color: 'blue',
  bootstrapServers: [kafka.listeners.plaintext],
  sasl: { mechanism: 'none' },
  tls: { enabled: false },
  ...extra,
});

/** The core of the data folder the browser-mode server uses, for set-up that is not under test. */
export function coreOf(dataDir: string) {
  const core = createCore({ host: 'web', dataDir, version: 'ui-test', secrets: new KeyFileSecretBox(dataDir) });
  return async <T>(channel: ChannelName, input: unknown): Promise<T> => {
    const r = await dispatch(core.handlers, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as T;
  };
}

/** Registers a schema straight at the registry (set-up, as a producer's build would); answers its id. */
export async function registerRest(
  url: string,
  subject: string,
  schema: string,
  auth?: { username: string; password: string },
): Promise<number> {
  const r = await fetch(`${url}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/vnd.schemaregistry.v1+json',
      ...(auth
        ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
        : {}),
    },
    body: JSON.stringify({ schema }),
  });
  if (!r.ok) throw new Error(`registering ${subject}: HTTP ${r.status} ${await r.text()}`);
  return ((await r.json()) as { id: number }).id;
}

// evaluated, not added as a script tag: the app's Content Security Policy allows no inline script
const probe = readFileSync(path.resolve('e2e/ui/layoutProbe.browser.js'), 'utf8');

/**
 * Screenshots at 1280 and 1440 wide, light and dark (`<prefix>-<name>-<width>-<theme>.png`), each
 * also measured: no text out of its box, nothing clipped, no serious axe violation outside `exclude`
 * (selectors of what is not the screen's own). Answers the problems found, each naming where.
 */
export async function look(page: Page, prefix: string, name: string, exclude: string[] = []): Promise<string[]> {
  const found: string[] = [];
  for (const width of [1280, 1440]) {
    for (const theme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: theme });
      await settleTheme(page, theme);
      await page.screenshot({ path: path.join(shotsDir, `${prefix}-${name}-${width}-${theme}.png`) });
      const where = `${name} at ${width}, ${theme}`;
      for (const p of (await page.evaluate(`${probe}\nwindow.__layoutProblems()`)) as string[])
        found.push(`${where}: ${p}`);
      let axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
      for (const x of exclude) axe = axe.exclude(x);
      for (const v of (await axe.analyze()).violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
        found.push(`${where}: axe ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await settleTheme(page, 'light');
  await page.setViewportSize({ width: 1280, height: 800 });
  return found;
}
