import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AclRecipe,
  bindingKey,
  expandRecipe,
  type AclBinding,
  type AclFilterInput,
  type AppError,
  type ChannelName,
  type ChannelOutput,
  type ConnectionInput,
  type ConsumeResult,
  type ProduceResult,
} from '../../electron/contract';
import type { Core } from '../../electron/core';
import { dispatch } from '../../electron/core/dispatch';
import { ensureKafkaCluster, stopKafkaCluster, type ThreeBrokerInfo } from '../infra/kafka';
import { freshCore, readCluster, type ClusterInfo } from './support';

/**
 * ACLs against real authorizers: the three-broker cluster's StandardAuthorizer (admin a super user on
 * the SASL listener, alice a user with no ACLs of her own) and the single broker, which has none.
 * What Kafka Desk creates from a recipe, Kafka's own kafka-acls lists the same way, and alice may then
 * do exactly what was granted; what kafka-acls creates, Kafka Desk lists; a delete previews first.
 * The cluster costs three JVMs: this file stops it again if it started it (unless
 * KAFKA_DESK_KEEP_CLUSTER=1).
 */
const exec = promisify(execFile);
const log = (s: string) => console.log(`[kafka cluster] ${s}`);
const stamp = Date.now();

let k: ThreeBrokerInfo;
let single: ClusterInfo;
let startedHere = false;
let core: Core;
let admin: string;
let alice: string;
let ro: string;

