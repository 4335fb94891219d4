import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, ChannelOutput, ConnectionInput, TopicDetail } from '../../electron/contract';
import { runCli } from '../../electron/cli/program';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { electLeadersCall } from '../../electron/core/kafka/protocol/electLeadersCodec';
import { alterReassignmentsCall, listReassignmentsCall } from '../../electron/core/kafka/protocol/reassignCodecs';
import { sendFlexible } from '../../electron/core/kafka/protocol/transport';
import { sendVersioned } from '../../electron/core/kafka/protocol/versionedWire';
import { onRawCluster, type RawBroker } from '../../electron/core/kafka/rawCluster';
import { ensureKafkaCluster, stopKafkaCluster, type ThreeBrokerInfo } from '../infra/kafka';
import { freshCore } from './support';

/**
 * Partitions and replicas on the three-broker cluster (racks rack-a, rack-b, rack-a), with Kafka's
 * own tools as the peer: a replication factor raised by Kafka Desk's plan is what
 * kafka-reassign-partitions --verify calls complete and kafka-topics lists; a plan Kafka's --generate
 * wrote runs in `kafka-desk reassign execute`; replicas land on both racks; a preferred election puts
 * the first replica back in the lead; a throttled, slow reassignment cancelled leaves the old
 * replicas. Every codec is also sent at every version this broker offers. The cluster costs three
 * JVMs: this file stops it again if it started it (unless KAFKA_DESK_KEEP_CLUSTER=1). One file over
 * the usual size: every case shares that cluster, one connection and the same peer tools.
 */
const exec = promisify(execFile);
const log = (s: string) => console.log(`[kafka cluster] ${s}`);
const stamp = Date.now();

let k: ThreeBrokerInfo;
let startedHere = false;
let core: Core;
let id: string;
let dir: string;
let bootstrap: string;

beforeAll(async () => {
  ({ cluster: k, startedHere } = await ensureKafkaCluster({ log }));
  ({ core } = await freshCore());
  dir = await mkdtemp(path.join(tmpdir(), 'kafka-desk-reassign-'));
  bootstrap = k.bootstrap.plaintext.join(',');
  const input: ConnectionInput = {
    name: `three-reassign-${stamp}`,
    color: 'blue',
    clientId: 'kafka-desk-it',
    timeouts: { connectionMs: 5000, requestMs: 15000, authenticationMs: 5000 },
    tls: { enabled: false },
    bootstrapServers: k.bootstrap.plaintext,
    sasl: { mechanism: 'none' },
  };
  id = (await call('connections.save', input)).id;
}, 180_000);

afterAll(async () => {
  if (startedHere && !process.env.KAFKA_DESK_KEEP_CLUSTER) await stopKafkaCluster({ log });
}, 60_000);

async function call<C extends ChannelName>(channel: C, input: unknown): Promise<ChannelOutput<C>> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as ChannelOutput<C>;
}

