import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createTopic } from '../integration/support';
import { seedConnection } from './pages/ClusterPages';
import { OperationPages } from './pages/OperationPages';
import { expect, settleTheme, shotsDir, test } from './fixtures';

test('produce from the form, read it back with kcat, then consume and inspect it (binary as hex)', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-ops-${Date.now()}`;
  await createTopic(kafka, topic, 2);
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    color: 'blue',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('produce');

  await ui.pickTopic('produce-topic', topic);
  await ui.input('produce-key').fill('order-7');
  await page.getByTestId('produce-mode').getByText('JSON').click();
  await ui.setEditor('produce-value', '{"total": 12.5,');
  await page.getByTestId('produce-send').click();
  // malformed JSON: a clear message, nothing sent, the text kept
  await expect(page.getByTestId('error-message')).toContainText('The value is not valid JSON');
  await expect(ui.editor('produce-value')).toHaveAttribute('data-value', '{"total": 12.5,');
  await ui.setEditor('produce-value', '{"total": 12.5, "items": ["a", "b"]}');
  await page.getByTestId('produce-add-header').click();
  await ui.input('produce-header-key-0').fill('trace');
  await ui.input('produce-header-value-0').fill('one');
  await page.getByTestId('produce-add-header').click();
  await ui.input('produce-header-key-1').fill('trace');
  await ui.input('produce-header-value-1').fill('two');
  await ui.input('produce-partition').fill('1');
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-summary')).toHaveText('1 delivered, 0 not delivered');
  await expect(page.getByTestId('produce-results')).toContainText('delivered');
  await page.screenshot({ path: path.join(shotsDir, 'produce-light.png') });

  const kcat = execFileSync('kcat', [
    '-b',
    kafka.listeners.plaintext,
    '-C',
    '-t',
    topic,
    '-p',
    '1',
    '-o',
    'beginning',
    '-e',
    '-q',
    '-f',
    '%k|%s|%h\n',
  ]).toString();
  expect(kcat).toBe('order-7|{"total": 12.5, "items": ["a", "b"]}|trace=one,trace=two\n');

  // a binary message from kcat on partition 0
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic, '-p', '0', '-K', ':'], {
    input: Buffer.concat([Buffer.from('bin:'), Buffer.from([0xff, 0xfe, 0x41, 0x00]), Buffer.from('\n')]),
  });

  await page.getByTestId('tab-consume').click();
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('2 messages · reached the end');
  await page.getByTestId('message-1-0').click();
  await expect(page.getByTestId('inspector-value')).toHaveText(
    JSON.stringify({ total: 12.5, items: ['a', 'b'] }, null, 2),
  );
  await page.locator('.n-tabs-tab', { hasText: 'Headers (2)' }).click();
  await expect(page.getByTestId('inspector-headers')).toContainText('traceone');
  await expect(page.getByTestId('inspector-headers')).toContainText('tracetwo');
  await page.screenshot({ path: path.join(shotsDir, 'consume-inspector-light.png') });
  await page.getByTestId('message-0-0').click();
  await page.locator('.n-tabs-tab', { hasText: /^Value/ }).click();
  await expect(page.getByTestId('inspector-value')).toContainText('ff fe 41 00');
  await expect(page.locator('.n-tabs-tab', { hasText: /^Value/ })).toContainText('binary, 4 B');
  await page.getByTestId('theme-dark').click();
  await settleTheme(page, 'dark');
  await page.screenshot({ path: path.join(shotsDir, 'consume-binary-dark.png') });
});

test('a preset saved in the UI runs from kafka-desk presets run', async ({ page, app, kafka }) => {
  const topic = `ui-preset-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic], { input: 'first\nsecond\nthird\n' });
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-from').click();
  await page.locator('.n-base-select-option', { hasText: 'Latest − N' }).click();
  await page.getByTestId('consume-minus').locator('input').fill('2');
  await page.getByTestId('save-preset').click();
  await page.getByTestId('preset-name').locator('input').fill('Last two');
  await page.getByTestId('preset-save').click();
  await page.getByTestId('sidebar-presets').click();
  await expect(page.getByTestId('presets-table')).toContainText('Last two');
  await expect(page.getByTestId('presets-table')).toContainText(topic);
  await page.screenshot({ path: path.join(shotsDir, 'presets-light.png') });

  // the command line, on the same data folder
  const out = execFileSync(process.execPath, [
    path.resolve('bin/kafka-desk.cjs'),
    'presets',
    'run',
    'Last two',
    '--data-dir',
    app.dataDir,
    '--json',
  ]).toString();
  expect(
    out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { value: string }).value),
  ).toEqual(['second', 'third']);

  // and back in the UI: the preset opens its operation, filled in
  await page.getByTestId('preset-Last two').click();
  await expect(page.getByTestId('consume-view')).toBeVisible();
  await expect(page.getByTestId('consume-minus').locator('input')).toHaveValue('2');
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('2 messages');
});