async function call<C extends ChannelName>(channel: C, input: unknown): Promise<ChannelOutput<C>> {
  const r = await dispatch(core.handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as ChannelOutput<C>;
}
async function refusal(channel: ChannelName, input: unknown): Promise<AppError> {
  const r = await dispatch(core.handlers, channel, input);
  if (r.ok) throw new Error(`${channel} went through: ${JSON.stringify(r.value).slice(0, 300)}`);
  return r.error;
}

async function save(name: string, over: Partial<ConnectionInput>): Promise<string> {
  const input: ConnectionInput = {
    name: `${name}-${stamp}`,
    color: 'blue',
    clientId: 'kafka-desk-it',
    timeouts: { connectionMs: 5000, requestMs: 15000, authenticationMs: 5000 },
    tls: { enabled: false },
    bootstrapServers: k.bootstrap.sasl,
    sasl: { mechanism: 'none' },
    ...over,
  };
  return (await call('connections.save', input)).id;
}
const scram = (user: 'admin' | 'alice') => ({ mechanism: 'scram-sha-512' as const, ...k.users[user] });

/** Kafka's own kafka-acls (org.apache.kafka.tools.AclCommand in 4.x), as the PLAINTEXT listener's super user. */
async function kafkaAcls(args: string[]): Promise<string> {
  const { stdout } = await exec(
    k.javaBin,
    [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${k.toolsLog4jConfig}`,
      '-cp',
      k.toolsClasspath,
      'org.apache.kafka.tools.AclCommand',
      '--bootstrap-server',
      k.bootstrap.plaintext.join(','),
      ...args,
    ],
    { timeout: 60_000 },
  );
  return stdout;
}

/** kafka-acls --list output as binding keys: "Current ACLs for resource `ResourcePattern(…)`:" then one line per entry. */
function parseAclList(out: string): Set<string> {
  const keys = new Set<string>();
  let resource: { resourceType: string; resourceName: string; patternType: string } | null = null;
  for (const line of out.split('\n')) {
    const r = /ResourcePattern\(resourceType=(\w+), name=(.*), patternType=(\w+)\)`/.exec(line);
    if (r) {
      resource = { resourceType: r[1]!, resourceName: r[2]!, patternType: r[3]! };
      continue;
    }
    const e = /\(principal=(.*), host=(.*), operation=(\w+), permissionType=(\w+)\)/.exec(line);
    if (e && resource)
      keys.add(
        bindingKey({ ...resource, principal: e[1]!, host: e[2]!, operation: e[3]!, permission: e[4]! } as AclBinding),
      );
  }
  return keys;
}

/**
 * An ACL change reaches each broker through the metadata log a moment after the controller took
 * it: wait until every broker, asked on its own, shows alice `topic` in its metadata (DESCRIBE on it
 * granted) or no longer does.
 */
async function untilEveryBroker(topic: string, visible: boolean): Promise<void> {
  for (const b of k.brokers) {
    for (let attempt = 1; ; attempt++) {
      const probe = new Kafka({
        clientId: 'kafka-desk-it',
        brokers: [b.listeners.sasl],
        sasl: scram('alice'),
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
      }).admin();
      try {
        await probe.connect();
        if ((await probe.listTopics()).includes(topic) === visible) break;
      } finally {
        await probe.disconnect();
      }
      if (attempt >= 80) throw new Error(`broker ${b.nodeId} has not applied the ACL change after ${attempt} tries`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const topic = `it-acl-orders-${stamp}`;
const other = `it-acl-private-${stamp}`;
const group = `it-acl-billing-${stamp}`;
const onTopic: AclFilterInput = {
  principal: 'User:alice',
  resourceType: 'TOPIC',
  resourceName: topic,
  patternType: 'LITERAL',
};

beforeAll(async () => {
  ({ cluster: k, startedHere } = await ensureKafkaCluster({ log }));
  single = await readCluster();
  ({ core } = await freshCore());
  admin = await save('acl-admin', { sasl: scram('admin') });
  alice = await save('acl-alice', { sasl: scram('alice') });
  ro = await save('acl-admin-ro', { sasl: scram('admin'), readOnly: true });
  for (const name of [topic, other]) {
    await call('topics.create', { id: admin, name, partitions: 1, replicationFactor: 3 });
    await call('operations.produce', { id: admin, topic: name, messages: [{ key: 'k', value: `in ${name}` }] });
  }
}, 240_000);

afterAll(async () => {
  // what this file granted, whatever a failed test left behind
  if (core && admin) {
    await dispatch(core.handlers, 'acls.delete', {
      id: admin,
      filters: [
        { principal: 'User:alice', resourceType: 'TOPIC', resourceName: topic },
        { principal: 'User:alice', resourceType: 'GROUP', resourceName: group },
        { principal: 'User:alice', resourceType: 'TOPIC', resourceName: `it-acl-peer-${stamp}-` },
        { principal: 'User:alice', resourceType: 'TRANSACTIONAL_ID', resourceName: `it-acl-tx-${stamp}` },
        { principal: 'User:alice', resourceType: 'TOPIC', resourceName: `it-acl-cli-${stamp}-` },
        { principal: 'User:alice', resourceType: 'GROUP', resourceName: `it-acl-cli-${stamp}-` },
      ],
      dryRun: false,
    });
  }
  if (startedHere && !process.env.KAFKA_DESK_KEEP_CLUSTER) await stopKafkaCluster({ log });
}, 60_000);

describe('a cluster without an authorizer (the single broker)', () => {
  it('listing, creating and deleting ACLs say plainly that the cluster keeps none', async () => {
    const id = (
      await call('connections.save', {
        name: `no-authorizer-${stamp}`,
        bootstrapServers: [single.listeners.plaintext],
        sasl: { mechanism: 'none' },
        tls: { enabled: false },
      })
    ).id;
    const sentence = 'This cluster has no authorizer (authorizer.class.name is not set), so it keeps no ACLs.';
    const list = await refusal('acls.list', { id });
    expect(list).toMatchObject({ code: 'AUTHORIZER_DISABLED', message: sentence });
    expect(list.detail).toMatch(/Security features are disabled/);
    const bindings = expandRecipe(AclRecipe.parse({ kind: 'consumer', principal: 'User:alice', topic, group }));
    expect(await refusal('acls.create', { id, bindings })).toMatchObject({ code: 'AUTHORIZER_DISABLED' });
    for (const dryRun of [true, false])
      expect(await refusal('acls.delete', { id, filters: [onTopic], dryRun })).toMatchObject({
        code: 'AUTHORIZER_DISABLED',
        message: sentence,
      });
  });
});

describe('the StandardAuthorizer: recipes, filters, kafka-acls, what alice may do, delete with a preview', () => {
  const producer = expandRecipe(AclRecipe.parse({ kind: 'producer', principal: 'User:alice', topic }));
  const consumer = expandRecipe(AclRecipe.parse({ kind: 'consumer', principal: 'User:alice', topic, group }));

  it('creates a producer and a consumer recipe; the DESCRIBE both name is made once; creating again changes nothing', async () => {
    const r = await call('acls.create', { id: admin, bindings: [...producer, ...consumer] });
    expect(r.existing).toEqual([]);
    expect(r.created.map((b) => `${b.resourceType} ${b.resourceName} ${b.operation}`)).toEqual([
      `GROUP ${group} READ`,
      `TOPIC ${topic} CREATE`,
      `TOPIC ${topic} DESCRIBE`,
      `TOPIC ${topic} READ`,
      `TOPIC ${topic} WRITE`,
    ]);
    expect(new Set(r.created.map((b) => `${b.principal} ${b.host} ${b.permission} ${b.patternType}`))).toEqual(
      new Set(['User:alice * ALLOW LITERAL']),
    );
    const again = await call('acls.create', { id: admin, bindings: consumer });
    expect(again.created).toEqual([]);
    expect(again.existing).toHaveLength(3);
  });

  it('lists by filter: principal and resource, one operation, the group, MATCH, and nothing for DENY', async () => {
    const names = (l: AclBinding[]) => l.map((b) => `${b.resourceType} ${b.operation} ${b.permission}`);
    expect(names((await call('acls.list', { id: admin, filter: onTopic })).bindings)).toEqual([
      'TOPIC CREATE ALLOW',
      'TOPIC DESCRIBE ALLOW',
      'TOPIC READ ALLOW',
      'TOPIC WRITE ALLOW',
    ]);
    expect(names((await call('acls.list', { id: admin, filter: { ...onTopic, operation: 'READ' } })).bindings)).toEqual(
      ['TOPIC READ ALLOW'],
    );
    expect(
      (await call('acls.list', { id: admin, filter: { resourceType: 'GROUP', resourceName: group } })).bindings,
    ).toEqual([
      {
        resourceType: 'GROUP',
        resourceName: group,
        patternType: 'LITERAL',
        principal: 'User:alice',
        host: '*',
        operation: 'READ',
        permission: 'ALLOW',
      },
    ]);
    expect((await call('acls.list', { id: admin, filter: { ...onTopic, permission: 'DENY' } })).bindings).toEqual([]);
    expect((await call('acls.list', { id: admin, filter: { ...onTopic, principal: 'User:bob' } })).bindings).toEqual(
      [],
    );
    // everything on the cluster, unfiltered, holds ours too
    const all = new Set((await call('acls.list', { id: admin })).bindings.map(bindingKey));
    for (const b of [...producer, ...consumer]) expect(all.has(bindingKey(b))).toBe(true);
  });

  it('kafka-acls lists for the topic and the group exactly the bindings Kafka Desk created', async () => {
    const theirs = new Set([
      ...parseAclList(await kafkaAcls(['--list', '--topic', topic])),
      ...parseAclList(await kafkaAcls(['--list', '--group', group])),
    ]);
    expect([...theirs].sort()).toEqual([...new Set([...producer, ...consumer].map(bindingKey))].sort());
  });

  it('alice produces to and consumes the topic in her group, as granted, and nothing else', async () => {
    await untilEveryBroker(topic, true);
    const sent = await call('operations.produce', { id: alice, topic, messages: [{ key: 'a', value: 'from alice' }] });
    expect(sent.delivered).toBe(1);
    const read = (await call('operations.consume', {
      id: alice,
      topic,
      max: 10,
      group: { groupId: group, commit: 'manual' },
    })) as ConsumeResult;
    expect(read.messages.map((m) => m.value)).toEqual([`in ${topic}`, 'from alice']);
    // another group: no READ on it
    const otherGroup = await refusal('operations.consume', {
      id: alice,
      topic,
      max: 10,
      group: { groupId: `it-acl-elsewhere-${stamp}`, commit: 'manual' },
    });
    // FindCoordinator answers GROUP_AUTHORIZATION_FAILED; kafkajs asks every broker and reports only that none was found
    expect(`${otherGroup.message} ${otherGroup.detail ?? ''}`).toMatch(
      /GROUP_AUTHORIZATION_FAILED|not authorized|find group coordinator/i,
    );
    // another topic: neither read nor written
    expect((await refusal('operations.consume', { id: alice, topic: other, max: 10 })).message).toContain(other);
    const wrote = await dispatch(core.handlers, 'operations.produce', {
      id: alice,
      topic: other,
      messages: [{ value: 'not allowed' }],
    });
    expect(wrote.ok && (wrote.value as ProduceResult).delivered > 0).toBe(false);
    const seen = await call('operations.consume', { id: admin, topic: other, max: 10 });
    expect(seen.messages.map((m) => m.value)).toEqual([`in ${other}`]);
    // and she may neither read nor change the ACLs themselves
    expect(await refusal('acls.list', { id: alice })).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('DESCRIBE on the cluster'),
    });
    expect(await refusal('acls.create', { id: alice, bindings: producer })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('bindings kafka-acls creates — a prefixed DENY from one host, a transactional id — are listed by Kafka Desk', async () => {
    const prefix = `it-acl-peer-${stamp}-`;
    const tx = `it-acl-tx-${stamp}`;
    await kafkaAcls([
      '--add',
      '--deny-principal',
      'User:alice',
      '--deny-host',
      '10.1.2.3',
      '--operation',
      'Read',
      '--topic',
      prefix,
      '--resource-pattern-type',
      'prefixed',
    ]);
    await kafkaAcls(['--add', '--allow-principal', 'User:alice', '--operation', 'Describe', '--transactional-id', tx]);
    const listed = await call('acls.list', {
      id: admin,
      filter: { resourceType: 'TOPIC', resourceName: prefix, patternType: 'PREFIXED' },
    });
    expect(listed.bindings).toEqual([
      {
        resourceType: 'TOPIC',
        resourceName: prefix,
        patternType: 'PREFIXED',
        principal: 'User:alice',
        host: '10.1.2.3',
        operation: 'READ',
        permission: 'DENY',
      },
    ]);
    // MATCH: every binding that applies to one topic under the prefix
    const match = await call('acls.list', {
      id: admin,
      filter: { resourceType: 'TOPIC', resourceName: `${prefix}payments`, patternType: 'MATCH' },
    });
    expect(match.bindings.map(bindingKey)).toContain(bindingKey(listed.bindings[0]!));
    expect(
      (await call('acls.list', { id: admin, filter: { resourceType: 'TRANSACTIONAL_ID', resourceName: tx } })).bindings,
    ).toMatchObject([{ resourceName: tx, operation: 'DESCRIBE', permission: 'ALLOW', patternType: 'LITERAL' }]);
  });

  it('a read-only connection lists the ACLs and refuses to create or delete one', async () => {
    expect((await call('acls.list', { id: ro, filter: onTopic })).bindings).toHaveLength(4);
    expect(await refusal('acls.create', { id: ro, bindings: consumer })).toMatchObject({ code: 'READ_ONLY' });
    expect(await refusal('acls.delete', { id: ro, filters: [onTopic], dryRun: false })).toMatchObject({
      code: 'READ_ONLY',
    });
    expect((await call('acls.delete', { id: ro, filters: [onTopic] })).bindings).toHaveLength(4);
  });

  it('delete previews what the filter matches and deletes nothing; then deletes exactly that, as kafka-acls sees', async () => {
    const preview = await call('acls.delete', { id: admin, filters: [onTopic] });
    expect(preview.dryRun).toBe(true);
    expect(preview.bindings.map((b) => b.operation)).toEqual(['CREATE', 'DESCRIBE', 'READ', 'WRITE']);
    expect((await call('acls.list', { id: admin, filter: onTopic })).bindings).toEqual(preview.bindings);

    const deleted = await call('acls.delete', { id: admin, filters: [onTopic], dryRun: false });
    expect(deleted).toEqual({ dryRun: false, bindings: preview.bindings });
    expect((await call('acls.list', { id: admin, filter: onTopic })).bindings).toEqual([]);
    expect(parseAclList(await kafkaAcls(['--list', '--topic', topic])).size).toBe(0);
    // the group's binding was not in the filter: still there
    expect(parseAclList(await kafkaAcls(['--list', '--group', group])).size).toBe(1);
    await untilEveryBroker(topic, false);
    const wrote = await dispatch(core.handlers, 'operations.produce', { id: alice, topic, messages: [{ value: 'x' }] });
    expect(wrote.ok && (wrote.value as ProduceResult).delivered > 0).toBe(false);
  });
});

describe('kafka-desk acls (the built command)', () => {
  const bin = path.resolve('bin/kafka-desk.cjs');
  const cli = (args: string[]) =>
    exec(process.execPath, [bin, ...args], {
      timeout: 60_000,
      env: { ...process.env, KAFKA_DESK_PASSWORD: k.users.admin.password },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const asAdmin = () => ['-b', k.bootstrap.sasl.join(','), '--sasl-mechanism', 'scram-sha-512', '--username', 'admin'];
  const prefix = `it-acl-cli-${stamp}-`;
  const named = () => [
    ...asAdmin(),
    '--principal',
    'alice',
    '--topic',
    prefix,
    '--group',
    prefix,
    '--resource-pattern-type',
    'prefixed',
  ];

  it('create --recipe consumer with prefixes, --json: the three bindings, created', async () => {
    const r = await cli(['acls', 'create', '--recipe', 'consumer', ...named(), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ChannelOutput<'acls.create'>;
    expect(out.existing).toEqual([]);
    expect(out.created.map((b) => `${b.resourceType} ${b.patternType} ${b.resourceName} ${b.operation}`)).toEqual([
      `GROUP PREFIXED ${prefix} READ`,
      `TOPIC PREFIXED ${prefix} DESCRIBE`,
      `TOPIC PREFIXED ${prefix} READ`,
    ]);
  });

  it('list with filters prints a table, and NDJSON with --json', async () => {
    const table = await cli([
      'acls',
      'list',
      ...asAdmin(),
      '--principal',
      'User:alice',
      '--topic',
      prefix,
      '--resource-pattern-type',
      'prefixed',
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^RESOURCE\s+NAME\s+PATTERN\s+PRINCIPAL\s+HOST\s+OPERATION\s+PERMISSION$/,
    );
    expect(table.stdout).toMatch(
      new RegExp(`^TOPIC\\s+${prefix}\\s+PREFIXED\\s+User:alice\\s+\\*\\s+READ\\s+ALLOW$`, 'm'),
    );
    const json = await cli([
      'acls',
      'list',
      ...asAdmin(),
      '--group',
      prefix,
      '--resource-pattern-type',
      'prefixed',
      '--operation',
      'read',
      '--json',
    ]);
    expect(
      json.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as AclBinding),
    ).toEqual([
      {
        resourceType: 'GROUP',
        resourceName: prefix,
        patternType: 'PREFIXED',
        principal: 'User:alice',
        host: '*',
        operation: 'READ',
        permission: 'ALLOW',
      },
    ]);
  });

  it('delete without --yes prints the preview and refuses; with --yes deletes what it printed', async () => {
    const no = await cli(['acls', 'delete', ...named()]);
    expect(no.code).toBe(1);
    expect(no.stdout.trim().split('\n')).toHaveLength(4); // the title and three bindings
    expect(no.stderr).toContain('Nothing was deleted: add --yes to delete these 3 ACLs.');
    expect(JSON.parse((await cli(['acls', 'delete', ...named(), '--dry-run', '--json'])).stdout)).toMatchObject({
      dryRun: true,
      bindings: [{ resourceType: 'GROUP' }, { resourceType: 'TOPIC' }, { resourceType: 'TOPIC' }],
    });
    const yes = await cli(['acls', 'delete', ...named(), '--yes']);
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('Deleted 3 ACLs.');
    const after = await cli(['acls', 'list', ...named()]);
    expect(after.stderr).toBe('No ACLs match.\n');
  });

  it('refuses what is not an ACL: an unknown operation, an empty delete filter, an operation the resource does not have', async () => {
    const op = await cli([
      'acls',
      'create',
      ...asAdmin(),
      '--principal',
      'alice',
      '--topic',
      't',
      '--operation',
      'fly',
    ]);
    expect(op.code).toBe(1);
    expect(op.stderr).toMatch(/^kafka-desk: --operation fly: not an ACL operation; one of all, read, write/);
    const all = await cli(['acls', 'delete', ...asAdmin(), '--yes']);
    expect(all.code).toBe(1);
    expect(all.stderr).toContain('An empty filter would match every ACL of the cluster.');
    const wrong = await cli([
      'acls',
      'create',
      ...asAdmin(),
      '--principal',
      'alice',
      '--group',
      'g',
      '--operation',
      'write',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('bindings.0.operation: WRITE does not apply to a GROUP');
  });

  it('against a broker without an authorizer: list says so and lists nothing; create fails with the same sentence', async () => {
    const list = await cli(['acls', 'list', '-b', single.listeners.plaintext]);
    expect(list).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'This cluster has no authorizer (authorizer.class.name is not set), so it keeps no ACLs.\n',
    });
    const create = await cli([
      'acls',
      'create',
      '-b',
      single.listeners.plaintext,
      '--recipe',
      'producer',
      '--principal',
      'alice',
      '--topic',
      't',
    ]);
    expect(create.code).toBe(1);
    expect(create.stderr).toMatch(/^kafka-desk: This cluster has no authorizer/);
  });
});
