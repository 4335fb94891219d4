import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AppError,
  ConfigResource,
  ConfigsAlterResult,
  ConfigsDescription,
  DescribedConfig,
  TopicDetail,
} from '../../electron/contract';
import type { Core } from '../../electron/core';
import { runCli } from '../../electron/cli/program';
import { dispatch } from '../../electron/core/dispatch';
import { createTopic, freshCore, kafkaTool, listenerInputs, readCluster, type ClusterInfo } from './support';

/**
 * Configs against the real broker, with Kafka's own kafka-configs (ConfigCommand) as the peer: what
 * Kafka Desk sets, it lists; what it sets, Kafka Desk shows with its source. Two dynamic broker
 * configs of the log cleaner are used (harmless to every other test), and put back after. The codecs
 * version by version, and the path of brokers before Kafka 2.3: ./configsCodecs.test.ts.
 */
const stamp = Date.now();
const topic = `it-configs-${stamp}`;
const replaced = `it-configs-replaced-${stamp}`;
const OURS = 'log.cleaner.backoff.ms'; // Kafka's default 15000
const THEIRS = 'log.cleaner.io.buffer.load.factor'; // Kafka's default 0.9
const BROKER: ConfigResource = { type: 'broker', brokerId: 1 };
const DEFAULT: ConfigResource = { type: 'cluster-default' };

let k: ClusterInfo;
let core: Core;
let id: string;
let readOnlyId: string;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
async function fail(channel: string, input: unknown): Promise<AppError> {
  const r = await dispatch(core.handlers, channel, input);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}
const describeOf = (resource: ConfigResource) => call<ConfigsDescription>('configs.describe', { id, resource });
const entry = async (resource: ConfigResource, name: string): Promise<DescribedConfig | undefined> =>
  (await describeOf(resource)).configs.find((c) => c.name === name);
const alter = (resource: ConfigResource, change: { set?: Record<string, string>; delete?: string[] }) =>
  call<ConfigsAlterResult>('configs.alter', { id, resource, ...change });

/** kafka-configs --describe, as an operator runs it: `--entity-name 1`, `--entity-default`, or a topic. */
const kafkaConfigs = (entity: string[], extra: string[] = ['--describe']) =>
  kafkaTool(k, 'kafka.admin.ConfigCommand', ['--bootstrap-server', k.listeners.plaintext, ...entity, ...extra]);
const brokerOne = ['--entity-type', 'brokers', '--entity-name', '1'];
const brokerDefault = ['--entity-type', 'brokers', '--entity-default'];
const topicEntity = (t: string) => ['--entity-type', 'topics', '--entity-name', t];

/** Asks again, every half second, until the answer is what the test waits for (a change travels the metadata log). */
async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, tries = 40): Promise<T> {
  let last = await probe();
  for (let i = 0; i < tries && !ok(last); i++) {
    await new Promise((r) => setTimeout(r, 500));
    last = await probe();
  }
  return last;
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: { KAFKA_DESK_DATA_DIR: await mkdtemp(path.join(tmpdir(), 'kafka-desk-cli-configs-')) },
  });
  return { code, out, err };
}

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  const inputs = await listenerInputs(k);
  id = (await call<{ id: string }>('connections.save', { ...inputs.PLAINTEXT, name: 'configs' })).id;
  readOnlyId = (
    await call<{ id: string }>('connections.save', { ...inputs.PLAINTEXT, name: 'prod (read-only)', readOnly: true })
  ).id;
  for (const t of [topic, replaced]) await createTopic(k, t, 1);
});

afterAll(async () => {
  // the shared broker's configs as they were: nothing of this run left set
  for (const resource of [BROKER, DEFAULT])
    await dispatch(core.handlers, 'configs.alter', { id, resource, delete: [OURS, THEIRS] });
});

