import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { createTopic } from '../integration/support';
import { seedConnection } from './pages/ClusterPages';
import { OperationPages } from './pages/OperationPages';
import { expect, screenshotsAt, test } from './fixtures';

/** Screenshots are taken once on the code before a change (`before-…`) and once after it. */
const SHOTS = process.env.KD_SHOTS_PREFIX ?? 'after';
const local = (kafka: { listeners: { plaintext: string } }) => ({
  name: 'Local',
  bootstrapServers: [kafka.listeners.plaintext],
  sasl: { mechanism: 'none' as const },
  tls: { enabled: false },
});
const produce = (kafka: { listeners: { plaintext: string } }, topic: string, lines: string[]) =>
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic, '-p', '0'], {
    input: lines.join('\n') + '\n',
  });
const box = async (page: Page, testid: string) => {
  const b = await page.getByTestId(testid).first().boundingBox();
  if (!b) throw new Error(`${testid} is not on screen`);
  return b;
};

test('the message table takes the width it has; the inspector opens beside it, resizable, its width remembered', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-width-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  const long = (i: number) =>
    `{"order":"O-${i}","customer":"customer-with-a-rather-long-identifier-${i}","lines":[${'1234567890,'.repeat(12)}0]}`;
  produce(
    kafka,
    topic,
    Array.from({ length: 5 }, (_, i) => long(i)),
  );
  const id = await seedConnection(app.dataDir, local(kafka));
  const ui = new OperationPages(page, app.origin, id);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('5 messages');
  await expect(ui.row(0, 0)).toBeVisible();
  await screenshotsAt(page, `${SHOTS}-item3-table`);
  await page.setViewportSize({ width: 1440, height: 900 });

  // no message selected: the table is as wide as the screen area (less its padding)
  const view = await box(page, 'consume-view');
  const table = await box(page, 'message-table');
  expect(table.width / view.width).toBeGreaterThanOrEqual(0.95);
  // the value column shows at least 60 characters of a long value
  const valueChars = await ui
    .row(0, 0)
    .locator('[data-col=value]')
    .evaluate((el) => {
      const doc = el.ownerDocument;
      const probe = doc.createElement('span');
      probe.style.font = doc.defaultView!.getComputedStyle(el).font;
      probe.style.position = 'absolute';
      probe.style.whiteSpace = 'pre';
      probe.textContent = 'x'.repeat(10);
      doc.body.append(probe);
      const per = probe.getBoundingClientRect().width / 10;
      probe.remove();
      return el.clientWidth / per;
    });
  expect(valueChars).toBeGreaterThanOrEqual(60);
  // no column header is cut
  const clipped = await page
    .getByTestId('message-table')
    .locator('[role=columnheader]')
    .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
  expect(clipped).toEqual([]);
  await expect(page.getByTestId('inspector')).toHaveCount(0);

  // a selected message opens the inspector beside the table
  await ui.row(0, 0).click();
  await expect(page.getByTestId('inspector')).toBeVisible();
  const t1 = await box(page, 'message-table');
  const i1 = await box(page, 'inspector');
  expect(i1.x).toBeGreaterThanOrEqual(t1.x + t1.width);
  expect(Math.abs(i1.y - t1.y)).toBeLessThan(80);
  const sizes = await page
    .getByTestId('message-table')
    .locator('[role=columnheader]')
    .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
  expect(sizes).toEqual([]);

  // the separator between them: dragged, then moved with the keyboard
  const sep = page.getByRole('separator', { name: /inspector/i });
  await expect(sep).toBeVisible();
  const before = Number(await sep.getAttribute('aria-valuenow'));
  const s = (await sep.boundingBox())!;
  await page.mouse.move(s.x + s.width / 2, s.y + 40);
  await page.mouse.down();
  await page.mouse.move(s.x + s.width / 2 - 60, s.y + 40, { steps: 4 });
  await page.mouse.move(s.x + s.width / 2 - 120, s.y + 40, { steps: 4 });
  await page.mouse.up();
  const dragged = Number(await sep.getAttribute('aria-valuenow'));
  expect(dragged).toBeLessThan(before - 80);
  const i2 = await box(page, 'inspector');
  expect(i2.width).toBeGreaterThan(i1.width + 80);
  await sep.focus();
  await page.keyboard.press('ArrowRight');
  const keyed = Number(await sep.getAttribute('aria-valuenow'));
  expect(keyed).toBeGreaterThan(dragged);
  const wide = (await box(page, 'inspector')).width;
  await screenshotsAt(page, `${SHOTS}-item3-inspector`);
  await page.setViewportSize({ width: 1440, height: 900 });

  // remembered: after a reload, and in a Listen tab
  await page.reload();
  await expect(ui.row(0, 0)).toBeVisible();
  await ui.row(0, 0).click();
  await expect(page.getByTestId('inspector')).toBeVisible();
  expect(Math.abs((await box(page, 'inspector')).width - wide)).toBeLessThanOrEqual(2);
  await page.goto(`${app.origin}/#/connections/${id}/listen?new=1`);
  await ui.pickTopic('listen-topic', topic);
  await ui.choose('listen-from', 'From the beginning');
  await page.getByTestId('listen-start').click();
  await expect(page.getByTestId('listen-total')).toHaveText('5 received');
  const lv = await box(page, 'listen-view');
  expect((await box(page, 'listen-table')).width / lv.width).toBeGreaterThanOrEqual(0.95);
  await ui.row(0, 1).click();
  await expect(page.getByTestId('inspector')).toBeVisible();
  expect(Math.abs((await box(page, 'inspector')).width - wide)).toBeLessThanOrEqual(2);
  // closed again (a click on the selected row, or Esc once the Listen is stopped): the table has the width back
  await ui.row(0, 1).click();
  await expect(page.getByTestId('inspector')).toHaveCount(0);
  expect((await box(page, 'listen-table')).width / lv.width).toBeGreaterThanOrEqual(0.95);
  await page.getByTestId('listen-stop').click();
  await expect(page.getByTestId('listen-state')).toHaveText('stopped');
  await ui.row(0, 2).click();
  await expect(page.getByTestId('inspector')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('inspector')).toHaveCount(0);
});

