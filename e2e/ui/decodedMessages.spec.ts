import path from 'node:path';
import type { Page } from '@playwright/test';
import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { createTopic } from '../integration/support';
import { expect, screenshotsAt, settleTheme, shotsDir, test } from './fixtures';
import { coreOf, localConnection, registerRest } from './schemaSupport';
import { ClusterPages, seedConnection } from './pages/ClusterPages';
import { OperationPages } from './pages/OperationPages';

/**
 * Decoded messages against a real broker and Schema Registry: Produce encodes with a subject chosen in
 * the picker (its sample generated, its JSON Schema checking the editor), a value that does not fit is
 * refused beside the editor with the text kept; Consume shows the decoded Avro in the table and the
 * inspector, its raw bytes one click away, and marks a message whose schema id the registry lacks.
 */

const ORDER = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'ui.test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
  ],
});

/**
 * Selects a row (the inspector opens on it). Clicked again only while it is not selected: a click on
 * the selected row closes the inspector, and the rows are drawn again as the read's count settles.
 */
async function select(page: Page, ui: OperationPages, partition: number, offset: number) {
  const row = page.locator(`.row.selected[data-testid="message-${partition}-${offset}"]`);
  await expect(async () => {
    if (!(await row.count())) await ui.row(partition, offset).click();
    await expect(row).toBeVisible({ timeout: 1000 });
  }).toPass();
}

/** Picks an option by its exact label, in the menu that is open (other tabs keep theirs in the page, hidden). */
async function choose(page: Page, testid: string, label: string) {
  await page.getByTestId(testid).click();
  await page.locator('.n-base-select-option:visible', { hasText: new RegExp(`^${label}$`) }).click();
}

let registry: RegistryInfo;
test.beforeAll(async () => {
  test.setTimeout(180_000); // the first run builds the registry
  registry = await ensureSchemaRegistry();
});

test('Produce with a subject and its sample, an invalid value refused beside the editor; Consume shows the decoded Avro, raw bytes one click away', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(180_000);
  const topic = `ui-decoded-${Date.now()}`;
  const subject = `${topic}-value`;
  await createTopic(kafka, topic, 1);
  const schemaId = await registerRest(registry.url, subject, ORDER);
  const id = await seedConnection(app.dataDir, localConnection(kafka));
  const call = coreOf(app.dataDir);
  await call('registry.save', { connectionId: id, urls: [registry.url] });
  const ui = new OperationPages(page, app.origin, id);
  await page.goto(app.url);

  // --- Produce: the topic's own subject is chosen, its latest version resolved
  await ui.open('produce');
  await ui.pickTopic('produce-topic', topic);
  await choose(page, 'produce-value-schema-kind', 'Subject');
  await expect(page.getByTestId('produce-value-schema-subject')).toContainText(subject);
  await expect(page.getByTestId('produce-value-schema-summary')).toHaveText(`Avro · id ${schemaId} · v1`);
  await page.getByTestId('produce-value-sample').click();
  const sample = (await ui.editor('produce-value').getAttribute('data-value')) ?? '';
  expect(JSON.parse(sample)).toEqual({ id: expect.any(String), total: expect.any(Number) });
  await ui.setEditor('produce-value', '{\n  "id": "o-1",\n  "total": 12.5\n}');
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-outcome')).toContainText(`Sent 1 message to ${topic}`);

  // a double written as a string: the editor's JSON Schema marks it, the core refuses it, said beside the editor
  const invalid = '{\n  "id": "o-2",\n  "total": "12,5"\n}';
  await ui.setEditor('produce-value', invalid);
  await expect(ui.editor('produce-value').locator('.squiggly-warning, .squiggly-error').first()).toBeVisible();
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-value-schema-error')).toContainText('12,5');
  await expect(page.getByTestId('produce-value-schema-error')).toContainText('double');
  await expect(ui.editor('produce-value')).toHaveAttribute('data-value', invalid);
  await screenshotsAt(page, 'decoded-produce-invalid');

  // a message in Confluent's framing with a schema id the registry does not have: shown raw, marked
  await call('operations.produce', { id, topic, messages: [{ key: 'k-raw', value: { base64: 'AAAAJw8CAA==' } }] });

  // --- Consume: decoded in the table, with its format
  await page.getByTestId('tab-consume').click();
  await expect(page.getByTestId('consume-view')).toBeVisible();
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('2 messages · reached the end');
  const decodedCell = ui.row(0, 0).locator('[data-col="value"]');
  await expect(decodedCell.getByTestId('cell-badge-value')).toHaveText('Avro');
  await expect(decodedCell).toContainText('{"id":"o-1","total":12.5}');
  const rawCell = ui.row(0, 1).locator('[data-col="value"]');
  await expect(rawCell.getByTestId('cell-undecoded-value')).toBeVisible();
  await expect(rawCell).toHaveAttribute('title', /^Not decoded: /);

  // the inspector: which schema, the value pretty-printed, the bytes a click away
  await select(page, ui, 0, 0);
  await expect(page.getByTestId('inspector-value-schema')).toContainText(
    `Avro · subject ${subject} v1 · schema id ${schemaId}`,
  );
  await expect(page.getByTestId('inspector-value')).toHaveText('{\n  "id": "o-1",\n  "total": 12.5\n}');
  await screenshotsAt(page, 'decoded-consume-inspector');
  await page.getByTestId('inspector-value-raw').click();
  // the wire header: magic byte 0, then the schema id in 4 bytes
  const header = `00 ${[24, 16, 8, 0].map((s) => ((schemaId >> s) & 0xff).toString(16).padStart(2, '0')).join(' ')}`;
  await expect(page.getByTestId('inspector-value')).toContainText(`000000  ${header}`);
  await expect(page.getByTestId('inspector-decoding')).toBeVisible();
  await screenshotsAt(page, 'decoded-consume-raw');
  await page.getByTestId('inspector-value-decoded').click();
  await expect(page.getByTestId('inspector-value')).toContainText('"o-1"');

  // the message that did not decode says why, and shows its bytes
  await select(page, ui, 0, 1);
  await expect(page.getByTestId('inspector-value-error')).toContainText('Not decoded:');
  await expect(page.getByTestId('inspector-value')).toContainText('000000  00 00 00 27 0f');
  await screenshotsAt(page, 'decoded-consume-undecoded');

  // read as Avro, skipping what is not: the summary says how many and the first
  await page.getByTestId('consume-more').click();
  await expect(page.getByTestId('consume-on-undecodable').locator('.n-base-selection--disabled')).toBeVisible();
  await choose(page, 'consume-value-format', 'Avro');
  await choose(page, 'consume-on-undecodable', 'skip them');
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('1 message matched of 2 scanned');
  await expect(page.getByTestId('consume-undecodable')).toContainText(
    `1 message was not Avro — skipped; first: ${topic}[0] offset 1 (value): `,
  );
  await expect(ui.row(0, 1)).toHaveCount(0);
  await expect(page.locator('.n-base-select-menu:visible')).toHaveCount(0);
  await screenshotsAt(page, 'decoded-consume-formats');

  // Listen offers the same formats
  await ui.open('listen');
  await expect(page.getByTestId('listen-on-undecodable').locator('.n-base-selection--disabled')).toBeVisible();
  await choose(page, 'listen-value-format', 'Protobuf');
  await expect(page.getByTestId('listen-on-undecodable').locator('.n-base-selection--disabled')).toHaveCount(0);
  await expect(page.locator('.n-base-select-menu:visible')).toHaveCount(0);
  await screenshotsAt(page, 'decoded-listen-formats');
});

