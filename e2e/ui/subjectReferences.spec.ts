import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { expect, test } from './fixtures';
import { coreOf, localConnection, look, registerRest } from './schemaSupport';
import { seedConnection } from './pages/ClusterPages';
import { OperationPages } from './pages/OperationPages';

/**
 * A draft's references on the Subjects screen, against a real Schema Registry: an Avro record that
 * uses a named type another subject holds is refused without its reference, its rows' mistakes are
 * told next to them (nothing typed lost), and with the reference it checks, registers, and the
 * version lists it as a link to the subject it names; a draft from that version keeps it.
 */

let registry: RegistryInfo;
test.beforeAll(async () => {
  test.setTimeout(180_000); // the first run builds the registry
  registry = await ensureSchemaRegistry();
});

test("an Avro draft using another subject's named type: refused without its reference, checked and registered with it", async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(180_000);
  const run = Date.now();
  const namespace = 'shop';
  const moneyType = 'shop.Money';
  const money = `money-${run}`;
  const invoice = `invoice-${run}`;
  const moneySchema = JSON.stringify({
    type: 'record',
    name: 'Money',
    namespace,
    fields: [
      { name: 'cents', type: 'long' },
      { name: 'currency', type: 'string' },
    ],
  });
  const draft = JSON.stringify(
    {
      type: 'record',
      name: 'Invoice',
      namespace,
      fields: [
        { name: 'no', type: 'string' },
        { name: 'amount', type: moneyType },
      ],
    },
    null,
    2,
  );

  await registerRest(registry.url, money, moneySchema);
  const id = await seedConnection(app.dataDir, localConnection(kafka));
  await coreOf(app.dataDir)('registry.save', { connectionId: id, urls: [registry.url] });
  const ui = new OperationPages(page, app.origin, id);
  const problems: string[] = [];
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/schemas`);

  // a new subject: its first version drafted, with no references yet
  await page.getByTestId('subject-new').click();
  await ui.input('subject-new-name').fill(invoice);
  await page.getByTestId('subject-new-open').click();
  await expect(page.getByTestId('subject-title')).toHaveText(invoice);
  await expect(page.getByTestId('draft-refs-none')).toBeVisible();
  await ui.setEditor('draft-editor', draft);

  // without the reference the type is unknown: refused, the reason shown (the draft is parsed with its
  // references before the registry is asked, so the sentence names the type whatever the registry)
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-error')).toContainText(`undefined type name: ${moneyType}`);
  await expect(page.getByTestId('draft-result')).toBeHidden();

  // an empty row: told next to its fields, nothing sent
  await page.getByTestId('draft-ref-add').click();
  await expect(ui.input('draft-ref-0-version')).toHaveValue('latest');
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-ref-0-name-error')).toHaveText('Enter the name the schema uses for it.');
  await expect(page.getByTestId('draft-ref-0-subject-error')).toHaveText('Choose the subject that holds it.');
  await expect(page.getByTestId('draft-error')).toBeHidden();

  // a subject the registry does not have
  await ui.input('draft-ref-0-name').fill(moneyType);
  await ui.input('draft-ref-0-subject').fill(`nope-${run}`);
  await ui.input('draft-ref-0-version').fill('1');
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-ref-0-subject-error')).toHaveText(`The registry has no subject 'nope-${run}'.`);
  await expect(page.getByTestId('draft-ref-0-name-error')).toBeHidden();
  problems.push(...(await look(page, 'subject-references', 'row-error', ['.monaco-editor'])));

  // the subject picked from the registry's own (the list offered was read again when the row was added),
  // then a version it does not hold
  await ui.input('draft-ref-0-subject').fill(`money-${run}`.slice(0, -3));
  await page.locator('.n-base-select-option', { hasText: money }).click();
  await expect(ui.input('draft-ref-0-subject')).toHaveValue(money);
  await ui.input('draft-ref-0-version').fill('7');
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-ref-0-version-error')).toHaveText(`'${money}' has no version 7 (it has 1).`);
  await expect(page.getByTestId('draft-ref-0-subject-error')).toBeHidden();

  // a second row removed again: the first one stays as typed
  await page.getByTestId('draft-ref-add').click();
  await ui.input('draft-ref-1-name').fill('other.Thing');
  await page.getByTestId('draft-ref-1-remove').click();
  await expect(page.getByTestId('draft-ref-1-name')).toHaveCount(0);
  await expect(ui.input('draft-ref-0-name')).toHaveValue(moneyType);

  // with the reference: compatible (the subject has no version yet); nothing typed was lost on the way
  await ui.input('draft-ref-0-version').fill('1');
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-result')).toContainText('Compatible');
  await expect(page.getByTestId('draft-ref-0-version-error')).toBeHidden();
  await expect(ui.editor('draft-editor')).toHaveAttribute('data-value', draft);
  problems.push(...(await look(page, 'subject-references', 'checked', ['.monaco-editor'])));

  // registered: version 1 lists its reference, a link to the version it names
  await page.getByTestId('draft-register').click();
  await ui.confirm('Register');
  await expect(page.getByTestId('draft-registered')).toContainText('version 1');
  const registered = (await fetch(`${registry.url}/subjects/${invoice}/versions/1`).then((r) => r.json())) as {
    references?: unknown;
  };
  expect(registered.references).toEqual([{ name: moneyType, subject: money, version: 1 }]);

  await page.locator('.n-tabs-tab[data-name="versions"]').click();
  await expect(page.getByTestId('version-meta')).toContainText('Version 1');
  await expect(page.getByTestId('version-references')).toContainText(`${moneyType} → ${money} v1`);
  problems.push(...(await look(page, 'subject-references', 'version', ['.monaco-editor'])));

  // a draft from that version starts with its reference
  await page.locator('.n-tabs-tab[data-name="draft"]').click();
  await expect(ui.input('draft-ref-0-name')).toHaveValue(moneyType);
  await expect(ui.input('draft-ref-0-subject')).toHaveValue(money);
  await expect(ui.input('draft-ref-0-version')).toHaveValue('1');
  await page.getByTestId('draft-check').click();
  await expect(page.getByTestId('draft-result')).toContainText('Compatible');

  await page.locator('.n-tabs-tab[data-name="versions"]').click();
  await page.getByTestId(`reference-${money}`).click();
  await expect(page.getByTestId('subject-title')).toHaveText(money);
  await expect(page.getByTestId('version-meta')).toContainText('Version 1');
  await expect(ui.editor('schema-viewer')).toHaveAttribute('data-value', /"currency"/);

  expect(problems).toEqual([]);
});