/** One of Kafka's own tools, from the brokers' jars, warnings only. */
async function kafkaTool(mainClass: string, args: string[]): Promise<string> {
  const { stdout } = await exec(
    k.javaBin,
    [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${k.toolsLog4jConfig}`,
      '-cp',
      k.toolsClasspath,
      mainClass,
      ...args,
    ],
    { timeout: 90_000 },
  );
  return stdout;
}
const REASSIGN = 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand';
const TOPICS = 'org.apache.kafka.tools.TopicCommand';

/** The kafka-desk command, in this process, against the cluster's PLAINTEXT listener. */
async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli([...args, '-b', bootstrap], {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: { KAFKA_DESK_DATA_DIR: dir },
  });
  return { code, out, err };
}

/** A topic with replicas exactly where the test puts them (kafka-topics --replica-assignment). */
async function topicOn(name: string, assignment: string): Promise<void> {
  await kafkaTool(TOPICS, [
    '--bootstrap-server',
    bootstrap,
    '--create',
    '--topic',
    name,
    '--replica-assignment',
    assignment,
  ]);
  await until(async () => (await detailOf(name)).partitions.every((p) => p.leader >= 0), `${name} has leaders`);
}
const detailOf = (name: string) => call('topics.describe', { id, name }) as Promise<TopicDetail>;

async function until(ok: () => Promise<boolean>, what: string, tries = 240): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`gave up waiting: ${what}`);
}
const settled = (topic: string) =>
  until(
    async () => (await call('partitions.reassignments', { id, topics: [topic] })).reassignments.length === 0,
    `the reassignment of ${topic} to finish`,
  );

/** `Partition: 0 … Replicas: 1,2,3` lines of kafka-topics --describe. */
async function theirReplicas(topic: string): Promise<string[]> {
  const out = await kafkaTool(TOPICS, ['--bootstrap-server', bootstrap, '--describe', '--topic', topic]);
  return [...out.matchAll(/Partition: (\d+)\s+Leader: \S+\s+Replicas: ([\d,]+)/g)].map((m) => `${m[1]}: ${m[2]}`);
}

describe('a replication factor raised by a plan, checked by Kafka’s own tools', () => {
  const topic = `it-reassign-rf-${stamp}`;

  it('RF 1 → 3: plan --out, execute --yes --wait; --verify says complete and kafka-topics lists the same replicas', async () => {
    await call('topics.create', { id, name: topic, partitions: 3, replicationFactor: 1 });
    const leadersBefore = (await detailOf(topic)).partitions.map((p) => p.leader);
    const file = path.join(dir, 'rf3.json');
    const planned = await cli(['reassign', 'plan', '--topic', topic, '--replication-factor', '3', '--out', file]);
    expect(planned.err).toBe('');
    expect(planned.code).toBe(0);
    expect(planned.out).toMatch(/^TOPIC\s+PARTITION\s+CURRENT\s+NEW\s+ADDING\s+REMOVING\s+CHANGE$/m);
    expect(planned.out).toContain('3 partitions to change: 6 replicas to copy, 0 replicas to remove');
    const written = JSON.parse(await readFile(file, 'utf8')) as {
      version: number;
      partitions: { topic: string; partition: number; replicas: number[] }[];
    };
    expect(written.version).toBe(1);
    expect(written.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of written.partitions) expect([...p.replicas].sort()).toEqual([1, 2, 3]);

    // without --yes nothing happens, and it says how to go on
    const asked = await cli(['reassign', 'execute', file]);
    expect(asked.code).toBe(1);
    expect(asked.err).toContain('Nothing was changed: add --yes to start moving 3 partitions.');
    expect((await detailOf(topic)).replicationFactor).toBe(1);

    const run = await cli(['reassign', 'execute', file, '--yes', '--wait']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('Started 3 partitions.');
    expect(run.out).toContain('Done: no partition of the plan is being moved.');

    const verified = await kafkaTool(REASSIGN, [
      '--bootstrap-server',
      bootstrap,
      '--reassignment-json-file',
      file,
      '--verify',
    ]);
    for (const p of [0, 1, 2]) expect(verified).toContain(`Reassignment of partition ${topic}-${p} is completed.`);
    expect(await theirReplicas(topic)).toEqual(
      written.partitions.map((p) => `${p.partition}: ${p.replicas.join(',')}`),
    );
    const after = await detailOf(topic);
    expect(after.replicationFactor).toBe(3);
    // Kafka keeps a leader that is still a replica: no partition changed leader on the way
    expect(after.partitions.map((p) => p.leader)).toEqual(leadersBefore);
  });

  it('planning the same again finds nothing to change', async () => {
    const again = await call('partitions.plan', { id, topics: [topic], replicationFactor: 3 });
    expect(again.assignment).toEqual([]);
    const r = await cli(['reassign', 'plan', '--topic', topic, '--replication-factor', '3']);
    expect(r.out).toContain('Nothing to change');
  });
});

describe('a plan written by Kafka’s --generate', () => {
  it('is accepted by kafka-desk reassign execute and carried out; --verify agrees', async () => {
    const topic = `it-reassign-generated-${stamp}`;
    await topicOn(topic, '1,3');
    const move = path.join(dir, 'move.json');
    await writeFile(move, JSON.stringify({ version: 1, topics: [{ topic }] }));
    const out = await kafkaTool(REASSIGN, [
      '--bootstrap-server',
      bootstrap,
      '--topics-to-move-json-file',
      move,
      '--broker-list',
      '2',
      '--generate',
    ]);
    const proposed = out.split('Proposed partition reassignment configuration')[1]!.trim().split('\n')[0]!;
    expect(JSON.parse(proposed)).toMatchObject({ version: 1, partitions: [{ replicas: [2], log_dirs: ['any'] }, {}] });
    const file = path.join(dir, 'generated.json');
    await writeFile(file, proposed);

    const run = await cli(['reassign', 'execute', file, '--yes', '--wait']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('Started 2 partitions.');
    expect((await detailOf(topic)).partitions.map((p) => p.replicas)).toEqual([[2], [2]]);
    const verified = await kafkaTool(REASSIGN, [
      '--bootstrap-server',
      bootstrap,
      '--reassignment-json-file',
      file,
      '--verify',
    ]);
    expect(verified).toContain(`Reassignment of partition ${topic}-0 is completed.`);
    expect(verified).toContain(`Reassignment of partition ${topic}-1 is completed.`);
  });

  it('a hostile file is refused before anything is sent, each problem named', async () => {
    const topic = `it-reassign-generated-${stamp}`;
    const file = path.join(dir, 'hostile.json');
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        partitions: [
          { topic, partition: 0, replicas: [2, 9] },
          { topic, partition: 7, replicas: [1] },
          { topic: `no-such-${stamp}`, partition: 0, replicas: [1] },
        ],
      }),
    );
    const r = await cli(['reassign', 'execute', file, '--yes']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('The plan does not fit this cluster: broker 9 is not in the cluster (brokers: 1, 2, 3)');
    expect(r.err).toContain(`plan.partitions.1.partition: ${topic} has no partition 7 (it has 2 partitions)`);
    expect(r.err).toContain(`plan.partitions.2.topic: there is no topic no-such-${stamp} on this cluster`);
    await writeFile(file, JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, replicas: [2, 2] }] }));
    const dup = await cli(['reassign', 'execute', file, '--yes']);
    expect(dup.err).toContain('partitions.0.replicas.1: broker 2 twice');
    expect((await detailOf(topic)).partitions.map((p) => p.replicas)).toEqual([[2], [2]]);
  });
});

describe('rack-awareness', () => {
  it('RF 2 for a topic all on rack-a: every partition ends with a replica on each rack', async () => {
    const topic = `it-reassign-racks-${stamp}`;
    await topicOn(topic, '1,3,1,3');
    const { brokers } = await call('cluster.describe', { id });
    const rack = new Map(brokers.map((b) => [b.nodeId, b.rack]));
    const plan = await call('partitions.plan', { id, topics: [topic], replicationFactor: 2 });
    expect(plan.rackAware).toBe(true);
    const r = await call('partitions.reassign', { id, plan: { partitions: plan.assignment }, dryRun: false });
    expect(r.results.every((x) => x.ok)).toBe(true);
    await settled(topic);
    const after = await detailOf(topic);
    for (const p of after.partitions) {
      expect(new Set(p.replicas.map((b) => rack.get(b)))).toEqual(new Set(['rack-a', 'rack-b']));
      expect(p.replicas[0]).toBe([1, 3, 1, 3][p.partition]);
    }
  });
});

describe('preferred leader election', () => {
  it('after the order changed the first replica does not lead; health offers the election, which puts it back', async () => {
    const topic = `it-reassign-leader-${stamp}`;
    await topicOn(topic, '1:2:3');
    const plan = await call('partitions.plan', { id, moves: [{ topic, partition: 0, replicas: [2, 1, 3] }] });
    expect(plan.partitions[0]).toMatchObject({ adding: [], removing: [], leaderChange: true });
    await call('partitions.reassign', { id, plan: { partitions: plan.assignment }, dryRun: false });
    await settled(topic);
    const moved = (await detailOf(topic)).partitions[0]!;
    expect(moved.replicas).toEqual([2, 1, 3]);
    // Kafka keeps the leader it had while it is still a replica in sync
    expect(moved.leader).toBe(1);

    const health = await call('partitions.health', { id });
    const mine = health.partitions.find((p) => p.topic === topic);
    expect(mine).toMatchObject({ problems: ['leader-not-preferred'], fix: { kind: 'elect-preferred' } });

    const r = await cli(['leaders', 'elect', '--topic', topic]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Preferred election: 1 leader changed, 0 partitions already led by its preferred replica.');
    expect((await detailOf(topic)).partitions[0]!.leader).toBe(2);
    // Kafka's own tool finds nothing left to elect
    const theirs = await kafkaTool('org.apache.kafka.tools.LeaderElectionCommand', [
      '--bootstrap-server',
      bootstrap,
      '--election-type',
      'preferred',
      '--topic',
      topic,
      '--partition',
      '0',
    ]);
    expect(theirs).toContain(`Valid replica already elected for partitions ${topic}-0`);
    // and neither does ours
    const again = await call('partitions.electLeaders', { id, topics: [{ topic }] });
    expect(again).toMatchObject({ elected: 0, notNeeded: 1, failed: 0 });
  });

  it('a topic or partition that is not there is named, nothing elected', async () => {
    const none = await dispatch(core.handlers, 'partitions.electLeaders', { id, topics: [{ topic: `nope-${stamp}` }] });
    expect(none.ok).toBe(false);
    if (!none.ok)
      expect(none.error).toMatchObject({
        code: 'NOT_FOUND',
        message: `There is no topic nope-${stamp} on this cluster.`,
      });
    const topic = `it-reassign-leader-${stamp}`;
    const bad = await dispatch(core.handlers, 'partitions.electLeaders', { id, topics: [{ topic, partitions: [4] }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.fields).toEqual([{ path: 'topics.0.partitions', message: 'no partition 4' }]);
  });
});

describe('cancelling a slow reassignment', () => {
  const topic = `it-reassign-cancel-${stamp}`;
  const config = (entity: string[], op: '--add-config' | '--delete-config', value: string) =>
    kafkaTool('kafka.admin.ConfigCommand', ['--bootstrap-server', bootstrap, ...entity, '--alter', op, value]);
  const rates = 'leader.replication.throttled.rate,follower.replication.throttled.rate';

  afterAll(async () => {
    // the throttles would slow every later reassignment of the cluster: always lifted
    for (const b of ['1', '2', '3'])
      await config(['--entity-type', 'brokers', '--entity-name', b], '--delete-config', rates).catch(() => undefined);
  }, 120_000);

  it('throttled to 1 kB/s, the move shows its progress; cancelled, the old replicas stay and the list empties', async () => {
    await topicOn(topic, '1');
    await kafkaTool('org.apache.kafka.tools.ProducerPerformance', [
      '--topic',
      topic,
      '--num-records',
      '2000',
      '--record-size',
      '1000',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${bootstrap}`,
    ]);
    for (const b of ['1', '2', '3'])
      await config(
        ['--entity-type', 'brokers', '--entity-name', b],
        '--add-config',
        'leader.replication.throttled.rate=1000,follower.replication.throttled.rate=1000',
      );
    await config(
      ['--entity-type', 'topics', '--entity-name', topic],
      '--add-config',
      'leader.replication.throttled.replicas=*,follower.replication.throttled.replicas=*',
    );

    const r = await call('partitions.reassign', {
      id,
      plan: { partitions: [{ topic, partition: 0, replicas: [1, 2] }] },
      dryRun: false,
    });
    expect(r.results).toEqual([{ topic, partition: 0, ok: true, message: null }]);
    const status = await call('partitions.reassignments', { id, topics: [topic] });
    expect(status.reassignments).toEqual([
      { topic, partition: 0, replicas: [1, 2], adding: [2], removing: [], target: [1, 2], original: [1], isr: [1] },
    ]);
    const shown = await cli(['reassign', 'status', '--topic', topic]);
    expect(shown.out).toMatch(new RegExp(`^${topic}\\s+0\\s+1\\s+1,2\\s+2\\s+-\\s+1$`, 'm'));

    const cancelled = await cli(['reassign', 'cancel', '--topic', topic]);
    expect(cancelled.code, cancelled.err).toBe(0);
    expect(cancelled.out).toContain('Cancelled 1 reassignment: the replicas go back to FROM.');
    await settled(topic);
    expect((await detailOf(topic)).partitions[0]!.replicas).toEqual([1]);
    expect(await theirReplicas(topic)).toEqual(['0: 1']);
    // nothing is left to cancel
    const twice = await call('partitions.cancelReassignment', { id, topic, partitions: [0] });
    expect(twice).toEqual({ cancelled: [], notInProgress: [{ topic, partition: 0 }] });
  });
});

