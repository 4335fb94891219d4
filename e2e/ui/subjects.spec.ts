import path from 'node:path';
import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { createTopic } from '../integration/support';
import { expect, shotsDir, test } from './fixtures';
import { coreOf, localConnection, look, registerRest } from './schemaSupport';
import { seedConnection } from './pages/ClusterPages';
import { OperationPages } from './pages/OperationPages';

/**
 * The Subjects screen against a real Schema Registry (AxonOps, Confluent's REST API): set up in its
 * dialog (field errors, secrets asked again), subjects listed, versions registered, read, diffed and
 * checked, compatibility changed, deleted soft and for good (twice on production), read-only refused.
 */

const avro = (fields: object[]) => JSON.stringify({ type: 'record', name: 'Order', namespace: 'ui.test', fields });
const V1 = avro([
  { name: 'id', type: 'string' },
  { name: 'total', type: 'double' },
]);
const V2 = avro([
  { name: 'id', type: 'string' },
  { name: 'total', type: 'double' },
  { name: 'email', type: ['null', 'string'], default: null },
]);
const INCOMPATIBLE = avro([
  { name: 'id', type: 'int' },
  { name: 'total', type: 'double' },
]);

let registry: RegistryInfo;
test.beforeAll(async () => {
  test.setTimeout(180_000); // the first run builds the registry
  registry = await ensureSchemaRegistry();
});

