import type { Page } from '@playwright/test';
import type { ChannelOutput, QuotaEntity } from '../../electron/contract';
import { expect, test } from './fixtures';
import { ClusterPages, seedConnection } from './pages/ClusterPages';
import { coreOf, localConnection, look } from './schemaSupport';

/**
 * The Users & quotas screen against the real single broker: its SCRAM users listed, one created with
 * its password typed twice, given a new password and deleted (asked twice on production); its client
 * quotas listed by kind, one added for a user's default client id, edited one key at a time with the
 * change shown first, and removed. A read-only connection lists both and offers no change.
 */

/** Naive UI's card header in a modal (its own markup, not this screen's) is left to axe's other runs. */
const MODAL = ['.n-card-header'];

async function settled(page: Page): Promise<void> {
  // a string: the page's DOM types are not this file's
  await page.evaluate(
    'Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined)))',
  );
}

const userRow = (page: Page, name: string) =>
  page.getByTestId('users-table').locator('.n-data-table-tbody .n-data-table-tr', { hasText: name });
const quotaRow = (page: Page, label: string) =>
  page.getByTestId('quotas-table').locator('.n-data-table-tbody .n-data-table-tr', { hasText: label });

test('production: SCRAM users created, given a new password and deleted; quotas added, edited and removed', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(180_000);
  const run = Date.now();
  const user = `ui-user-${run}`;
  const quotaUser = `ui-quota-${run}`;
  const passwords = ['ui first password', 'ui second password'];
  const call = coreOf(app.dataDir);
  const id = await seedConnection(
    app.dataDir,
    localConnection(kafka, { name: 'Prod users', environment: 'production' }),
  );
  const listed = async (name: string) =>
    (await call<ChannelOutput<'users.list'>>('users.list', { id, names: [name] })).users;
  const quotasOf = async (entity: QuotaEntity) =>
    (
      await call<ChannelOutput<'quotas.list'>>('quotas.list', {
        id,
        filter: {
          ...(entity.user !== undefined
            ? { user: entity.user === null ? { match: 'default' } : { match: 'exact', name: entity.user } }
            : {}),
          ...(entity.clientId !== undefined
            ? { clientId: entity.clientId === null ? { match: 'default' } : { match: 'exact', name: entity.clientId } }
            : {}),
          strict: true,
        },
      })
    ).entries[0]?.values ?? {};
  // a quota another tool left on a user and one on an address
  await call('quotas.alter', {
    id,
    entries: [
      { entity: { user: quotaUser }, set: { producer_byte_rate: 1048576, consumer_byte_rate: 2097152 } },
      { entity: { ip: '10.77.0.1' }, set: { connection_creation_rate: 25 } },
    ],
  });
  const ui = new ClusterPages(page, app.origin, id);
  const problems: string[] = [];
  try {
    await page.goto(app.url);
    await page.goto(`${app.origin}/#/connections/${id}/cluster`);
    await page.getByTestId('sidebar-users').click();
    await expect(page.getByTestId('tab-users')).toHaveClass(/active/);
    await expect(userRow(page, kafka.users.scram512.username)).toContainText('SCRAM-SHA-512 · 4,096');
    await settled(page);
    problems.push(...(await look(page, 'users-quotas', 'users')));

    // create: the password twice (a typo is said at the field), SCRAM-SHA-256, 8192 iterations
    await page.getByTestId('user-create').click();
    const dialog = page.getByTestId('user-dialog');
    await ui.input('user-name').fill(user);
    await page.getByTestId('user-mechanism').getByText('SCRAM-SHA-256').click();
    await ui.input('user-iterations').fill('8192');
    await ui.input('user-password').fill(passwords[0]!);
    await ui.input('user-password-confirm').fill(`${passwords[0]}x`);
    await page.getByTestId('user-submit').click();
    await expect(dialog.locator('.n-form-item-feedback--error')).toHaveText('not the same password');
    await ui.input('user-password-confirm').fill(passwords[0]!);
    await expect(ui.input('user-password')).toHaveAttribute('type', 'password');
    await settled(page);
    problems.push(...(await look(page, 'users-quotas', 'user-create', MODAL)));
    await page.getByTestId('user-submit').click();
    await expect(dialog).toBeHidden();
    await expect(
      page.locator('.n-message', { hasText: `Created the SCRAM-SHA-256 credential of ${user}.` }),
    ).toBeVisible();
    await expect(userRow(page, user)).toContainText('SCRAM-SHA-256 · 8,192');
    expect(await listed(user)).toEqual([
      { name: user, credentials: [{ mechanism: 'SCRAM-SHA-256', iterations: 8192 }] },
    ]);

    // a new password: the mechanism and iterations the user has
    await page.getByTestId(`user-change-${user}`).click();
    await expect(dialog).toContainText(`Change the password of ${user}`);
    await expect(ui.input('user-iterations')).toHaveValue('8192');
    await ui.input('user-password').fill(passwords[1]!);
    await ui.input('user-password-confirm').fill(passwords[1]!);
    await page.getByTestId('user-submit').click();
    await expect(
      page.locator('.n-message', { hasText: `Changed the SCRAM-SHA-256 password of ${user}.` }),
    ).toBeVisible();
    await expect(dialog).toBeHidden();
    // the window keeps no password once the dialog is closed
    for (const p of passwords) expect(await page.content()).not.toContain(p);

    // delete: the dialog, then asked, then asked again on production
    await page.getByTestId(`user-delete-${user}`).click();
    await settled(page);
    problems.push(...(await look(page, 'users-quotas', 'user-delete', MODAL)));
    await page.getByTestId('user-delete-submit').click();
    await ui.confirm('Delete');
    await expect(page.getByRole('dialog').last()).toContainText("'Prod users' is tagged production");
    await ui.confirm('Yes, delete');
    await expect(page.getByTestId('user-delete-dialog')).toBeHidden();
    await expect(userRow(page, user)).toHaveCount(0);
    expect(await listed(user)).toEqual([]);

    // quotas: listed with a column per key, filtered by kind
    await page.locator('.n-tabs-tab', { hasText: 'Client quotas' }).click();
    // the success messages (Naive UI's, measured in their own runs) gone before the screen is looked at
    await expect(page.locator('.n-message')).toHaveCount(0);
    await expect(page).toHaveURL(/tab=quotas/);
    await expect(quotaRow(page, `user ${quotaUser}`)).toContainText('1 MiB/s');
    await expect(quotaRow(page, `user ${quotaUser}`)).toContainText('2 MiB/s');
    await expect(quotaRow(page, 'ip 10.77.0.1')).toContainText('25/s');
    await settled(page);
    problems.push(...(await look(page, 'users-quotas', 'quotas')));
    await ui.choose('quota-filter-kind', 'IP address');
    await expect(quotaRow(page, 'ip 10.77.0.1')).toHaveCount(1);
    await expect(quotaRow(page, `user ${quotaUser}`)).toHaveCount(0);
    await ui.choose('quota-filter-kind', 'Every kind');
    await ui.input('quota-search').fill(quotaUser);
    await expect(page.getByTestId('quota-count')).toHaveText('1 entity match');
    await ui.input('quota-search').fill('');

    // add: the default client id of the user, a produce rate, the change shown before it is applied
    await page.getByTestId('quota-add').click();
    const qd = page.getByTestId('quota-dialog');
    await page.getByTestId('quota-kind').getByText('User and client id').click();
    await ui.input('quota-user').fill(quotaUser);
    await page.getByTestId('quota-client-default').click();
    await ui.input('quota-value-producer_byte_rate').fill('abc');
    await page.getByTestId('quota-submit').click();
    await expect(qd.locator('.n-form-item-feedback--error')).toHaveText('a number');
    await ui.input('quota-value-producer_byte_rate').fill('524288');
    await expect(page.getByTestId('quota-change-producer_byte_rate')).toContainText('512 KiB/s');
    await settled(page);
    problems.push(...(await look(page, 'users-quotas', 'quota-add', MODAL)));
    await page.getByTestId('quota-submit').click();
    await ui.confirm('Change');
    await ui.confirm('Yes, change');
    await expect(qd).toBeHidden();
    await expect(quotaRow(page, `default client id of user ${quotaUser}`)).toContainText('512 KiB/s');
    expect(await quotasOf({ user: quotaUser, clientId: null })).toEqual({ producer_byte_rate: 524288 });

    // edit: one key cleared (removed), one changed, the other kept
    await expect(page.locator('.n-message')).toHaveCount(0);
    await quotaRow(page, `user ${quotaUser}`).first().getByTestId('quota-edit').click();
    await ui.input('quota-value-consumer_byte_rate').fill('');
    await ui.input('quota-value-request_percentage').fill('25');
    await expect(page.getByTestId('quota-change-consumer_byte_rate')).toContainText('removed');
    await expect(page.getByTestId('quota-changes')).not.toContainText('producer_byte_rate');
    await settled(page);
    problems.push(...(await look(page, 'users-quotas', 'quota-edit', MODAL)));
    await page.getByTestId('quota-submit').click();
    await ui.confirm('Change');
    await ui.confirm('Yes, change');
    await expect(qd).toBeHidden();
    expect(await quotasOf({ user: quotaUser })).toEqual({ producer_byte_rate: 1048576, request_percentage: 25 });

    // remove every quota of the entity: asked twice
    await quotaRow(page, `default client id of user ${quotaUser}`).getByTestId('quota-remove').click();
    await ui.confirm('Remove');
    await ui.confirm('Yes, remove');
    await expect(quotaRow(page, `default client id of user ${quotaUser}`)).toHaveCount(0);
    expect(await quotasOf({ user: quotaUser, clientId: null })).toEqual({});
    expect(problems, problems.join('\n')).toEqual([]);
  } finally {
    await call('users.delete', { id, name: user }).catch(() => undefined);
    await call('quotas.alter', {
      id,
      entries: [
        { entity: { user: quotaUser }, remove: ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'] },
        { entity: { user: quotaUser, clientId: null }, remove: ['producer_byte_rate'] },
        { entity: { ip: '10.77.0.1' }, remove: ['connection_creation_rate'] },
      ],
    }).catch(() => undefined);
  }
});

test('a read-only connection lists users and quotas and offers no change', async ({ page, app, kafka }) => {
  const id = await seedConnection(app.dataDir, localConnection(kafka, { name: 'Read only', readOnly: true }));
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/users`);
  await expect(userRow(page, kafka.users.scram256.username)).toContainText('SCRAM-SHA-256 · 4,096');
  await expect(page.getByTestId('users-read-only')).toHaveText(
    'This connection is read-only: its users can be listed, not changed.',
  );
  await expect(page.getByTestId('user-create')).toBeDisabled();
  await expect(page.getByTestId(`user-delete-${kafka.users.scram256.username}`)).toBeDisabled();
  await page.goto(`${app.origin}/#/connections/${id}/users?tab=quotas`);
  await expect(page.getByTestId('quotas-read-only')).toBeVisible();
  await expect(page.getByTestId('quota-add')).toBeDisabled();
});
