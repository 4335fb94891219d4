import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelOutput, TopicDetail, TopicSummary } from '../../electron/contract';
import type { Core } from '../../electron/core';
import { runCli } from '../../electron/cli/program';
import { dispatch } from '../../electron/core/dispatch';
import { DESCRIBE_LOG_DIRS, describeLogDirsCall } from '../../electron/core/kafka/protocol/logDirsCodec';
import { negotiate } from '../../electron/core/kafka/protocol/transport';
import { sendVersioned } from '../../electron/core/kafka/protocol/versionedWire';
import { onRawCluster } from '../../electron/core/kafka/rawCluster';
import { ensureKafkaCluster, stopKafkaCluster, type ThreeBrokerInfo } from '../infra/kafka';
import { createTopic, freshCore, kafkaTool, listenerInputs, readCluster, type ClusterInfo } from './support';

/**
 * Sizes on disk against the real brokers, with Kafka's own kafka-log-dirs (LogDirsCommand) as the
 * peer: N bytes produced, and Kafka Desk's size per partition, broker and log dir is the tool's.
 * The three-broker cluster (started here unless it runs already) for replicas on several brokers
 * and for a user the authorizer does not let describe the cluster.
 */
const exec = promisify(execFile);
const stamp = Date.now();
const topic = `it-logdirs-${stamp}`;
const VALUE = Buffer.alloc(1000, 'x');

let k: ClusterInfo;
let core: Core;
let id: string;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

interface LogDirsJson {
  brokers: {
    broker: number;
    logDirs: { logDir: string; error: string | null; partitions: { partition: string; size: number }[] }[];
  }[];
}
/** kafka-log-dirs' JSON line: every broker's dirs with each partition's size. */
const parseLogDirs = (out: string): LogDirsJson =>
  JSON.parse(out.split('\n').find((l) => l.startsWith('{')) ?? '{}') as LogDirsJson;
/** By `topic-partition@broker`, the size kafka-log-dirs tells. */
function peerSizes(j: LogDirsJson, t: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const b of j.brokers)
    for (const d of b.logDirs)
      for (const p of d.partitions) if (p.partition.startsWith(`${t}-`)) out.set(`${p.partition}@${b.broker}`, p.size);
  return out;
}
const ourSizes = (d: TopicDetail) =>
  new Map((d.logDirs?.replicas ?? []).map((r) => [`${d.name}-${r.partition}@${r.broker}`, Number(r.bytes)]));

async function produce(brokers: string[], t: string, perPartition: number[]): Promise<void> {
  const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    for (const [partition, n] of perPartition.entries())
      if (n)
        await producer.send({
          topic: t,
          acks: -1,
          compression: CompressionTypes.None,
          messages: Array.from({ length: n }, () => ({ partition, value: VALUE })),
        });
  } finally {
    await producer.disconnect();
  }
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, tries = 60): Promise<T> {
  let last = await probe();
  for (let i = 0; i < tries && !ok(last); i++) {
    await new Promise((r) => setTimeout(r, 500));
    last = await probe();
  }
  return last;
}

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  const inputs = await listenerInputs(k);
  id = (await call<{ id: string }>('connections.save', { ...inputs.PLAINTEXT, name: 'disk' })).id;
  await createTopic(k, topic, 3);
  await produce([k.listeners.plaintext], topic, [50, 10, 0]);
});

