import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createTopic } from '../integration/support';
import { expect, screenshotsAt, test } from './fixtures';
import { seedConnection } from './pages/ClusterPages';
import { OperationPages } from './pages/OperationPages';

/** Screenshots are named `before-…` on the code before a change (KD_SHOTS_PREFIX=before), `after-…` otherwise. */
const SHOTS = process.env.KD_SHOTS_PREFIX ?? 'after';
const local = (kafka: { listeners: { plaintext: string } }, name = 'Local') => ({
  name,
  color: 'green' as const,
  bootstrapServers: [kafka.listeners.plaintext],
  sasl: { mechanism: 'none' as const },
  tls: { enabled: false },
});

/** Reads a topic partition back with kcat: key|value|headers per line. */
const kcatRead = (bootstrap: string, topic: string, partition = 0) =>
  execFileSync('kcat', [
    '-b',
    bootstrap,
    '-C',
    '-t',
    topic,
    '-p',
    String(partition),
    '-o',
    'beginning',
    '-e',
    '-q',
    '-f',
    '%k|%s|%h\n',
  ]).toString();

/** The values of a topic's messages, read back with kcat (its JSON envelope: values over several lines stay whole). */
const kcatValues = (bootstrap: string, topic: string) =>
  execFileSync('kcat', ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J'])
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { payload: string }).payload);

/** Whether an element lies wholly inside the window. */
async function inViewport(page: Page, testid: string): Promise<boolean> {
  const box = await page.getByTestId(testid).boundingBox();
  const size = page.viewportSize();
  return Boolean(
    box && size && box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width,
  );
}

/** What the page put on the clipboard (read in the page: the DOM's navigator). */
const clipboardText = (page: Page) =>
  page.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  );

async function consumeAndPick(page: Page, ui: OperationPages, topic: string, count: number, offset: number) {
  await page.getByTestId('tab-consume').click();
  await expect(page.getByTestId('consume-view')).toBeVisible();
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText(`${count} messages · reached the end`);
  await ui.row(0, offset).first().click();
  await expect(page.getByTestId('inspector')).toBeVisible();
}

test('re-send opens a new Produce tab with exactly that message; the open Produce tab keeps its batch', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-resend-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  execFileSync(
    'kcat',
    ['-b', kafka.listeners.plaintext, '-P', '-t', topic, '-k', 'order-42', '-H', 'trace=abc-123', '-H', 'source=kcat'],
    { input: '{"id": 42, "status": "paid"}\n' },
  );
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic, '-k', 'order-43', '-H', 'trace=def-456'], {
    input: 'second message\n',
  });
  const id = await seedConnection(app.dataDir, local(kafka));
  await seedConnection(app.dataDir, local(kafka, 'Other'));
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);

  // a Produce tab busy with something else: a 1,000-message template batch at 150/s
  await ui.open('produce');
  await ui.pickTopic('produce-topic', topic);
  await ui.setEditor('produce-value', 'load-{{seq}}');
  await ui.input('produce-count').fill('1000');
  await ui.input('produce-rate').fill('150');
  await page.getByTestId('produce-template').click();
  await ui.input('produce-key').click(); // the number fields take their value on blur

  await consumeAndPick(page, ui, topic, 2, 0);
  await page.getByTestId('resend').click();
  await page.getByTestId('resend-go').click();
  await expect(page.getByTestId('produce-view')).toBeVisible();
  await expect(page.getByTestId('produce-value').locator('.monaco-editor')).toBeVisible();
  await expect(page.getByTestId('resend-dialog')).toHaveCount(0);
  await screenshotsAt(page, `${SHOTS}-item1-resend`);

  // a second Produce tab, with the message: key, value, headers, and the topic it came from; one message, no template
  await expect(page.getByTestId('open-tab-produce')).toHaveCount(2);
  await expect(ui.editor('produce-value')).toHaveAttribute('data-value', '{"id": 42, "status": "paid"}');
  await expect(ui.input('produce-key')).toHaveValue('order-42');
  await expect(ui.input('produce-header-key-0')).toHaveValue('trace');
  await expect(ui.input('produce-header-value-0')).toHaveValue('abc-123');
  await expect(ui.input('produce-header-key-1')).toHaveValue('source');
  await expect(ui.input('produce-header-value-1')).toHaveValue('kcat');
  await expect(page.getByTestId('produce-topic')).toContainText(topic);
  await expect(ui.input('produce-count')).toHaveValue('1');
  await expect(ui.input('produce-rate')).toHaveValue('0');
  await expect(page.getByTestId('produce-template')).toHaveAttribute('aria-checked', 'false');

  // a second re-send while the first re-send tab is open: a third tab, with the second message
  await page.getByTestId('open-tab-consume').click();
  await ui.row(0, 1).first().click();
  await expect(page.getByTestId('inspector')).toContainText(`${topic}[0] @ 1`);
  await page.getByTestId('resend').click();
  await page.getByTestId('resend-go').click();
  await expect(page.getByTestId('open-tab-produce')).toHaveCount(3);
  await expect(ui.editor('produce-value')).toHaveAttribute('data-value', 'second message');
  await expect(ui.input('produce-key')).toHaveValue('order-43');
  await expect(ui.input('produce-header-value-0')).toHaveValue('def-456');

  // re-send to another connection: a tab on that connection, the topic left to choose
  await page.getByTestId('open-tab-consume').click();
  await ui.row(0, 0).first().click();
  await page.getByTestId('resend').click();
  await ui.choose('resend-connection', 'Other');
  await page.getByTestId('resend-go').click();
  await expect(page.getByTestId('open-tab-produce')).toHaveCount(4);
  await expect(page.getByTestId('open-tab-produce').nth(3)).toContainText('Other');
  await expect(ui.editor('produce-value')).toHaveAttribute('data-value', '{"id": 42, "status": "paid"}');
  await expect(ui.input('produce-key')).toHaveValue('order-42');
  await expect(page.getByTestId('produce-topic')).not.toContainText(topic);

  // the first Produce tab still holds its own batch
  await page.getByTestId('open-tab-produce').first().click();
  await expect(ui.editor('produce-value')).toHaveAttribute('data-value', 'load-{{seq}}');
  await expect(ui.input('produce-count')).toHaveValue('1000');
  await expect(ui.input('produce-rate')).toHaveValue('150');
  await expect(page.getByTestId('produce-template')).toHaveAttribute('aria-checked', 'true');
  await expect(ui.input('produce-key')).toHaveValue('');
});

