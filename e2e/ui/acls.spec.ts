import type { Page } from '@playwright/test';
import {
  AclRecipe,
  expandRecipe,
  type AclBinding,
  type AclFilterInput,
  type ConnectionInput,
} from '../../electron/contract';
import { ensureKafkaCluster, stopKafkaCluster, type ThreeBrokerInfo } from '../infra/kafka';
import { expect, test } from './fixtures';
import { ClusterPages, seedConnection } from './pages/ClusterPages';
import { coreOf, localConnection, look } from './schemaSupport';

/**
 * The ACLs screen against real authorizers: the single broker has none (an empty state that says so),
 * the three-broker cluster's StandardAuthorizer (admin, a super user, on the SASL listener) has the
 * bindings listed, filtered, created from a recipe after a preview, and deleted after a preview —
 * twice asked on production; read-only changes nothing.
 */

let k: ThreeBrokerInfo;
let startedHere = false;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  ({ cluster: k, startedHere } = await ensureKafkaCluster());
});
test.afterAll(async () => {
  if (startedHere && !process.env.KAFKA_DESK_KEEP_CLUSTER) await stopKafkaCluster();
});

const adminConnection = (extra: Partial<ConnectionInput>): ConnectionInput => ({
  name: 'Prod ACLs',
  color: 'red',
  bootstrapServers: k.bootstrap.sasl,
  sasl: { mechanism: 'scram-sha-512', ...k.users.admin },
  tls: { enabled: false },
  ...extra,
});

/** Picks an option of a select by its whole label, in the menu that is open. */
async function choose(page: Page, testid: string, label: string): Promise<void> {
  await page.getByTestId(testid).click();
  await page
    .locator('.n-base-select-menu:visible .n-base-select-option')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .click();
}

/** Waits for the transitions in flight (a modal fading in) to end, so that a screenshot shows where things stand. */
async function settled(page: Page): Promise<void> {
  // a string: the page's DOM types are not this file's
  await page.evaluate(
    'Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined)))',
  );
}

/** Naive UI's card header in a modal (its own markup, not this screen's) is left to axe's other runs. */
const MODAL = ['.n-card-header'];

const rows = (page: Page) => page.getByTestId('acls-table').locator('.n-data-table-tbody .n-data-table-tr');