describe('topic configs, key by key (IncrementalAlterConfigs)', () => {
  it('setting one key leaves a key set before in place — which AlterConfigs (what kafkajs sends) does not', async () => {
    await alter({ type: 'topic', name: topic }, { set: { 'retention.ms': '3600000' } });
    const r = await alter({ type: 'topic', name: topic }, { set: { 'max.message.bytes': '2000000' } });
    expect(r).toMatchObject({ via: 'IncrementalAlterConfigs', note: null, validateOnly: false });
    const peer = await kafkaConfigs(topicEntity(topic));
    expect(peer).toContain('retention.ms=3600000');
    expect(peer).toContain('max.message.bytes=2000000');
    expect(r.configs.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '3600000',
      source: 'DYNAMIC_TOPIC_CONFIG',
    });

    // the same two changes through kafkajs' alterConfigs: the second one drops the first
    const admin = new Kafka({ brokers: [k.listeners.plaintext], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      for (const [name, value] of [
        ['retention.ms', '3600000'],
        ['max.message.bytes', '2000000'],
      ] as const)
        await admin.alterConfigs({
          validateOnly: false,
          resources: [{ type: 2, name: replaced, configEntries: [{ name, value }] }],
        });
    } finally {
      await admin.disconnect();
    }
    const lost = await until(
      () => kafkaConfigs(topicEntity(replaced)),
      (s) => s.includes('max.message.bytes=2000000'),
    );
    expect(lost).toContain('max.message.bytes=2000000');
    expect(lost).not.toContain('retention.ms=3600000');
  });

  it('DELETE puts a key back to its default; the other key stays', async () => {
    const r = await alter({ type: 'topic', name: topic }, { delete: ['retention.ms'] });
    const retention = r.configs.find((c) => c.name === 'retention.ms');
    // the broker's own default: log.retention.hours=168
    expect(retention).toMatchObject({ value: '604800000', source: 'DEFAULT_CONFIG' });
    const peer = await kafkaConfigs(topicEntity(topic));
    expect(peer).not.toContain('retention.ms=3600000');
    expect(peer).toContain('max.message.bytes=2000000');
  });

  it("the window's topic channel (topics.alterConfigs) is incremental too, and keeps the broker's reason", async () => {
    await call<TopicDetail>('topics.alterConfigs', {
      id,
      name: topic,
      set: [{ name: 'cleanup.policy', value: 'compact' }],
    });
    let peer = await kafkaConfigs(topicEntity(topic));
    expect(peer).toContain('cleanup.policy=compact');
    expect(peer).toContain('max.message.bytes=2000000');
    const d = await call<TopicDetail>('topics.alterConfigs', { id, name: topic, reset: ['cleanup.policy'] });
    expect(d.note).toBeUndefined();
    expect(d.configs.find((c) => c.name === 'max.message.bytes')).toMatchObject({ value: '2000000', source: 'topic' });
    peer = await kafkaConfigs(topicEntity(topic));
    expect(peer).not.toContain('cleanup.policy=compact');
    expect(peer).toContain('max.message.bytes=2000000');
    const bad = await fail('topics.alterConfigs', { id, name: topic, set: [{ name: 'retention.ms', value: 'abc' }] });
    expect(bad).toMatchObject({
      code: 'KAFKA_ERROR',
      message: expect.stringMatching(/^Kafka refused the request: .*retention\.ms.* \(INVALID_CONFIG\)\.$/) as unknown,
      fields: [{ path: 'configs.retention.ms', message: expect.stringContaining('abc') as unknown }],
    });
  });

  it('a validation (validateOnly) is checked by the broker and changes nothing', async () => {
    const r = await call<ConfigsAlterResult>('configs.alter', {
      id,
      resource: { type: 'topic', name: topic },
      set: { 'retention.ms': '1000' },
      validateOnly: true,
    });
    expect(r.validateOnly).toBe(true);
    expect(await kafkaConfigs(topicEntity(topic))).not.toContain('retention.ms=1000');
    const bad = await fail('configs.alter', {
      id,
      resource: { type: 'topic', name: topic },
      set: { 'retention.ms': 'abc' },
      validateOnly: true,
    });
    expect(bad.fields?.[0]?.path).toBe('configs.retention.ms');
  });
});

