import type { Page } from '@playwright/test';
import type { ConfigsDescription, DescribedConfig } from '../../electron/contract';
import { expect, test } from './fixtures';
import { ClusterPages, seedConnection } from './pages/ClusterPages';
import { coreOf, localConnection, look } from './schemaSupport';

/**
 * Broker configs and sizes on disk in the window, against the real broker: a broker's configs with
 * where each value comes from and whether it can change, sensitive ones masked; a dynamic config
 * added, checked and removed (asked twice on production); the cluster-wide defaults; the topic
 * list's Size column and a topic's Disk tab. One harmless log-cleaner config is used and put back.
 */
const KEY = 'log.cleaner.backoff.ms';

/** Waits for the transitions in flight (a modal fading in) to end, so that a screenshot shows where things stand. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(
    'Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined)))',
  );
}
/** Naive UI's own modal header markup is left to axe's other runs. */
const MODAL = ['.n-card-header'];

const rows = (page: Page) => page.getByTestId('broker-configs-table').locator('.n-data-table-tbody .n-data-table-tr');

test('a broker’s configs: source and whether it can change, sensitive masked; a dynamic one added, checked and removed', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(180_000);
  const call = coreOf(app.dataDir);
  const id = await seedConnection(
    app.dataDir,
    localConnection(kafka, { name: 'Prod configs', environment: 'production' }),
  );
  const entry = async (name: string): Promise<DescribedConfig | undefined> =>
    (
      await call<ConfigsDescription>('configs.describe', { id, resource: { type: 'broker', brokerId: 1 } })
    ).configs.find((c) => c.name === name);
  const ui = new ClusterPages(page, app.origin, id);
  const problems: string[] = [];
  try {
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/connections/${id}/cluster`);
    // from the overview's brokers table
    await page.getByTestId('broker-configs-1').click();
    await expect(page.getByTestId('broker-configs-lead')).toContainText("Broker 1's configs");
    await expect(rows(page).first()).toBeVisible();
    // the broker's own JAAS config holds passwords: masked, and nowhere on the page
    await ui.input('broker-config-filter').fill('plain.sasl.jaas');
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText('sensitive');
    await expect(page.getByTestId('config-source-listener.name.sasl_plaintext.plain.sasl.jaas.config')).toHaveText(
      'broker file',
    );
    expect(await page.content()).not.toContain(kafka.users.plain.password);
    // a static config: from the properties file, read-only, no Edit
    await ui.input('broker-config-filter').fill('log.dirs');
    await expect(rows(page).first()).toContainText('read-only');
    await expect(page.getByTestId('config-source-log.dirs')).toHaveText('broker file');
    await expect(page.getByTestId('broker-config-edit-log.dirs')).toHaveCount(0);
    await ui.input('broker-config-filter').fill('');
    problems.push(...(await look(page, 'broker-configs', 'broker')));

    // a dynamic config, added on this broker: checked first, then set — asked, and asked again (production)
    await page.getByTestId('broker-config-add').click();
    await ui.input('config-edit-name').fill(KEY);
    await ui.input('config-edit-value').fill('16000');
    await page.getByTestId('config-edit-check').click();
    await expect(page.getByTestId('config-edit-checked')).toHaveText(
      '✓ The broker accepts this value; nothing was changed.',
    );
    expect((await entry(KEY))?.source).toBe('DEFAULT_CONFIG');
    await settled(page);
    problems.push(...(await look(page, 'broker-configs', 'add', MODAL)));
    await page.getByTestId('config-edit-save').click();
    await ui.confirm('Set');
    await expect(page.getByRole('dialog').last()).toContainText("'Prod configs' is tagged production");
    await ui.confirm('Yes, set');
    await expect(page.getByTestId('config-edit-dialog')).toBeHidden();
    await ui.input('broker-config-filter').fill(KEY);
    await expect(page.getByTestId(`config-source-${KEY}`)).toHaveText('this broker');
    expect(await entry(KEY)).toMatchObject({ value: '16000', source: 'DYNAMIC_BROKER_CONFIG' });

    // a value the broker refuses: its own sentence, under the field, nothing changed
    await page.getByTestId(`broker-config-edit-${KEY}`).click();
    await expect(page.getByTestId('config-edit-synonyms')).toContainText('this broker: 16000 → Kafka default: 15000');
    await ui.input('config-edit-value').fill('soon');
    await page.getByTestId('config-edit-check').click();
    await expect(page.getByTestId('config-edit-error')).toContainText('soon');
    await settled(page);
    problems.push(...(await look(page, 'broker-configs', 'refused', MODAL)));
    // removed from this broker: the value under it (Kafka's default) applies again
    await page.getByTestId('config-edit-remove').click();
    await ui.confirm('Remove');
    await ui.confirm('Yes, remove');
    await expect(page.getByTestId('config-edit-dialog')).toBeHidden();
    await expect(page.getByTestId(`config-source-${KEY}`)).toHaveCount(0);
    expect(await entry(KEY)).toMatchObject({ value: '15000', source: 'DEFAULT_CONFIG' });

    // the cluster-wide defaults, one click away
    await ui.input('broker-config-filter').fill('');
    await page.getByTestId('switch-default').click();
    await expect(page.getByTestId('broker-configs-lead')).toContainText(
      'The default every broker of the cluster takes',
    );
    await expect(page.getByTestId('config-source-min.insync.replicas')).toHaveText('cluster default');
    await expect(page.getByTestId('broker-config-defaults')).toHaveCount(0);
    problems.push(...(await look(page, 'broker-configs', 'cluster-defaults')));
  } finally {
    await call('configs.alter', { id, resource: { type: 'broker', brokerId: 1 }, delete: [KEY] }).catch(
      () => undefined,
    );
  }
  expect(problems).toEqual([]);
});

test('a read-only connection reads the configs and cannot open an edit', async ({ page, app, kafka }) => {
  const id = await seedConnection(app.dataDir, localConnection(kafka, { name: 'Look only', readOnly: true }));
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/brokers/1/configs`);
  await expect(page.getByTestId('broker-config-read-only')).toContainText('read-only');
  await expect(page.getByTestId('broker-config-add')).toBeDisabled();
  // the cluster's default (set when the cluster was formatted) is dynamic: its Edit is there, and off
  await new ClusterPages(page, app.origin, id).input('broker-config-filter').fill('min.insync.replicas');
  await expect(page.getByTestId('config-source-min.insync.replicas')).toHaveText('cluster default');
  await expect(page.getByTestId('broker-config-edit-min.insync.replicas')).toBeDisabled();
});

