import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTopic } from '../integration/support';
import { ensureConnect } from '../infra/connect';
import { expect, settleTheme, shotsDir, test } from './fixtures';
import { seedConnection } from './pages/ClusterPages';
import { OperationPages } from './pages/OperationPages';

const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';

test('Kafka Connect in the UI: add the cluster, create a FileStreamSource (validation next to the field), pause / resume / stop, offsets reset, delete', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(180_000);
  const info = await ensureConnect();
  const run = Date.now();
  const topic = `ui-connect-${run}`;
  await createTopic(kafka, topic, 1);
  const file = path.join(info.filesDir, `ui-source-${run}.txt`);
  await writeFile(file, 'first line\nsecond line\n');
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    color: 'purple',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/connect`);
  await page.getByTestId('connect-add-cluster').click();
  await ui.input('connect-cluster-urls').fill(info.url);
  await page.getByTestId('connect-cluster-save').click();
  await expect(page.getByTestId('connect-check-result')).toContainText('Kafka Connect 4.1.1');
  await expect(page.getByTestId('connect-check-result')).toContainText('same Kafka cluster as this connection');

  // a new connector from the plugin's template; an invalid value is shown next to its setting
  await page.getByTestId('connect-new-connector').click();
  await ui.input('connector-edit-name').fill(`ui-source-${run}`);
  await ui.choose('connector-edit-plugin', 'FileStreamSourceConnector');
  await expect(ui.editor('connector-edit-config')).toHaveAttribute(
    'data-value',
    /"connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector"/,
  );
  await ui.setEditor(
    'connector-edit-config',
    JSON.stringify({ 'connector.class': SOURCE, file, topic, 'tasks.max': 'many' }, null, 2),
  );
  await page.getByTestId('connector-edit-save').click();
  await expect(page.getByTestId('field-error-tasks.max')).toContainText(
    'Invalid value many for configuration tasks.max',
  );
  await expect(page.getByTestId('error-message')).toContainText('Nothing was saved');
  await expect(page.getByTestId('connector-edit-config').locator('.squiggly-error')).toHaveCount(1);
  await page.screenshot({ path: path.join(shotsDir, 'connect-validation-light.png') });
  await ui.setEditor(
    'connector-edit-config',
    JSON.stringify({ 'connector.class': SOURCE, file, topic, 'tasks.max': '1' }, null, 2),
  );
  await page.getByTestId('connector-edit-validate').click();
  await expect(page.getByTestId('connector-edit-valid')).toHaveText('The config is valid.');
  // the config kept as a preset, to apply again (on this or another Connect cluster)
  await page.getByTestId('save-preset').click();
  await ui.input('preset-name').fill('File source');
  await page.getByTestId('preset-save').click();
  await page.getByTestId('connector-edit-save').click();
  await expect(page.getByTestId('connector-view')).toBeVisible();
  await expect(page.getByTestId('connector-state')).toHaveText('RUNNING');
  await expect
    .poll(() =>
      execFileSync('kcat', [
        '-b',
        kafka.listeners.plaintext,
        '-C',
        '-t',
        topic,
        '-o',
        'beginning',
        '-e',
        '-q',
      ]).toString(),
    )
    .toBe('first line\nsecond line\n');
  await expect(page.getByTestId('connector-topics')).toContainText(topic);

  await page.getByTestId('connector-pause').click();
  await expect(page.getByTestId('connector-state')).toHaveText('PAUSED');
  await page.getByTestId('connector-resume').click();
  await expect(page.getByTestId('connector-state')).toHaveText('RUNNING');
  await page.getByTestId('connector-stop').click();
  await expect(page.getByTestId('connector-state')).toHaveText('STOPPED');
  await expect
    .poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return page
        .getByTestId('connector-offsets')
        .textContent()
        .catch(() => '');
    })
    .toContain('"position":23');
  await page.getByTestId('connector-edit-offsets').click();
  await ui.setEditor(
    'connector-offsets-editor',
    JSON.stringify([{ partition: { filename: file }, offset: { position: 11 } }]),
  );
  await page.getByTestId('connector-apply-offsets').click();
  await expect(page.getByTestId('connector-offsets')).toContainText('"position":11');
  await page.screenshot({ path: path.join(shotsDir, 'connector-stopped-light.png') });
  await page.getByTestId('connector-reset-offsets').click();
  await ui.confirm('Reset');
  await expect(page.getByText('No offsets committed.')).toBeVisible();

  await page.getByTestId('tab-connect').click();
  await expect(page.getByTestId(`connector-state-ui-source-${run}`)).toHaveText('STOPPED');
  await page.screenshot({ path: path.join(shotsDir, 'connect-list-light.png') });
  await page.getByTestId(`connector-ui-source-${run}`).click();
  await page.getByTestId('connector-delete').click();
  await ui.confirm('Delete');
  await expect(page.getByTestId('connect-view')).toBeVisible();
  await expect(page.getByTestId('connectors-table')).not.toContainText(`ui-source-${run}`);

  // the preset brings the connector back: the editor opens filled in
  await page.getByTestId('sidebar-presets').click();
  await expect(page.getByTestId('presets-table')).toContainText(`connector ui-source-${run}`);
  await page.getByTestId('preset-File source').click();
  await expect(ui.input('connector-edit-name')).toHaveValue(`ui-source-${run}`);
  await expect(ui.editor('connector-edit-config')).toHaveAttribute('data-value', new RegExp(`"topic": "${topic}"`));
  await page.getByTestId('connector-edit-save').click();
  await expect(page.getByTestId('connector-state')).toHaveText('RUNNING');
  await fetch(`${info.url}/connectors/ui-source-${run}`, { method: 'DELETE' });

  // Connect's own topics are labelled in the topic list
  await ui.topics();
  await expect(page.getByTestId('connect-internal-connect-configs')).toHaveText('Connect configs');
});

test('a failed connector shows its task trace (dark theme)', async ({ page, app, kafka }) => {
  const info = await ensureConnect();
  const run = Date.now();
  const topic = `ui-connect-fail-${run}`;
  await createTopic(kafka, topic, 1);
  const name = `ui-failing-${run}`;
  const r = await fetch(`${info.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      config: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        topics: topic,
        file: path.join(info.filesDir, 'missing-dir', 'out.txt'),
      },
    }),
  });
  expect(r.status).toBe(201);
  try {
    const id = await seedConnection(app.dataDir, {
      name: 'Local',
      bootstrapServers: [kafka.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    });
    const ui = new OperationPages(page, app.origin, id);
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/connections/${id}/connect`);
    await page.getByTestId('connect-add-cluster').click();
    await ui.input('connect-cluster-urls').fill(info.url);
    await page.getByTestId('connect-cluster-save').click();
    await ui.choose('connect-state-filter', 'FAILED');
    await expect
      .poll(async () => {
        await page.getByTestId('connect-refresh').click();
        return page.getByTestId('connectors-table').textContent();
      })
      .toContain(name);
    await page.getByTestId(`connector-${name}`).click();
    await expect(page.getByTestId('task-trace-0')).toContainText('NoSuchFileException');
    await page.getByTestId('theme-dark').click();
    await settleTheme(page, 'dark');
    await page.screenshot({ path: path.join(shotsDir, 'connector-failed-dark.png') });
  } finally {
    await fetch(`${info.url}/connectors/${name}`, { method: 'DELETE' });
  }
});
