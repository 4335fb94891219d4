import type { Locator, Page } from '@playwright/test';
import { seedConnection } from './pages/ClusterPages';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { expect, screenshotsAt, test } from './fixtures';

const local = (bootstrap: string, name = 'Local') => ({
  name,
  bootstrapServers: [bootstrap],
  sasl: { mechanism: 'none' as const },
  tls: { enabled: false },
});

/** Whether the element is wholly inside the visible part of its scrolling strip. */
async function wholeInView(el: Locator, strip: Locator): Promise<boolean> {
  const [a, b] = await Promise.all([el.boundingBox(), strip.boundingBox()]);
  return !!a && !!b && a.x >= b.x - 1 && a.x + a.width <= b.x + b.width + 1;
}

async function overviewShown(page: Page) {
  await expect(page.getByTestId('cluster-view')).toBeVisible();
}

test.describe('getting back to the connections list', () => {
  test('the sidebar has "All connections", and the brand leads there too', async ({ page, app, kafka }) => {
    const id = await seedConnection(app.dataDir, local(kafka.listeners.plaintext));
    await page.goto(`${app.url}#/connections/${id}/topics`);
    await page.getByTestId('topics-table').waitFor();
    await page.getByTestId('sidebar-all-connections').click();
    await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
    await expect(page.getByTestId('connection-row-Local')).toBeVisible();
    await expect(page.getByTestId('sidebar-all-connections')).toContainText('All connections');
    await screenshotsAt(page, 'sidebar-all-connections');

    await page.getByTestId('sidebar-connection-Local').click();
    await overviewShown(page);
    await page.getByTestId('brand-link').click();
    await expect(page.getByTestId('connection-row-Local')).toBeVisible();
  });

  test('Esc in the connection editor goes back where it was opened from: the overview, or the list', async ({
    page,
    app,
    kafka,
  }) => {
    const id = await seedConnection(app.dataDir, local(kafka.listeners.plaintext));
    await page.goto(`${app.url}#/connections/${id}/cluster`);
    await overviewShown(page);
    await page.getByRole('button', { name: 'Edit connection' }).click();
    const ui = new ConnectionsPage(page);
    await ui.editor.waitFor();
    await ui.drawerSettled();
    await ui.field('name').click();
    await page.keyboard.press('Escape');
    await expect(ui.editor).toBeHidden();
    await overviewShown(page);
    expect(page.url()).toContain(`#/connections/${id}/cluster`);

    await page.getByTestId('sidebar-all-connections').click();
    await page.getByTestId('connection-row-Local').getByRole('button', { name: 'Edit' }).click();
    await ui.editor.waitFor();
    await ui.drawerSettled();
    await page.keyboard.press('Escape');
    await expect(ui.editor).toBeHidden();
    await expect(page.getByTestId('connection-row-Local')).toBeVisible();
    expect(page.url()).toMatch(/#\/connections$/);
  });
});

test('more tabs than fit: a scroll cue at the edge, and the active tab scrolled into view', async ({
  page,
  app,
  kafka,
}) => {
  const id = await seedConnection(app.dataDir, local(kafka.listeners.plaintext, 'A connection with a long name'));
  await page.goto(`${app.url}#/connections/${id}/produce`);
  const strip = page.getByTestId('tab-strip');
  await expect(strip).toBeVisible();
  for (const screen of ['consume', 'listen', 'commit']) await page.goto(`${app.origin}/#/connections/${id}/${screen}`);
  for (let i = 1; i <= 8; i++) {
    await page.goto(`${app.origin}/#/connections/${id}/topics/orders-topic-with-a-long-name-${i}`);
    await page.getByTestId('topic-view').waitFor();
  }
  await expect(strip.getByTestId(/^open-tab-/)).toHaveCount(12);
  const active = strip.locator('[aria-current="page"]');
  await expect(active).toContainText('orders-topic-with-a-long-name-8');
  // the newest tab is shown whole; the cue says there are more to the left
  await expect.poll(() => wholeInView(active, strip)).toBe(true);
  await expect(page.getByTestId('tab-scroll-left')).toBeVisible();
  await expect(page.getByTestId('tab-scroll-right')).toBeHidden();
  await screenshotsAt(page, 'tab-strip-overflow');

  // back to the first screen: its tab comes into view
  await page.goto(`${app.origin}/#/connections/${id}/produce`);
  await expect(active).toContainText('Produce');
  await expect.poll(() => wholeInView(active, strip)).toBe(true);
  await expect(page.getByTestId('tab-scroll-right')).toBeVisible();
  await page.getByTestId('tab-scroll-right').click();
  await expect(page.getByTestId('tab-scroll-left')).toBeVisible();
});

test('the browser-mode address without its token says how to open the app', async ({ browser, app }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.origin}/`);
  const notice = page.getByTestId('token-needed');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Open Kafka Desk with its access address');
  await expect(notice).toContainText('npm run web');
  await expect(page.getByTestId('token-needed-address')).toHaveText(`${app.origin}/?token=…`);
  await expect(page.getByText('Saved connections could not be read')).toHaveCount(0);
  await screenshotsAt(page, 'browser-mode-no-token');

  // a stale token (a server started again): the list says the same, not "could not be read"
  await page.goto(`${app.origin}/?token=stale-token-of-an-earlier-run`);
  await expect(page.getByTestId('error-notice')).toContainText('Open Kafka Desk with the address it printed');
  await expect(page.getByTestId('error-message')).toContainText('npm run web');
  await context.close();
});
