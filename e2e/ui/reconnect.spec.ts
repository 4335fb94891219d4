import { ConnectionsPage } from './pages/ConnectionsPage';
import { coreOf, look } from './schemaSupport';
import { expect, test } from './fixtures';

/** The connection editor's reconnection settings: typed, checked, saved, shown again, and looked at. */
test('reconnection settings: a wait that crosses is told beside its field, the rest is saved and shown again', async ({
  page,
  app,
  kafka,
}) => {
  const ui = new ConnectionsPage(page);
  await ui.open(app.url);
  await ui.startNew();
  await ui.fill({ name: 'Retrying', bootstrap: kafka.listeners.plaintext });
  await ui.editor.getByText('Reconnection', { exact: true }).click();
  const retries = ui.editor.getByLabel('Retries of a failed connection or request');
  const first = ui.editor.getByLabel('Wait before the first retry in milliseconds');
  const longest = ui.editor.getByLabel('Longest wait between retries in milliseconds');
  const factor = ui.editor.getByLabel('Each wait this many times the one before');
  const restarts = ui.editor.getByLabel('Listen restarts after the cluster went away');
  // the defaults a new connection starts with
  await expect(retries).toHaveValue('2');
  await expect(first).toHaveValue('200');
  await expect(longest).toHaveValue('2000');
  await expect(restarts).toHaveValue('10');

  await retries.fill('6');
  await retries.blur();
  await first.fill('3000');
  await first.blur();
  await expect(ui.editor.getByText('Not shorter than the first wait.')).toBeVisible();
  // saving anyway: the core refuses it and says which field, and nothing typed is lost
  await ui.save();
  await expect(ui.editor.getByTestId('error-notice')).toContainText('must not be shorter than the first');
  await expect(retries).toHaveValue('6');
  await expect(first).toHaveValue('3000');
  const found = await look(page, 'reconnect', 'editor-crossed');

  await longest.fill('20000');
  await longest.blur();
  await factor.fill('1.5');
  await factor.blur();
  await restarts.fill('3');
  await restarts.blur();
  await expect(ui.editor.getByText('Not shorter than the first wait.')).toHaveCount(0);
  found.push(...(await look(page, 'reconnect', 'editor')));
  await ui.save();
  await expect(page.getByTestId('cluster-view')).toBeVisible();

  // what the core keeps is what was typed
  const list = await coreOf(app.dataDir)<{ name: string; reconnect: unknown }[]>('connections.list', {});
  expect(list.find((c) => c.name === 'Retrying')?.reconnect).toEqual({
    retries: 6,
    initialRetryMs: 3000,
    maxRetryMs: 20000,
    multiplier: 1.5,
    listenRestarts: 3,
  });

  // and the editor shows it again
  await page.goto(app.origin + '/#/connections');
  await page.getByTestId('connection-row-Retrying').getByRole('button', { name: 'Edit' }).click();
  await ui.editor.waitFor();
  await ui.editor.getByText('Reconnection', { exact: true }).click();
  await expect(retries).toHaveValue('6');
  await expect(longest).toHaveValue('20000');
  await expect(restarts).toHaveValue('3');
  expect(found).toEqual([]);
});