test('the outcome of the latest send is in view under Send: a failure with the reason, success with partition and offset', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-outcome-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  const id = await seedConnection(app.dataDir, local(kafka));
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('produce');
  await ui.pickTopic('produce-topic', topic);
  await ui.setEditor('produce-value', 'hello');
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-summary')).toHaveText('1 delivered, 0 not delivered');

  // a send that fails for real: partition 99 of a one-partition topic
  await ui.input('produce-partition').fill('99');
  await ui.input('produce-key').click(); // the number fields take their value on blur
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('error-message')).toContainText('there is no partition 99');
  await screenshotsAt(page, `${SHOTS}-item2-produce-result`);
  await page.getByTestId('produce-send').click(); // again, at 1280×800, and look right after it
  await expect(page.getByTestId('produce-outcome')).toHaveAttribute('data-kind', 'error');
  expect(await inViewport(page, 'produce-outcome')).toBe(true);
  await expect(page.getByTestId('produce-outcome')).toContainText(`Not sent to ${topic}`);
  await expect(page.getByTestId('produce-outcome')).toContainText('partition 99');

  // a batch: while it runs, the results of the run before are gone from under the progress bar
  await ui.input('produce-partition').fill('');
  await ui.input('produce-count').fill('60');
  await ui.input('produce-rate').fill('30');
  await ui.input('produce-key').click();
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-progress')).toBeVisible();
  await expect(page.getByTestId('produce-results')).toHaveCount(0);
  await expect(page.getByTestId('produce-outcome')).toHaveCount(0);
  await expect(page.getByTestId('produce-outcome')).toHaveText(
    `Sent 60 messages to ${topic} / partition 0 @ offsets 1–60`,
  );
  await expect(page.getByTestId('produce-outcome')).toHaveAttribute('data-kind', 'success');

  // one message again: its partition and offset, in view
  await ui.input('produce-count').fill('1');
  await ui.input('produce-rate').fill('0');
  await ui.input('produce-key').click();
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-outcome')).toHaveText(`Sent 1 message to ${topic} / partition 0 @ offset 61`);
  expect(await inViewport(page, 'produce-outcome')).toBe(true);

  // earlier runs: folded away, one line each when opened, the latest first
  await expect(page.getByTestId('produce-earlier')).toContainText('Earlier runs (4)');
  await expect(page.getByTestId('produce-earlier-list')).toBeHidden();
  await page.getByTestId('produce-earlier').locator('summary').click();
  await expect(page.getByTestId('produce-earlier-list').locator('li')).toHaveCount(4);
  await expect(page.getByTestId('produce-earlier-list').locator('li').first()).toContainText('Sent 60 messages');
  await expect(page.getByTestId('produce-earlier-list').locator('li').nth(1)).toContainText('Not sent');
  await screenshotsAt(page, `${SHOTS}-item2-produce-earlier`);
  expect(kcatRead(kafka.listeners.plaintext, topic).split('\n').filter(Boolean)).toHaveLength(62);
});

