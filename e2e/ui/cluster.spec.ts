import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTopic, kcatMetadata, kcatProduce, kafkaTool } from '../integration/support';
import { ClusterPages, seedConnection } from './pages/ClusterPages';
import { expect, settleTheme, shotsDir, test } from './fixtures';

const exec = promisify(execFile);

test('topic admin through the UI: create, change a config, add partitions, delete records, delete — as kcat sees it', async ({
  page,
  app,
  kafka,
}) => {
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    color: 'blue',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new ClusterPages(page, app.origin, id);
  const topic = `ui-admin-${Date.now()}`;
  await page.goto(app.url);
  await ui.topics();

  await page.getByTestId('create-topic').click();
  await ui.input('topic-name').fill(topic);
  await ui.input('topic-partitions').fill('2');
  await ui.input('topic-configs').fill('retention.ms=7200000');
  await page.screenshot({ path: path.join(shotsDir, 'topic-create-light.png') });
  await page.getByTestId('topic-create-submit').click();
  await expect(page.getByTestId('topic-title')).toHaveText(topic);
  await expect(page.getByTestId('topic-partition-count')).toContainText('2');
  expect(
    (await kcatMetadata(kafka.listeners.plaintext)).topics.find((t) => t.topic === topic)?.partitions,
  ).toHaveLength(2);

  await page.locator('.n-tabs-tab', { hasText: 'Configs' }).click();
  await expect(page.getByTestId('configs-table')).toContainText('7200000');
  await page.getByTestId('config-edit-retention.ms').click();
  await ui.input('config-value').fill('3600000');
  await page.getByTestId('config-save').click();
  await expect(page.getByTestId('configs-table')).toContainText('3600000');
  expect(
    await kafkaTool(kafka, 'kafka.admin.ConfigCommand', [
      '--bootstrap-server',
      kafka.listeners.plaintext,
      '--entity-type',
      'topics',
      '--entity-name',
      topic,
      '--describe',
    ]),
  ).toContain('retention.ms=3600000');
  await page.screenshot({ path: path.join(shotsDir, 'topic-configs-light.png') });

  await page.getByTestId('action-add-partitions').click();
  await ui.input('partitions-total').fill('3');
  await page.getByTestId('partitions-submit').click();
  await ui.confirm('Add partitions');
  await expect(page.getByTestId('topic-partition-count')).toContainText('3');
  expect(
    (await kcatMetadata(kafka.listeners.plaintext)).topics.find((t) => t.topic === topic)?.partitions,
  ).toHaveLength(3);

  await kcatProduce(kafka.listeners.plaintext, topic, ['a', 'b', 'c', 'd', 'e']);
  await page.getByTestId('refresh').click();
  await expect(page.getByTestId('topic-messages')).toContainText('5');
  await page.locator('.n-tabs-tab', { hasText: 'Partitions' }).click();
  await page.screenshot({ path: path.join(shotsDir, 'topic-partitions-light.png') });
  await page.getByTestId('action-delete-records').click();
  await page.getByTestId('records-submit').click();
  await ui.confirm('Delete records');
  await expect(page.getByTestId('topic-messages')).toContainText('0');

  await page.getByTestId('theme-dark').click();
  await settleTheme(page, 'dark');
  await page.screenshot({ path: path.join(shotsDir, 'topic-partitions-dark.png') });
  await page.getByTestId('action-delete-topic').click();
  await expect(page.getByTestId('delete-submit')).toBeDisabled();
  await ui.input('delete-confirm-name').fill(topic);
  await page.getByTestId('delete-submit').click();
  await ui.confirm('Delete topic');
  await expect(page.getByTestId('topics-view')).toBeVisible();
  await expect
    .poll(async () => (await kcatMetadata(kafka.listeners.plaintext)).topics.some((t) => t.topic === topic))
    .toBe(false);
});