describe('the single broker', () => {
  it("each partition's size is kafka-log-dirs' for the same partitions; the topic's is their sum", async () => {
    const peer = peerSizes(
      parseLogDirs(
        await kafkaTool(k, 'org.apache.kafka.tools.LogDirsCommand', [
          '--bootstrap-server',
          k.listeners.plaintext,
          '--describe',
          '--topic-list',
          topic,
        ]),
      ),
      topic,
    );
    expect([...peer.keys()].sort()).toEqual([`${topic}-0@1`, `${topic}-1@1`, `${topic}-2@1`]);
    // 50 and 10 values of 1000 bytes, with their batches' framing; nothing in partition 2
    expect(peer.get(`${topic}-0@1`)).toBeGreaterThanOrEqual(50_000);
    expect(peer.get(`${topic}-1@1`)).toBeGreaterThanOrEqual(10_000);
    expect(peer.get(`${topic}-2@1`)).toBe(0);

    const d = await call<TopicDetail>('topics.describe', { id, name: topic });
    expect(ourSizes(d)).toEqual(peer);
    const total = [...peer.values()].reduce((a, b) => a + b, 0);
    expect(d.logDirs?.size).toEqual({ leaderBytes: String(total), replicaBytes: String(total), partial: false });
    expect(d.logDirs?.failures).toEqual([]);
    expect(d.logDirs?.replicas.every((r) => r.leader && !r.future && r.offsetLag === '0')).toBe(true);
    // Kafka 3.3 on (v4): the volume's total and usable bytes
    const dir = d.logDirs?.dirs[0];
    expect(dir).toMatchObject({ broker: 1, logDir: d.logDirs?.replicas[0]?.logDir, error: null });
    expect(BigInt(dir?.totalBytes ?? '0')).toBeGreaterThan(BigInt(dir?.usableBytes ?? '-1'));

    const list = await call<ChannelOutput<'topics.list'>>('topics.list', { id, withSizes: true });
    expect(list.sizeFailures).toEqual([]);
    expect(list.topics.find((t) => t.name === topic)?.size).toEqual(d.logDirs?.size);
    // without asking, nothing is asked of the brokers' disks
    const plain = await call<ChannelOutput<'topics.list'>>('topics.list', { id });
    expect(plain.sizeFailures).toBeUndefined();
    expect(plain.topics.find((t) => t.name === topic)?.size).toBeUndefined();
  });

  it('DescribeLogDirs at every version the broker offers tells the same sizes', async () => {
    const d = await call<TopicDetail>('topics.describe', { id, name: topic });
    const sizes = await onRawCluster(
      new Kafka({ brokers: [k.listeners.plaintext], logLevel: logLevel.NOTHING }),
      async (cluster) => {
        await cluster.refreshMetadata();
        const broker = await cluster.findBroker({ nodeId: '1' });
        expect(negotiate(broker, DESCRIBE_LOG_DIRS.apiKey, DESCRIBE_LOG_DIRS)).toBe(4);
        const from = broker.versions?.[DESCRIBE_LOG_DIRS.apiKey]?.minVersion ?? 0;
        const out: string[][] = [];
        for (let v = from; v <= 4; v++) {
          const res = await sendVersioned(
            broker,
            describeLogDirsCall(v, { topics: [{ topic, partitions: [0, 1, 2] }] }),
          );
          out.push(
            res.results
              .flatMap((r) => r.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partition}=${p.size}`)))
              .sort(),
          );
        }
        return out;
      },
    );
    const expected = (d.logDirs?.replicas ?? []).map((r) => `${topic}-${r.partition}=${r.bytes}`).sort();
    for (const s of sizes) expect(s).toEqual(expected);
  });

  it('the command line: topics list --json has the sizes; topics describe prints them per partition', async () => {
    const run = async (args: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(args, {
        out: (s) => (out += s),
        err: (s) => (err += s),
        env: { KAFKA_DESK_DATA_DIR: await mkdtemp(path.join(tmpdir(), 'kafka-desk-cli-disk-')) },
      });
      return { code, out, err };
    };
    const d = await call<TopicDetail>('topics.describe', { id, name: topic });
    const list = await run(['topics', 'list', '--json', '-b', k.listeners.plaintext]);
    expect(list.code).toBe(0);
    const row = list.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TopicSummary)
      .find((t) => t.name === topic);
    expect(row?.size).toEqual(d.logDirs?.size);
    const table = await run(['topics', 'list', '-b', k.listeners.plaintext]);
    expect(table.out.split('\n')[0]).toMatch(/TOPIC\s+PARTITIONS\s+REPLICAS\s+INTERNAL\s+SIZE\s+ALL REPLICAS/);
    const described = await run(['topics', 'describe', topic, '-b', k.listeners.plaintext]);
    const p0 = d.logDirs!.replicas.find((r) => r.partition === 0)!;
    expect(described.out).toMatch(
      new RegExp(
        `^\\s+0\\s+1\\s+leader\\s+${p0.logDir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s+\\S+ KiB\\s+${Number(p0.bytes).toLocaleString('en-US')}\\s+0$`,
        'm',
      ),
    );
    const json = JSON.parse(
      (await run(['topics', 'describe', topic, '--json', '-b', k.listeners.plaintext])).out,
    ) as TopicDetail;
    expect(json.logDirs?.replicas).toEqual(d.logDirs?.replicas);
  });
});

describe('three brokers', () => {
  let c: ThreeBrokerInfo;
  let startedHere = false;
  let cid: string;
  const t3 = `it-logdirs-rf3-${stamp}`;

  beforeAll(async () => {
    ({ cluster: c, startedHere } = await ensureKafkaCluster({ log: (s) => console.log(`[kafka cluster] ${s}`) }));
    cid = (
      await call<{ id: string }>('connections.save', {
        name: 'three',
        color: 'blue',
        bootstrapServers: c.bootstrap.plaintext,
        sasl: { mechanism: 'none' },
        tls: { enabled: false },
      })
    ).id;
    await call('topics.create', { id: cid, name: t3, partitions: 2, replicationFactor: 3 });
    await produce(c.bootstrap.plaintext, t3, [20, 5]);
  }, 180_000);

  afterAll(async () => {
    if (startedHere && !process.env.KAFKA_DESK_KEEP_CLUSTER) await stopKafkaCluster({ log: () => undefined });
  }, 60_000);

  const logDirsTool = async () =>
    (
      await exec(
        c.javaBin,
        [
          '-Xmx256m',
          '-XX:TieredStopAtLevel=1',
          `-Dlog4j2.configurationFile=${c.toolsLog4jConfig}`,
          '-cp',
          c.toolsClasspath,
          'org.apache.kafka.tools.LogDirsCommand',
          '--bootstrap-server',
          c.bootstrap.plaintext.join(','),
          '--describe',
          '--topic-list',
          t3,
        ],
        { timeout: 60_000 },
      )
    ).stdout;

  it('every broker asked at once: each replica per broker as kafka-log-dirs tells it; leaders once, replicas thrice', async () => {
    // the followers have caught up once every replica is the same size
    const d = await until(
      () => call<TopicDetail>('topics.describe', { id: cid, name: t3 }),
      (x) => {
        const r = x.logDirs?.replicas ?? [];
        return (
          r.length === 6 &&
          [0, 1].every((p) => new Set(r.filter((y) => y.partition === p).map((y) => y.bytes)).size === 1)
        );
      },
    );
    const peer = peerSizes(parseLogDirs(await logDirsTool()), t3);
    expect(peer.size).toBe(6);
    expect(ourSizes(d)).toEqual(peer);
    const leaders = d.logDirs!.replicas.filter((r) => r.leader);
    expect(leaders.map((r) => [r.partition, r.broker])).toEqual(d.partitions.map((p) => [p.partition, p.leader]));
    const once = leaders.reduce((s, r) => s + BigInt(r.bytes), 0n);
    expect(d.logDirs?.size).toEqual({ leaderBytes: String(once), replicaBytes: String(once * 3n), partial: false });
    expect(new Set(d.logDirs?.dirs.map((x) => x.broker))).toEqual(new Set([1, 2, 3]));
  });

  it('a user the authorizer does not let describe the cluster: each broker named with why, the list still shown', async () => {
    const alice = (
      await call<{ id: string }>('connections.save', {
        name: 'three-alice',
        color: 'blue',
        bootstrapServers: c.bootstrap.sasl,
        sasl: { mechanism: 'scram-sha-512', ...c.users.alice },
        tls: { enabled: false },
      })
    ).id;
    const list = await call<ChannelOutput<'topics.list'>>('topics.list', { id: alice, withSizes: true });
    expect(list.sizeFailures?.map((f) => f.broker)).toEqual([1, 2, 3]);
    for (const f of list.sizeFailures ?? [])
      expect(f.message).toMatch(/ACLs do not let .*alice.* \(CLUSTER_AUTHORIZATION_FAILED\)/);
    expect(Array.isArray(list.topics)).toBe(true);
  });
});
