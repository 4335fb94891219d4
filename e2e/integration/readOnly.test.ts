import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  channelNames,
  type AppError,
  type ConnectorDetail,
  type ConsumeResult,
  type ConsumerGroupDetail,
  type TopicDetail,
} from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { ensureConnect, type ConnectInfo } from '../infra/connect';
import { ensureSchemaRegistry } from '../infra/schemaRegistry';
import { readOnlyRules, type ReadOnlyFixture, type WriteCase } from './readOnlyRules';
import {
  createTopic,
  freshCore,
  kafkaTool,
  kcatMetadata,
  listenerInputs,
  readCluster,
  type ClusterInfo,
} from './support';

/**
 * Read-only means read-only: every channel and option that can change a cluster (readOnlyRules.ts,
 * checked against the contract by e2e/lint/readOnlyCoverage.test.ts) is sent through a read-only
 * connection to the real broker and Connect worker; each is refused in the core, and afterwards the
 * cluster, its groups and the worker are exactly as they were — told by Kafka's own tools and by the
 * live consumer whose group must not have been rebalanced.
 */
let k: ClusterInfo;
let info: ConnectInfo;
let core: Core;
let writer: string;
let f: ReadOnlyFixture;
let writerCluster: string;
let live: Consumer;
let liveJoins = 0;
const run = Date.now();

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
const committed = async (groupId: string) =>
  (await call<ConsumerGroupDetail>('groups.describe', { id: writer, groupId })).offsets
    .map((o) => `${o.topic}[${o.partition}]=${o.committed}`)
    .sort();
const latest = async (topic: string) =>
  (
    await kafkaTool(k, 'org.apache.kafka.tools.GetOffsetShell', [
      '--bootstrap-server',
      k.listeners.plaintext,
      '--topic',
      topic,
      '--time',
      '-1',
    ])
  ).trim();
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

beforeAll(async () => {
  k = await readCluster();
  info = await ensureConnect({ log: (s) => console.log(`[connect] ${s}`) });
  ({ core } = await freshCore());
  const inputs = await listenerInputs(k);
  writer = (await call<{ id: string }>('connections.save', { ...inputs.PLAINTEXT, name: 'writer' })).id;
  const id = (
    await call<{ id: string }>('connections.save', {
      ...inputs.PLAINTEXT,
      name: 'prod (read-only)',
      environment: 'production',
      readOnly: true,
    })
  ).id;
  const topic = `it-ro-${run}`;
  await createTopic(k, topic, 1);
  await call('operations.produce', {
    id: writer,
    topic,
    messages: ['one', 'two', 'three'].map((value) => ({ value })),
  });
  const group = `it-ro-group-${run}`;
  await call('operations.commit', { id: writer, groupId: group, topic, offsets: [{ partition: 0, offset: '1' }] });

  // a consumer of someone else's, live in its group: joining that group would rebalance it
  const liveGroup = `it-ro-live-${run}`;
  live = new Kafka({
    brokers: [k.listeners.plaintext],
    clientId: 'billing-service',
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: liveGroup, sessionTimeout: 10_000, heartbeatInterval: 500 });
  const joined = new Promise<void>((resolve) =>
    live.on(live.events.GROUP_JOIN, () => {
      liveJoins++;
      resolve();
    }),
  );
  await live.connect();
  await live.subscribe({ topics: [topic] });
  await live.run({ autoCommit: false, eachMessage: async () => undefined });
  await joined;

  // a running connector, and the same worker saved under the read-only connection
  writerCluster = (
    await call<{ id: string }>('connect.saveCluster', { connectionId: writer, name: 'worker', urls: [info.url] })
  ).id;
  const clusterId = (
    await call<{ id: string }>('connect.saveCluster', { connectionId: id, name: 'worker', urls: [info.url] })
  ).id;
  const connector = `it-ro-connector-${run}`;
  const file = path.join(info.filesDir, `ro-${run}.txt`);
  await writeFile(file, 'a\n');
  await call('connect.create', {
    clusterId: writerCluster,
    name: connector,
    config: {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      file,
      topic: `${topic}-connect`,
      'tasks.max': '1',
    },
  });

  const messages = (await call<ConsumeResult>('operations.consume', { id: writer, topic })).messages;
  const captureId = (await call<{ id: number }>('captures.save', { from: 'messages', name: `ro ${run}`, messages })).id;
  // an Avro subject in the real registry, saved for both connections
  const registry = await ensureSchemaRegistry({ log: (s) => console.log(`[registry] ${s}`) });
  await call('registry.save', { connectionId: writer, urls: [registry.url] });
  await call('registry.save', { connectionId: id, urls: [registry.url] });
  const subject = `${topic}-value`;
  const avro = { type: 'record', name: 'Ro', fields: [{ name: 'a', type: 'string' }] };
  await call('schemas.register', { id: writer, subject, draft: { schema: JSON.stringify(avro) } });
  f = { id, clusterId, topic, group, liveGroup, connector, captureId, subject };
});

