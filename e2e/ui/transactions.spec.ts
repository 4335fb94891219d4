import { Kafka, logLevel, type Producer, type Transaction as KafkajsTransaction } from 'kafkajs';
import { expect, test } from './fixtures';
import { ClusterPages, seedConnection } from './pages/ClusterPages';
import { coreOf, localConnection, look } from './schemaSupport';

/**
 * Transactions in the window, against the real broker: a kafkajs transactional producer (of the test)
 * commits one transaction and leaves the next open on partition 0. The Transactions screen lists it
 * Ongoing with its partition; past a one-minute threshold it is flagged hung. The topic's detail says
 * which transaction holds partition 0's last stable offset back and that read_committed consumers
 * stop there; its Producers tab shows the producer. After the commit the notice is gone.
 */

const stamp = Date.now();
const topic = `ui-txn-${stamp}`;
const txId = `ui-txn-open-${stamp}`;
let producer: Producer;
let open: KafkajsTransaction | null = null;

test.afterAll(async () => {
  await open?.abort().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
});

test('an open transaction: listed, flagged hung past a threshold, and named where it holds a partition back', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(240_000);
  const id = await seedConnection(app.dataDir, localConnection(kafka));
  const call = coreOf(app.dataDir);
  await call('topics.create', { id, name: topic, partitions: 2, replicationFactor: 1 });
  const client = new Kafka({
    clientId: 'kafka-desk-ui',
    brokers: [kafka.listeners.plaintext],
    logLevel: logLevel.NOTHING,
  });
  producer = client.producer({
    transactionalId: txId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 900_000,
  });
  await producer.connect();
  const first = await producer.transaction();
  await first.send({ topic, messages: ['a', 'b', 'c'].map((value) => ({ partition: 0, value })) });
  await first.commit();
  open = await producer.transaction();
  await open.send({ topic, messages: ['d', 'e'].map((value) => ({ partition: 0, value })) });

  // the screen, from the cluster navigation
  await page.goto(app.url);
  await page.goto(`${app.origin}/#/connections/${id}/cluster`);
  await page.getByTestId('sidebar-transactions').click();
  await expect(page.getByTestId('tab-transactions')).toHaveClass(/active/);
  const row = page.getByTestId('transactions-table').locator('.n-data-table-tr', { hasText: txId });
  await expect(row).toContainText('Ongoing');
  await expect(row).toContainText(`${topic} [0]`);
  await expect(row).toContainText('of its 15 min timeout');
  await expect(row).toContainText('broker 1');
  await expect(page.getByTestId('txn-hung-note')).toHaveCount(0);
  await page.getByTestId('txn-search').locator('input').fill(txId);
  await expect(page.getByTestId('txn-count')).toHaveText(/^1 transaction( of \d+)?$/);
  expect(await look(page, 'transactions', 'open')).toEqual([]);

  // every state: the transaction committed before is there too, CompleteCommit
  const pages = new ClusterPages(page, app.origin, id);
  await pages.choose('txn-filter-state', 'Every state');
  await expect(row).toContainText('Ongoing');

  // the topic's detail: partition 0 held at the open transaction's first offset
  await row.getByRole('link', { name: `${topic} [0]` }).click();
  await page.getByTestId('topic-title').waitFor();
  const notice = page.getByTestId('topic-lso-notice');
  await expect(notice).toContainText('An open transaction holds back what read_committed consumers see');
  await expect(page.getByTestId('lso-held-0')).toContainText(
    `Partition 0: read_committed consumers stop at offset 4 (2 offsets after it not readable yet): transaction '${txId}'`,
  );
  await expect(page.getByTestId('lso-held-0')).toContainText('is Ongoing, open');
  await expect(page.getByTestId('lso-held-1')).toHaveCount(0);
  await page.locator('.n-tabs-tab', { hasText: 'Producers' }).click();
  // the tabs slide: the partitions table has gone once the Producers tab stands
  await expect(page.getByTestId('partitions-table')).toBeHidden();
  const partitions = page.getByTestId('producers-partitions');
  await expect(partitions.locator('.n-data-table-tr').nth(1)).toContainText('6');
  await expect(page.getByTestId('held-kind-0')).toHaveText('open transaction');
  await expect(page.getByTestId('producers-table')).toContainText(txId);
  expect(await look(page, 'transactions', 'topic-held')).toEqual([]);

  // past a one-minute threshold the screen flags it hung (asked again until the minute has passed)
  await page.getByTestId('sidebar-transactions').click();
  await pages.choose('txn-hung-after', 'Hung: open over 1 minute');
  await expect(async () => {
    await page.getByTestId('refresh').click();
    await expect(page.getByTestId('txn-hung-note')).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 120_000, intervals: [5000] });
  const hungRow = page.getByTestId('transactions-table').locator('.n-data-table-tr', { hasText: txId });
  await expect(hungRow.getByTestId('txn-hung')).toHaveText('hung');
  await expect(hungRow).toContainText('over the 1 min threshold; timeout 15 min');
  await expect(page.getByTestId('txn-count')).toContainText('hung');
  // the app's tab strip (the topic opened above) is not this screen's own
  expect(await look(page, 'transactions', 'hung')).toEqual([]);

  // committed: the topic's notice is gone once the markers are written
  await open.commit();
  open = null;
  await pages.topic(topic);
  await expect(async () => {
    await page.getByTestId('refresh').click();
    await expect(page.getByTestId('topic-lso-notice')).toHaveCount(0, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await page.locator('.n-tabs-tab', { hasText: 'Producers' }).click();
  await expect(page.getByTestId('held-kind-0')).toHaveCount(0);
  await expect(page.getByTestId('producers-table')).toContainText(txId);
});
