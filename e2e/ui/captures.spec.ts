import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTopic } from '../integration/support';
import { seedConnection } from './pages/ClusterPages';
import { OperationPages } from './pages/OperationPages';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { expect, settleTheme, shotsDir, test } from './fixtures';

test.describe('captures', () => {
  test('first run: the sample capture opens with no cluster; search, JSON path, a note per message, rename, export byte-exact', async ({
    page,
    app,
  }) => {
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await expect(page.getByTestId('connections-empty')).toBeVisible();
    await page.getByTestId('first-run-sample').click();
    await expect(page.getByTestId('capture-title')).toHaveText('Sample: orders (offline demo)');
    await expect(page.getByTestId('capture-table-count')).toHaveText('39 rows');

    // a header value: the cancelled orders (searched in the store; the header count is marked)
    await page.getByTestId('capture-table-filter').locator('input').fill('payment-declined');
    await expect(page.getByTestId('capture-table-count')).toHaveText('7 of 39 rows');
    await expect(page.getByTestId('capture-table').locator('.hit')).toHaveCount(7);
    // combined with a JSON path on the value
    await page.getByTestId('capture-table-more-filters').click();
    await page.getByTestId('capture-table-json-path').locator('input').fill('$.customer.tier=gold');
    await expect(page.getByTestId('capture-table-count')).toHaveText('2 of 39 rows');
    await page.getByTestId('capture-table-filter').locator('input').fill('');
    await expect(page.getByTestId('capture-table-count')).toHaveText('9 of 39 rows');
    // a text match is marked in the value
    await page.getByTestId('capture-table-filter').locator('input').fill('GOLD');
    await expect(page.getByTestId('capture-table').locator('mark').first()).toHaveText('gold');
    await page.getByTestId('capture-table-filter').locator('input').fill('');

    // the inspector works on a capture; a note on one message stays
    await page.getByTestId('capture-table').locator('[role=row][data-testid^="message-"]').first().click();
    await expect(page.getByTestId('capture-message-note')).toBeVisible();
    await page.getByTestId('capture-message-note').locator('textarea').fill('gold customer, paid twice?');
    await page.getByTestId('capture-note').locator('textarea').click();
    await expect(page.getByText('Note saved')).toBeVisible();
    await page.screenshot({ path: path.join(shotsDir, 'capture-sample-light.png') });

    await page.reload();
    await page.getByTestId('capture-table-more-filters').click();
    await page.getByTestId('capture-table-json-path').locator('input').fill('$.customer.tier=gold');
    await expect(page.getByTestId('capture-table-count')).toHaveText('9 of 39 rows');
    await page.getByTestId('capture-table').locator('[role=row][data-testid^="message-"]').first().click();
    await expect(page.getByTestId('capture-message-note').locator('textarea')).toHaveValue(
      'gold customer, paid twice?',
    );

    await page.getByTestId('capture-rename').click();
    await page.getByTestId('capture-name-input').locator('input').fill('Orders sample (renamed)');
    await page.getByTestId('capture-rename-save').click();
    await expect(page.getByTestId('capture-title')).toHaveText('Orders sample (renamed)');
    await expect(page.getByTestId('capture-item-Orders sample (renamed)')).toBeVisible();

    // export: the same bytes as the file it came from (binary value and tombstone included); the JSON path filter is still on, so "all" is chosen
    await page.getByTestId('capture-export-ndjson').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('capture-export-all').click(),
    ]);
    const exported = readFileSync(await download.path(), 'utf8');
    expect(exported).toBe(readFileSync(path.resolve('resources/sample-capture.ndjson'), 'utf8'));

    // rows picked with Ctrl/⌘-click: exported alone, saved as a capture of their own
    const rows = page.getByTestId('capture-table').locator('[role=row][data-testid^="message-"]');
    await rows.nth(0).click({ modifiers: ['ControlOrMeta'] });
    await rows.nth(2).click({ modifiers: ['ControlOrMeta'] });
    await expect(page.getByTestId('capture-table-picked')).toHaveText('2 picked');
    const [pickedDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('capture-export-ndjson').click(),
    ]);
    const pickedLines = readFileSync(await pickedDownload.path(), 'utf8')
      .trim()
      .split('\n');
    const sampleLines = readFileSync(path.resolve('resources/sample-capture.ndjson'), 'utf8').trim().split('\n');
    expect(pickedLines).toHaveLength(2);
    for (const line of pickedLines) expect(sampleLines).toContain(line);
    await page.getByTestId('save-capture').click();
    await page.getByTestId('save-capture-name').locator('input').fill('two picked');
    await page.getByTestId('save-capture-submit').click();
    await page.getByTestId('save-capture-open').click();
    await expect(page.getByTestId('capture-title')).toHaveText('two picked');
    await expect(page.getByTestId('capture-table-count')).toHaveText('2 rows');
    await expect(page.getByTestId('captures-view')).toContainText('from selection');

    await page.getByTestId('theme-dark').click();
    await settleTheme(page, 'dark');
    await page.screenshot({ path: path.join(shotsDir, 'capture-sample-dark.png') });
  });

  test('a Consume is saved as a capture, opened, replayed into another topic, and deleted', async ({
    page,
    app,
    kafka,
  }) => {
    const topic = `ui-capture-${Date.now()}`;
    await createTopic(kafka, topic, 2);
    execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic, '-K', ':'], { input: 'a:1\nb:2\nc:3\n' });
    const id = await seedConnection(app.dataDir, {
      name: 'cap',
      bootstrapServers: [kafka.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    });
    const ui = new OperationPages(page, app.origin, id);
    await page.goto(app.url);
    await ui.open('consume');
    await ui.pickTopic('consume-topic', topic);
    await page.getByTestId('consume-run').click();
    await expect(page.getByTestId('consume-summary')).toContainText('3');
    await page.getByTestId('save-capture').click();
    await page.getByTestId('save-capture-name').locator('input').fill('three letters');
    await page.getByTestId('save-capture-submit').click();
    await page.getByTestId('save-capture-open').click();
    await expect(page.getByTestId('capture-title')).toHaveText('three letters');
    await expect(page.getByTestId('capture-table-count')).toHaveText('3 rows');
    await expect(page.getByTestId('captures-view')).toContainText(`from cap`);
    // replay into another topic of the same cluster, with the captured partitions
    const copy = `${topic}-replayed`;
    await createTopic(kafka, copy, 2);
    await page.getByTestId('capture-replay').click();
    await page.getByTestId('replay-topic').locator('input').fill(copy);
    await page.getByTestId('replay-same-partitions').click();
    await page.getByTestId('replay-run').click();
    await expect(page.getByTestId('replay-result')).toContainText('3 delivered, 0 failed.');
    await page.screenshot({ path: path.join(shotsDir, 'capture-replay-light.png') });
    const theirs = execFileSync(
      'kcat',
      ['-b', kafka.listeners.plaintext, '-C', '-t', copy, '-o', 'beginning', '-e', '-q', '-f', '%k=%s\n'],
      { timeout: 30_000 },
    ).toString();
    expect(theirs.trim().split('\n').sort()).toEqual(['a=1', 'b=2', 'c=3']);
    await page.keyboard.press('Escape');
    await page.getByTestId('capture-delete').click();
    await page.getByRole('button', { name: 'Delete' }).last().click();
    await expect(page.getByTestId('capture-none')).toBeVisible();
    await expect(page.getByTestId('capture-item-three letters')).toHaveCount(0);
  });
});
