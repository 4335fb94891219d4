import { spawn, type ChildProcess } from 'node:child_process';
import type { Connection, ConsumerGroupDetail } from '../../electron/contract';
import { createTopic, kcatProduce } from '../integration/support';
import { coreOf, localConnection, look } from './schemaSupport';
import { expect, test } from './fixtures';

/**
 * A group on the consumer protocol (KIP-848), as Kafka's own console consumer makes it with
 * group.protocol=consumer, beside a classic one: the list says which is which, the detail shows the
 * KIP-848 member with its epoch and assignment, and a reset is refused while it is live.
 */
test('groups of both protocols: the type column and filter, a KIP-848 member with its epoch and assignment', async ({
  page,
  app,
  kafka,
}) => {
  const stamp = Date.now();
  const topic = `ui-kip848-${stamp}`;
  const kip848 = `ui-kip848-group-${stamp}`;
  const classic = `ui-classic-group-${stamp}`;
  await createTopic(kafka, topic, 3);
  await kcatProduce(kafka.listeners.plaintext, topic, ['a', 'b', 'c', 'd', 'e', 'f']);
  const call = coreOf(app.dataDir);
  const conn = await call<Connection>('connections.save', localConnection(kafka));
  // a classic group with committed offsets and no members
  await call('operations.consume', {
    id: conn.id,
    topic,
    max: 6,
    group: { groupId: classic, commit: 'auto' },
  });

  let consumer: ChildProcess | null = null;
  try {
    consumer = spawn(
      kafka.javaBin,
      [
        '-Xmx256m',
        '-cp',
        kafka.toolsClasspath,
        'org.apache.kafka.tools.consumer.ConsoleConsumer',
        '--bootstrap-server',
        kafka.listeners.plaintext,
        '--topic',
        topic,
        '--group',
        kip848,
        '--from-beginning',
        '--consumer-property',
        'group.protocol=consumer',
        '--consumer-property',
        'client.id=ui-console',
      ],
      { stdio: 'ignore' },
    );
    // the console consumer has joined and holds the three partitions
    await expect
      .poll(
        async () => {
          const d = await call<ConsumerGroupDetail>('groups.describe', { id: conn.id, groupId: kip848 }).catch(
            () => null,
          );
          return d ? `${d.state} ${d.members.flatMap((m) => m.assignment.flatMap((a) => a.partitions)).length}` : '';
        },
        { timeout: 60_000 },
      )
      .toBe('Stable 3');

    await page.goto(app.url);
    await page.goto(`${app.origin}/#/connections/${conn.id}/groups`);
    const table = page.getByTestId('groups-table');
    // the list is virtualized and the test broker holds many groups: filtered to this test's, as a user would
    await page.getByTestId('group-filter').locator('input').fill(String(stamp));
    await expect(page.getByTestId(`group-type-${kip848}`)).toHaveText('consumer (KIP-848)');
    await expect(page.getByTestId(`group-type-${classic}`)).toHaveText('classic');
    await expect(table.locator('tr', { hasText: kip848 })).toContainText('Stable');
    const found = await look(page, 'groups', 'protocols');

    // the type filter keeps one protocol
    await page.getByTestId('group-type-filter').click();
    await page.locator('.n-base-select-option', { hasText: 'consumer (KIP-848)' }).click();
    await expect(table).toContainText(kip848);
    await expect(table).not.toContainText(classic);

    await table.getByRole('link', { name: kip848 }).click();
    await expect(page.getByTestId('group-type')).toHaveText('consumer (KIP-848)');
    await expect(page.getByTestId('group-state')).toHaveText('Stable');
    await expect(page.getByTestId('group-epochs')).toContainText('epoch');
    const members = page.getByTestId('group-members');
    await expect(members).toContainText('ui-console');
    await expect(page.getByTestId('member-assignment-ui-console')).toHaveText(`${topic} [0, 1, 2]`);
    await expect(members).toContainText('reached');
    // a live member: a reset can be previewed, not applied
    await expect(page.getByTestId('reset-apply')).toBeDisabled();
    found.push(...(await look(page, 'groups', 'kip848-detail')));
    expect(found).toEqual([]);
  } finally {
    consumer?.kill('SIGTERM');
  }
});

/**
 * A share group (KIP-932; the test broker has share.version=1), as Kafka's console share consumer
 * makes it: listed as a share group, and its detail shows the member with its epoch and the
 * partitions it shares.
 */
test('a share group: listed as share, its member with the partitions it shares', async ({ page, app, kafka }) => {
  const stamp = Date.now();
  const topic = `ui-share-${stamp}`;
  const group = `ui-share-group-${stamp}`;
  await createTopic(kafka, topic, 2);
  await kcatProduce(kafka.listeners.plaintext, topic, ['a', 'b']);
  const call = coreOf(app.dataDir);
  const conn = await call<Connection>('connections.save', localConnection(kafka));
  let consumer: ChildProcess | null = null;
  try {
    consumer = spawn(
      kafka.javaBin,
      [
        '-Xmx256m',
        '-cp',
        kafka.toolsClasspath,
        'org.apache.kafka.tools.consumer.ConsoleShareConsumer',
        '--bootstrap-server',
        kafka.listeners.plaintext,
        '--topic',
        topic,
        '--group',
        group,
        '--consumer-property',
        'client.id=ui-share-console',
      ],
      { stdio: 'ignore' },
    );
    await expect
      .poll(
        async () => {
          const d = await call<ConsumerGroupDetail>('groups.describe', { id: conn.id, groupId: group }).catch(
            () => null,
          );
          return d
            ? `${d.type} ${d.state} ${d.members.flatMap((m) => m.assignment.flatMap((a) => a.partitions)).length}`
            : '';
        },
        { timeout: 60_000 },
      )
      .toBe('share Stable 2');

    await page.goto(app.url);
    await page.goto(`${app.origin}/#/connections/${conn.id}/groups`);
    const table = page.getByTestId('groups-table');
    await page.getByTestId('group-filter').locator('input').fill(String(stamp));
    await expect(page.getByTestId(`group-type-${group}`)).toHaveText('share (KIP-932)');
    await expect(table.locator('tr', { hasText: group })).toContainText('Stable');
    const found = await look(page, 'groups', 'share-list');

    await table.getByRole('link', { name: group }).click();
    await expect(page.getByTestId('group-type')).toHaveText('share (KIP-932)');
    await expect(page.getByTestId('group-state')).toHaveText('Stable');
    await expect(page.getByTestId('group-members')).toContainText('ui-share-console');
    await expect(page.getByTestId('member-assignment-ui-share-console')).toHaveText(`${topic} [0, 1]`);
    // no committed offsets, lag or reset: a share group keeps its place in Kafka's share-group state
    await expect(page.getByTestId('group-share-offsets')).toContainText('kafka-share-groups --describe');
    await expect(page.getByTestId('group-total-lag')).toHaveCount(0);
    await expect(page.getByTestId('reset-panel')).toHaveCount(0);
    found.push(...(await look(page, 'groups', 'share-detail')));
    expect(found).toEqual([]);
  } finally {
    consumer?.kill('SIGTERM');
  }
});
