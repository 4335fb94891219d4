import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClusterOverview, ConsumerGroupDetail, GroupResetResult, TopicDetail } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import {
  createTopic,
  freshCore,
  kafkaTool,
  kcatMetadata,
  kcatProduce,
  listenerInputs,
  readCluster,
  type ClusterInfo,
} from './support';

const exec = promisify(execFile);
let k: ClusterInfo;
let core: Core;
let id: string;
let readOnlyId: string;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
async function fail(channel: string, input: unknown) {
  const r = await dispatch(core.handlers, channel, input);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}

/** Kafka's own tools, the peer for what kcat cannot show (configs, groups, earliest offsets). */
const configsOf = async (topic: string) =>
  kafkaTool(k, 'kafka.admin.ConfigCommand', [
    '--bootstrap-server',
    k.listeners.plaintext,
    '--entity-type',
    'topics',
    '--entity-name',
    topic,
    '--describe',
  ]);
const earliestOffsets = async (topic: string) =>
  (
    await kafkaTool(k, 'org.apache.kafka.tools.GetOffsetShell', [
      '--bootstrap-server',
      k.listeners.plaintext,
      '--topic',
      topic,
      '--time',
      '-2',
    ])
  )
    .trim()
    .split('\n')
    .sort();
const groupTool = async (group: string) =>
  kafkaTool(k, 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    k.listeners.plaintext,
    '--describe',
    '--group',
    group,
  ]);

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  const inputs = await listenerInputs(k);
  id = (await call<{ id: string }>('connections.save', { ...inputs['SCRAM-SHA-512'], name: 'admin' })).id;
  readOnlyId = (
    await call<{ id: string }>('connections.save', {
      ...inputs.PLAINTEXT,
      name: 'prod (read-only)',
      environment: 'production',
      readOnly: true,
    })
  ).id;
});

describe('cluster overview', () => {
  it('counts what kcat -L sees', async () => {
    const o = await call<ClusterOverview>('cluster.overview', { id });
    const kc = await kcatMetadata(k.listeners.plaintext);
    expect(o.clusterId).toBe(k.clusterId);
    expect(o.brokers).toHaveLength(kc.brokers.length);
    expect(o.topicCount + o.internalTopicCount).toBe(kc.topics.length);
    expect(o.partitionCount).toBe(kc.topics.reduce((n, t) => n + t.partitions.length, 0));
    expect(o.underReplicatedPartitions).toBe(0);
    expect(o.offlinePartitions).toBe(0);
  });
});