test('Schema Registry set up in its dialog; an Avro subject registered, read, diffed, checked, its compatibility changed and a version soft-deleted', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(240_000);
  const run = Date.now();
  const topic = `ui-schemas-${run}`;
  const subject = `${topic}-value`;
  await createTopic(kafka, topic, 1);
  const id = await seedConnection(app.dataDir, localConnection(kafka));
  const ui = new OperationPages(page, app.origin, id);
  const problems: string[] = [];
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/schemas`);

  // no registry yet: the empty state offers to set one up
  await expect(page.getByTestId('registry-empty')).toContainText('No Schema Registry for this connection yet');
  problems.push(...(await look(page, 'subjects', 'empty', ['.monaco-editor'])));
  await page.getByTestId('registry-setup').click();
  await ui.input('registry-urls').fill(registry.auth.url);
  await ui.input('registry-user').fill(registry.auth.admin.username);
  await ui.input('registry-password').fill(registry.auth.admin.password);
  // a password to an http:// URL: refused until accepted, the reason next to its field, nothing typed lost
  await expect(page.getByTestId('registry-plain-http-warning')).toBeVisible();
  await page.getByTestId('registry-save').click();
  await expect(page.getByTestId('registry-error')).toContainText('is plain HTTP');
  await expect(page.getByTestId('registry-dialog').locator('.n-form-item-feedback--error')).toContainText(
    'accept sending the Schema Registry password or token over plain HTTP',
  );
  await expect(ui.input('registry-user')).toHaveValue(registry.auth.admin.username);
  await expect(ui.input('registry-password')).toHaveValue(registry.auth.admin.password);
  await page.screenshot({ path: path.join(shotsDir, 'subjects-registry-dialog-error-1280-light.png') });
  await page.getByTestId('registry-allow-plain-http').click();
  await page.getByTestId('registry-save').click();
  await expect(page.getByTestId('registry-dialog')).toBeHidden();
  await expect(page.getByTestId('subjects-table')).toBeVisible();
  await expect(page.getByTestId('registry-url')).toHaveText(registry.auth.url);

  // the first version, drafted on the new subject's page, checked, then registered after a confirmation
  await page.getByTestId('subject-new').click();
  await ui.input('subject-new-name').fill(subject);
  await page.getByTestId('subject-new-open').click();
  await expect(page.getByTestId('subject-title')).toHaveText(subject);
  await expect(ui.editor('draft-editor')).toHaveAttribute('data-value', /"type": "record"/);
  await ui.setEditor('draft-editor', V1);
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-result')).toContainText('Compatible');
  await page.getByTestId('draft-register').click();
  await ui.confirm('Register');
  await expect(page.getByTestId('draft-registered')).toContainText('version 1');
  await expect(page.locator('.n-tabs-tab[data-name="versions"]')).toHaveText('Versions (1)');

  // the second version: compatible (an optional field with a default)
  await ui.setEditor('draft-editor', V2);
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-result')).toContainText('Compatible');
  await page.getByTestId('draft-register').click();
  await ui.confirm('Register');
  await expect(page.getByTestId('draft-registered')).toContainText('version 2');

  // an incompatible draft: the registry's own reasons
  await ui.setEditor('draft-editor', INCOMPATIBLE);
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-result')).toContainText('Not compatible');
  await expect(page.getByTestId('draft-messages')).toContainText('id');
  problems.push(...(await look(page, 'subjects', 'check', ['.monaco-editor'])));

  // the versions, newest first; the one chosen shown read-only with its id
  await page.locator('.n-tabs-tab[data-name="versions"]').click();
  await expect(page.getByTestId('version-meta')).toContainText('Version 2');
  await expect(ui.editor('schema-viewer')).toHaveAttribute('data-value', /"email"/);
  await page.getByTestId('version-1').click();
  await expect(page.getByTestId('version-meta')).toContainText('Version 1');
  await expect(ui.editor('schema-viewer')).not.toHaveAttribute('data-value', /"email"/);
  await expect(ui.editor('schema-viewer').locator('.view-lines')).toContainText('"total"');
  problems.push(...(await look(page, 'subjects', 'versions', ['.monaco-editor'])));

  // the diff of versions 1 and 2: the added field marked
  await page.locator('.n-tabs-tab[data-name="diff"]').click();
  await expect(page.getByTestId('diff-left')).toContainText('version 1');
  await expect(page.getByTestId('diff-right')).toContainText('version 2');
  await expect(page.getByTestId('diff-viewer').locator('.line-insert').first()).toBeVisible();
  await expect(page.getByTestId('diff-viewer').locator('.editor.modified')).toContainText('"email"');
  problems.push(...(await look(page, 'subjects', 'diff', ['.monaco-editor'])));

  // the list: the subject with its latest version and the registry's default level, then its own
  await page.getByTestId('subjects-back').click();
  await ui.input('subject-search').fill(topic);
  await expect(page.getByTestId('subject-count')).toContainText('1 of');
  const row = page.getByTestId('subjects-table').locator('tr', { has: page.getByTestId(`subject-${subject}`) });
  await expect(row).toContainText('v2');
  await expect(row).toContainText('AVRO');
  await expect(page.getByTestId(`subject-compat-${subject}`)).toHaveText(/^default \([A-Z_]+\)$/);
  await page.getByTestId(`subject-${subject}`).click();
  await ui.choose('subject-compat', 'FULL_TRANSITIVE');
  await expect(page.getByTestId('subject-compat')).toContainText('FULL_TRANSITIVE');
  await expect(page.getByTestId('subject-action-error')).toBeHidden();
  await page.getByTestId('subjects-back').click();
  await expect(page.getByTestId(`subject-compat-${subject}`)).toHaveText('FULL_TRANSITIVE');

  // a long subject name in the list (a RecordNameStrategy user's)
  const long = `${topic}-com.example.commerce.orders.fulfilment.events.OrderLineItemWarehouseReservationConfirmed`;
  await registerRest(registry.auth.url, long, V1, registry.auth.admin);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId(`subject-${long}`)).toBeVisible();
  problems.push(...(await look(page, 'subjects', 'list', ['.monaco-editor'])));

  // the topic shows the subject its values use (TopicNameStrategy) and the related one
  await ui.topic(topic);
  await expect(page.getByTestId('topic-subject-value')).toHaveText(subject);
  await expect(page.getByTestId('topic-subjects')).toContainText('v2 · AVRO');
  await expect(page.getByTestId('topic-subjects-related')).toContainText(long);
  problems.push(...(await look(page, 'subjects', 'topic', ['.monaco-editor'])));
  await page.getByTestId('topic-subject-value').click();
  await expect(page.getByTestId('subject-title')).toHaveText(subject);

  // soft-deleting version 1: gone from the versions, and only the next version remains
  await page.getByTestId('version-1').click();
  // the button names the version it deletes (it waits for the one picked to be read)
  await expect(page.getByTestId('version-delete')).toHaveText('Delete version 1…');
  await page.getByTestId('version-delete').click();
  await expect(page.getByTestId('subject-delete-dialog')).toContainText('Delete version 1 of');
  await expect(page.getByTestId('delete-soft').locator('input')).toBeChecked();
  await page.getByTestId('delete-submit').click();
  await expect(page.getByTestId('subject-delete-dialog')).toBeHidden();
  await expect(page.getByTestId('version-1')).toHaveCount(0);
  await expect(page.getByTestId('version-2')).toBeVisible();

  // the URLs changed: the password is asked again (it is bound to them); then the first URL, unreachable, is skipped
  await page.getByTestId('subjects-back').click();
  await page.getByTestId('registry-edit').click();
  await ui.input('registry-urls').fill(`http://127.0.0.1:1\n${registry.auth.url}`);
  await page.getByTestId('registry-save').click();
  await expect(page.getByTestId('registry-error')).toBeVisible();
  await expect(page.getByTestId('registry-dialog').locator('.n-form-item-feedback--error')).toContainText(
    'enter the password again',
  );
  await ui.input('registry-password').fill(registry.auth.admin.password);
  await page.getByTestId('registry-save').click();
  await expect(page.getByTestId('registry-dialog')).toBeHidden();
  await expect(page.getByTestId(`subject-${subject}`)).toBeVisible();
  await expect(page.getByTestId('subjects-error')).toBeHidden();

  expect(problems).toEqual([]);
});

