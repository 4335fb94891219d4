import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import { createCore, KeyFileSecretBox } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { createTopic } from '../integration/support';
import { seedConnection } from './pages/ClusterPages';
import { OperationPages } from './pages/OperationPages';
import { expect, screenshotsAt, test } from './fixtures';

const plaintext = (bootstrap: string) => ({
  name: 'Local',
  bootstrapServers: [bootstrap],
  sasl: { mechanism: 'none' as const },
  tls: { enabled: false },
});

/** The core on the test's data folder, to set the cluster up as another client would. */
async function coreCall(dataDir: string, channel: string, input: unknown): Promise<unknown> {
  const core = createCore({ host: 'web', dataDir, version: 'ui-test', secrets: new KeyFileSecretBox(dataDir) });
  const r = await dispatch(core.handlers, channel as never, input as never);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value;
}

test.describe('polish', () => {
  test('the groups list shows each group’s total lag, sortable; a group of one member says "1 member"', async ({
    page,
    app,
    kafka,
  }) => {
    const base = `ui-lag-${Date.now()}`;
    const topic = `${base}-t`;
    await createTopic(kafka, topic, 1);
    const id = await seedConnection(app.dataDir, plaintext(kafka.listeners.plaintext));
    await coreCall(app.dataDir, 'operations.produce', {
      id,
      topic,
      messages: Array.from({ length: 5 }, (_, i) => ({ value: `m${i}`, partition: 0 })),
    });
    await coreCall(app.dataDir, 'operations.commit', {
      id,
      groupId: `${base}-a`,
      topic,
      offsets: [{ partition: 0, offset: '2' }],
    });
    await coreCall(app.dataDir, 'operations.commit', {
      id,
      groupId: `${base}-b`,
      topic,
      offsets: [{ partition: 0, offset: '4' }],
    });

    await page.goto(app.url);
    await page.goto(`${app.origin}/#/connections/${id}/groups`);
    await page.getByTestId('group-filter').locator('input').fill(base);
    await expect(page.getByTestId(`group-lag-${base}-a`)).toHaveText('3');
    await expect(page.getByTestId(`group-lag-${base}-b`)).toHaveText('1');
    await expect(page.getByTestId('group-count')).toHaveText(/^2 of [\d,]+ groups$/);
    // the first click puts the most behind first, the second the least
    const names = page.getByTestId('groups-table').locator('tbody tr .group-link');
    await page.getByTestId('groups-table').locator('th', { hasText: 'Total lag' }).click();
    await expect(page.getByTestId(`group-lag-${base}-a`)).toHaveText('3');
    await expect(names).toHaveText([`${base}-a`, `${base}-b`]);
    await page.getByTestId('groups-table').locator('th', { hasText: 'Total lag' }).click();
    await expect(names).toHaveText([`${base}-b`, `${base}-a`]);
    await screenshotsAt(page, 'groups-lag');

    // a live member (another client in the group): counted in the singular
    const consumer = new kafkajs.Kafka({
      brokers: [kafka.listeners.plaintext],
      logLevel: kafkajs.logLevel.NOTHING,
    }).consumer({ groupId: `${base}-live` });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({ eachMessage: async () => undefined });
      await joined;
      await page.goto(`${app.origin}/#/connections/${id}/groups/${encodeURIComponent(`${base}-live`)}`);
      await expect(page.getByTestId('group-member-count')).toHaveText('1 member');
      await expect(page.getByTestId('reset-panel')).toContainText("Stop the group's 1 member to apply a reset");
    } finally {
      await consumer.disconnect();
    }
  });

  test('overview cards are links (mouse and keyboard), counts in the singular when one, times as the tables write them', async ({
    page,
    app,
    kafka,
  }) => {
    const id = await seedConnection(app.dataDir, plaintext(kafka.listeners.plaintext));
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/connections/${id}/cluster`);
    await expect(page.getByTestId('overview-brokers')).toBeVisible();
    // the test cluster has one broker
    await expect(page.getByTestId('overview-brokers').locator('.label')).toHaveText('Broker');
    await expect(page.getByTestId('fetched-at')).toHaveText(/^fetched \d{2}:\d{2}:\d{2}$/);
    await screenshotsAt(page, 'overview-cards');

    await page.getByTestId('overview-brokers').click();
    await expect(page.getByTestId('brokers-section')).toBeFocused();
    await page.getByTestId('overview-topics').click();
    await expect(page.getByTestId('topics-table')).toBeVisible();
    expect(page.url()).toMatch(/\/connections\/[^/]+\/topics$/);

    await page.goto(`${app.origin}/#/connections/${id}/cluster`);
    await page.getByTestId('overview-groups').focus();
    await expect(page.getByTestId('overview-groups')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('groups-view')).toBeVisible();
  });

  test('the sample capture says what its binary value is; its saved time reads like the table’s', async ({
    page,
    app,
  }) => {
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/captures`);
    await page.getByTestId('capture-open-sample').click();
    await expect(page.getByTestId('capture-note').locator('textarea')).toHaveValue(
      /bytes in the Schema Registry wire format \(magic byte 0, schema id 42, in no registry here, so shown as bytes\)/,
    );
    await expect(page.getByTestId('capture-note').locator('textarea')).not.toHaveValue(/Avro/i);
    await expect(page.getByTestId('capture-saved-at')).toHaveText(/^saved \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  test('capture export with a filter on: "what is shown" exports just those (filtered in the core), "all" the whole capture; the toast says which', async ({
    page,
    app,
  }) => {
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/captures`);
    await page.getByTestId('capture-open-sample').click();
    await page.getByTestId('capture-table-filter').locator('input').fill('payment-declined');
    await expect(page.getByTestId('capture-table-count')).toHaveText('7 of 39 rows');

    await page.getByTestId('capture-export-ndjson').click();
    await expect(page.getByTestId('capture-export-shown')).toHaveText('What is shown (7 messages)');
    await expect(page.getByTestId('capture-export-all')).toHaveText('All (39 messages)');
    await expect(page.getByTestId('capture-export-choice')).toContainText('text ‘payment-declined’');
    await screenshotsAt(page, 'capture-export-choice');
    const [shown] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('capture-export-shown').click(),
    ]);
    const lines = readFileSync(await shown.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(7);
    for (const l of lines) expect(l).toContain('payment-declined');
    await expect(
      page.getByText('7 messages exported (what the filter shows) as Sample-orders-offline-demo-.ndjson'),
    ).toBeVisible();

    await page.getByTestId('capture-export-csv').click();
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('capture-export-all').click()]);
    expect(
      readFileSync(await all.path(), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(40); // a header line and 39 rows
    await expect(
      page.getByText('39 messages exported (all of the capture) as Sample-orders-offline-demo-.csv'),
    ).toBeVisible();
  });

  test('Commit at 1280 wide: the "what the last Consume read" button stays right of the sidebar', async ({
    page,
    app,
    kafka,
  }) => {
    const topic = `ui-commit-label-${Date.now()}-with-a-long-topic-name`;
    await createTopic(kafka, topic, 12);
    const id = await seedConnection(app.dataDir, plaintext(kafka.listeners.plaintext));
    await coreCall(app.dataDir, 'operations.produce', {
      id,
      topic,
      messages: Array.from({ length: 12 }, (_, i) => ({ value: `m${i}`, partition: i })),
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    const ui = new OperationPages(page, app.origin, id);
    await page.goto(app.url);
    await ui.open('consume');
    await ui.pickTopic('consume-topic', topic);
    await page.getByTestId('consume-run').click();
    await expect(page.getByTestId('consume-summary')).toContainText('12 messages');
    await page.getByTestId('tab-commit').click();
    const button = page.getByTestId('commit-last-read');
    await expect(button).toBeVisible();
    const sidebar = await page.locator('.n-layout-sider').boundingBox();
    const box = await button.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(sidebar!.x + sidebar!.width);
    const view = await page.getByTestId('commit-view').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(view!.x + view!.width);
    // the text saying what it read wraps inside the screen too
    const info = await page.getByTestId('commit-last-read-info').boundingBox();
    expect(info!.x).toBeGreaterThanOrEqual(sidebar!.x + sidebar!.width);
    expect(info!.x + info!.width).toBeLessThanOrEqual(view!.x + view!.width);
    await expect(page.getByTestId('commit-last-read-info')).toContainText(topic);
    await screenshotsAt(page, 'commit-last-read');
  });
});