test('sizes on disk: the topic list’s Size column sorts by it; a topic’s Disk tab shows each partition per broker and log dir', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(120_000);
  const call = coreOf(app.dataDir);
  const id = await seedConnection(app.dataDir, localConnection(kafka));
  const run = Date.now();
  // named so that by name the small one comes first, and by size the big one
  const big = `ui-disk-b-big-${run}`;
  const small = `ui-disk-a-small-${run}`;
  await call('topics.create', { id, name: big, partitions: 2, replicationFactor: 1 });
  await call('topics.create', { id, name: small, partitions: 1, replicationFactor: 1 });
  const value = 'x'.repeat(1000);
  await call('operations.produce', { id, topic: big, messages: Array.from({ length: 60 }, () => ({ value })) });
  await call('operations.produce', { id, topic: small, messages: [{ value }] });

  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/topics`);
  await new ClusterPages(page, app.origin, id).input('topic-filter').fill(`-${run}`);
  await expect(page.getByTestId(`topic-size-${big}`)).toHaveText(/^\d+(\.\d)? KiB$/);
  await expect(page.getByTestId(`topic-size-${small}`)).toHaveText(/^\d+(\.\d)? KiB$/);
  const names = () => page.getByTestId('topics-table').locator('.n-data-table-tbody .topic-link').allTextContents();
  // by name first; then the largest first, then the smallest
  await expect.poll(names).toEqual([small, big]);
  await page.getByTestId('topics-table').getByText('Size', { exact: true }).click();
  await expect.poll(names).toEqual([big, small]);
  await page.getByTestId('topics-table').getByText('Size', { exact: true }).click();
  await expect.poll(names).toEqual([small, big]);
  const problems = await look(page, 'broker-configs', 'topic-sizes');

  await page.getByTestId('topics-table').getByText(big, { exact: true }).click();
  await expect(page.getByTestId('topic-size')).toContainText('on disk');
  await page.locator('.n-tabs-tab', { hasText: 'Disk' }).click();
  await expect(page.getByTestId('topic-disk-summary')).toContainText('on the leaders');
  await expect(page.getByTestId('topic-disk-table').locator('.n-data-table-tbody .n-data-table-tr')).toHaveCount(2);
  await expect(page.getByTestId('topic-disk-table')).toContainText('leader');
  // the tabs slide: the partitions' pane is gone once the slide ends
  await settled(page);
  await expect(page.getByTestId('partitions-table')).toBeHidden();
  problems.push(...(await look(page, 'broker-configs', 'topic-disk')));
  expect(problems).toEqual([]);
});
