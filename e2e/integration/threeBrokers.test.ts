import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClusterDescription,
  type ConnectionInput,
  type ConsumeResult,
  type TopicDetail,
} from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { ensureKafkaCluster, stopKafkaCluster, type ThreeBrokerInfo } from '../infra/kafka';
import { freshCore } from './support';

/**
 * The three-broker cluster (e2e/infra/kafkaCluster.ts) as Kafka Desk's core and Kafka's own tools
 * see it: three brokers on two racks, one controller quorum of three voters, replicas spread over
 * distinct brokers, and the authorizer refusing a SASL user what no ACL allows. The cluster costs
 * three JVMs, so this file starts it and stops it again, unless it was already running (someone's
 * `npm run kafka:up -- --brokers 3`) or KAFKA_DESK_KEEP_CLUSTER=1 asks to keep it.
 */
const exec = promisify(execFile);
const log = (s: string) => console.log(`[kafka cluster] ${s}`);

let k: ThreeBrokerInfo;
let startedHere = false;
let core: Core;

beforeAll(async () => {
  ({ cluster: k, startedHere } = await ensureKafkaCluster({ log }));
  ({ core } = await freshCore());
}, 180_000);

afterAll(async () => {
  if (startedHere && !process.env.KAFKA_DESK_KEEP_CLUSTER) await stopKafkaCluster({ log });
}, 60_000);

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

type Login =
  { mechanism: 'none' } | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; user: 'admin' | 'alice' };

/** A saved connection to the cluster: PLAINTEXT (ANONYMOUS) or a SASL login as one of its users. */
async function connect(login: Login): Promise<string> {
  const input: ConnectionInput = {
    name: `three-${login.mechanism}-${'user' in login ? login.user : 'anonymous'}-${Math.random()}`,
    color: 'blue',
    clientId: 'kafka-desk-it',
    timeouts: { connectionMs: 5000, requestMs: 15000, authenticationMs: 5000 },
    tls: { enabled: false },
    ...(login.mechanism === 'none'
      ? { bootstrapServers: k.bootstrap.plaintext, sasl: { mechanism: 'none' } }
      : { bootstrapServers: k.bootstrap.sasl, sasl: { mechanism: login.mechanism, ...k.users[login.user] } }),
  };
  return (await call<{ id: string }>('connections.save', input)).id;
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
    { timeout: 60_000 },
  );
  return stdout;
}

describe('three brokers, two racks, one quorum', () => {
  it('cluster.describe lists the three brokers with their racks, as the cluster was set up', async () => {
    const d = await call<ClusterDescription>('cluster.describe', { id: await connect({ mechanism: 'none' }) });
    expect(d.clusterId).toBe(k.clusterId);
    expect(d.brokers.map((b) => `${b.nodeId} ${b.host}:${b.port} ${b.rack}`).sort()).toEqual([
      `1 ${k.brokers[0]!.listeners.plaintext} rack-a`,
      `2 ${k.brokers[1]!.listeners.plaintext} rack-b`,
      `3 ${k.brokers[2]!.listeners.plaintext} rack-a`,
    ]);
    expect([1, 2, 3]).toContain(d.controllerId);
  });

  it("Kafka's kafka-metadata-quorum describes three voters and a leader among them", async () => {
    const out = await kafkaTool('org.apache.kafka.tools.MetadataQuorumCommand', [
      '--bootstrap-server',
      k.bootstrap.plaintext.join(','),
      'describe',
      '--status',
    ]);
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(out)?.[1];
    expect(field('ClusterId')).toBe(k.clusterId);
    const voters = JSON.parse(field('CurrentVoters') ?? 'null') as { id: number }[];
    expect(voters.map((v) => v.id).sort()).toEqual([1, 2, 3]);
    expect([1, 2, 3]).toContain(Number(field('LeaderId')));
  });

  it('a topic created with replication factor 3 has three replicas on distinct brokers, as kafka-topics lists them', async () => {
    const topic = `it-three-rf3-${Date.now()}`;
    const created = await call<TopicDetail>('topics.create', {
      id: await connect({ mechanism: 'scram-sha-256', user: 'admin' }),
      name: topic,
      partitions: 3,
      replicationFactor: 3,
    });
    expect(created.replicationFactor).toBe(3);
    expect(created.partitions).toHaveLength(3);
    for (const p of created.partitions) {
      expect(new Set(p.replicas).size, `partition ${p.partition}: ${p.replicas.join(',')}`).toBe(3);
      expect([...p.replicas].sort()).toEqual([1, 2, 3]);
    }
    const described = await kafkaTool('org.apache.kafka.tools.TopicCommand', [
      '--bootstrap-server',
      k.bootstrap.plaintext.join(','),
      '--describe',
      '--topic',
      topic,
    ]);
    const theirs = [...described.matchAll(/Partition: (\d+)\s+Leader: \S+\s+Replicas: ([\d,]+)/g)].map(
      (m) => `${m[1]}: ${m[2]}`,
    );
    expect(theirs).toEqual(created.partitions.map((p) => `${p.partition}: ${p.replicas.join(',')}`));
  });
});