describe('broker and cluster-wide dynamic configs, with kafka-configs as the peer', () => {
  it('a broker config Kafka Desk sets is listed by kafka-configs as the broker’s dynamic config', async () => {
    const r = await alter(BROKER, { set: { [OURS]: '16000' } });
    expect(r.configs.find((c) => c.name === OURS)).toMatchObject({
      value: '16000',
      source: 'DYNAMIC_BROKER_CONFIG',
      readOnly: false,
    });
    const peer = await kafkaConfigs(brokerOne);
    expect(peer).toContain(`${OURS}=16000`);
    expect(peer).toContain(`DYNAMIC_BROKER_CONFIG:${OURS}=16000`);
  });

  it('one kafka-configs sets is shown by Kafka Desk, with its source', async () => {
    await kafkaConfigs(brokerOne, ['--alter', '--add-config', `${THEIRS}=0.8`]);
    const e = await until(
      () => entry(BROKER, THEIRS),
      (c) => c?.value === '0.8',
    );
    expect(e).toMatchObject({ value: '0.8', source: 'DYNAMIC_BROKER_CONFIG', readOnly: false, sensitive: false });
    expect(e?.synonyms.map((s) => s.source)).toEqual(['DYNAMIC_BROKER_CONFIG', 'DEFAULT_CONFIG']);
    await kafkaConfigs(brokerOne, ['--alter', '--delete-config', THEIRS]);
    expect(
      await until(
        () => entry(BROKER, THEIRS),
        (c) => c?.source === 'DEFAULT_CONFIG',
      ),
    ).toMatchObject({ value: '0.9', source: 'DEFAULT_CONFIG' });
  });

  it('the cluster default sits under the broker’s own value; deleting each brings the next back', async () => {
    await alter(DEFAULT, { set: { [OURS]: '17000' } });
    expect(await kafkaConfigs(brokerDefault)).toContain(`${OURS}=17000`);
    expect((await describeOf(DEFAULT)).configs.find((c) => c.name === OURS)).toMatchObject({
      value: '17000',
      source: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
    });
    const both = await entry(BROKER, OURS);
    expect(both?.value).toBe('16000');
    expect(both?.synonyms.map((s) => `${s.source}=${s.value}`)).toEqual([
      'DYNAMIC_BROKER_CONFIG=16000',
      'DYNAMIC_DEFAULT_BROKER_CONFIG=17000',
      'DEFAULT_CONFIG=15000',
    ]);
    const r = await alter(BROKER, { delete: [OURS] });
    expect(r.configs.find((c) => c.name === OURS)).toMatchObject({
      value: '17000',
      source: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
    });
    expect(await kafkaConfigs(brokerOne)).not.toContain(`${OURS}=16000`);
    const d = await alter(DEFAULT, { delete: [OURS] });
    expect(d.configs.some((c) => c.name === OURS)).toBe(false);
    expect(await kafkaConfigs(brokerDefault)).not.toContain(OURS);
    expect(
      await until(
        () => entry(BROKER, OURS),
        (c) => c?.source === 'DEFAULT_CONFIG',
      ),
    ).toMatchObject({
      value: '15000',
    });
  });

  it("a static config shows as not changeable, and the broker's refusal is its own sentence", async () => {
    expect(await entry(BROKER, 'log.dirs')).toMatchObject({ source: 'STATIC_BROKER_CONFIG', readOnly: true });
    const e = await fail('configs.alter', { id, resource: BROKER, set: { 'log.dirs': '/tmp/elsewhere' } });
    expect(e.code).toBe('KAFKA_ERROR');
    expect(e.message).toMatch(/^Kafka refused the request: .*log\.dirs/);
  });

  it('a broker that is not there is named', async () => {
    const e = await fail('configs.describe', { id, resource: { type: 'broker', brokerId: 77 } });
    expect(e).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('Broker 77 is not in this cluster') as unknown,
    });
  });

  it('sensitive values are masked: never in an answer, never printed', async () => {
    const d = await describeOf(BROKER);
    const sensitive = d.configs.filter((c) => c.sensitive);
    // the broker's own JAAS config holds the PLAIN users' passwords
    expect(sensitive.map((c) => c.name)).toContain('listener.name.sasl_plaintext.plain.sasl.jaas.config');
    for (const c of sensitive) {
      expect(c.value, c.name).toBeNull();
      expect(
        c.synonyms.every((s) => s.value === null),
        c.name,
      ).toBe(true);
    }
    expect(JSON.stringify(d)).not.toContain(k.users.plain.password);
    const printed = await cli(['configs', 'describe', '--broker', '1', '--all', '-b', k.listeners.plaintext]);
    expect(printed.code).toBe(0);
    expect(printed.out).toMatch(
      /^listener\.name\.sasl_plaintext\.plain\.sasl\.jaas\.config\s+\(sensitive\)\s+broker file\s+no$/m,
    );
    expect(printed.out + printed.err).not.toContain(k.users.plain.password);
    const json = await cli(['configs', 'describe', '--broker', '1', '--json', '-b', k.listeners.plaintext]);
    expect(json.out).not.toContain(k.users.plain.password);
  });

  it('a read-only connection may look and validate, and is refused every change, in the core', async () => {
    expect(
      (await call<ConfigsDescription>('configs.describe', { id: readOnlyId, resource: BROKER })).configs.length,
    ).toBeGreaterThan(100);
    for (const resource of [BROKER, DEFAULT, { type: 'topic', name: topic }]) {
      const e = await fail('configs.alter', { id: readOnlyId, resource, set: { [OURS]: '18000' } });
      expect(e.code).toBe('READ_ONLY');
      expect(e.message).toMatch(
        /^'prod \(read-only\)' is a read-only connection, so Kafka Desk did not change 1 config of /,
      );
    }
    const checked = await call<ConfigsAlterResult>('configs.alter', {
      id: readOnlyId,
      resource: BROKER,
      set: { [OURS]: '18000' },
      validateOnly: true,
    });
    expect(checked.validateOnly).toBe(true);
    expect(await kafkaConfigs(brokerOne)).not.toContain(`${OURS}=18000`);
  });
});

