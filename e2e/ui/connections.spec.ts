import path from 'node:path';
import { createTopic } from '../integration/support';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { expect, settleTheme, shotsDir, test } from './fixtures';

test.describe('connections in browser mode', () => {
  test('add a SCRAM connection, test it, open it: the broker and a topic created beforehand are there', async ({
    page,
    app,
    kafka,
  }) => {
    const topic = `ui-orders-${Date.now()}`;
    await createTopic(kafka, topic, 4);
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await expect(page.getByTestId('connections-empty')).toBeVisible();
    await page.screenshot({ path: path.join(shotsDir, 'connections-empty-light.png') });

    await ui.startNew();
    await ui.fill({
      name: 'Local SCRAM',
      color: 'Green',
      bootstrap: kafka.listeners.sasl,
      mechanism: 'SASL/SCRAM-SHA-512',
      username: kafka.users.scram512.username,
      password: kafka.users.scram512.password,
    });
    await ui.testConnection();
    await expect(page.getByTestId('test-success')).toContainText(`Cluster ${kafka.clusterId}`);
    await expect(page.getByTestId('test-success')).toContainText('1 broker');
    await page.screenshot({ path: path.join(shotsDir, 'connection-editor-tested-light.png') });

    await ui.save();
    await expect(page.getByTestId('cluster-view')).toBeVisible();
    await expect(page.getByTestId('cluster-id')).toHaveText(`cluster ${kafka.clusterId}`);
    const brokers = page.getByTestId('brokers-table');
    await expect(brokers).toContainText('127.0.0.1');
    await expect(brokers).toContainText('19093');
    await expect(brokers).toContainText('controller');
    await expect(page.getByTestId('overview-brokers')).toContainText('1');
    await expect(page.getByTestId('sidebar-connection-Local SCRAM')).toBeVisible();
    await page.screenshot({ path: path.join(shotsDir, 'cluster-light.png') });

    await page.getByTestId('tab-topics').click();
    const topics = page.getByTestId('topics-table');
    // the list is virtualized: on a busy cluster a user filters to find a topic
    await page.getByTestId('topic-filter').locator('input').fill(topic);
    await expect(topics).toContainText(topic);
    await expect(topics.locator('tr', { hasText: topic })).toContainText('4');
    await expect(page.getByTestId('topic-count')).toHaveText(/^1 of \d+$/);
    await page.screenshot({ path: path.join(shotsDir, 'topics-light.png') });
    await page.getByTestId('theme-dark').click();
    await settleTheme(page, 'dark');
    await page.screenshot({ path: path.join(shotsDir, 'topics-dark.png') });
    await page.getByTestId('tab-overview').click();
    await expect(page.getByTestId('brokers-table')).toContainText('19093');
    await page.screenshot({ path: path.join(shotsDir, 'cluster-dark.png') });

    await page.goto(app.origin + '/#/connections');
    await expect(page.getByTestId('connection-row-Local SCRAM')).toBeVisible();
    await page.getByTestId('connection-test-Local SCRAM').click();
    await expect(page.getByTestId('connection-status-Local SCRAM')).toContainText('ok · 1 broker');
    await page.screenshot({ path: path.join(shotsDir, 'connections-dark.png') });
  });

  test('a wrong password shows the error next to the form and keeps what was typed', async ({ page, app, kafka }) => {
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    const values = {
      name: 'Typo in password',
      bootstrap: kafka.listeners.sasl,
      mechanism: 'SASL/SCRAM-SHA-256',
      username: kafka.users.scram256.username,
      password: 'definitely-wrong',
    };
    await ui.fill(values);
    await ui.testConnection();
    const error = ui.editor.getByTestId('error-notice');
    await expect(error).toBeVisible();
    await expect(error.getByTestId('error-message')).toHaveText(
      "The broker at 127.0.0.1:19093 refused the SASL/SCRAM-SHA-256 login for user 'scram256': the user name or password is wrong, or the user has no SCRAM-SHA-256 credentials.",
    );
    await error.getByTestId('error-detail-toggle').click();
    await expect(error.getByTestId('error-detail')).toContainText('SASL SCRAM SHA256 authentication failed');
    // nothing typed is lost
    await expect(ui.field('name')).toHaveValue(values.name);
    await expect(ui.field('bootstrap')).toHaveValue(values.bootstrap);
    await expect(ui.field('username')).toHaveValue(values.username);
    await expect(ui.field('password')).toHaveValue(values.password);
    await expect(page.getByTestId('field-mechanism')).toContainText('SCRAM-SHA-256');
    await page.screenshot({ path: path.join(shotsDir, 'connection-error-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await settleTheme(page, 'dark');
    await page.screenshot({ path: path.join(shotsDir, 'connection-error-dark.png') });

    // a bad bootstrap address is refused by the core, next to the field, nothing lost
    await ui.field('bootstrap').fill('not a host');
    await ui.save();
    await expect(ui.editor.getByTestId('error-notice')).toContainText('bootstrapServers');
    await expect(ui.field('bootstrap')).toHaveValue('not a host');
    await expect(ui.field('password')).toHaveValue(values.password);
  });
});

test.describe('editing and deleting', () => {
  test('edit keeps the saved password unless retyped; delete asks, then removes the connection everywhere', async ({
    page,
    app,
    kafka,
  }) => {
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    await ui.fill({
      name: 'Staging',
      bootstrap: kafka.listeners.sasl,
      mechanism: 'SASL/PLAIN',
      username: kafka.users.plain.username,
      password: kafka.users.plain.password,
      color: 'Orange',
    });
    await ui.save();
    await expect(page.getByTestId('cluster-view')).toBeVisible();

    await page.goto(app.origin + '/#/connections');
    await page.getByTestId('connection-row-Staging').getByRole('button', { name: 'Edit' }).click();
    await expect(ui.field('name')).toHaveValue('Staging');
    await expect(ui.field('password')).toHaveValue('');
    await expect(ui.field('password')).toHaveAttribute('placeholder', 'saved — leave empty to keep it');
    await ui.field('name').fill('Staging EU');
    await ui.testConnection();
    await expect(page.getByTestId('test-success')).toContainText('1 broker');
    await ui.save();
    await expect(page.getByTestId('sidebar-connection-Staging EU')).toBeVisible();
    await expect(page.getByTestId('cluster-id')).toHaveText(`cluster ${kafka.clusterId}`);

    await page.goto(app.origin + '/#/connections');
    await page.getByTestId('connection-test-Staging EU').click();
    await expect(page.getByTestId('connection-status-Staging EU')).toContainText('ok · 1 broker');
    await page.getByTestId('connection-delete-Staging EU').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Keep' }).click();
    await expect(page.getByTestId('connection-row-Staging EU')).toBeVisible();
    await page.getByTestId('connection-delete-Staging EU').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByTestId('connections-empty')).toBeVisible();
    await expect(page.getByTestId('sidebar-connection-Staging EU')).toHaveCount(0);
  });
});

test.describe('templates, import, duplicate', () => {
  test('import a .properties file: the form is filled, what was not imported is listed, the connection works', async ({
    page,
    app,
    kafka,
  }) => {
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    const props = [
      `bootstrap.servers=${kafka.listeners.sasl}`,
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=PLAIN',
      `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${kafka.users.plain.username}" password="${kafka.users.plain.password}";`,
      'group.id=billing-consumers',
    ].join('\n');
    await page
      .getByTestId('import-input')
      .setInputFiles({ name: 'billing.properties', mimeType: 'text/plain', buffer: Buffer.from(props) });
    const report = page.getByTestId('import-report');
    await expect(report).toContainText('group.id — a producer / consumer setting, not part of a connection');
    await expect(ui.field('name')).toHaveValue('billing');
    await expect(ui.field('bootstrap')).toHaveValue(kafka.listeners.sasl);
    await expect(page.getByTestId('field-mechanism')).toContainText('SASL/PLAIN');
    await expect(ui.field('username')).toHaveValue(kafka.users.plain.username);
    await expect(ui.field('password')).toHaveValue(kafka.users.plain.password);
    await page.screenshot({ path: path.join(shotsDir, 'connection-import-light.png') });
    await ui.testConnection();
    await expect(page.getByTestId('test-success')).toContainText(`Cluster ${kafka.clusterId}`);
    await ui.save();
    await expect(page.getByTestId('cluster-view')).toBeVisible();

    await page.goto(app.origin + '/#/connections');
    await page.getByTestId('connection-duplicate-billing').click();
    await expect(page.getByTestId('connection-row-billing (copy)')).toBeVisible();
    await page.getByTestId('connection-test-billing (copy)').click();
    await expect(page.getByTestId('connection-status-billing (copy)')).toContainText('ok · 1 broker');
  });

  test('the Event Hubs template fills SASL_SSL PLAIN on 9093 from a connection string', async ({ page, app }) => {
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    await ui.choose('template-select', 'Azure Event Hubs');
    await expect(page.getByTestId('template-note')).toContainText('Fill in: namespace, connection string');
    await page
      .getByTestId('event-hubs-string')
      .locator('input')
      .fill('Endpoint=sb://orders-ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abc=');
    await page.getByTestId('event-hubs-apply').click();
    await expect(ui.field('bootstrap')).toHaveValue('orders-ns.servicebus.windows.net:9093');
    await expect(ui.field('username')).toHaveValue('$ConnectionString');
    await expect(page.getByTestId('field-mechanism')).toContainText('SASL/PLAIN');
    await expect(page.getByTestId('field-tls')).toHaveClass(/n-switch--active/);
    await expect(page.getByTestId('field-verify')).toHaveClass(/n-switch--active/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await settleTheme(page, 'dark');
    await page.screenshot({ path: path.join(shotsDir, 'connection-template-dark.png') });
  });
});

test.describe('TLS files', () => {
  test('mutual TLS with a PKCS#12 file: a keystore gets a conversion hint, a wrong password is named, the right one connects', async ({
    page,
    app,
    kafka,
  }) => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'kafka-desk-p12-'));
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-in',
      kafka.tls.clientCert,
      '-inkey',
      kafka.tls.clientKey,
      '-passout',
      'pass:letmein',
      '-out',
      path.join(dir, 'client.p12'),
    ]);
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    await ui.fill({ name: 'mTLS p12', bootstrap: kafka.listeners.mtls });
    await page.getByTestId('field-tls').click();
    await page.getByTestId('field-ca-input').setInputFiles(kafka.tls.ca);
    // a Java keystore: told how to convert it, nothing taken
    await page.getByTestId('field-pkcs12-input').setInputFiles({
      name: 'client.jks',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]),
    });
    await expect(page.getByTestId('field-pkcs12-error')).toContainText(
      'is a Java keystore (JKS). Convert it: keytool -importkeystore',
    );
    await page.getByTestId('field-pkcs12-input').setInputFiles({
      name: 'client.p12',
      mimeType: 'application/x-pkcs12',
      buffer: readFileSync(path.join(dir, 'client.p12')),
    });
    await expect(page.getByTestId('field-pkcs12-chosen')).toContainText('client.p12');
    await ui.field('pkcs12-password').fill('wrong');
    await ui.testConnection();
    await expect(ui.editor.getByTestId('error-message')).toHaveText("The password does not open 'client.p12'.");
    await ui.field('pkcs12-password').fill('letmein');
    await ui.testConnection();
    await expect(page.getByTestId('test-success')).toContainText(`Cluster ${kafka.clusterId}`);
    await page.getByTestId('field-verify-hostname').click();
    await expect(page.getByTestId('hostname-warning')).toBeVisible();
    await page.screenshot({ path: path.join(shotsDir, 'connection-pkcs12-light.png'), fullPage: true });
    await page.getByTestId('field-verify-hostname').click();
    await ui.save();
    await expect(page.getByTestId('cluster-view')).toBeVisible();
  });
});