test('a table filter is always in view: what it is, what it hides, one click to clear; a preset says it saves it', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-chip-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  produce(kafka, topic, ['alpha-1', 'beta-2', 'gamma-3', 'delta-4', 'beta-5']);
  const id = await seedConnection(app.dataDir, local(kafka));
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('message-table-count')).toHaveText('5 rows');
  await expect(page.getByTestId('message-table-filter-chip')).toHaveCount(0);

  await ui.input('message-table-filter').fill('beta');
  const chip = page.getByTestId('message-table-filter-chip');
  await expect(chip).toHaveText(/Filter: text ‘beta’ · 2 of 5 rows shown/);
  // kept across runs in the tab (a view set up on purpose) — and still said
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('5 messages');
  await expect(chip).toHaveText(/Filter: text ‘beta’ · 2 of 5 rows shown/);

  // a filter that matches nothing: the empty table says so, not "no data", and clears in one click
  await ui.input('message-table-filter').fill('nowhere');
  await expect(chip).toHaveText(/Filter: text ‘nowhere’ · 0 of 5 rows shown/);
  await expect(page.getByTestId('message-table-empty')).toContainText('No row matches the filter (5 rows without it).');
  await screenshotsAt(page, `${SHOTS}-item8-filter-empty`);
  await page.getByTestId('message-table-empty-clear').click();
  await expect(page.getByTestId('message-table-count')).toHaveText('5 rows');
  await expect(chip).toHaveCount(0);

  // a filter in "More filters" (hidden once they are closed) is in the bar too, and so is its clear
  await page.getByTestId('message-table-more-filters').click();
  await ui.input('message-table-offset-from').fill('3');
  await page.getByTestId('message-table-more-filters').click();
  await expect(chip).toHaveText(/Filter: offset ≥ 3 · 2 of 5 rows shown/);
  await page.getByTestId('message-table-filter-chip-clear').click();
  await expect(page.getByTestId('message-table-count')).toHaveText('5 rows');

  // the save-preset dialog names the view it saves, and can leave it out
  await ui.input('message-table-filter').fill('beta');
  await expect(chip).toContainText('2 of 5 rows shown');
  await page.getByTestId('save-preset').click();
  await expect(page.getByTestId('preset-view-summary')).toContainText(
    'Saves the view — table filter: text ‘beta’; decoding: auto.',
  );
  await screenshotsAt(page, `${SHOTS}-item8-save-preset`);
  await ui.input('preset-name').fill('Betas');
  await page.getByTestId('preset-save').click();
  await expect(page.getByTestId('save-preset-dialog')).toHaveCount(0);
  await page.getByTestId('save-preset').click();
  await ui.input('preset-name').fill('Everything');
  await page.getByTestId('preset-leave-view-out').click();
  await page.getByTestId('preset-save').click();
  await expect(page.getByTestId('save-preset-dialog')).toHaveCount(0);

  await page.getByTestId('sidebar-presets').click();
  await expect(page.getByTestId('preset-view-Betas')).toHaveText(
    'opens with table filter: text ‘beta’; decoding: auto',
  );
  await expect(page.getByTestId('preset-Everything')).toBeVisible();
  await expect(page.getByTestId('preset-view-Everything')).toHaveCount(0);
  await page.getByTestId('preset-edit-Betas').click();
  await expect(page.getByTestId('preset-edit-view')).toContainText('Opens with table filter: text ‘beta’');
  await page.getByTestId('preset-edit-dialog').getByRole('button', { name: 'Cancel' }).click();
  // opened, the preset shows its filter above the rows at once
  await page.getByTestId('preset-Betas').click();
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('message-table-filter-chip')).toHaveText(/Filter: text ‘beta’ · 2 of 5 rows shown/);
});