test('Without a registry: an .avsc attached to a topic value on its page decodes the bare Avro payloads in Consume', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(120_000);
  const topic = `ui-local-avsc-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  const id = await seedConnection(app.dataDir, localConnection(kafka));
  const call = coreOf(app.dataDir);
  // a producer without a registry: the bare Avro binary, no wire header
  const writer = await call<{ id: string }>('localSchemas.add', {
    connectionId: id,
    schemaType: 'AVRO',
    file: { name: 'writer.avsc', content: ORDER },
  });
  await call('operations.produce', {
    id,
    topic,
    messages: [{ key: 'k-1', value: '{"id":"o-9","total":3.25}' }],
    valueSchema: { kind: 'local', localSchemaId: writer.id },
  });
  const cluster = new ClusterPages(page, app.origin, id);
  await page.goto(app.url);
  await cluster.topic(topic);

  const card = page.getByTestId('topic-subjects');
  await expect(card.getByTestId('topic-subjects-hint')).toContainText('No Schema Registry');
  await expect(card.getByTestId('topic-local-value')).toContainText('none');
  // a file that does not compile: the core's reason is told in the card
  await card.getByTestId('topic-local-value-file').setInputFiles({
    name: 'broken.avsc',
    mimeType: 'application/json',
    buffer: Buffer.from('{"type":"record","name":"Broken"}'),
  });
  await expect(card.getByTestId('topic-local-value-error')).toContainText('broken.avsc: ');
  await expect(card.getByTestId('topic-local-value-current')).toHaveCount(0);

  await card.getByTestId('topic-local-value-file').setInputFiles({
    name: 'order.avsc',
    mimeType: 'application/json',
    buffer: Buffer.from(ORDER),
  });
  await expect(card.getByTestId('topic-local-value-current')).toHaveText('order.avsc · Avro');
  await expect(card.getByTestId('topic-local-value-error')).toHaveCount(0);
  await expect(card.getByTestId('topic-local-key')).toContainText('none');
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await settleTheme(page, theme);
    await card.screenshot({ path: path.join(shotsDir, `decoded-topic-local-schema-1280-${theme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await settleTheme(page, 'light');

  // Consume reads the bare payload with the attached file
  const ui = new OperationPages(page, app.origin, id);
  await ui.open('consume');
  await ui.pickTopic('consume-topic', topic);
  await page.getByTestId('consume-run').click();
  await expect(page.getByTestId('consume-summary')).toContainText('1 message · reached the end');
  const cell = ui.row(0, 0).locator('[data-col="value"]');
  await expect(cell.getByTestId('cell-badge-value')).toHaveText('Avro');
  await expect(cell).toContainText('{"id":"o-9","total":3.25}');

  // detached, the same message is not decoded any more
  await cluster.topic(topic);
  await card.getByTestId('topic-local-value-detach').click();
  await expect(card.getByTestId('topic-local-value')).toContainText('none');
  // the Consume tab keeps its topic and rows: read again, the row is redrawn undecoded
  await ui.open('consume');
  await page.getByTestId('consume-run').click();
  await expect(cell).not.toContainText('{"id":"o-9"');
  await expect(page.getByTestId('consume-summary')).toContainText('1 message · reached the end');
  await expect(cell.getByTestId('cell-badge-value')).toHaveCount(0);
});