test('a cluster without an authorizer: the screen says so plainly, as an empty state and not an error', async ({
  page,
  app,
  kafka,
}) => {
  const id = await seedConnection(app.dataDir, localConnection(kafka));
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/cluster`);
  await page.getByTestId('sidebar-acls').click();
  await expect(page.getByTestId('acls-no-authorizer')).toContainText(
    'This cluster has no authorizer (authorizer.class.name is not set), so it keeps no ACLs.',
  );
  await expect(page.getByTestId('acls-no-authorizer')).toContainText('StandardAuthorizer');
  await expect(page.getByTestId('error-notice')).toHaveCount(0);
  await expect(page.getByTestId('acl-create')).toHaveCount(0);
  await expect(page.getByTestId('tab-acls')).toHaveClass(/active/);
  expect(await look(page, 'acls', 'no-authorizer')).toEqual([]);
});

test('production: bindings filtered, a producer recipe previewed and created, rows and a filter deleted after a preview', async ({
  page,
  app,
}) => {
  test.setTimeout(180_000);
  const run = Date.now();
  const billing = `User:ui-billing-${run}`;
  const orders = `User:ui-orders-${run}`;
  const topic = `ui-acl-${run}`;
  const call = coreOf(app.dataDir);
  const id = await seedConnection(app.dataDir, adminConnection({ environment: 'production' }));
  // a consumer's bindings, as another tool would have left them
  await call('acls.create', {
    id,
    bindings: [
      ...expandRecipe(AclRecipe.parse({ kind: 'consumer', principal: billing, topic, group: `ui-acl-billing-${run}` })),
      {
        resourceType: 'TOPIC',
        resourceName: `${topic}-secret`,
        principal: billing,
        host: '10.9.8.7',
        operation: 'READ',
        permission: 'DENY',
      },
    ],
  });
  const mine = async (principal: string) =>
    (await call<{ bindings: AclBinding[] }>('acls.list', { id, filter: { principal } })).bindings;
  const ui = new ClusterPages(page, app.origin, id);
  const problems: string[] = [];
  try {
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/connections/${id}/acls`);
    await expect(page.getByTestId('acls-table')).toBeVisible();

    // the filter asks the broker: a principal (a bare name is a user), then a DENY only
    await ui.input('acl-filter-principal').fill(`ui-billing-${run}`);
    await expect(page.getByTestId('acl-count')).toHaveText('4 ACLs match');
    await expect(rows(page)).toHaveCount(4);
    problems.push(...(await look(page, 'acls', 'list')));
    await choose(page, 'acl-filter-permission', 'Deny');
    await expect(page.getByTestId('acl-count')).toHaveText('1 ACL match');
    await expect(rows(page).first()).toContainText('10.9.8.7');
    await page.getByTestId('acl-filter-clear').click();
    // "applies to the name": what governs the topic, whoever it is for
    await choose(page, 'acl-filter-type', 'Topic');
    await ui.input('acl-filter-name').fill(topic);
    await choose(page, 'acl-filter-pattern', 'Applies to the name');
    await expect(page.getByTestId('acl-count')).toHaveText('2 ACLs match');
    await page.getByTestId('acl-filter-clear').click();

    // create: a prefixed, idempotent, transactional producer, previewed as six bindings
    await page.getByTestId('acl-create').click();
    const dialog = page.getByTestId('acl-create-dialog');
    await ui.input('acl-principal').fill(`ui-orders-${run}`);
    await ui.input('acl-topic').fill(`${topic}.orders.`);
    await page.getByTestId('acl-topic-prefixed').click();
    await page.getByTestId('acl-idempotent').click();
    await ui.input('acl-transactional-id').fill(`${topic}-tx`);
    await expect(page.getByTestId('acl-create-count')).toHaveText('6 ACLs to create');
    const preview = page.getByTestId('acl-create-preview');
    for (const op of ['WRITE', 'DESCRIBE', 'CREATE', 'IDEMPOTENT WRITE']) await expect(preview).toContainText(op);
    await expect(preview).toContainText('kafka-cluster');
    await expect(preview).toContainText(`${topic}.orders.…`);
    await settled(page);
    problems.push(...(await look(page, 'acls', 'create-recipe', MODAL)));
    // a host name is not what the broker compares: said at the field, nothing to create
    await ui.input('acl-host').fill('app.example.com');
    await expect(dialog.locator('.n-form-item-feedback--error')).toContainText('an IP address, or * for every host');
    await ui.input('acl-host').fill('*');
    // the free form offers a group only what a group has
    await page.getByTestId('acl-mode-free').click();
    await choose(page, 'acl-resource-type', 'Group');
    await page.getByTestId('acl-operations').click();
    await expect(page.locator('.n-base-select-menu:visible .n-base-select-option')).toHaveText([
      'READ',
      'DESCRIBE',
      'DELETE',
      'ALL',
    ]);
    await page.keyboard.press('Escape');
    await settled(page);
    problems.push(...(await look(page, 'acls', 'create-free', MODAL)));
    // back to the recipe, as it was left
    await page.getByTestId('acl-mode-recipe').click();
    await expect(page.getByTestId('acl-create-count')).toHaveText('6 ACLs to create');
    await page.getByTestId('acl-create-submit').click();
    // production: asked, then asked again
    await ui.confirm('Create');
    await expect(page.getByRole('dialog').last()).toContainText("'Prod ACLs' is tagged production");
    await ui.confirm('Yes, create');
    await expect(dialog).toBeHidden();
    await expect(page.locator('.n-message')).toContainText('Created 6 ACLs.');
    expect((await mine(orders)).map((b) => `${b.resourceType} ${b.patternType} ${b.operation}`).sort()).toEqual([
      'CLUSTER LITERAL IDEMPOTENT_WRITE',
      'TOPIC PREFIXED CREATE',
      'TOPIC PREFIXED DESCRIBE',
      'TOPIC PREFIXED WRITE',
      'TRANSACTIONAL_ID LITERAL DESCRIBE',
      'TRANSACTIONAL_ID LITERAL WRITE',
    ]);

    // delete two chosen rows: previewed, confirmed twice, exactly those gone
    await ui.input('acl-filter-principal').fill(orders);
    await expect(page.getByTestId('acl-count')).toHaveText('6 ACLs match');
    const boxes = page.getByTestId('acls-table').locator('.n-data-table-tbody .n-checkbox');
    await boxes.nth(0).click();
    await boxes.nth(1).click();
    const chosen = [await rows(page).nth(0).innerText(), await rows(page).nth(1).innerText()];
    await page.getByTestId('acl-delete-selected').click();
    await expect(page.getByTestId('acl-delete-count')).toHaveText('2 ACLs will be deleted:');
    await settled(page);
    problems.push(...(await look(page, 'acls', 'delete-preview', MODAL)));
    await page.getByTestId('acl-delete-submit').click();
    await ui.confirm('Delete');
    await ui.confirm('Yes, delete');
    await expect(page.getByTestId('acl-delete-dialog')).toBeHidden();
    await expect(page.getByTestId('acl-count')).toHaveText('4 ACLs match');
    for (const text of chosen) await expect(page.getByTestId('acls-table')).not.toContainText(text);
    expect(await mine(orders)).toHaveLength(4);

    // delete what the filter matches: the broker's preview; Cancel deletes nothing; then all four go
    await page.getByTestId('acl-delete-matching').click();
    await expect(page.getByTestId('acl-delete-count')).toHaveText('4 ACLs will be deleted:');
    await page.getByTestId('acl-delete-dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await mine(orders)).toHaveLength(4);
    await page.getByTestId('acl-delete-matching').click();
    await expect(page.getByTestId('acl-delete-count')).toHaveText('4 ACLs will be deleted:');
    await page.getByTestId('acl-delete-submit').click();
    await ui.confirm('Delete');
    await ui.confirm('Yes, delete');
    await expect(page.getByTestId('acls-table')).toContainText('No ACL matches the filter.');
    expect(await mine(orders)).toEqual([]);
    expect(await mine(billing)).toHaveLength(4);
    expect(problems, problems.join('\n')).toEqual([]);
  } finally {
    const filters: AclFilterInput[] = [{ principal: billing }, { principal: orders }];
    await call('acls.delete', { id, filters, dryRun: false });
  }
});