test('a JSON path with a comparison is refused with what is supported, by the search and by the table filter', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-jsonpath-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  produce(kafka, topic, ['{"n": 95}', '{"n": 10}', '{"n": 91}']);
  const id = await seedConnection(app.dataDir, local(kafka));
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);

  // the search while reading (in the core)
  await ui.choose('consume-filter-kind', 'JSON path');
  await ui.input('consume-filter').fill('$.n>90');
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('error-message')).toContainText('The JSON path $.n>90 is not supported');
  await expect(page.getByTestId('error-message')).toContainText("Kafka Desk's JSON paths name members and indexes");
  await expect(page.getByTestId('consume-summary')).toHaveCount(0);
  await ui.input('consume-filter').fill('$.n=95');
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('1 message matched of 3 scanned');

  // the table's own filter (in the session store)
  await ui.input('consume-filter').fill('');
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('message-table-count')).toHaveText('3 rows');
  await page.getByTestId('message-table-more-filters').click();
  await ui.input('message-table-json-path').fill('$.n>90');
  await expect(page.getByTestId('message-table-filter-error')).toContainText('The JSON path $.n>90 is not supported');
  await expect(page.getByTestId('message-table-filter-error')).toContainText('comparisons are not path syntax');
  await expect(page.getByTestId('message-table-empty')).toContainText(
    'The filter above is not one Kafka Desk can run: nothing is shown.',
  );
  await expect(page.getByTestId('message-table-filter-chip')).toContainText('nothing shown');
  await screenshotsAt(page, `${SHOTS}-item9-json-path`);
  await ui.input('message-table-json-path').fill('$.n=91');
  await expect(page.getByTestId('message-table-count')).toHaveText('1 of 3 rows');
  await expect(page.getByTestId('message-table-filter-error')).toHaveCount(0);
});

test('a reload keeps what a Consume read and what a Listen received, and the Listen goes on live', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-reload-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  produce(kafka, topic, ['one', 'two', 'three']);
  const id = await seedConnection(app.dataDir, local(kafka));
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('message-table-count')).toHaveText('3 rows');
  const summary = await page.getByTestId('consume-summary').innerText();

  await page.reload();
  await expect(page.getByTestId('message-table-count')).toHaveText('3 rows');
  await expect(page.getByTestId('consume-summary')).toHaveText(summary);
  await expect(ui.row(0, 2)).toContainText('three');
  await expect(page.getByTestId('consume-topic')).toContainText(topic);

  // a Listen in another tab: its rows come back, and it is still running in the core
  await page.goto(`${app.origin}/#/connections/${id}/listen?new=1`);
  await ui.pickTopic('listen-topic', topic);
  await ui.choose('listen-from', 'From the beginning');
  await page.getByTestId('listen-start').click();
  await expect(page.getByTestId('listen-total')).toHaveText('3 received');
  await expect(page.getByTestId('listen-state')).toHaveText('running');
  await page.reload();
  await expect(page.getByTestId('listen-table-count')).toHaveText('3 rows');
  await expect(page.getByTestId('listen-state')).toHaveText('running');
  produce(kafka, topic, ['four', 'five']);
  await expect(page.getByTestId('listen-total')).toHaveText('5 received');
  await expect(page.getByTestId('listen-table-count')).toHaveText('5 rows');
  await page.getByTestId('listen-stop').click();
  await expect(page.getByTestId('listen-state')).toHaveText('stopped');
  await page.reload();
  await expect(page.getByTestId('listen-state')).toHaveText('stopped');
  await expect(page.getByTestId('listen-table-count')).toHaveText('5 rows');

  // the core restarted meanwhile (its instance is another): one sentence instead of an empty table.
  // The test core cannot restart under the page, so the tab's memory is made to name another instance.
  await page.evaluate(() => {
    const ls = (
      globalThis as unknown as {
        localStorage: {
          length: number;
          key(i: number): string | null;
          getItem(k: string): string | null;
          setItem(k: string, v: string): void;
        };
      }
    ).localStorage;
    for (let i = 0; i < ls.length; i++) {
      const k = ls.key(i);
      if (!k?.startsWith('kafka-desk.tab-run.')) continue;
      const v = JSON.parse(ls.getItem(k)!) as { instance?: string };
      ls.setItem(k, JSON.stringify({ ...v, instance: 'the-core-before-a-restart' }));
    }
  });
  await page.reload();
  await expect(page.getByTestId('listen-gone')).toHaveText(
    'The messages of this Listen are gone: the app was restarted. Listen again.',
  );
  await page.getByTestId('tab-consume').click();
  await expect(page.getByTestId('consume-gone')).toHaveText(
    'The results of this read are gone: the app was restarted. Read again.',
  );
  await expect(page.getByTestId('consume-topic')).toContainText(topic);
  await screenshotsAt(page, `${SHOTS}-item10-gone`);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('message-table-count')).toHaveText('5 rows');
  await expect(page.getByTestId('consume-gone')).toHaveCount(0);
});
