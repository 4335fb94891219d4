import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createCore, KeyFileSecretBox } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import type { ChannelName } from '../../electron/contract';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureConnect } from '../infra/connect';
import { createTopic, kcatProduce, type ClusterInfo } from '../integration/support';
import { expect, settleTheme, test } from './fixtures';
import { seedConnection } from './pages/ClusterPages';

/**
 * Every screen, as a user meets it, at 1280×800 and 1440×900 in both themes: no text runs out of its
 * box, no control is cut off by its container or runs under the sidebar, the screen's primary button
 * is on screen, and axe-core finds no serious or critical accessibility violation (every control has
 * a name, contrast, roles). A failure names the screen, the size and theme, and the element.
 */

interface Screen {
  name: string;
  /** The address after `#`, given the connection id and the seeded names. */
  path: (s: Seeded) => string;
  /** A test id that is on screen once it has loaded. */
  ready: string;
  /** What the user does before looking (e.g. run the read). */
  act?: (page: Page) => Promise<void>;
  /** Buttons that must be inside the viewport (after `act`). */
  primary?: string[];
}

interface Seeded {
  id: string;
  topic: string;
  group: string;
  connectCluster: string;
  captureId: number;
}

const SCREENS: Screen[] = [
  { name: 'connections', path: () => '/connections', ready: 'connections-table' },
  { name: 'connection-new', path: () => '/connections/new', ready: 'connection-editor', primary: ['connection-save'] },
  {
    name: 'connection-edit',
    path: (s) => `/connections/${s.id}/edit`,
    ready: 'connection-editor',
    primary: ['connection-save'],
  },
  { name: 'cluster', path: (s) => `/connections/${s.id}/cluster`, ready: 'cluster-view' },
  {
    name: 'broker-configs',
    path: (s) => `/connections/${s.id}/brokers/1/configs`,
    ready: 'broker-configs-table',
    primary: ['broker-config-add'],
  },
  {
    name: 'cluster-default-configs',
    path: (s) => `/connections/${s.id}/brokers/default/configs`,
    ready: 'broker-configs-table',
    primary: ['broker-config-add'],
  },
  { name: 'topics', path: (s) => `/connections/${s.id}/topics`, ready: 'topics-table' },
  { name: 'topic', path: (s) => `/connections/${s.id}/topics/${encodeURIComponent(s.topic)}`, ready: 'topic-title' },
  { name: 'groups', path: (s) => `/connections/${s.id}/groups`, ready: 'groups-view' },
  { name: 'group', path: (s) => `/connections/${s.id}/groups/${encodeURIComponent(s.group)}`, ready: 'group-title' },
  // the single broker has no authorizer: the screen's empty state says so
  { name: 'acls', path: (s) => `/connections/${s.id}/acls`, ready: 'acls-no-authorizer' },
  { name: 'users', path: (s) => `/connections/${s.id}/users`, ready: 'users-table', primary: ['user-create'] },
  {
    name: 'quotas',
    path: (s) => `/connections/${s.id}/users?tab=quotas`,
    ready: 'quotas-table',
    primary: ['quota-add'],
  },
  { name: 'transactions', path: (s) => `/connections/${s.id}/transactions`, ready: 'transactions-table' },
  { name: 'produce', path: (s) => `/connections/${s.id}/produce`, ready: 'produce-view', primary: ['produce-send'] },
  {
    name: 'consume',
    path: (s) => `/connections/${s.id}/consume?topic=${encodeURIComponent(s.topic)}`,
    ready: 'consume-view',
    act: async (page) => {
      await page.getByTestId('consume-run').click();
      await expect(page.getByTestId('consume-summary')).toContainText('reached the end');
    },
    primary: ['consume-run'],
  },
  { name: 'listen', path: (s) => `/connections/${s.id}/listen`, ready: 'listen-view', primary: ['listen-start'] },
  { name: 'commit', path: (s) => `/connections/${s.id}/commit`, ready: 'commit-view' },
  { name: 'connect', path: (s) => `/connections/${s.id}/connect`, ready: 'connect-view' },
  {
    name: 'schemas',
    path: (s) => `/connections/${s.id}/schemas`,
    ready: 'registry-empty',
    primary: ['registry-setup'],
  },
  {
    name: 'connector-new',
    path: (s) => `/connections/${s.id}/connect/${s.connectCluster}/new`,
    ready: 'connector-edit-name',
    primary: ['connector-edit-save'],
  },
  { name: 'presets', path: () => '/presets', ready: 'presets-view' },
  { name: 'captures', path: () => '/captures', ready: 'captures-view' },
  { name: 'capture', path: (s) => `/captures/${s.captureId}`, ready: 'capture-title' },
];

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
] as const;

