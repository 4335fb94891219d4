import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerGroupDetail, ConsumerGroupSummary, GroupResetResult } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import {
  CONSUMER_GROUP_DESCRIBE,
  consumerGroupDescribeCall,
  SHARE_GROUP_DESCRIBE,
  shareGroupDescribeCall,
} from '../../electron/core/kafka/protocol/groupDescribe';
import { LIST_GROUPS, listGroupsCall } from '../../electron/core/kafka/protocol/listGroups';
import { negotiate, sendFlexible } from '../../electron/core/kafka/protocol/transport';
import { onRawCluster, type RawCluster } from '../../electron/core/kafka/rawCluster';
import {
  createTopic,
  freshCore,
  kafkaTool,
  kcatProduce,
  listenerInputs,
  readCluster,
  type ClusterInfo,
} from './support';

/**
 * Consumer groups of both protocols against the real broker, with Kafka's own clients as the peers:
 * its console consumer joins a KIP-848 group (group.protocol=consumer) and a classic one, and its
 * kafka-consumer-groups tool is the cross-check for what Kafka Desk shows.
 */
const exec = promisify(execFile);
const stamp = Date.now();
const topic = `it-kip848-${stamp}`;
const group = `it-kip848-group-${stamp}`;
const classicGroup = `it-classic-group-${stamp}`;
const clientId = `kd-it-kip848-${stamp}`;

let k: ClusterInfo;
let core: Core;
let id: string;

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
const describeGroup = (g: string) => call<ConsumerGroupDetail>('groups.describe', { id, groupId: g });

/** Asks again (every half second, a bounded number of times) until the answer is what the test waits for. */
async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, tries = 120): Promise<T> {
  let last: T | undefined;
  let error: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch (e) {
      error = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: not reached; last answer ${JSON.stringify(last)} ${error ? String(error) : ''}`);
}

/** Kafka's console consumer, from the broker's own jars. */
class ConsoleConsumer {
  readonly child: ChildProcess;
  private lines = 0;
  private stderr = '';
  private exited: Promise<void>;

  constructor(mainClass: string, args: string[]) {
    this.child = spawn(k.javaBin ?? 'java', ['-Xmx256m', '-cp', k.toolsClasspath, mainClass, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.lines += d.toString().split('\n').length - 1));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  get read(): number {
    return this.lines;
  }

  get errors(): string {
    return this.stderr;
  }

  /** SIGTERM: the consumer's shutdown hook commits and leaves the group. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}
const started: ConsoleConsumer[] = [];
function consoleConsumer(g: string, client: string, properties: string[]): ConsoleConsumer {
  const props = [`client.id=${client}`, 'auto.commit.interval.ms=500', ...properties];
  const c = new ConsoleConsumer('org.apache.kafka.tools.consumer.ConsoleConsumer', [
    '--bootstrap-server',
    k.listeners.plaintext,
    '--topic',
    topic,
    '--group',
    g,
    '--from-beginning',
    ...props.flatMap((p) => ['--consumer-property', p]),
  ]);
  started.push(c);
  return c;
}

/** kafka-consumer-groups, the peer: its rows as objects by the header's column names. */
async function groupTool(args: string[]): Promise<Record<string, string>[]> {
  const out = await kafkaTool(k, 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    k.listeners.plaintext,
    ...args,
  ]);
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  const header = lines.find((l) => /^GROUP\s/.test(l));
  if (!header) return [];
  const names = header.trim().split(/\s+/);
  return lines
    .slice(lines.indexOf(header) + 1)
    .map((l) => l.trim().split(/\s+/))
    .map((cells) => Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ''])));
}

/** The cluster's finalized share.version (0: share groups off), as Kafka's feature tool reports it. */
async function shareVersion(): Promise<number> {
  const features = await kafkaTool(k, 'org.apache.kafka.tools.FeatureCommand', [
    '--bootstrap-server',
    k.listeners.plaintext,
    'describe',
  ]);
  return Number(/Feature: share\.version\s.*FinalizedVersionLevel: (\d+)/.exec(features)?.[1] ?? 0);
}

let kip848: ConsoleConsumer;

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  // every core call goes over SASL/SCRAM: the new requests ride kafkajs' authenticated connections
  const inputs = await listenerInputs(k);
  id = (await call<{ id: string }>('connections.save', { ...inputs['SCRAM-SHA-512'], name: 'kip848' })).id;
  await createTopic(k, topic, 3);
  await kcatProduce(
    k.listeners.plaintext,
    topic,
    Array.from({ length: 6 }, (_, i) => `m${i}`),
  );
  kip848 = consoleConsumer(group, clientId, ['group.protocol=consumer']);
  await until(
    'the KIP-848 member is Stable with the 3 partitions and has read the 6 messages',
    () => describeGroup(group),
    (d) => d.state === 'Stable' && d.members[0]?.assignment[0]?.partitions.length === 3 && kip848.read >= 6,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\nconsole consumer: ${kip848.errors}`);
  });
});