/** The subject's latest version, id and compatibility, as the writer sees them. */
const subjectSummary = async (subject: string) =>
  (await call<{ subjects: { subject: string }[] }>('schemas.subjects', { id: writer })).subjects.find(
    (x) => x.subject === subject,
  );

afterAll(async () => {
  await live?.disconnect();
  await dispatch(core.handlers, 'connect.delete', { clusterId: writerCluster, name: f.connector });
});

describe('a read-only connection', () => {
  const cases: [string, WriteCase][] = channelNames.flatMap((name) => {
    const rule = readOnlyRules[name];
    if ('never' in rule) return [];
    return [
      ...(rule.always ? [[name, rule.always] as [string, WriteCase]] : []),
      ...Object.values(rule.writes ?? {}).map((c) => [name, c] as [string, WriteCase]),
    ];
  });

  it('refuses, in the core, every channel and option that changes a cluster, and nothing changes', async () => {
    const before = {
      offsets: await committed(f.group),
      latest: await latest(f.topic),
      liveMembers: (
        await call<ConsumerGroupDetail>('groups.describe', { id: writer, groupId: f.liveGroup })
      ).members.map((m) => m.clientId),
      connector: await call<ConnectorDetail>('connect.connector', { clusterId: writerCluster, name: f.connector }),
      subject: await call('schemas.versions', { id: writer, subject: f.subject }),
      subjectSummary: await subjectSummary(f.subject),
    };
    expect(before.offsets).toEqual([`${f.topic}[0]=1`]);
    const joinsBefore = liveJoins;
    for (const [channel, c] of cases) {
      const r = await dispatch(core.handlers, channel, c.input(f));
      expect(r.ok, `${channel}: ${c.what} went through`).toBe(false);
      const e = (r as { error: AppError }).error;
      expect(e.code, `${channel}: ${c.what}: ${e.message}`).toBe('READ_ONLY');
      expect(e.message, `${channel}: ${c.what}`).toMatch(
        /^'prod \(read-only\)' is a read-only connection, so Kafka Desk did not /,
      );
    }
    // a rebalance of the live group would have had its member join again by now
    await new Promise((r) => setTimeout(r, 2000));
    expect(liveJoins, 'the live group was rebalanced').toBe(joinsBefore);
    expect(await committed(f.group)).toEqual(before.offsets);
    expect(await committed(f.liveGroup)).toEqual([]);
    expect(await latest(f.topic)).toBe(before.latest);
    expect(
      (await call<ConsumerGroupDetail>('groups.describe', { id: writer, groupId: f.liveGroup })).members.map(
        (m) => m.clientId,
      ),
    ).toEqual(before.liveMembers);
    expect(await call('schemas.versions', { id: writer, subject: f.subject })).toEqual(before.subject);
    expect(await subjectSummary(f.subject)).toEqual(before.subjectSummary);
    const kc = await kcatMetadata(k.listeners.plaintext);
    expect(kc.topics.find((t) => t.topic === f.topic)?.partitions).toHaveLength(1);
    expect(kc.topics.some((t) => t.topic === `${f.topic}-new`)).toBe(false);
    expect(await configsOf(f.topic)).not.toContain('retention.ms=1000');
    const after = await call<ConnectorDetail>('connect.connector', { clusterId: writerCluster, name: f.connector });
    expect({ state: after.state, config: after.config }).toEqual({
      state: before.connector.state,
      config: before.connector.config,
    });
    expect(
      (await call<{ name: string }[]>('connect.connectors', { clusterId: writerCluster })).some(
        (c) => c.name === `${f.connector}-new`,
      ),
    ).toBe(false);
  });

  it("still reads: a consume (throwaway group, deleted after), from a group's committed offsets, a Listen, a dry-run reset, describe", async () => {
    const r = await call<ConsumeResult>('operations.consume', {
      id: f.id,
      topic: f.topic,
      start: { from: 'group', groupId: f.group },
    });
    expect(r.messages.map((m) => m.value)).toEqual(['two', 'three']);
    expect((await call<ConsumeResult>('operations.consume', { id: f.id, topic: f.topic })).messages).toHaveLength(3);
    expect(
      (await call<{ groupId: string }[]>('groups.list', { id: writer })).filter((g) =>
        g.groupId.startsWith('kafka-desk-browse-'),
      ),
    ).toEqual([]);
    const listen = await call<{ listenId: string }>('listen.start', {
      id: f.id,
      topic: f.topic,
      start: { from: 'earliest' },
    });
    await call('listen.stop', { listenId: listen.listenId });
    expect(
      (
        await call<{ applied: boolean }>('groups.resetOffsets', {
          id: f.id,
          groupId: f.group,
          topic: f.topic,
          strategy: { to: 'earliest' },
          dryRun: true,
        })
      ).applied,
    ).toBe(false);
    expect((await call<TopicDetail>('topics.describe', { id: f.id, name: f.topic })).partitions).toHaveLength(1);
    expect((await call<ConnectorDetail>('connect.connector', { clusterId: f.clusterId, name: f.connector })).name).toBe(
      f.connector,
    );
    expect(await committed(f.group)).toEqual([`${f.topic}[0]=1`]);
  });
});
