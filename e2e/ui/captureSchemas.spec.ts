import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { CaptureSchema, CaptureSummary, ConsumeResult } from '../../electron/contract';
import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { createTopic } from '../integration/support';
import { expect, screenshotsAt, settleTheme, shotsDir, test } from './fixtures';
import { coreOf, localConnection } from './schemaSupport';
import { seedConnection } from './pages/ClusterPages';

/**
 * A capture carries its registry schemas through the window: exported from a data folder whose
 * connection has a Schema Registry, the export comes as two downloads (the NDJSON and its
 * `.schemas.json`); imported into another data folder, where no connection has a registry, both files
 * together give a capture whose Avro messages read decoded — also when the NDJSON holds only the
 * bytes, which only the schemas file can decode. A schemas file alone, or one that is not one, is told.
 */

test.describe.configure({ mode: 'serial' });

const ORDER = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'ui.capture',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'double' },
  ],
});
const VALUES = [
  { id: 'o-1', total: 12.5 },
  { id: 'o-2', total: 99 },
];

/** Selects a capture row (the inspector opens on it), clicked again only while it is not selected. */
async function select(page: Page, offset: number) {
  const row = page.locator(`.row.selected[data-testid="message-0-${offset}"]`);
  await expect(async () => {
    if (!(await row.count())) await page.getByTestId(`message-0-${offset}`).click();
    await expect(row).toBeVisible({ timeout: 1000 });
  }).toPass();
}

/** Waits for the page's transitions (a dialog scaling in, a toast sliding in) to end, for a screenshot. */
async function settled(page: Page) {
  // a string: run in the page, whose DOM types this file does not have
  await page.evaluate(`Promise.all(
    document
      .getAnimations()
      .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
      .map((a) => a.finished.catch(() => undefined)),
  ).then(() => true)`);
}

let registry: RegistryInfo;
/** What the first test exported (the files as downloaded), for the second to import elsewhere. */
const exported: { dir: string; main: string; schemas: string; schemaId: number; subject: string } = {
  dir: '',
  main: '',
  schemas: '',
  schemaId: -1,
  subject: '',
};

test.beforeAll(async () => {
  test.setTimeout(180_000); // the first run builds the registry
  registry = await ensureSchemaRegistry();
  exported.dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-capture-schemas-'));
});

test('an export of Avro messages downloads the NDJSON and its schemas file, which names the schema id', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(120_000);
  const topic = `ui-capture-schemas-${Date.now()}`;
  exported.subject = `${topic}-value`;
  await createTopic(kafka, topic, 1);
  const id = await seedConnection(app.dataDir, localConnection(kafka));
  const call = coreOf(app.dataDir);
  await call('registry.save', { connectionId: id, urls: [registry.url] });
  const { schemaId } = await call<{ schemaId: number }>('schemas.register', {
    id,
    subject: exported.subject,
    draft: { schema: ORDER },
  });
  exported.schemaId = schemaId;
  await call('operations.produce', {
    id,
    topic,
    messages: VALUES.map((v, i) => ({ key: `k-${i}`, value: JSON.stringify(v) })),
    valueSchema: { kind: 'subject', subject: exported.subject },
  });
  const consumed = await call<ConsumeResult>('operations.consume', { id, topic, into: 'session' });
  const capture = await call<CaptureSummary>('captures.save', {
    from: 'session',
    name: 'avro orders',
    sessionId: consumed.session!.id,
  });

  await page.goto(app.url); // the access token, then the page
  await page.goto(`${app.origin}/#/captures/${capture.id}`);
  await expect(page.getByTestId('capture-title')).toHaveText('avro orders');
  const cell = page.getByTestId('message-0-0').locator('[data-col="value"]');
  await expect(cell.getByTestId('cell-badge-value')).toHaveText('Avro');
  await expect(cell).toContainText('{"id":"o-1","total":12.5}');

  // both downloads are awaited from before the click: they come one right after the other
  const schemasDownload = page.waitForEvent('download', {
    predicate: (d) => d.suggestedFilename().endsWith('.schemas.json'),
  });
  const mainDownload = page.waitForEvent('download', {
    predicate: (d) => !d.suggestedFilename().endsWith('.schemas.json'),
  });
  await page.getByTestId('capture-export-ndjson').click();
  const [main, schemas] = await Promise.all([mainDownload, schemasDownload]);
  exported.main = main.suggestedFilename();
  exported.schemas = schemas.suggestedFilename();
  expect(exported.main).toMatch(/\.ndjson$/);
  expect(exported.schemas).toBe(`${exported.main}.schemas.json`);
  await expect(page.locator('.n-message').filter({ hasText: 'exported' })).toContainText(
    `2 messages exported (all of the capture) as ${exported.main} and its schemas in ${exported.schemas}`,
  );
  await settled(page);
  await page.screenshot({ path: path.join(shotsDir, 'capture-schemas-export-1280-light.png') });

  const schemasText = await readFile(await schemas.path(), 'utf8');
  const file = JSON.parse(schemasText) as { kafkaDeskSchemas: number; schemas: CaptureSchema[] };
  expect(file.kafkaDeskSchemas).toBe(1);
  expect(file.schemas.map((s) => [s.schemaId, s.schemaType, (JSON.parse(s.schema) as { name: string }).name])).toEqual([
    [schemaId, 'AVRO', 'Order'],
  ]);
  expect(file.schemas[0]!.usedBy).toContainEqual({ subject: exported.subject, version: 1 });
  const lines = (await readFile(await main.path(), 'utf8')).trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  await writeFile(path.join(exported.dir, exported.main), lines.join('\n') + '\n');
  await writeFile(path.join(exported.dir, exported.schemas), schemasText);
});