test.describe('OAUTHBEARER', () => {
  test('client credentials through the form: a wrong secret is blamed on the token endpoint, the right one connects', async ({
    page,
    app,
    kafka,
  }) => {
    const { startTokenServer } = await import('../integration/tokenServer');
    const tokens = await startTokenServer({ 'desk-ui': 'ui-secret' });
    try {
      const ui = new ConnectionsPage(page);
      await ui.open(app.url);
      await ui.startNew();
      await ui.fill({ name: 'OAuth', bootstrap: kafka.listeners.oauth, mechanism: 'OAUTHBEARER' });
      await ui.field('token-endpoint').fill(tokens.url);
      await ui.field('oauth-client-id').fill('desk-ui');
      await ui.field('oauth-secret').fill('not-it');
      // the test's token endpoint is plain HTTP: said before anything is sent, and refused until accepted
      await expect(page.getByTestId('oauth-plain-http-warning')).toBeVisible();
      await ui.testConnection();
      await expect(ui.editor.getByTestId('error-message')).toHaveText(
        `${tokens.url} is plain HTTP: the client secret would cross the network unencrypted, readable by anyone on the way. Use https, or accept sending it over plain HTTP (only on a network you trust).`,
      );
      expect(tokens.requests()).toBe(0);
      await page.getByTestId('field-oauth-allow-plain-http').click();
      await ui.testConnection();
      await expect(ui.editor.getByTestId('error-message')).toHaveText(
        "The OAuth token endpoint refused the client credentials of 'desk-ui' (invalid_client: Client authentication failed). Check the client id and secret.",
      );
      await ui.field('oauth-secret').fill('ui-secret');
      await ui.testConnection();
      await expect(page.getByTestId('test-success')).toContainText(`Cluster ${kafka.clusterId}`);
      await page.screenshot({ path: path.join(shotsDir, 'connection-oauth-light.png') });
      await ui.save();
      await expect(page.getByTestId('overview-brokers')).toBeVisible();
    } finally {
      await tokens.close();
    }
  });
});