test('listen: new messages appear live with the total; pause, resume, Esc stops', async ({ page, app, kafka }) => {
  const topic = `ui-listen-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('listen');
  await ui.pickTopic('listen-topic', topic);
  await page.getByTestId('listen-start').click();
  await expect(page.getByTestId('listen-state')).toHaveText(/running|starting/);
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic], { input: 'one\ntwo\nthree\n' });
  await expect(page.getByTestId('listen-total')).toHaveText('3 received');
  await expect(page.getByTestId('listen-table')).toContainText('three');
  await page.getByTestId('listen-pause').click();
  await expect(page.getByTestId('listen-state')).toHaveText('paused');
  await page.getByTestId('listen-pause').click();
  await expect(page.getByTestId('listen-state')).toHaveText('running');
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic], { input: 'four\n' });
  await expect(page.getByTestId('listen-total')).toHaveText('4 received');
  await ui.row(0, 3).click();
  await expect(page.getByTestId('inspector-value')).toHaveText('four');
  await page.screenshot({ path: path.join(shotsDir, 'listen-light.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('listen-state')).toHaveText('stopped');
  await page.getByTestId('theme-dark').click();
  await settleTheme(page, 'dark');
  await page.screenshot({ path: path.join(shotsDir, 'listen-dark.png') });
});

test('search while reading: only matches come back, with the scanned count', async ({ page, app, kafka }) => {
  const topic = `ui-search-${Date.now()}`;
  await createTopic(kafka, topic, 2);
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic], {
    input:
      Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: i, status: i === 137 ? 'FAILED' : 'ok' })).join('\n') +
      '\n',
  });
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-max').locator('input').fill('1000');
  await page.getByTestId('consume-filter-kind').click();
  await page.locator('.n-base-select-option', { hasText: 'JSON path =' }).click();
  await page.getByTestId('consume-filter').locator('input').fill('$.status=FAILED');
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('1 message matched of 200 scanned · reached the end');
  await expect(page.getByTestId('message-table')).toContainText('"id":137');
  await page.screenshot({ path: path.join(shotsDir, 'consume-search-light.png') });
});

test('a batch from a template: {{seq}} per message, as kcat reads it', async ({ page, app, kafka }) => {
  const topic = `ui-batch-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('produce');
  await ui.pickTopic('produce-topic', topic);
  await ui.setEditor('produce-value', 'message {{seq}} of 3');
  await ui.input('produce-count').fill('3');
  await page.getByTestId('produce-template').click();
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-summary')).toHaveText('3 delivered, 0 not delivered');
  const kcat = execFileSync('kcat', [
    '-b',
    kafka.listeners.plaintext,
    '-C',
    '-t',
    topic,
    '-o',
    'beginning',
    '-e',
    '-q',
  ]).toString();
  expect(kcat).toBe('message 1 of 3\nmessage 2 of 3\nmessage 3 of 3\n');
  await page.screenshot({ path: path.join(shotsDir, 'produce-batch-light.png') });
});

test("commit what the last Consume read: the group moves, before → after shown, as Kafka's tool sees it", async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-commit-${Date.now()}`;
  const group = `ui-commit-g-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  execFileSync('kcat', ['-b', kafka.listeners.plaintext, '-P', '-t', topic], { input: 'a\nb\nc\nd\n' });
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await ui.input('consume-max').fill('3');
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('3 messages');
  await page.getByTestId('tab-commit').click();
  await ui.input('commit-group').fill(group);
  await page.getByTestId('commit-last-read').click();
  await expect(ui.input('commit-offsets')).toHaveValue('0:3');
  await page.getByTestId('commit-run').click();
  await expect(page.getByTestId('commit-result')).toContainText('(none)');
  await expect(page.getByTestId('commit-result')).toContainText('3');
  const { kafkaTool } = await import('../integration/support');
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
      .split(/\s+/)
      .slice(3, 6),
  ).toEqual(['3', '4', '1']);
  await page.screenshot({ path: path.join(shotsDir, 'commit-light.png') });
});

test('a preset with a {{variable}} asks for it when opened, and the CLI takes it as --var', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-var-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  const id = await seedConnection(app.dataDir, {
    name: 'Local',
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);
  await ui.open('produce');
  await ui.pickTopic('produce-topic', topic);
  await ui.setEditor('produce-value', 'hello {{name}}');
  await page.getByTestId('save-preset').click();
  await page.getByTestId('preset-name').locator('input').fill('Greeting');
  await page.getByTestId('preset-save').click();
  await page.getByTestId('sidebar-presets').click();
  await expect(page.getByTestId('presets-table')).toContainText('name');
  await page.getByTestId('preset-Greeting').click();
  await ui.input('preset-var-name').fill('world');
  await page.getByTestId('preset-var-go').click();
  await expect(ui.editor('produce-value')).toHaveAttribute('data-value', 'hello world');
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-summary')).toHaveText('1 delivered, 0 not delivered');
  execFileSync(process.execPath, [
    path.resolve('bin/kafka-desk.cjs'),
    'presets',
    'run',
    'Greeting',
    '--data-dir',
    app.dataDir,
    '--var',
    'name=terminal',
  ]);
  const kcat = execFileSync('kcat', [
    '-b',
    kafka.listeners.plaintext,
    '-C',
    '-t',
    topic,
    '-o',
    'beginning',
    '-e',
    '-q',
  ]).toString();
  expect(kcat).toBe('hello world\nhello terminal\n');
});
