import { ensureSchemaRegistry, type RegistryInfo } from '../infra/schemaRegistry';
import { expect, test } from './fixtures';
import { localConnection, look } from './schemaSupport';
import { ClusterPages, seedConnection } from './pages/ClusterPages';

let registry: RegistryInfo;
test.beforeAll(async () => {
  test.setTimeout(180_000); // the first run builds the registry
  registry = await ensureSchemaRegistry();
});

test('a registry template fills what it knows, says what to fill in, and keeps what the user typed', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(180_000);
  const id = await seedConnection(app.dataDir, localConnection(kafka));
  const ui = new ClusterPages(page, app.origin, id);
  const problems: string[] = [];
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/schemas`);
  await page.getByTestId('registry-setup').click();
  const dialog = page.getByTestId('registry-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('registry-template-note')).toBeHidden();

  // typed before choosing: fields no template sets
  await ui.input('registry-password').fill('typed-before');
  await page.getByTestId('registry-verify').click();
  await expect(page.getByTestId('registry-verify')).toHaveAttribute('aria-checked', 'false');

  // Confluent Cloud: its endpoint over the default URL, basic auth asked for, its hint under the picker
  await page.getByTestId('registry-template').click();
  await page.getByTestId('registry-template-confluent-cloud').click();
  await expect(page.locator('.n-base-select-menu:visible')).toHaveCount(0);
  await expect(page.getByTestId('registry-template')).toContainText('Confluent Cloud');
  await expect(ui.input('registry-urls')).toHaveValue('https://psrc-xxxxx.region.provider.confluent.cloud');
  await expect(ui.input('registry-user')).toHaveValue('');
  await expect(ui.input('registry-user')).toHaveAttribute('placeholder', 'required by Confluent Cloud');
  const note = page.getByTestId('registry-template-note');
  await expect(note).toContainText('a Schema Registry API key as the user name and its secret as the password');
  await expect(note).toContainText('Fill in: endpoint (https://psrc-….region.provider.confluent.cloud)');
  await expect(note).toContainText('Schema Registry API key, API secret.');
  await expect(page.getByTestId('registry-template-kept-urls')).toBeHidden();
  // nothing typed is lost
  await expect(ui.input('registry-password')).toHaveValue('typed-before');
  await expect(page.getByTestId('registry-verify')).toHaveAttribute('aria-checked', 'false');
  // an https URL: no plain-HTTP question
  await expect(page.getByTestId('registry-plain-http-warning')).toBeHidden();
  problems.push(...(await look(page, 'registry-template', 'confluent-cloud')));

  // the user's own URL and user stay when another template comes; it says so and offers its own URL
  await ui.input('registry-urls').fill('https://sr.example.com:8081');
  await ui.input('registry-user').fill('alice');
  await ui.choose('registry-template', 'Aiven (Karapace)');
  await expect(page.locator('.n-base-select-menu:visible')).toHaveCount(0);
  await expect(note).toContainText('with the service user avnadmin and its password');
  await expect(ui.input('registry-urls')).toHaveValue('https://sr.example.com:8081');
  await expect(page.getByTestId('registry-template-kept-urls')).toContainText(
    "Kept the URLs you typed; the template's: https://SERVICE-PROJECT.aivencloud.com:13044",
  );
  await expect(ui.input('registry-user')).toHaveValue('alice');
  await expect(page.getByTestId('registry-template-kept-user')).toContainText('Aiven (Karapace) names avnadmin');
  await expect(ui.input('registry-password')).toHaveValue('typed-before');
  problems.push(...(await look(page, 'registry-template', 'kept')));
  await page.getByTestId('registry-template-use-urls').click();
  await expect(ui.input('registry-urls')).toHaveValue('https://SERVICE-PROJECT.aivencloud.com:13044');
  await expect(page.getByTestId('registry-template-kept-urls')).toBeHidden();

  // back to no authentication: the user and password are the user's to clear, then it saves and lists
  await ui.choose('registry-template', 'Local registry');
  await expect(ui.input('registry-urls')).toHaveValue('http://localhost:8081');
  await expect(ui.input('registry-user')).toHaveValue('alice');
  await ui.input('registry-urls').fill(registry.url);
  await ui.input('registry-user').fill('');
  await ui.input('registry-password').fill('');
  await page.getByTestId('registry-save').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('registry-url')).toHaveText(registry.url);

  // a saved registry opens with its settings, without the templates of a new one
  await page.getByTestId('registry-edit').click();
  await expect(dialog).toBeVisible();
  await expect(ui.input('registry-urls')).toHaveValue(registry.url);
  await expect(page.getByTestId('registry-template')).toBeHidden();
  await expect(page.getByTestId('registry-verify')).toHaveAttribute('aria-checked', 'false');

  expect(problems, problems.join('\n')).toEqual([]);
});