describe('the command line', () => {
  const b = () => ['-b', k.listeners.plaintext];
  it('configs set / delete / describe, --dry-run and --json', async () => {
    const dry = await cli(['configs', 'set', '--broker', '1', `${OURS}=19000`, '--dry-run', ...b()]);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.out).toBe(
      `The broker accepts this change to broker 1 (set ${OURS}); nothing was changed (--dry-run).\n`,
    );
    expect(await kafkaConfigs(brokerOne)).not.toContain(`${OURS}=19000`);
    const set = await cli(['configs', 'set', '--broker', '1', `${OURS}=19000`, ...b()]);
    expect(set.out).toBe(`Changed broker 1: set ${OURS}.\n`);
    expect(await kafkaConfigs(brokerOne)).toContain(`${OURS}=19000`);
    const shown = await cli(['configs', 'describe', '--broker', '1', ...b()]);
    expect(shown.out).toMatch(
      new RegExp(`^${OURS.replace(/\./g, '\\.')}\\s+19000\\s+broker \\(dynamic\\)\\s+yes$`, 'm'),
    );
    const json = JSON.parse(
      (await cli(['configs', 'describe', '--cluster-default', '--json', ...b()])).out,
    ) as ConfigsDescription;
    expect(json.resource).toEqual(DEFAULT);
    const del = JSON.parse(
      (await cli(['configs', 'delete', '--broker', '1', OURS, '--json', ...b()])).out,
    ) as ConfigsAlterResult;
    expect(del).toMatchObject({ deleted: [OURS], via: 'IncrementalAlterConfigs' });
    expect(await kafkaConfigs(brokerOne)).not.toContain(`${OURS}=19000`);
  });

  it('names one resource, and says how to write a setting', async () => {
    const none = await cli(['configs', 'describe', ...b()]);
    expect(none.code).toBe(1);
    expect(none.err).toContain('Name one resource: --topic <name>, --broker <id> or --cluster-default');
    const two = await cli(['configs', 'set', '--topic', topic, '--broker', '1', 'a=b', ...b()]);
    expect(two.err).toContain('Name one resource');
    const bad = await cli(['configs', 'set', '--topic', topic, 'retention.ms', ...b()]);
    expect(bad.err).toContain('retention.ms: write it as key=value');
  });
});