describe('topic administration, checked with kcat and Kafka tools', () => {
  const topic = `it-admin-${Date.now()}`;

  it('creates a topic with partitions and configs', async () => {
    const d = await call<TopicDetail>('topics.create', {
      id,
      name: topic,
      partitions: 3,
      replicationFactor: 1,
      configs: [{ name: 'retention.ms', value: '3600000' }],
    });
    expect(d.partitions).toHaveLength(3);
    const kc = await kcatMetadata(k.listeners.plaintext);
    expect(kc.topics.find((t) => t.topic === topic)?.partitions).toHaveLength(3);
    expect(await configsOf(topic)).toContain('retention.ms=3600000');
    expect(d.configs.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '3600000',
      source: 'topic',
      isDefault: false,
    });
  });

  it('refuses a second topic of the same name, and a replication factor the cluster cannot give', async () => {
    expect(await fail('topics.create', { id, name: topic, partitions: 1, replicationFactor: 1 })).toMatchObject({
      code: 'CONFLICT',
      message: `A topic named '${topic}' already exists.`,
    });
    const e = await fail('topics.create', { id, name: `${topic}-rf`, partitions: 1, replicationFactor: 3 });
    expect(e).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'A replication factor of 3 needs 3 brokers; this cluster has 1.',
      fields: [{ path: 'replicationFactor' }],
    });
    expect((await kcatMetadata(k.listeners.plaintext)).topics.some((t) => t.topic === `${topic}-rf`)).toBe(false);
  });

  it("says the broker's own reason for a config it refuses, on create and on change, and changes nothing", async () => {
    const reason = 'Invalid value abc for configuration retention.ms: Not a number of type LONG';
    const created = await fail('topics.create', {
      id,
      name: `${topic}-bad`,
      partitions: 1,
      replicationFactor: 1,
      configs: [{ name: 'retention.ms', value: 'abc' }],
    });
    expect(created).toMatchObject({
      code: 'KAFKA_ERROR',
      message: `Kafka refused the request: ${reason} (INVALID_CONFIG).`,
      fields: [{ path: 'configs.retention.ms', message: reason }],
    });
    expect((await kcatMetadata(k.listeners.plaintext)).topics.some((t) => t.topic === `${topic}-bad`)).toBe(false);
    const altered = await fail('topics.alterConfigs', {
      id,
      name: topic,
      set: [{ name: 'retention.ms', value: 'abc' }],
    });
    expect(altered).toMatchObject({
      code: 'KAFKA_ERROR',
      message: `Kafka refused the request: ${reason} (INVALID_CONFIG).`,
      fields: [{ path: 'configs.retention.ms', message: reason }],
    });
    const unknown = await fail('topics.alterConfigs', {
      id,
      name: topic,
      set: [{ name: 'retention.mss', value: '1' }],
    });
    expect(unknown.message).toContain('retention.mss');
    expect(unknown.fields).toEqual([
      { path: 'configs.retention.mss', message: expect.stringContaining('retention.mss') as unknown },
    ]);
    expect(await configsOf(topic)).toContain('retention.ms=3600000');
  });

  it('changes configs, keeping the other overrides, and resets one to its default', async () => {
    await call('topics.alterConfigs', { id, name: topic, set: [{ name: 'cleanup.policy', value: 'compact' }] });
    let described = await configsOf(topic);
    expect(described).toContain('cleanup.policy=compact');
    expect(described).toContain('retention.ms=3600000');
    const d = await call<TopicDetail>('topics.alterConfigs', { id, name: topic, reset: ['retention.ms'] });
    described = await configsOf(topic);
    expect(described).not.toContain('retention.ms=3600000');
    expect(described).toContain('cleanup.policy=compact');
    expect(d.configs.find((c) => c.name === 'retention.ms')?.source).not.toBe('topic');
  });

  it('adds partitions, and refuses to shrink', async () => {
    const d = await call<TopicDetail>('topics.addPartitions', { id, name: topic, totalCount: 5 });
    expect(d.partitions).toHaveLength(5);
    expect((await kcatMetadata(k.listeners.plaintext)).topics.find((t) => t.topic === topic)?.partitions).toHaveLength(
      5,
    );
    expect(await fail('topics.addPartitions', { id, name: topic, totalCount: 4 })).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('deletes records up to an offset, then empties the topic', async () => {
    const t2 = `${topic}-records`;
    await createTopic(k, t2, 1);
    await kcatProduce(
      k.listeners.plaintext,
      t2,
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
    let d = await call<TopicDetail>('topics.deleteRecords', { id, name: t2, before: [{ partition: 0, offset: '4' }] });
    expect(d.partitions[0]).toMatchObject({ startOffset: '4', endOffset: '10', messages: '6' });
    expect(await earliestOffsets(t2)).toEqual([`${t2}:0:4`]);
    d = await call<TopicDetail>('topics.deleteRecords', { id, name: t2, before: 'all' });
    expect(d.messages).toBe('0');
    expect(await earliestOffsets(t2)).toEqual([`${t2}:0:10`]);
  });

  it('deletes a topic only when its name is typed again', async () => {
    expect(await fail('topics.delete', { id, name: topic, confirmName: 'wrong' })).toMatchObject({
      code: 'INVALID_INPUT',
      fields: [{ path: 'confirmName' }],
    });
    await call('topics.delete', { id, name: topic, confirmName: topic });
    let listed = true;
    for (let i = 0; i < 20 && listed; i++) {
      listed = (await kcatMetadata(k.listeners.plaintext)).topics.some((t) => t.topic === topic);
      if (listed) await new Promise((r) => setTimeout(r, 250));
    }
    expect(listed).toBe(false);
    expect(await fail('topics.describe', { id, name: topic })).toMatchObject({
      code: 'NOT_FOUND',
      message: `There is no topic named '${topic}' on this cluster.`,
    });
  });
});

describe('consumer groups, against what a kcat consumer left behind', () => {
  const topic = `it-groups-${Date.now()}`;
  const group = `it-group-${Date.now()}`;

  beforeAll(async () => {
    await createTopic(k, topic, 1);
    await kcatProduce(
      k.listeners.plaintext,
      topic,
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
    // a kcat consumer in a group reads 6 of 10 messages, commits and leaves
    await exec(
      'kcat',
      [
        '-b',
        k.listeners.plaintext,
        '-G',
        group,
        '-c',
        '6',
        '-X',
        'auto.offset.reset=earliest',
        '-X',
        'enable.auto.commit=false',
        '-X',
        'enable.auto.offset.store=true',
        '-o',
        'beginning',
        '-q',
        topic,
      ],
      { timeout: 60_000 },
    ).catch(() => undefined);
  });

  it("describes the group with committed offset, end offset and lag as Kafka's tool reports them", async () => {
    const d = await call<ConsumerGroupDetail>('groups.describe', { id, groupId: group });
    const row = d.offsets.find((o) => o.topic === topic && o.partition === 0)!;
    const tool = (await groupTool(group))
      .split('\n')
      .find((l) => l.includes(topic))!
      .trim()
      .split(/\s+/);
    // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
    expect([row.committed, row.end, row.lag]).toEqual([tool[3], tool[4], tool[5]]);
    expect(row.end).toBe('10');
    expect(d.state).toBe('Empty');
    expect(d.totalLag).toBe(row.lag);
    const list = await call<{ groupId: string; state: string }[]>('groups.list', { id });
    expect(list.find((g) => g.groupId === group)).toMatchObject({ state: 'Empty' });
    const t = await call<TopicDetail>('topics.describe', { id, name: topic });
    expect(t.consumerGroups).toContain(group);
  });

  it('previews a reset, then moves the group exactly as previewed', async () => {
    const before = await call<ConsumerGroupDetail>('groups.describe', { id, groupId: group });
    const committed = before.offsets.find((o) => o.topic === topic)!.committed;
    const preview = await call<GroupResetResult>('groups.resetOffsets', {
      id,
      groupId: group,
      topic,
      strategy: { to: 'shift', by: -2 },
      dryRun: true,
    });
    expect(preview).toEqual({
      applied: false,
      changes: [{ topic, partition: 0, from: committed, to: String(Number(committed) - 2) }],
    });
    // the preview changed nothing
    expect(
      (await call<ConsumerGroupDetail>('groups.describe', { id, groupId: group })).offsets.find(
        (o) => o.topic === topic,
      )!.committed,
    ).toBe(committed);
    const applied = await call<GroupResetResult>('groups.resetOffsets', {
      id,
      groupId: group,
      topic,
      strategy: { to: 'shift', by: -2 },
      dryRun: false,
    });
    expect(applied.changes).toEqual(preview.changes);
    const tool = (await groupTool(group))
      .split('\n')
      .find((l) => l.includes(topic))!
      .trim()
      .split(/\s+/);
    expect(tool[3]).toBe(preview.changes[0]!.to);
    const earliest = await call<GroupResetResult>('groups.resetOffsets', {
      id,
      groupId: group,
      topic,
      strategy: { to: 'earliest' },
      dryRun: false,
    });
    expect(earliest.changes[0]!.to).toBe('0');
    const beyond = await call<GroupResetResult>('groups.resetOffsets', {
      id,
      groupId: group,
      topic,
      strategy: { to: 'offset', offset: '999' },
      dryRun: true,
    });
    expect(beyond.changes[0]!.to).toBe('10');
  });

  it('deletes the group', async () => {
    await call('groups.delete', { id, groupId: group });
    expect(await fail('groups.describe', { id, groupId: group })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a read-only connection', () => {
  it('refuses every write in the core, and nothing changes on the cluster', async () => {
    const topic = `it-readonly-${Date.now()}`;
    await createTopic(k, topic, 1);
    const attempts: [string, unknown][] = [
      ['topics.create', { id: readOnlyId, name: `${topic}-new`, partitions: 1, replicationFactor: 1 }],
      ['topics.delete', { id: readOnlyId, name: topic, confirmName: topic }],
      ['topics.alterConfigs', { id: readOnlyId, name: topic, set: [{ name: 'retention.ms', value: '1000' }] }],
      ['topics.addPartitions', { id: readOnlyId, name: topic, totalCount: 4 }],
      ['topics.deleteRecords', { id: readOnlyId, name: topic, before: 'all' }],
      ['groups.resetOffsets', { id: readOnlyId, groupId: 'g', topic, strategy: { to: 'earliest' }, dryRun: false }],
      ['groups.delete', { id: readOnlyId, groupId: 'g' }],
    ];
    for (const [channel, input] of attempts) {
      const e = await fail(channel, input);
      expect(e.code, channel).toBe('READ_ONLY');
      expect(e.message).toMatch(/^'prod \(read-only\)' is a read-only connection, so Kafka Desk did not /);
    }
    const kc = await kcatMetadata(k.listeners.plaintext);
    expect(kc.topics.find((t) => t.topic === topic)?.partitions).toHaveLength(1);
    expect(kc.topics.some((t) => t.topic === `${topic}-new`)).toBe(false);
    expect(await configsOf(topic)).not.toContain('retention.ms=1000');
    // reading still works, and a dry-run preview is allowed
    expect((await call<TopicDetail>('topics.describe', { id: readOnlyId, name: topic })).partitions).toHaveLength(1);
    expect(
      (
        await call<GroupResetResult>('groups.resetOffsets', {
          id: readOnlyId,
          groupId: 'g',
          topic,
          strategy: { to: 'earliest' },
          dryRun: true,
        })
      ).applied,
    ).toBe(false);
  });
});