test('imported elsewhere with its schemas file, where no connection has a registry: the Avro messages read decoded', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(120_000);
  expect(exported.main, 'the export of the test before').not.toBe('');
  // this data folder: a connection to the same broker, no registry anywhere
  const bare = await seedConnection(app.dataDir, localConnection(kafka));
  const call = coreOf(app.dataDir);
  expect(await call('registry.get', { connectionId: bare })).toBeNull();
  const mainPath = path.join(exported.dir, exported.main);
  const schemasPath = path.join(exported.dir, exported.schemas);
  const capturesListed = async () => (await call<CaptureSummary[]>('captures.list', {})).length;

  await page.goto(app.url); // the access token, then the page
  await page.goto(`${app.origin}/#/captures`);
  await expect(page.getByTestId('captures-empty')).toBeVisible();
  const dialog = page.getByTestId('capture-import-dialog');
  const input = page.getByTestId('capture-import-input');

  // the schemas file alone: said what it is and what to pick with it; nothing to import yet
  await input.setInputFiles(schemasPath);
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('capture-import-note')).toContainText(
    `${exported.schemas} holds only the schemas that decode a capture's messages. Choose the capture file it was exported beside (${exported.main}) too.`,
  );
  await expect(page.getByTestId('capture-import-file')).toHaveText('none chosen');
  await expect(page.getByTestId('capture-import-go')).toBeDisabled();
  await settled(page);
  await screenshotsAt(page, 'capture-schemas-import-alone');

  // a schemas file that is not one: the core's reason, in the dialog; nothing imported, both files kept
  await input.setInputFiles(mainPath);
  await expect(page.getByTestId('capture-import-note')).toHaveCount(0);
  await page.getByTestId('capture-import-schemas-input').setInputFiles({
    name: 'broken.schemas.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"kafkaDeskSchemas": 1, "schemas": ['),
  });
  await expect(page.getByTestId('capture-import-schemas')).toHaveText('broken.schemas.json');
  await page.getByTestId('capture-import-go').click();
  await expect(dialog.getByTestId('error-notice')).toContainText(`${exported.main} was not imported`);
  await expect(dialog.getByTestId('error-message')).toContainText(`The schemas file for ${exported.main} is not JSON`);
  await expect(page.getByTestId('capture-import-file')).toHaveText(exported.main);
  await expect(page.getByTestId('capture-import-schemas')).toHaveText('broken.schemas.json');
  expect(await capturesListed()).toBe(0);
  await settled(page);
  await page.screenshot({ path: path.join(shotsDir, 'capture-schemas-import-refused-1280-light.png') });

  // both files picked together: the right schemas file replaces the broken one
  await input.setInputFiles([mainPath, schemasPath]);
  await expect(page.getByTestId('capture-import-file')).toHaveText(exported.main);
  await expect(page.getByTestId('capture-import-schemas')).toHaveText(exported.schemas);
  await expect(dialog.getByTestId('error-notice')).toHaveCount(0);
  await expect(page.getByTestId('capture-import-go')).toHaveText('Import with its schemas');
  await settled(page);
  await screenshotsAt(page, 'capture-schemas-import-dialog');
  await page.getByTestId('capture-import-go').click();
  await expect(dialog).toBeHidden();
  const name = exported.main.replace(/\.ndjson$/, '');
  await expect(page.getByTestId('capture-title')).toHaveText(name);
  const cell = (offset: number) => page.getByTestId(`message-0-${offset}`).locator('[data-col="value"]');
  await expect(cell(0).getByTestId('cell-badge-value')).toHaveText('Avro');
  await expect(cell(0)).toContainText('{"id":"o-1","total":12.5}');
  await expect(cell(1)).toContainText('{"id":"o-2","total":99}');
  await select(page, 0);
  await expect(page.getByTestId('inspector-value-schema')).toContainText(
    `Avro · subject ${exported.subject} v1 · schema id ${exported.schemaId}`,
  );
  await expect(page.getByTestId('inspector-value')).toHaveText('{\n  "id": "o-1",\n  "total": 12.5\n}');
  await expect(page.locator('.n-message')).toContainText(
    `${exported.main} imported with the schemas in ${exported.schemas}`,
  );
  // the picture of the capture itself: the toast over its title gone
  await expect(page.locator('.n-message')).toHaveCount(0);
  await screenshotsAt(page, 'capture-schemas-imported');
  const [imported] = await call<CaptureSummary[]>('captures.list', {});
  const kept = await call<{ schemas: CaptureSchema[] }>('captures.schemas', { id: imported!.id });
  expect(kept.schemas.map((s) => s.schemaId)).toEqual([exported.schemaId]);

  // the same messages as bytes only (no decoded form, as another tool dumps them): alone they stay bytes…
  const rawLines = (await readFile(mainPath, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => {
      const { decoded: _decoded, ...bytesOnly } = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify(bytesOnly);
    });
  const raw = Buffer.from(rawLines.join('\n') + '\n');
  expect(raw.toString()).not.toContain('"o-1"');
  const bytesOnly = { name: 'bytes-only.ndjson', mimeType: 'application/x-ndjson', buffer: raw };
  const pickWithButton = async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('capture-import').click()]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles(bytesOnly);
  };
  await pickWithButton();
  await expect(page.getByTestId('capture-import-schemas')).toHaveText('none');
  await expect(page.getByTestId('capture-import-go')).toHaveText('Import');
  await page.getByTestId('capture-import-go').click();
  await expect(page.getByTestId('capture-title')).toHaveText('bytes-only');
  await select(page, 0);
  // the Avro bytes as they are (its string shows through), no schema named
  await expect(page.getByTestId('inspector-value')).toContainText('o-1');
  await expect(page.getByTestId('inspector-value')).not.toContainText('"id"');
  await expect(page.getByTestId('inspector-value-schema')).toHaveCount(0);
  await expect(cell(0).getByTestId('cell-badge-value')).toHaveCount(0);
  await expect(cell(0)).not.toContainText('"o-1"');

  // …with the schemas file (added by its own picker), they read decoded
  await pickWithButton();
  await page.getByTestId('capture-import-schemas-input').setInputFiles(schemasPath);
  await expect(page.getByTestId('capture-import-schemas')).toHaveText(exported.schemas);
  await page.getByTestId('capture-import-go').click();
  await expect(page.getByTestId('capture-title')).toHaveText(/^bytes-only \(/);
  await expect(cell(0).getByTestId('cell-badge-value')).toHaveText('Avro');
  await expect(cell(0)).toContainText('{"id":"o-1","total":12.5}');
  await expect(cell(1)).toContainText('{"id":"o-2","total":99}');

  await expect(page.locator('.n-message')).toHaveCount(0);
  await page.emulateMedia({ colorScheme: 'dark' });
  await settleTheme(page, 'dark');
  await page.screenshot({ path: path.join(shotsDir, 'capture-schemas-bytes-decoded-1280-dark.png') });
});