async function seed(dataDir: string, kafka: ClusterInfo, connectUrl: string): Promise<Seeded> {
  const run = Date.now();
  const name = 'Local cluster with a long name for the sidebar';
  const id = await seedConnection(dataDir, {
    name,
    color: 'green',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const core = createCore({ host: 'web', dataDir, version: 'ui-test', secrets: new KeyFileSecretBox(dataDir) });
  const call = async <T>(channel: ChannelName, input: unknown): Promise<T> => {
    const r = await dispatch(core.handlers, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as T;
  };
  const topic = `ui-layout-${run}`;
  const group = `ui-layout-group-${run}`;
  await createTopic(kafka, topic, 2);
  await kcatProduce(kafka.listeners.plaintext, topic, [
    '{"id":1,"customer":"a very long customer name that runs well past the value column of the table","total":12.5}',
    'plain text value',
    '{"id":3}',
  ]);
  await call('operations.commit', { id, groupId: group, topic, offsets: [{ partition: 0, offset: '1' }] });
  const cluster = await call<{ id: string }>('connect.saveCluster', {
    connectionId: id,
    name: 'Local Connect',
    urls: [connectUrl],
  });
  const sample = await call<{ id: number }>('captures.openSample', {});
  await call('presets.save', {
    name: 'Send a greeting to the layout topic',
    folder: 'checks',
    connectionName: name,
    operation: { kind: 'produce', input: { topic, messages: [{ key: 'k', value: 'hello' }] } },
  });
  return { id, topic, group, connectCluster: cluster.id, captureId: sample.id };
}

// evaluated, not added as a script tag: the app's Content Security Policy allows no inline script
const probe = readFileSync(path.resolve('e2e/ui/layoutProbe.browser.js'), 'utf8');
/** Problems a user would see, measured in the page: overflowing text, clipped controls, content under the sidebar. */
async function layoutProblems(page: Page): Promise<string[]> {
  return (await page.evaluate(`${probe}\nwindow.__layoutProblems()`)) as string[];
}

test.describe('layout and accessibility of every screen', () => {
  for (const screen of SCREENS) {
    test(`${screen.name}: nothing clipped or overflowing at 1280 and 1440 in both themes; no serious axe violations`, async ({
      page,
      app,
      kafka,
    }) => {
      test.setTimeout(120_000);
      const info = await ensureConnect();
      const s = await seed(app.dataDir, kafka, info.url);
      await page.goto(app.url);
      const found: string[] = [];
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await page.goto(`${app.origin}/#${screen.path(s)}`);
        await page.getByTestId(screen.ready).first().waitFor();
        if (screen.act) await screen.act(page);
        // a drawer or modal slides in: measure it where it stands
        for (const sliding of await page.locator('.n-drawer').all())
          await expect(sliding).toHaveCSS('transform', 'none');
        for (const theme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: theme });
          await settleTheme(page, theme);
          const where = `${screen.name} at ${size.width}×${size.height}, ${theme}`;
          for (const p of await layoutProblems(page)) found.push(`${where}: ${p}`);
          for (const id of screen.primary ?? []) {
            const box = await page.getByTestId(id).first().boundingBox();
            if (!box || box.y + box.height > size.height || box.x + box.width > size.width || box.y < 0)
              found.push(`${where}: the primary button ${id} is outside the window`);
          }
          const axe = await new AxeBuilder({ page })
            .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
            .exclude('.monaco-editor')
            .analyze();
          for (const v of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
            found.push(
              `${where}: axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes
                .slice(0, 12)
                .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`)
                .join(' | ')}`,
            );
          }
        }
      }
      await page.emulateMedia({ colorScheme: 'light' });
      expect(found, found.join('\n')).toEqual([]);
    });
  }
});