describe('the authorizer: SASL users and ACLs', () => {
  const stamp = Date.now();
  /** alice may read it (and use Kafka Desk's throwaway groups to do so). */
  const readable = `it-three-readable-${stamp}`;
  /** alice may see it (Describe) but not read it. */
  const visible = `it-three-visible-${stamp}`;
  /** No ACL for alice at all: Kafka leaves it out of her metadata. */
  const hidden = `it-three-hidden-${stamp}`;
  let admin: string;
  let alice: string;

  beforeAll(async () => {
    admin = await connect({ mechanism: 'scram-sha-512', user: 'admin' });
    alice = await connect({ mechanism: 'scram-sha-512', user: 'alice' });
    for (const name of [readable, visible, hidden]) {
      await call('topics.create', { id: admin, name, partitions: 1, replicationFactor: 3 });
      await call('operations.produce', { id: admin, topic: name, messages: [{ key: 'k', value: `in ${name}` }] });
    }
    const allowAlice = (args: string[]) =>
      kafkaTool('org.apache.kafka.tools.AclCommand', [
        '--bootstrap-server',
        k.bootstrap.plaintext.join(','),
        '--add',
        '--allow-principal',
        'User:alice',
        ...args,
      ]);
    await allowAlice([
      '--operation',
      'Read',
      '--operation',
      'Delete',
      '--group',
      'kafka-desk-',
      '--resource-pattern-type',
      'prefixed',
    ]);
    await allowAlice(['--operation', 'Read', '--operation', 'Describe', '--topic', readable]);
    // last: a broker that shows alice this topic has applied every ACL above (the metadata log is ordered)
    await allowAlice(['--operation', 'Describe', '--topic', visible]);
    await untilEveryBrokerShowsAlice(visible);
  }, 120_000);

  /**
   * ACLs reach the brokers through the metadata log, a moment after the controller took them: wait
   * until each broker, asked on its own, lists `topic` in alice's metadata.
   */
  async function untilEveryBrokerShowsAlice(topic: string): Promise<void> {
    for (const b of k.brokers) {
      for (let attempt = 1; ; attempt++) {
        const probe = new Kafka({
          clientId: 'kafka-desk-it',
          brokers: [b.listeners.sasl],
          sasl: { mechanism: 'scram-sha-512', ...k.users.alice },
          retry: { retries: 0 },
          logLevel: logLevel.NOTHING,
        }).admin();
        try {
          await probe.connect();
          if ((await probe.listTopics()).includes(topic)) break;
        } finally {
          await probe.disconnect();
        }
        if (attempt >= 60) throw new Error(`broker ${b.nodeId} has not applied alice's ACLs after ${attempt} tries`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  it('alice logs in with SCRAM-SHA-512 and reads the topic an ACL lets her read', async () => {
    const test = await call<{ clusterId: string | null; brokerCount: number }>('connections.test', { id: alice });
    expect(test.clusterId).toBe(k.clusterId);
    expect(test.brokerCount).toBe(3);
    const read = await call<ConsumeResult>('operations.consume', { id: alice, topic: readable, max: 10 });
    expect(read.messages.map((m) => m.value)).toEqual([`in ${readable}`]);
  });

  it('alice sees only the topics her ACLs name', async () => {
    const { topics } = await call<{ topics: { name: string }[] }>('topics.list', { id: alice });
    const ours = topics.map((t) => t.name).filter((n) => n.endsWith(`-${stamp}`));
    expect(ours.sort()).toEqual([readable, visible].sort());
  });

  it('a topic her ACLs hide is named as hidden by the ACLs, not as missing', async () => {
    for (const [channel, input] of [
      ['operations.consume', { id: alice, topic: hidden, max: 10 }],
      ['topics.describe', { id: alice, name: hidden }],
    ] as const) {
      const r = await dispatch(core.handlers, channel, input);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code, channel).toBe('FORBIDDEN');
      expect(r.error.message).toContain(hidden);
      expect(r.error.message).toContain('TOPIC_AUTHORIZATION_FAILED');
    }
    // to a user who may not describe it, Kafka answers the same for a topic that is not there: both are said
    const gone = await dispatch(core.handlers, 'operations.consume', { id: alice, topic: `no-such-${stamp}` });
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.error.message).toContain('or there is no such topic');
    // a super user asking for a topic that is not there is told it is missing
    const missing = await dispatch(core.handlers, 'operations.consume', { id: admin, topic: `no-such-${stamp}` });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('NOT_FOUND');
  });

  it("what the ACLs refuse ends the operation with a sentence naming the permission, the broker's code kept", async () => {
    // Describe but not Read: the fetch is refused, and the read ends there (it does not wait for messages)
    const read = await dispatch(core.handlers, 'operations.consume', { id: alice, topic: visible, max: 10 });
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.error.code, JSON.stringify(read.error)).toBe('FORBIDDEN');
      expect(read.error.message).toContain('(alice)');
      expect(read.error.message).toContain('READ');
      expect(read.error.message).toContain('TOPIC_AUTHORIZATION_FAILED');
    }
    // Read but not Write
    const sent = await dispatch(core.handlers, 'operations.produce', {
      id: alice,
      topic: readable,
      messages: [{ value: 'x' }],
    });
    expect(sent.ok).toBe(false);
    if (!sent.ok) {
      expect(sent.error.code).toBe('FORBIDDEN');
      expect(sent.error.message).toContain('WRITE');
    }
    // a group her ACLs do not name
    const asGroup = await dispatch(core.handlers, 'operations.consume', {
      id: alice,
      topic: readable,
      group: { groupId: `not-alices-${stamp}` },
    });
    expect(asGroup.ok).toBe(false);
    if (!asGroup.ok) {
      expect(asGroup.error.code, JSON.stringify(asGroup.error)).toBe('FORBIDDEN');
      expect(asGroup.error.message).toContain('GROUP_AUTHORIZATION_FAILED');
    }
    // topics.describe asks for the topic's configs, which needs DescribeConfigs on it
    const described = await dispatch(core.handlers, 'topics.describe', { id: alice, name: visible });
    expect(described.ok).toBe(false);
    if (!described.ok) {
      expect(described.error.code).toBe('FORBIDDEN');
      expect(`${described.error.message} ${described.error.detail ?? ''}`).toMatch(/TOPIC_AUTHORIZATION_FAILED/);
    }
  });

  it('admin, a super user, reads both and their details', async () => {
    for (const topic of [visible, hidden]) {
      const read = await call<ConsumeResult>('operations.consume', { id: admin, topic, max: 10 });
      expect(read.messages.map((m) => m.value)).toEqual([`in ${topic}`]);
      const detail = await call<TopicDetail>('topics.describe', { id: admin, name: topic });
      expect(detail.partitions[0]?.replicas).toHaveLength(3);
    }
  });
});