describe('every codec at every version this broker offers, against the real controller', () => {
  const onController = <T>(fn: (b: RawBroker) => Promise<T>) =>
    onRawCluster(
      new Kafka({ clientId: 'kafka-desk-it', brokers: k.bootstrap.plaintext, logLevel: logLevel.NOTHING }),
      async (cluster) => {
        await cluster.refreshMetadata();
        const find = (cluster as unknown as { findControllerBroker: () => Promise<RawBroker> }).findControllerBroker;
        return fn(await find.call(cluster));
      },
    );
  const topic = `it-reassign-wire-${stamp}`;
  beforeAll(async () => {
    await topicOn(topic, '1:2');
  }, 120_000);

  it('ElectLeaders v0, v1 (classic) and v2 (flexible): the preferred leader already leads, said per partition', async () => {
    const answers = await onController(async (b) => {
      expect(b.versions?.[43]).toMatchObject({ minVersion: 0, maxVersion: 2 });
      const out = [];
      for (const v of [0, 1, 2])
        out.push(
          await sendVersioned(
            b,
            electLeadersCall(v, { electionType: 0, topicPartitions: [{ topic, partitions: [0] }], timeoutMs: 5000 }),
          ),
        );
      return out;
    });
    for (const a of answers) {
      expect(a.errorCode).toBe(0);
      expect(a.replicaElectionResults).toEqual([
        { topic, partitionResult: [{ partitionId: 0, errorCode: 84, errorMessage: expect.any(String) }] },
      ]);
    }
  });

  it('AlterPartitionReassignments v0 and v1, ListPartitionReassignments v0: cancelling what is not moving', async () => {
    const answers = await onController(async (b) => {
      expect(b.versions?.[45]).toMatchObject({ minVersion: 0, maxVersion: 1 });
      const out = [];
      for (const v of [0, 1])
        out.push(
          await sendFlexible(
            b,
            alterReassignmentsCall(v, {
              timeoutMs: 5000,
              allowReplicationFactorChange: true,
              topics: [{ name: topic, partitions: [{ partitionIndex: 0, replicas: null }] }],
            }),
          ),
        );
      const list = await sendFlexible(
        b,
        listReassignmentsCall({ timeoutMs: 5000, topics: [{ name: topic, partitionIndexes: [0] }] }),
      );
      return { out, list };
    });
    expect(answers.out.map((a) => a.allowReplicationFactorChange)).toEqual([null, true]);
    for (const a of answers.out) {
      expect(a.errorCode).toBe(0);
      expect(a.responses).toEqual([
        { name: topic, partitions: [{ partitionIndex: 0, errorCode: 85, errorMessage: null }] },
      ]);
    }
    expect(answers.list).toMatchObject({ errorCode: 0, topics: [] });
  });
});