test('a consumer group: lag as a kcat consumer left it, a previewed reset applied exactly; production asks twice; read-only refuses', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-groups-${Date.now()}`;
  const group = `ui-group-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  await kcatProduce(
    kafka.listeners.plaintext,
    topic,
    Array.from({ length: 8 }, (_, i) => `m${i}`),
  );
  await exec(
    'kcat',
    ['-b', kafka.listeners.plaintext, '-G', group, '-c', '5', '-X', 'auto.offset.reset=earliest', '-q', topic],
    { timeout: 60_000 },
  ).catch(() => undefined);

  const id = await seedConnection(app.dataDir, {
    name: 'Prod',
    environment: 'production',
    color: 'red',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new ClusterPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.group(group);
  await expect(page.getByTestId('group-state')).toHaveText('Empty');
  const row = page.getByTestId('group-offsets').locator('tr', { hasText: topic });
  await expect(row).toContainText('5');
  await expect(page.getByTestId('group-total-lag')).toContainText('3');
  await expect(page.getByTestId('environment-tag')).toHaveText('production');

  await ui.choose('reset-strategy', 'An exact offset');
  await ui.input('reset-offset').fill('2');
  await page.getByTestId('reset-preview').click();
  const preview = page.getByTestId('reset-preview-table');
  await expect(preview).toContainText('Preview — nothing changed yet');
  await expect(preview.locator('tbody tr')).toContainText(['0', '5', '2'].join(''));
  await page.screenshot({ path: path.join(shotsDir, 'group-reset-preview-light.png') });
  await page.getByTestId('reset-apply').click();
  await ui.confirm('Apply');
  // production: a second question
  await expect(page.getByRole('dialog').last()).toContainText("'Prod' is tagged production");
  await ui.confirm('Yes, apply');
  await expect(preview).toContainText('Applied');
  await expect(row).toContainText('6'); // lag 8 - 2
  const tool = await kafkaTool(kafka, 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    kafka.listeners.plaintext,
    '--describe',
    '--group',
    group,
  ]);
  expect(
    tool
      .split('\n')
      .find((l) => l.includes(topic))!
      .trim()
      .split(/\s+/)[3],
  ).toBe('2');
  await page.getByTestId('theme-dark').click();
  await settleTheme(page, 'dark');
  await page.screenshot({ path: path.join(shotsDir, 'group-dark.png') });
  await page.getByTestId('tab-groups').click();
  await page.getByTestId('group-filter').locator('input').fill(group);
  await expect(page.getByTestId('groups-table')).toContainText(group);
  await expect(page.getByTestId('groups-table').locator('tr', { hasText: group })).toContainText('Empty');
  await page.screenshot({ path: path.join(shotsDir, 'groups-dark.png') });
  await page.getByTestId('theme-light').click();
  await settleTheme(page, 'light');
  await page.screenshot({ path: path.join(shotsDir, 'groups-light.png') });
  await page.getByTestId('theme-dark').click();
  await settleTheme(page, 'dark');

  // the same cluster through a read-only connection: the core refuses, the UI says so
  const ro = await seedConnection(app.dataDir, {
    name: 'Prod RO',
    environment: 'production',
    readOnly: true,
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const roUi = new ClusterPages(page, app.origin, ro);
  await page.goto(app.url);
  await roUi.group(group);
  await expect(page.getByTestId('read-only-tag')).toBeVisible();
  await page.getByTestId('reset-preview').click();
  await expect(page.getByTestId('reset-preview-table')).toBeVisible();
  await page.getByTestId('reset-apply').click();
  await roUi.confirm('Apply');
  await roUi.confirm('Yes, apply');
  await expect(page.getByTestId('reset-panel').getByTestId('error-message')).toContainText(
    "'Prod RO' is a read-only connection, so Kafka Desk did not reset the offsets",
  );
  await page.screenshot({ path: path.join(shotsDir, 'group-read-only-dark.png') });
  const after = await kafkaTool(kafka, 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    kafka.listeners.plaintext,
    '--describe',
    '--group',
    group,
  ]);
  expect(
    after
      .split('\n')
      .find((l) => l.includes(topic))!
      .trim()
      .split(/\s+/)[3],
  ).toBe('2');
});

test('offline: a connection whose cluster went away opens from the last metadata, "as of" then', async ({
  page,
  app,
  kafka,
}) => {
  const input = {
    name: 'Laptop',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' as const },
    tls: { enabled: false },
  };
  const id = await seedConnection(app.dataDir, input);
  const ui = new ClusterPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.topics();
  await expect(page.getByTestId('topics-table')).toContainText('Messages');
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview-brokers')).toBeVisible();
  // the network goes away: the same saved connection now points at nothing
  await seedConnection(app.dataDir, { ...input, id, bootstrapServers: ['127.0.0.1:1'] });
  await page.getByTestId('refresh').click();
  await expect(page.getByTestId('offline-banner')).toContainText('Offline — as of');
  await expect(page.getByTestId('offline-banner')).toContainText('connection refused');
  await expect(page.getByTestId('cluster-id')).toHaveText(`cluster ${kafka.clusterId}`);
  await page.screenshot({ path: path.join(shotsDir, 'offline-overview-light.png') });
  await page.getByTestId('tab-topics').click();
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await expect(page.getByTestId('create-topic')).toBeDisabled();
  await page.getByTestId('theme-dark').click();
  await settleTheme(page, 'dark');
  await page.screenshot({ path: path.join(shotsDir, 'offline-topics-dark.png') });
});
