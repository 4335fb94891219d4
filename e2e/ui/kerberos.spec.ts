import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTopic } from '../integration/support';
import { ClusterPages } from './pages/ClusterPages';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { expect, screenshotsAt, settleTheme, shotsDir, test } from './fixtures';

test.describe('Kerberos (SASL/GSSAPI)', () => {
  test('create a Kerberos connection by picking a keytab and a krb5.conf, test it, browse a topic; keytab bytes never come back from the core', async ({
    page,
    app,
    kafka,
  }) => {
    if (!kafka.kerberos) console.log('skipped: the test broker has no GSSAPI listeners (krb5-kdc is not installed)');
    test.skip(!kafka.kerberos, 'the test broker has no GSSAPI listeners (krb5-kdc is not installed)');
    const krb = kafka.kerberos!;
    const topic = `ui-krb-${Date.now()}`;
    await createTopic(kafka, topic, 3);
    execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic, '-p', '1'], { input: 'one\ntwo\n' });
    const keytab = readFileSync(krb.keytabUser.keytab);
    // everything the core sends to this page, to check that no keytab bytes are in it
    const received: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', (f) =>
        received.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8')),
      ),
    );

    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    await ui.fill({ name: 'Kerberos alice', bootstrap: krb.listeners.gssapi, mechanism: 'SASL/GSSAPI (Kerberos)' });
    await ui.field('kerberos-principal').fill(krb.keytabUser.principal);
    // first a file that is not a keytab: said so, next to the field; what was typed stays
    await page.getByTestId('field-keytab-input').setInputFiles({
      name: 'notes.keytab',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('not a keytab'),
    });
    await page.getByTestId('field-krb5-conf-input').setInputFiles(krb.krb5Conf);
    await ui.testConnection();
    await expect(ui.editor.getByTestId('error-message')).toHaveText(
      "'notes.keytab' is not a Kerberos keytab (it does not start with a keytab header (0x0501 or 0x0502)). Export one with ktutil, kadmin's ktadd, or ktpass.",
    );
    await expect(ui.field('kerberos-principal')).toHaveValue(krb.keytabUser.principal);
    await expect(ui.editor.getByText('none chosen')).toHaveCount(0);
    await expect(ui.editor.locator('.n-form-item-feedback--error', { hasText: 'not a keytab' })).toHaveCSS(
      'opacity',
      '1',
    );
    await page.screenshot({ path: path.join(shotsDir, 'connection-kerberos-bad-keytab-light.png'), fullPage: true });

    await page
      .getByTestId('field-keytab-input')
      .setInputFiles({ name: 'alice.keytab', mimeType: 'application/octet-stream', buffer: keytab });
    await expect(page.getByTestId('field-keytab-chosen')).toContainText('alice.keytab');
    await expect(page.getByTestId('field-krb5-conf-chosen')).toContainText('krb5.conf');
    await ui.testConnection();
    await expect(page.getByTestId('test-success')).toContainText(`Cluster ${kafka.clusterId}`);
    await page.getByTestId('connection-doctor').click();
    const kerberosStep = page.getByTestId('doctor-step-kerberos').first();
    await expect(kerberosStep).toContainText(
      `Logged in as ${krb.keytabUser.principal} (realm ${krb.realm}) with the keytab 'alice.keytab'`,
    );
    await kerberosStep.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shotsDir, 'connection-kerberos-doctor-light.png') });

    await ui.save();
    await expect(page.getByTestId('cluster-view')).toBeVisible();
    const id = /#\/connections\/([a-z0-9-]+)/.exec(page.url())![1]!;
    const cluster = new ClusterPages(page, app.origin, id);
    await cluster.topics();
    await page.getByTestId('topic-filter').locator('input').fill(topic);
    await expect(page.getByTestId('topics-table')).toContainText(topic);
    await cluster.topic(topic);
    await expect(page.getByTestId('topic-partition-count')).toContainText('3');
    await expect(page.getByTestId('topic-messages')).toContainText('2');

    await page.getByTestId('theme-dark').click();
    await settleTheme(page, 'dark');
    // the saved connection shows its files as name, size, fingerprint and what they hold
    await page.goto(`${app.origin}/#/connections/${id}/edit`);
    await ui.editor.waitFor();
    await ui.drawerSettled();
    await expect(page.getByTestId('field-keytab-chosen')).toContainText('alice.keytab');
    await expect(page.getByTestId('field-keytab-chosen')).toContainText(`holds ${krb.keytabUser.principal}`);
    await expect(page.getByTestId('field-krb5-conf-chosen')).toContainText('default realm TEST.LOCAL');
    await page.screenshot({ path: path.join(shotsDir, 'connection-kerberos-saved-dark.png'), fullPage: true });

    expect(received.length).toBeGreaterThan(10);
    const all = received.join('\n');
    const b64 = keytab.toString('base64');
    for (let i = 0; i + 24 <= b64.length; i += 4) expect(all.includes(b64.slice(i, i + 24))).toBe(false);
    expect(all).toContain(`"principals":["${krb.keytabUser.principal}"]`);
  });
  test('a krb5.conf that loads code is refused until the checkbox is ticked; what it also reads and what it loads are shown', async ({
    page,
    app,
    kafka,
  }) => {
    test.skip(!kafka.kerberos, 'the test broker has no GSSAPI listeners (krb5-kdc is not installed)');
    const krb = kafka.kerberos!;
    // the realm comes from the run's krb5.conf, included; the [plugins] module is not there (krb5 skips it)
    const conf = `include ${krb.krb5Conf}\n[plugins]\n  ccselect = {\n    module = kd_missing:/nonexistent/libkd-missing.so\n  }\n`;
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    await ui.fill({ name: 'Kerberos plugins', bootstrap: krb.listeners.gssapi, mechanism: 'SASL/GSSAPI (Kerberos)' });
    await ui.field('kerberos-principal').fill(krb.keytabUser.principal);
    await page.getByTestId('field-keytab-input').setInputFiles({
      name: 'alice.keytab',
      mimeType: 'application/octet-stream',
      buffer: readFileSync(krb.keytabUser.keytab),
    });
    await page
      .getByTestId('field-krb5-conf-input')
      .setInputFiles({ name: 'shared-krb5.conf', mimeType: 'text/plain', buffer: Buffer.from(conf) });
    // what else krb5 will read shows as soon as the file is chosen
    await expect(page.getByTestId('krb5-includes')).toContainText(`line 1 include ${krb.krb5Conf}`);
    await expect(page.getByTestId('field-krb5-allow-code')).toHaveCount(0);

    await ui.save();
    await expect(ui.editor.getByTestId('error-message')).toHaveText(
      '\'shared-krb5.conf\' makes the Kerberos library load code: line 2 `[plugins]`, line 4 `module = kd_missing:/nonexistent/libkd-missing.so`. Kafka Desk refuses it unless you confirm that you trust that code ("Let the Kerberos library load this code" in the form, --allow-krb5-modules on the command line), or choose a krb5.conf without those lines.',
    );
    await expect(page.getByTestId('krb5-loads-code')).toBeVisible();
    await expect(
      ui.editor.locator('.n-form-item-feedback--error', { hasText: 'loads code: line 2 `[plugins]`, line 4' }),
    ).toBeVisible();
    await expect(ui.field('kerberos-principal')).toHaveValue(krb.keytabUser.principal);
    await expect(page.getByTestId('field-krb5-conf-chosen')).toContainText('shared-krb5.conf');
    await page.screenshot({ path: path.join(shotsDir, 'connection-kerberos-loads-code-light.png'), fullPage: true });
    await screenshotsAt(page, 'connection-kerberos-loads-code');

    await page.getByTestId('field-krb5-allow-code').click();
    await ui.testConnection();
    await expect(page.getByTestId('test-success')).toContainText(`Cluster ${kafka.clusterId}`);
    await ui.save();
    await expect(page.getByTestId('cluster-view')).toBeVisible();
    const id = /#\/connections\/([a-z0-9-]+)/.exec(page.url())![1]!;

    // saved: the window shows the include and the lines that load code, from the core's reading of the file
    await page.goto(`${app.origin}/#/connections/${id}/edit`);
    await ui.editor.waitFor();
    await ui.drawerSettled();
    await expect(page.getByTestId('krb5-includes')).toContainText(`line 1 include ${krb.krb5Conf}`);
    const warning = page.getByTestId('krb5-loads-code');
    await expect(warning).toContainText('which you allowed when you chose it');
    await expect(warning).toContainText('line 2 [plugins]');
    await expect(warning).toContainText('line 4 module = kd_missing:/nonexistent/libkd-missing.so');
  });

  test('a principal that starts with "-" is refused next to the field; what was typed stays', async ({
    page,
    app,
    kafka,
  }) => {
    test.skip(!kafka.kerberos, 'the test broker has no GSSAPI listeners (krb5-kdc is not installed)');
    const krb = kafka.kerberos!;
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await ui.startNew();
    await ui.fill({ name: 'Kerberos dash', bootstrap: krb.listeners.gssapi, mechanism: 'SASL/GSSAPI (Kerberos)' });
    await ui.field('kerberos-principal').fill('-V');
    await ui.choose('field-kerberos-credentials', 'A password');
    await ui.field('kerberos-password').fill(krb.passwordUser.password);
    await ui.testConnection();
    await expect(ui.editor.locator('.n-form-item-feedback--error', { hasText: "cannot start with '-'" })).toBeVisible();
    await expect(ui.field('kerberos-principal')).toHaveValue('-V');
    await expect(page.getByTestId('test-success')).toHaveCount(0);
  });
});