afterAll(async () => {
  await Promise.all(started.map((c) => c.stop()));
  if (!core) return;
  for (const g of [group, classicGroup]) await dispatch(core.handlers, 'groups.delete', { id, groupId: g });
  await dispatch(core.handlers, 'topics.delete', { id, name: topic, confirmName: topic });
});

describe('a KIP-848 consumer group (group.protocol=consumer), live', () => {
  it('is listed with type consumer, state Stable and its one member', async () => {
    const list = await call<ConsumerGroupSummary[]>('groups.list', { id });
    expect(list.find((g) => g.groupId === group)).toEqual({
      groupId: group,
      type: 'consumer',
      state: 'Stable',
      protocolType: 'consumer',
      members: 1,
    });
  });

  it('is described with its member: client id, host, member epoch, assignment and target of the 3 partitions', async () => {
    const d = await describeGroup(group);
    expect(d).toMatchObject({ groupId: group, type: 'consumer', state: 'Stable', protocolType: 'consumer' });
    expect(d.assignor).toBeTruthy();
    expect(d.groupEpoch).toBeGreaterThan(0);
    expect(d.assignmentEpoch).toBe(d.groupEpoch);
    expect(d.members).toHaveLength(1);
    const m = d.members[0]!;
    expect(m).toMatchObject({
      clientId,
      host: '/127.0.0.1',
      memberType: 'consumer',
      instanceId: null,
      subscribedTopics: [topic],
      subscribedTopicRegex: null,
      assignment: [{ topic, partitions: [0, 1, 2] }],
      targetAssignment: [{ topic, partitions: [0, 1, 2] }],
    });
    expect(m.memberEpoch).toBeGreaterThan(0);
    expect(m.memberId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(m.assignment[0]!.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('kafka-consumer-groups --describe --members shows the same member, epoch and assignment', async () => {
    const d = await describeGroup(group);
    const m = d.members[0]!;
    const rows = await groupTool(['--describe', '--members', '--verbose', '--group', group]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      GROUP: group,
      'CONSUMER-ID': m.memberId,
      HOST: m.host,
      'CLIENT-ID': clientId,
      '#PARTITIONS': '3',
      'CURRENT-EPOCH': String(m.memberEpoch),
      'CURRENT-ASSIGNMENT': `${topic}:0,1,2`,
      'TARGET-ASSIGNMENT': `${topic}:0,1,2`,
    });
    const listed = await groupTool(['--list', '--type', '--state']);
    expect(listed.find((r) => r.GROUP === group)).toMatchObject({ TYPE: 'Consumer', STATE: d.state });
  });

  it('has the lag of what the member committed: 0 once it read all 6 messages', async () => {
    const d = await until(
      'the member committed its 6 messages',
      () => describeGroup(group),
      (x) => x.offsets.reduce((n, o) => n + Number(o.committed ?? 0), 0) === 6,
    );
    expect(d.offsets.map((o) => o.partition)).toEqual([0, 1, 2]);
    expect(d.totalLag).toBe('0');
    const tool = await groupTool(['--describe', '--offsets', '--group', group]);
    for (const o of d.offsets)
      expect(tool.find((r) => r.PARTITION === String(o.partition))).toMatchObject({
        'CURRENT-OFFSET': o.committed,
        'LOG-END-OFFSET': o.end,
      });
  });

  it('refuses an offset reset while the member is live (a dry run still plans it)', async () => {
    const input = { id, groupId: group, topic, strategy: { to: 'earliest' } };
    const plan = await call<GroupResetResult>('groups.resetOffsets', { ...input, dryRun: true });
    expect(plan).toMatchObject({ applied: false });
    expect(plan.changes.map((c) => c.to)).toEqual(['0', '0', '0']);
    const refused = await fail('groups.resetOffsets', { ...input, dryRun: false });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain(`${clientId} on /127.0.0.1`);
    expect((await describeGroup(group)).totalLag).toBe('0');
  });
});

/** The built CLI (`npm run build:node`). */
const cli = (args: string[]) =>
  exec(process.execPath, [path.resolve('bin/kafka-desk.cjs'), ...args], { timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('kafka-desk groups (the built CLI) on the live KIP-848 group', () => {
  it('groups list shows the TYPE column: consumer, Stable, 1 member', async () => {
    const r = await cli(['groups', 'list', '-b', k.listeners.plaintext]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^GROUP\s+TYPE\s+STATE\s+MEMBERS\s+PROTOCOL$/);
    expect(r.stdout).toMatch(new RegExp(`^${group}\\s+consumer\\s+Stable\\s+1\\s+consumer$`, 'm'));
    const json = await cli(['groups', 'list', '-b', k.listeners.plaintext, '--json']);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ConsumerGroupSummary);
    expect(rows.find((g) => g.groupId === group)).toMatchObject({ type: 'consumer', state: 'Stable', members: 1 });
  });

  it('groups describe shows the member with its epoch, assignment and target assignment', async () => {
    const d = await describeGroup(group);
    const r = await cli(['groups', 'describe', group, '-b', k.listeners.plaintext]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^type\s+consumer$/m);
    expect(r.stdout).toMatch(/^state\s+Stable$/m);
    expect(r.stdout).toMatch(new RegExp(`^epoch\\s+group ${d.groupEpoch}, assignment ${d.assignmentEpoch}$`, 'm'));
    expect(r.stdout).toMatch(/^MEMBER ID\s+CLIENT ID\s+HOST\s+EPOCH\s+ASSIGNMENT\s+TARGET$/m);
    const m = d.members[0]!;
    expect(r.stdout).toMatch(
      new RegExp(
        `^${m.memberId}\\s+${clientId}\\s+/127\\.0\\.0\\.1\\s+${m.memberEpoch}\\s+${topic}:0,1,2\\s+${topic}:0,1,2$`,
        'm',
      ),
    );
    const json = await cli(['groups', 'describe', group, '-b', k.listeners.plaintext, '--json']);
    const parsed = JSON.parse(json.stdout) as ConsumerGroupDetail;
    expect(parsed.members[0]).toMatchObject({
      memberId: m.memberId,
      clientId,
      memberEpoch: m.memberEpoch,
      assignment: [{ topic, partitions: [0, 1, 2] }],
      targetAssignment: [{ topic, partitions: [0, 1, 2] }],
    });
  });
});

describe('the KIP-848 group after its member stops', () => {
  it('is Empty (still a consumer group), lags by what was produced since, and its offsets reset', async () => {
    await kip848.stop();
    const empty = await until(
      'the member left',
      () => describeGroup(group),
      (d) => d.members.length === 0,
    );
    expect(empty).toMatchObject({ type: 'consumer', state: 'Empty' });
    await kcatProduce(k.listeners.plaintext, topic, ['n0', 'n1', 'n2', 'n3']);
    const lagging = await until(
      'the 4 new messages are past the committed offsets',
      () => describeGroup(group),
      (d) => d.totalLag === '4',
    );
    expect(lagging.offsets.reduce((n, o) => n + Number(o.end), 0)).toBe(10);

    const reset = await call<GroupResetResult>('groups.resetOffsets', {
      id,
      groupId: group,
      topic,
      strategy: { to: 'latest' },
      dryRun: false,
    });
    expect(reset.applied).toBe(true);
    const after = await describeGroup(group);
    expect(after.totalLag).toBe('0');
    const tool = await groupTool(['--describe', '--offsets', '--group', group]);
    for (const o of after.offsets)
      expect(tool.find((r) => r.PARTITION === String(o.partition))).toMatchObject({
        'CURRENT-OFFSET': o.end,
        'LOG-END-OFFSET': o.end,
      });
  });
});

describe('a classic group beside it (console consumer without group.protocol)', () => {
  it('is listed and described as classic, its member with the assignment its leader wrote', async () => {
    const c = consoleConsumer(classicGroup, `${clientId}-classic`, []);
    const d = await until(
      'the classic member is Stable with the 3 partitions',
      () => describeGroup(classicGroup),
      (x) => x.state === 'Stable' && x.members[0]?.assignment[0]?.partitions.length === 3,
    );
    expect(d).toMatchObject({ type: 'classic', protocolType: 'consumer' });
    expect(d.protocol).toBeTruthy();
    expect(d.members).toEqual([
      {
        memberId: expect.any(String) as string,
        clientId: `${clientId}-classic`,
        host: '/127.0.0.1',
        assignment: [{ topic, partitions: [0, 1, 2] }],
      },
    ]);
    expect(d.groupEpoch).toBeUndefined();
    const list = await call<ConsumerGroupSummary[]>('groups.list', { id });
    expect(list.find((g) => g.groupId === classicGroup)).toMatchObject({
      type: 'classic',
      state: 'Stable',
      members: 1,
    });
    const refused = await fail('groups.resetOffsets', {
      id,
      groupId: classicGroup,
      topic,
      strategy: { to: 'earliest' },
      dryRun: false,
    });
    expect(refused.code).toBe('CONFLICT');
    await c.stop();
  });
});

describe('the hand-written codecs against the real broker', () => {
  const raw = <T>(fn: (cluster: RawCluster) => Promise<T>) =>
    onRawCluster(new Kafka({ brokers: [k.listeners.plaintext], logLevel: logLevel.NOTHING }), fn);

  it('ListGroups v3, v4 and v5 each list the groups, with state from v4 and type from v5', async () => {
    const answers = await raw(async (cluster) => {
      const b = await cluster.findGroupCoordinator({ groupId: group });
      expect(negotiate(b, LIST_GROUPS.apiKey, LIST_GROUPS)).toBe(5);
      return Promise.all(
        [3, 4, 5].map((v) => sendFlexible(b, listGroupsCall(v, { statesFilter: [], typesFilter: [] }))),
      );
    });
    const entry = answers.map((a) => a.groups.find((g) => g.groupId === group));
    expect(answers.map((a) => a.errorCode)).toEqual([0, 0, 0]);
    expect(entry).toEqual([
      { groupId: group, protocolType: 'consumer', groupState: null, groupType: null },
      { groupId: group, protocolType: 'consumer', groupState: 'Empty', groupType: null },
      { groupId: group, protocolType: 'consumer', groupState: 'Empty', groupType: 'consumer' },
    ]);
    const filtered = await raw(async (cluster) =>
      sendFlexible(
        await cluster.findGroupCoordinator({ groupId: group }),
        listGroupsCall(5, { statesFilter: [], typesFilter: ['classic'] }),
      ),
    );
    expect(filtered.groups.some((g) => g.groupId === group)).toBe(false);
  });

  it('ConsumerGroupDescribe v0 reads the group without member types; ShareGroupDescribe v1 answers for it, not as a share group', async () => {
    const [v0, share] = await raw(async (cluster) => {
      const b = await cluster.findGroupCoordinator({ groupId: group });
      expect(negotiate(b, CONSUMER_GROUP_DESCRIBE.apiKey, CONSUMER_GROUP_DESCRIBE)).toBe(1);
      return Promise.all([
        sendFlexible(b, consumerGroupDescribeCall(0, { groupIds: [group], includeAuthorizedOperations: true })),
        negotiate(b, SHARE_GROUP_DESCRIBE.apiKey, SHARE_GROUP_DESCRIBE) === null
          ? null
          : sendFlexible(b, shareGroupDescribeCall(1, { groupIds: [group], includeAuthorizedOperations: false })),
      ]);
    });
    expect(v0.groups[0]).toMatchObject({ errorCode: 0, groupId: group, groupState: 'Empty', members: [] });
    // asked for: the bit field of what this principal may do (not the "not asked" minimum)
    expect(v0.groups[0]!.authorizedOperations).not.toBe(-2147483648);
    // share groups off (share.version 0): UNSUPPORTED_VERSION for every group; on: not a share group
    const expected = (await shareVersion()) >= 1 ? 69 : 35;
    expect(share?.groups[0]).toMatchObject({ groupId: group, errorCode: expected, members: [] });
  });
});

describe('a share group (KIP-932), where the broker has them on', () => {
  it('is listed with type share and described with its member', async (ctx) => {
    const level = await shareVersion();
    if (level < 1) {
      const why = `share groups are off on the test broker (share.version ${level}): Kafka ${k.version} keeps them a preview`;
      console.log(`skipped: ${why}`);
      ctx.skip(why);
      return;
    }
    const shareGroup = `it-share-group-${stamp}`;
    const c = new ConsoleConsumer('org.apache.kafka.tools.consumer.ConsoleShareConsumer', [
      '--bootstrap-server',
      k.listeners.plaintext,
      '--topic',
      topic,
      '--group',
      shareGroup,
      '--consumer-property',
      `client.id=${clientId}-share`,
    ]);
    started.push(c);
    const d = await until(
      'the share member has its partitions',
      () => describeGroup(shareGroup),
      (x) => x.members[0]?.assignment[0]?.partitions.length === 3,
    );
    expect(d).toMatchObject({ type: 'share', state: 'Stable' });
    expect(d.members[0]).toMatchObject({
      clientId: `${clientId}-share`,
      assignment: [{ topic, partitions: [0, 1, 2] }],
    });
    expect(d.members[0]!.memberEpoch).toBeGreaterThan(0);
    const list = await call<ConsumerGroupSummary[]>('groups.list', { id });
    expect(list.find((g) => g.groupId === shareGroup)).toMatchObject({ type: 'share', members: 1 });
    // the command line: a share group has no committed offsets or lag to print, and says so
    const r = await cli(['groups', 'describe', shareGroup, '-b', k.listeners.plaintext]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^type\s+share$/m);
    expect(r.stdout).toContain("offsets     a share group keeps its place in Kafka's share-group state");
    expect(r.stdout).not.toContain('total lag');
    expect(r.stdout).toContain(`${clientId}-share`);
    await c.stop();
  });
});
