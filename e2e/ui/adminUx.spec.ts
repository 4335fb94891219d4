import { kafkaTool, kcatMetadata } from '../integration/support';
import { ClusterPages, seedConnection } from './pages/ClusterPages';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { expect, screenshotsAt, test } from './fixtures';

const REASON = 'Invalid value abc for configuration retention.ms: Not a number of type LONG';

test.describe("the broker's reason for a refused config", () => {
  test("creating a topic with retention.ms=abc shows Kafka's sentence under the Configs field and keeps what was typed", async ({
    page,
    app,
    kafka,
  }) => {
    const id = await seedConnection(app.dataDir, {
      name: 'Local',
      bootstrapServers: [kafka.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    });
    const ui = new ClusterPages(page, app.origin, id);
    const topic = `ui-bad-config-${Date.now()}`;
    await page.goto(app.url);
    await ui.topics();
    await page.getByTestId('create-topic').click();
    await ui.input('topic-name').fill(topic);
    await ui.input('topic-configs').fill('cleanup.policy=delete\nretention.ms=abc');
    await page.getByTestId('topic-create-submit').click();

    await expect(page.getByTestId('topic-configs-error')).toHaveText(REASON);
    await expect(page.getByTestId('error-message')).toHaveText(
      `Kafka refused the request: ${REASON} (INVALID_CONFIG).`,
    );
    // what was typed is still there, to be corrected
    await expect(ui.input('topic-name')).toHaveValue(topic);
    await expect(ui.input('topic-configs')).toHaveValue('cleanup.policy=delete\nretention.ms=abc');
    expect((await kcatMetadata(kafka.listeners.plaintext)).topics.some((t) => t.topic === topic)).toBe(false);
    await screenshotsAt(page, 'topic-create-broker-reason');

    // the milliseconds typed are read back as a duration
    await ui.input('topic-configs').fill('retention.ms=604800000');
    await expect(page.getByTestId('topic-configs-hint')).toHaveText('retention.ms = 7 days');
    await page.getByTestId('topic-create-submit').click();
    await expect(page.getByTestId('topic-title')).toHaveText(topic);
  });

  test("the config editor shows the broker's sentence next to the value, keeps the value, and changes nothing", async ({
    page,
    app,
    kafka,
  }) => {
    const id = await seedConnection(app.dataDir, {
      name: 'Local',
      bootstrapServers: [kafka.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    });
    const ui = new ClusterPages(page, app.origin, id);
    const topic = `ui-alter-config-${Date.now()}`;
    await page.goto(app.url);
    await ui.topics();
    await page.getByTestId('create-topic').click();
    await ui.input('topic-name').fill(topic);
    await ui.input('topic-partitions').fill('1');
    await ui.input('topic-configs').fill('retention.ms=604800000');
    await page.getByTestId('topic-create-submit').click();
    await expect(page.getByTestId('topic-title')).toHaveText(topic);
    // one partition, one replica: said in the singular
    await expect(page.getByTestId('topic-partition-count')).toHaveText('1 partition');
    await expect(page.getByTestId('topic-replicas')).toHaveText('1 replica');

    await page.locator('.n-tabs-tab', { hasText: 'Configs' }).click();
    await expect(page.getByTestId('config-human-retention.ms')).toHaveText('7 days');
    await page.getByTestId('config-edit-retention.ms').click();
    await ui.input('config-value').fill('abc');
    await page.getByTestId('config-save').click();
    await expect(page.getByTestId('config-value-error')).toHaveText(REASON);
    await expect(page.getByTestId('error-message')).toHaveText(
      `Kafka refused the request: ${REASON} (INVALID_CONFIG).`,
    );
    await expect(ui.input('config-value')).toHaveValue('abc');
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
    ).toContain('retention.ms=604800000');
    await screenshotsAt(page, 'topic-config-broker-reason');
  });
});

test('the topic filter takes Ctrl+F (⌘F on macOS), and says so', async ({ page, app, kafka }) => {
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new ClusterPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.topics();
  await expect(ui.input('topic-filter')).toHaveAttribute('placeholder', 'Filter topics (Ctrl+F)');
  await page.getByTestId('topics-table').click();
  await expect(ui.input('topic-filter')).not.toBeFocused();
  await page.keyboard.press('Control+f');
  await expect(ui.input('topic-filter')).toBeFocused();
  await page.keyboard.type('__consumer');
  await expect(ui.input('topic-filter')).toHaveValue('__consumer');
});

test.describe('the connection doctor after a failed login', () => {
  test('a wrong SASL password: the later steps say the login failed, not the network; saving asks first', async ({
    page,
    app,
    kafka,
  }) => {
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    await ui.fill({
      name: 'Wrong password',
      bootstrap: kafka.listeners.sasl,
      mechanism: 'SASL/SCRAM-SHA-512',
      username: kafka.users.scram512.username,
      password: 'wrong',
    });
    await page.getByTestId('connection-doctor').click();
    await expect(page.getByTestId('doctor-step-sasl')).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('doctor-step-metadata')).toHaveAttribute('data-status', 'skipped');
    await expect(page.getByTestId('doctor-step-metadata')).toContainText('Skipped: authentication failed (step 3).');
    await expect(page.getByTestId('doctor-step-metadata')).not.toContainText('could be reached');
    await screenshotsAt(page, 'doctor-skipped-after-login');

    // the settings just failed their check: saving asks, and "Keep editing" saves nothing
    await ui.save();
    const confirm = page.getByRole('dialog').filter({ hasText: 'Save anyway?' });
    await expect(confirm).toContainText(
      "The connection test failed: The broker at 127.0.0.1:19093 refused the SASL/SCRAM-SHA-512 login for user 'scram512'",
    );
    await confirm.getByRole('button', { name: 'Keep editing' }).click();
    await expect(confirm).toBeHidden();
    await expect(ui.editor).toBeVisible();

    await ui.save();
    await page
      .getByRole('dialog')
      .filter({ hasText: 'Save anyway?' })
      .getByRole('button', { name: 'Save anyway' })
      .click();
    await expect(page.getByTestId('cluster-view')).toBeVisible();
    await expect(page.getByTestId('sidebar-connection-Wrong password')).toBeVisible();
  });

  test('a failed Test connection asks too; once the password is corrected, saving does not', async ({
    page,
    app,
    kafka,
  }) => {
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    await ui.fill({
      name: 'Fixed password',
      bootstrap: kafka.listeners.sasl,
      mechanism: 'SASL/SCRAM-SHA-512',
      username: kafka.users.scram512.username,
      password: 'wrong',
    });
    await ui.testConnection();
    await expect(page.getByTestId('error-notice')).toContainText('Connection test failed');
    await ui.save();
    await expect(page.getByRole('dialog').filter({ hasText: 'Save anyway?' })).toContainText(
      'The connection test failed: The broker at 127.0.0.1:19093 refused',
    );
    await page.getByRole('button', { name: 'Keep editing' }).click();

    await ui.field('password').fill(kafka.users.scram512.password);
    await ui.save();
    await expect(page.getByTestId('cluster-view')).toBeVisible();
  });
});

test("the editor's import button shows its whole label", async ({ page, app }) => {
  const ui = new ConnectionsPage(page);
  await ui.open(app.url);
  await ui.startNew();
  const button = page.getByTestId('import-button');
  await expect(button).toHaveText('Import .properties / kcat config…');
  const clipped = await button.evaluate((b) => {
    const label = b.querySelector('.n-button__content') ?? b;
    return (
      label.scrollWidth > label.clientWidth + 1 ||
      b.getBoundingClientRect().right > (b.closest('.n-drawer')?.getBoundingClientRect().right ?? Infinity)
    );
  });
  expect(clipped).toBe(false);
});
