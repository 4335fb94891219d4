import { createTopic, kcatMetadata } from '../integration/support';
import { seedConnection } from './pages/ClusterPages';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { OperationPages } from './pages/OperationPages';
import { expect, screenshotsAt, test } from './fixtures';

/** Topic fields: the cluster's topics offered, a name it does not have said beside the field, with an offer to create it. */
test.describe('topic fields', () => {
  test('Produce: suggests the cluster topics; a missing name is warned about and created from the field, then the message goes', async ({
    page,
    app,
    kafka,
  }) => {
    const base = `ui-tf-${Date.now()}`;
    await createTopic(kafka, `${base}-orders`, 1);
    const id = await seedConnection(app.dataDir, {
      name: 'Local',
      bootstrapServers: [kafka.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    });
    const ui = new OperationPages(page, app.origin, id);
    await page.goto(app.url);
    await ui.open('produce');

    // typing part of a name offers the topic the cluster has
    await page.getByTestId('produce-topic').click();
    await page.getByTestId('produce-topic').locator('input').first().fill(`${base}-ord`);
    await expect(page.locator('.n-base-select-option', { hasText: `${base}-orders` })).toBeVisible();
    await page.keyboard.press('Escape');

    // an existing topic: no warning
    await ui.pickTopic('produce-topic', `${base}-orders`);
    await expect(page.getByTestId('produce-topic')).toContainText(`${base}-orders`);
    await expect(page.getByTestId('produce-topic-missing')).toHaveCount(0);

    // a name the cluster does not have: said beside the field, with an offer to create it
    const fresh = `${base}-new`;
    await ui.pickTopic('produce-topic', fresh);
    await expect(page.getByTestId('produce-topic-missing-text')).toHaveText(
      `Topic '${fresh}' does not exist on Local.`,
    );
    await expect(page.getByTestId('produce-topic-create')).toHaveText(`Create '${fresh}'…`);
    await screenshotsAt(page, 'topic-missing-produce');

    await page.getByTestId('produce-topic-create').click();
    const dialog = page.getByTestId('produce-topic-create-dialog');
    await expect(dialog).toContainText(`Create topic '${fresh}'`);
    // the defaults are shown before anything is created
    await expect(page.getByTestId('produce-topic-create-partitions').locator('input')).toHaveValue('3');
    await expect(page.getByTestId('produce-topic-create-replication').locator('input')).toHaveValue('1');
    await screenshotsAt(page, 'topic-create-dialog');
    await page.getByTestId('produce-topic-create-partitions').locator('input').fill('2');
    await page.getByTestId('produce-topic-create-submit').click();
    await expect(page.getByText(`Topic '${fresh}' created: 2 partitions, replication factor 1.`)).toBeVisible();
    await expect(page.getByTestId('produce-topic-missing')).toHaveCount(0);
    const made = (await kcatMetadata(kafka.listeners.plaintext)).topics.find((t) => t.topic === fresh);
    expect(made?.partitions).toHaveLength(2);

    await ui.setEditor('produce-value', 'hello');
    await page.getByTestId('produce-send').click();
    await expect(page.getByTestId('produce-summary')).toHaveText('1 delivered, 0 not delivered');
  });

  test('Consume (several topics): only the missing one is warned about; a read-only connection offers no create', async ({
    page,
    app,
    kafka,
  }) => {
    const base = `ui-tf-c-${Date.now()}`;
    await createTopic(kafka, `${base}-there`, 1);
    const id = await seedConnection(app.dataDir, {
      name: 'Local',
      bootstrapServers: [kafka.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    });
    const ro = await seedConnection(app.dataDir, {
      name: 'Watch only',
      readOnly: true,
      bootstrapServers: [kafka.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    });
    const ui = new OperationPages(page, app.origin, id);
    await page.goto(app.url);
    await ui.open('consume');
    await ui.pickTopic('consume-topic', `${base}-there`);
    await ui.pickTopic('consume-topic', `${base}-gone`);
    await expect(page.getByTestId('consume-topic-missing-text')).toHaveText(
      `Topic '${base}-gone' does not exist on Local.`,
    );
    await expect(page.getByTestId('consume-topic-create')).toBeEnabled();
    await screenshotsAt(page, 'topic-missing-consume');

    const watch = new OperationPages(page, app.origin, ro);
    await watch.open('consume');
    await watch.pickTopic('consume-topic', `${base}-gone`);
    await expect(page.getByTestId('consume-topic-missing-text')).toHaveText(
      `Topic '${base}-gone' does not exist on Watch only.`,
    );
    await expect(page.getByTestId('consume-topic-create')).toBeDisabled();

    // Listen's field says the same
    await ui.open('listen');
    await ui.pickTopic('listen-topic', `${base}-gone`);
    await expect(page.getByTestId('listen-topic-missing-text')).toHaveText(
      `Topic '${base}-gone' does not exist on Local.`,
    );
    await screenshotsAt(page, 'topic-missing-listen');
  });

  test('Replay to a topic that does not exist: warned in the dialog, and the run fails at once with one sentence, no list per message', async ({
    page,
    app,
    kafka,
  }) => {
    const base = `ui-tf-r-${Date.now()}`;
    await createTopic(kafka, `${base}-target`, 1);
    await seedConnection(app.dataDir, {
      name: 'Local',
      bootstrapServers: [kafka.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    });
    const ui = new ConnectionsPage(page);
    await ui.open(app.url);
    await page.goto(`${app.origin}/#/captures`);
    await page.getByTestId('capture-open-sample').click();
    await expect(page.getByTestId('capture-table-count')).toHaveText('39 rows');
    await page.getByTestId('capture-replay').click();

    // the connection's topics are offered as the name is typed
    await page.getByTestId('replay-topic').locator('input').fill(`${base}-tar`);
    await expect(page.locator('.n-base-select-option', { hasText: `${base}-target` })).toBeVisible();
    const missing = `${base}-nowhere`;
    await page.getByTestId('replay-topic').locator('input').fill(missing);
    await expect(page.getByTestId('replay-topic-missing-text')).toHaveText(
      `Topic '${missing}' does not exist on Local.`,
    );
    await page.getByTestId('replay-run').click();
    await expect(page.getByTestId('replay-dialog').getByTestId('error-message')).toHaveText(
      `Topic '${missing}' does not exist on Local; create it first or pick another topic.`,
    );
    await expect(page.getByTestId('replay-result')).toHaveCount(0);
    await expect(page.getByTestId('replay-dialog').locator('.failure')).toHaveCount(0);
    await screenshotsAt(page, 'replay-missing-topic');
  });
});