test('a read-only connection lists the ACLs and offers no change', async ({ page, app }) => {
  const run = Date.now();
  const principal = `User:ui-ro-${run}`;
  const call = coreOf(app.dataDir);
  const writer = await seedConnection(app.dataDir, adminConnection({ name: 'Writer' }));
  await call('acls.create', {
    id: writer,
    bindings: [{ resourceType: 'GROUP', resourceName: `ui-ro-${run}`, principal, operation: 'READ' }],
  });
  const id = await seedConnection(app.dataDir, adminConnection({ name: 'Read only', readOnly: true }));
  const ui = new ClusterPages(page, app.origin, id);
  try {
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/connections/${id}/acls`);
    await ui.input('acl-filter-principal').fill(principal);
    await expect(page.getByTestId('acl-count')).toHaveText('1 ACL match');
    await expect(page.getByTestId('acl-read-only')).toHaveText(
      'This connection is read-only: its ACLs can be listed, not changed.',
    );
    await expect(page.getByTestId('acl-create')).toBeDisabled();
    await expect(page.getByTestId('acl-delete-matching')).toBeDisabled();
    await expect(page.getByTestId('acls-table').locator('.n-data-table-tbody .n-checkbox--disabled')).toHaveCount(1);
  } finally {
    await call('acls.delete', { id: writer, filters: [{ principal }], dryRun: false });
  }
});