test('a template in JSON mode: what it renders is checked (and sent), not its source; Format keeps the template', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-template-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  const id = await seedConnection(app.dataDir, local(kafka));
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('produce');
  await ui.pickTopic('produce-topic', topic);
  await page.getByTestId('produce-mode').getByText('JSON').click();
  await ui.setEditor('produce-value', '{"n": {{seq}}, "id": "{{uuid}}"}');
  await page.getByTestId('produce-template').click();
  await ui.input('produce-count').fill('3');
  await ui.input('produce-key').click();

  // Format: pretty-printed, the tags kept as they were
  await page.getByTestId('produce-format').click();
  await expect(ui.editor('produce-value')).toHaveAttribute('data-value', '{\n  "n": {{seq}},\n  "id": "{{uuid}}"\n}');
  await expect(page.getByTestId('produce-template-sample')).toContainText(
    /message 1 renders as \{ "n": 1, "id": "[0-9a-f-]{36}" \}/,
  );
  await screenshotsAt(page, `${SHOTS}-item7-template-json`);
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-outcome')).toHaveText(
    `Sent 3 messages to ${topic} / partition 0 @ offsets 0–2`,
  );
  expect(kcatValues(kafka.listeners.plaintext, topic).map((v) => (JSON.parse(v) as { n: number }).n)).toEqual([
    1, 2, 3,
  ]);

  // a template whose rendering is not JSON: named with its sample and JSON's reason, nothing sent
  await ui.setEditor('produce-value', '{"n": {{seq}}');
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('error-message')).toContainText(
    'The value of message 1 (seq 1) renders as {"n": 1, which is not valid JSON:',
  );
  // without the template switch, the source is JSON or not, and the message says so
  await page.getByTestId('produce-template').click();
  await ui.setEditor('produce-value', '{"n": {{seq}}}');
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('error-message')).toContainText('The value is not valid JSON');
  await expect(page.getByTestId('error-message')).toContainText('switch on “template”');
  expect(kcatValues(kafka.listeners.plaintext, topic)).toHaveLength(3);
});

test('Copy as JSON copies the message alone, as kafka-desk consume --json prints it', async ({ page, app, kafka }) => {
  const topic = `ui-copyjson-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic, '-k', 'k-1', '-H', 'h=1'], {
    input: '{"a": 1}\n',
  });
  const id = await seedConnection(app.dataDir, local(kafka));
  const ui = new OperationPages(page, app.origin, id);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await ui.input('consume-filter').fill('"a"'); // a search while reading: its rows carry where the text matched
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('1 message');
  await ui.row(0, 0).first().click();
  await page.getByTestId('copy-json').click();
  const copied = await clipboardText(page);
  const cli = execFileSync(process.execPath, [
    path.resolve('bin/kafka-desk.cjs'),
    'consume',
    '-b',
    kafka.listeners.plaintext,
    '-t',
    topic,
    '--json',
  ])
    .toString()
    .trim();
  const mine = JSON.parse(copied) as Record<string, unknown>;
  const theirs = JSON.parse(cli) as Record<string, unknown>;
  expect(Object.keys(mine)).toEqual(Object.keys(theirs));
  expect(mine).toEqual(theirs);
  expect(mine).toMatchObject({
    topic,
    partition: 0,
    offset: '0',
    key: 'k-1',
    value: '{"a": 1}',
    headers: [['h', '1']],
  });
});

test('Copy as kcat names the connection’s bootstrap servers, and the command sends the message again', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-copykcat-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic, '-k', 'k-1', '-H', "h=it's"], {
    input: 'value $(not run)\n',
  });
  const id = await seedConnection(app.dataDir, local(kafka));
  const ui = new OperationPages(page, app.origin, id);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('1 message');
  await ui.row(0, 0).first().click();
  await page.getByTestId('copy-kcat').click();
  const copied = await clipboardText(page);
  expect(copied).toContain(`kcat -b '${kafka.listeners.plaintext}' -P -t '${topic}' -p 0`);
  execFileSync('sh', ['-c', copied]);
  expect(kcatRead(kafka.listeners.plaintext, topic)).toBe("k-1|value $(not run)|h=it's\n".repeat(2));
});