test('an unreachable registry: the core says why; a read-only connection cannot change the registry', async ({
  page,
  app,
  kafka,
}) => {
  const run = Date.now();
  const subject = `ui-readonly-${run}-value`;
  await registerRest(registry.url, subject, V1);
  await registerRest(registry.url, subject, V2);
  const call = coreOf(app.dataDir);
  const down = await seedConnection(app.dataDir, localConnection(kafka, { name: 'Registry down' }));
  await call('registry.save', { connectionId: down, urls: ['http://127.0.0.1:1'], timeoutMs: 2000 });
  const id = await seedConnection(app.dataDir, localConnection(kafka, { name: 'Read-only', readOnly: true }));
  await call('registry.save', { connectionId: id, urls: [registry.url] });

  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${down}/schemas`);
  await expect(page.getByTestId('subjects-error')).toContainText('127.0.0.1:1');
  await expect(page.getByTestId('subjects-table')).toBeHidden();
  await page.screenshot({ path: path.join(shotsDir, 'subjects-unreachable-1280-light.png') });

  await page.goto(`${app.origin}/#/connections/${id}/schemas?subject=${subject}`);
  await expect(page.getByTestId('version-meta')).toContainText('Version 2');
  await expect(page.getByTestId('subject-read-only')).toContainText('read-only');
  await expect(page.getByTestId('subject-delete')).toBeDisabled();
  await expect(page.getByTestId('version-delete')).toBeDisabled();
  await expect(page.getByTestId('subject-delete')).toHaveAttribute('title', /read-only/);
  await page.locator('.n-tabs-tab[data-name="draft"]').click();
  await expect(page.getByTestId('draft-register')).toBeDisabled();
  // checking a draft changes nothing: allowed
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-result')).toContainText('Compatible');
  await page.screenshot({ path: path.join(shotsDir, 'subjects-read-only-1280-light.png') });
});

test('on a production connection a subject is deleted only after its name is typed; soft, or for good', async ({
  page,
  app,
  kafka,
}) => {
  const run = Date.now();
  const soft = `ui-prod-${run}-value`;
  const gone = `ui-prod-${run}-key`;
  await registerRest(registry.url, soft, V1);
  await registerRest(registry.url, gone, V1);
  const call = coreOf(app.dataDir);
  const id = await seedConnection(
    app.dataDir,
    localConnection(kafka, { name: 'Prod', environment: 'production', readOnly: false }),
  );
  await call('registry.save', { connectionId: id, urls: [registry.url] });
  const ui = new OperationPages(page, app.origin, id);
  const deletedOnes = async () =>
    ((await fetch(`${registry.url}/subjects?deleted=true`).then((r) => r.json())) as string[] | null) ?? [];
  const live = async () => ((await fetch(`${registry.url}/subjects`).then((r) => r.json())) as string[] | null) ?? [];
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/schemas?subject=${soft}`);
  await expect(page.getByTestId('version-meta')).toContainText('Version 1');

  // soft: the second confirmation asks for the name
  await page.getByTestId('subject-delete').click();
  await page.getByTestId('delete-submit').click(); // "Continue"
  await expect(page.getByTestId('subject-delete-dialog')).toContainText("'Prod' is tagged production");
  await expect(page.getByTestId('delete-submit')).toBeDisabled();
  await ui.input('delete-confirm-subject').fill(`${soft}x`);
  await expect(page.getByTestId('delete-submit')).toBeDisabled();
  await ui.input('delete-confirm-subject').fill(soft);
  await page.screenshot({ path: path.join(shotsDir, 'subjects-production-delete-1280-light.png') });
  await page.getByTestId('delete-submit').click();
  await expect(page.getByTestId('subject-list')).toBeVisible();
  await ui.input('subject-search').fill(`ui-prod-${run}`);
  await expect(page.getByTestId(`subject-${soft}`)).toHaveCount(0);
  expect(await live()).not.toContain(soft);
  expect(await deletedOnes()).toContain(soft);

  // permanently, from live: soft-deleted first, then for good
  await page.getByTestId(`subject-${gone}`).click();
  await page.getByTestId('subject-delete').click();
  await page.getByTestId('delete-permanent').click();
  await page.getByTestId('delete-submit').click();
  await ui.input('delete-confirm-subject').fill(gone);
  await page.getByTestId('delete-submit').click();
  await expect(page.getByTestId('subject-list')).toBeVisible();
  expect(await deletedOnes()).not.toContain(gone);

  // the soft-deleted one is listed on request, and can be deleted for good
  await page.getByTestId('subject-show-deleted').click();
  await expect(page.getByTestId('subjects-table').locator('tr', { hasText: soft })).toContainText('soft-deleted');
  await page.getByTestId(`subject-${soft}`).click();
  await expect(page.getByTestId('subject-deleted-tag')).toBeVisible();
  await page.getByTestId('subject-delete').click();
  await expect(page.getByTestId('delete-permanent').locator('input')).toBeChecked();
  await page.getByTestId('delete-submit').click();
  await ui.input('delete-confirm-subject').fill(soft);
  await page.getByTestId('delete-submit').click();
  await expect(page.getByTestId('subject-list')).toBeVisible();
  expect(await deletedOnes()).not.toContain(soft);
});
