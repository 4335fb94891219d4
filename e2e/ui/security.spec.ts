import { execFileSync } from 'node:child_process';
import { createTopic } from '../integration/support';
import { seedConnection } from './pages/ClusterPages';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { OperationPages } from './pages/OperationPages';
import { expect, screenshotsAt, test } from './fixtures';

/**
 * What the security fixes look like to a user: a stored password asked for again when the servers
 * change, the plain-HTTP warnings that must be accepted, a read-only connection's Consume without the
 * group options, and a table filter the core refuses, in its words. Screenshots at 1280 and 1440
 * wide, light and dark.
 */
test('a stored password is not sent to other servers: the form asks for it again, then tests', async ({
  page,
  app,
  kafka,
}) => {
  await seedConnection(app.dataDir, {
    name: 'Staging',
    bootstrapServers: [kafka.listeners.sasl],
    sasl: { mechanism: 'plain', ...kafka.users.plain },
    tls: { enabled: false },
  });
  const ui = new ConnectionsPage(page);
  await ui.open(app.url);
  await page.getByTestId('connection-row-Staging').getByRole('button', { name: 'Edit' }).click();
  await ui.drawerSettled();
  await expect(ui.field('password')).toHaveAttribute('placeholder', 'saved — leave empty to keep it');
  // the same listener under another name: another endpoint as far as a stored secret is concerned
  await ui.field('bootstrap').fill(kafka.listeners.sasl.replace('127.0.0.1', 'localhost'));
  await ui.testConnection();
  await expect(ui.editor.getByTestId('error-message')).toContainText(
    `The saved password of 'Staging' was entered for ${kafka.listeners.sasl} without TLS, SASL PLAIN. Enter it again to use it with`,
  );
  await expect(ui.field('password')).toHaveAttribute('placeholder', 'type it again for the new settings');
  await expect(ui.editor).toContainText('enter the password again for the new servers or settings');
  await expect(ui.editor.locator('.n-form-item-feedback--error').first()).toHaveCSS('opacity', '1');
  await screenshotsAt(page, 'secret-again');
  await ui.field('password').fill(kafka.users.plain.password);
  await ui.testConnection();
  await expect(page.getByTestId('test-success')).toContainText('1 broker');
});

test('plain http:// token endpoints and Connect URLs with basic auth: a warning to accept', async ({
  page,
  app,
  kafka,
}) => {
  const ui = new ConnectionsPage(page);
  await ui.open(app.url);
  await ui.startNew();
  await ui.fill({ name: 'OAuth over http', bootstrap: kafka.listeners.oauth, mechanism: 'OAUTHBEARER' });
  await ui.field('token-endpoint').fill('http://login.internal.example:8080/oauth2/token');
  await ui.field('oauth-client-id').fill('desk');
  await ui.field('oauth-secret').fill('s3cret');
  await expect(page.getByTestId('oauth-plain-http-warning')).toContainText(
    'the client secret would cross the network unencrypted',
  );
  await ui.save();
  await expect(ui.editor.getByTestId('error-message')).toContainText(
    'is plain HTTP: the client secret would cross the network unencrypted',
  );
  await expect(ui.editor).toContainText('accept sending the client secret over plain HTTP, or use https');
  await expect(ui.editor.locator('.n-form-item-feedback--error').first()).toHaveCSS('opacity', '1');
  await screenshotsAt(page, 'oauth-plain-http');
  // https: no warning
  await ui.field('token-endpoint').fill('https://login.internal.example/oauth2/token');
  await expect(page.getByTestId('oauth-plain-http-warning')).toHaveCount(0);

  const id = await seedConnection(app.dataDir, {
    name: 'With Connect',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  await page.goto(`${app.origin}/#/connections/${id}/connect`);
  await page.getByTestId('connect-add-cluster').click();
  await page.getByTestId('connect-cluster-urls').locator('textarea').fill('http://connect.internal.example:8083');
  await page.getByTestId('connect-cluster-user').locator('input').fill('admin');
  await page.getByTestId('connect-cluster-password').locator('input').fill('connect-s3cret');
  await expect(page.getByTestId('connect-plain-http-warning')).toContainText(
    'the password would cross the network unencrypted',
  );
  await page.getByTestId('connect-cluster-save').click();
  await expect(page.getByTestId('connect-cluster-error')).toContainText(
    'is plain HTTP: the Connect password would cross the network unencrypted',
  );
  await expect(page.getByTestId('connect-cluster-save')).toBeInViewport();
  await expect(page.getByTestId('connect-cluster-dialog')).toHaveCSS('opacity', '1');
  await expect(page.getByTestId('connect-cluster-dialog').locator('.n-form-item-feedback--error')).toHaveCSS(
    'opacity',
    '1',
  );
  await screenshotsAt(page, 'connect-plain-http');
});

test('a read-only connection reads without a group; a filter the core does not take says what it supports', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-ro-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic], { input: '{"n": 1}\n{"n": 95}\nalpha\n' });
  const id = await seedConnection(app.dataDir, {
    name: 'Prod (read-only)',
    environment: 'production',
    color: 'red',
    readOnly: true,
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-read-as').click();
  await expect(
    page.locator('.n-base-select-option', { hasText: 'Group, auto-commit (not on a read-only connection)' }),
  ).toHaveClass(/n-base-select-option--disabled/);
  await page.keyboard.press('Escape');
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('3 messages');

  // a look-ahead (not linear-time) and a comparison in a JSON path: refused, saying what works
  await page.getByTestId('message-table-regex').click();
  await ui.input('message-table-filter').fill('al(?=pha)');
  await expect(page.getByTestId('message-table-filter-error')).toContainText('look-ahead and look-behind');
  await ui.input('message-table-filter').fill('^al');
  await expect(page.getByTestId('message-table-count')).toHaveText('1 of 3 rows');
  await page.getByTestId('message-table-clear').click();
  await page.getByTestId('message-table-more-filters').click();
  await ui.input('message-table-json-path').fill('$.n>90');
  await expect(page.getByTestId('message-table-filter-error')).toContainText(
    "'>' (comparisons are not path syntax; compare with =value after the path)",
  );
  await screenshotsAt(page, 'consume-read-only-filter');
  await ui.input('message-table-json-path').fill('$.n=95');
  await expect(page.getByTestId('message-table-count')).toHaveText('1 of 3 rows');
});

test('a compressed batch that inflates past the cap is named, not read', async ({ page, app, kafka }) => {
  const topic = `ui-bomb-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  const { CompressionTypes, Kafka, logLevel } = await import('kafkajs');
  const producer = new Kafka({ brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'before', value: 'ordinary' }] });
  await producer.send({
    topic,
    compression: CompressionTypes.GZIP,
    messages: [{ key: 'bomb', value: Buffer.alloc(16 * 1024 * 1024) }],
  });
  await producer.send({ topic, messages: [{ key: 'after', value: 'ordinary' }] });
  await producer.disconnect();
  const id = await seedConnection(app.dataDir, {
    name: 'Largest 1 MiB',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
    maxMessageBytes: 1024 * 1024,
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-oversized')).toContainText(
    `Stopped at ${topic}[0] offset 1: a gzip batch of 1 message`,
  );
  await expect(page.getByTestId('consume-oversized')).toContainText(
    'inflates to more than 1,048,576 bytes — a decompression bomb',
  );
  await expect(page.getByTestId('message-table-count')).toHaveText('1 row');
  await screenshotsAt(page, 'consume-bomb');
});