test.describe('the connection doctor', () => {
  test('names the advertised-listener problem step by step, and shows the TLS chain', async ({ page, app, kafka }) => {
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    await ui.fill({ name: 'Bad advertised', bootstrap: kafka.listeners.unreachableAdvertised });
    await page.getByTestId('connection-doctor').click();
    await expect(page.getByTestId('doctor-verdict')).toContainText(
      'Problem found — Broker 1 advertises 127.0.0.1:19100',
    );
    await expect(page.getByTestId('doctor-step-metadata')).toHaveAttribute('data-status', 'ok');
    await expect(page.getByTestId('doctor-step-broker-connect')).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('doctor-step-broker-roundtrip')).toHaveAttribute('data-status', 'skipped');
    await page.screenshot({ path: path.join(shotsDir, 'doctor-advertised-light.png'), fullPage: true });

    await ui.field('bootstrap').fill(kafka.listeners.ssl);
    await page.getByTestId('field-tls').click();
    await page.getByTestId('field-ca-input').setInputFiles(kafka.tls.ca);
    await page.getByTestId('connection-doctor').click();
    await expect(page.getByTestId('doctor-verdict')).toContainText('Healthy — All 6 steps passed');
    await page.getByTestId('doctor-step-tls').getByRole('button', { name: 'Show the certificate chain' }).click();
    await expect(page.getByTestId('doctor-step-tls')).toContainText('trusted: yes · host name matches: yes');
    await expect(page.getByTestId('doctor-step-tls')).toContainText('CN=Kafka Desk Test CA');
    await page.emulateMedia({ colorScheme: 'dark' });
    await settleTheme(page, 'dark');
    await page.screenshot({ path: path.join(shotsDir, 'doctor-tls-dark.png'), fullPage: true });
  });
});
