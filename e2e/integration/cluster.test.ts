import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/core/dispatch';
import {
  createTopic,
  freshCore,
  kcatMetadata,
  kcatProduce,
  listenerInputs,
  readCluster,
  type ClusterInfo,
} from './support';
import type { Core } from '../../electron/core';
import type { ClusterDescription, ClusterOverview, TopicSummary } from '../../electron/contract';

let k: ClusterInfo;
let core: Core;
const topic = `it-cluster-${Date.now()}`;

beforeAll(async () => {
  k = await readCluster();
  ({ core } = await freshCore());
  await createTopic(k, topic, 3);
});

async function savedId(listener: string): Promise<string> {
  const inputs = await listenerInputs(k);
  const r = await dispatch(core.handlers, 'connections.save', {
    ...inputs[listener],
    name: `${listener}-${Math.random()}`,
  });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { id: string }).id;
}

describe('cluster.describe and topics.list match kcat -L', () => {
  it('cluster.describe reports the brokers kcat sees, the controller and the cluster id', async () => {
    const id = await savedId('PLAINTEXT');
    const r = await dispatch(core.handlers, 'cluster.describe', { id });
    expect(r.ok).toBe(true);
    const d = (r as { value: ClusterDescription }).value;
    const kc = await kcatMetadata(k.listeners.plaintext);
    expect(d.clusterId).toBe(k.clusterId);
    expect(d.controllerId).toBe(1);
    expect(d.brokers.map((b) => `${b.nodeId} ${b.host}:${b.port}`)).toEqual(
      kc.brokers.map((b) => `${b.id} ${b.name}`).sort(),
    );
    expect(d.brokers[0]?.rack).toBeNull();
  });

  it('topics.list has every topic kcat lists, with the same partition and replica counts', async () => {
    const id = await savedId('SCRAM-SHA-256');
    const r = await dispatch(core.handlers, 'topics.list', { id, includeInternal: true });
    expect(r.ok).toBe(true);
    const topics = (r as { value: { topics: TopicSummary[] } }).value.topics;
    const kc = await kcatMetadata(k.listeners.plaintext);
    const ours = topics.map((t) => `${t.name} p=${t.partitions} rf=${t.replicationFactor}`).sort();
    const theirs = kc.topics
      .map((t) => `${t.topic} p=${t.partitions.length} rf=${t.partitions[0]?.replicas.length ?? 0}`)
      .sort();
    expect(ours).toEqual(theirs);
    expect(topics.find((t) => t.name === topic)).toEqual({
      name: topic,
      partitions: 3,
      replicationFactor: 1,
      internal: false,
      messages: null,
    });
  });

  it('topics.list hides internal topics when asked', async () => {
    const id = await savedId('PLAINTEXT');
    // __consumer_offsets exists once any group has been used; make sure it does via kcat's consumer group.
    const all = await dispatch(core.handlers, 'topics.list', { id, includeInternal: true });
    const visible = await dispatch(core.handlers, 'topics.list', { id, includeInternal: false });
    expect(all.ok && visible.ok).toBe(true);
    const allT = (all as { value: { topics: TopicSummary[] } }).value.topics;
    const visT = (visible as { value: { topics: TopicSummary[] } }).value.topics;
    expect(visT.every((t) => !t.internal)).toBe(true);
    expect(visT.length).toBe(allT.filter((t) => !t.internal).length);
    expect(visT.some((t) => t.name === topic)).toBe(true);
  });

  it('a saved mutual-TLS connection reads the cluster with the files the core keeps', async () => {
    const id = await savedId('mutual TLS');
    const r = await dispatch(core.handlers, 'cluster.describe', { id });
    expect(r).toMatchObject({ ok: true, value: { clusterId: k.clusterId } });
  });
});

describe('message counts and the offline cache', () => {
  it('estimates the messages in each topic from its offsets', async () => {
    const id = await savedId('PLAINTEXT');
    const counted = `it-counted-${Date.now()}`;
    await createTopic(k, counted, 2);
    await kcatProduce(k.listeners.plaintext, counted, ['a', 'b', 'c']);
    const r = await dispatch(core.handlers, 'topics.list', { id, withCounts: true });
    const t = (r as { value: { topics: TopicSummary[] } }).value.topics.find((x) => x.name === counted);
    expect(t?.messages).toBe('3');
  });

  it('keeps the last metadata, and shows it "as of" then when the cluster cannot be reached', async () => {
    const inputs = await listenerInputs(k);
    const saved = await dispatch(core.handlers, 'connections.save', { ...inputs.PLAINTEXT, name: 'goes-offline' });
    const id = (saved as { value: { id: string } }).value.id;
    const live = await dispatch(core.handlers, 'cluster.overview', { id });
    const liveTopics = await dispatch(core.handlers, 'topics.list', { id });
    expect(live).toMatchObject({ ok: true, value: { fromCache: null } });
    // the VPN goes away: same saved connection, its address no longer answers
    await dispatch(core.handlers, 'connections.save', {
      ...inputs.PLAINTEXT,
      id,
      name: 'goes-offline',
      bootstrapServers: ['127.0.0.1:1'],
    });
    const offline = await dispatch(core.handlers, 'cluster.overview', { id });
    expect(offline.ok).toBe(true);
    const o = (offline as { value: ClusterOverview }).value;
    const l = (live as { value: ClusterOverview }).value;
    expect(o.fromCache?.asOf).toBe(l.fetchedAt);
    expect(o.fromCache?.reason).toMatch(/connection refused/);
    expect(o.clusterId).toBe(k.clusterId);
    const offTopics = await dispatch(core.handlers, 'topics.list', { id });
    expect((offTopics as { value: { topics: TopicSummary[]; fromCache: unknown } }).value.topics).toEqual(
      (liveTopics as { value: { topics: TopicSummary[] } }).value.topics,
    );
    expect((offTopics as { value: { fromCache: unknown } }).value.fromCache).not.toBeNull();
    // a refusal is not "offline": a wrong password still fails
    await dispatch(core.handlers, 'connections.save', {
      ...inputs['SCRAM-SHA-512'],
      id,
      name: 'goes-offline',
      sasl: { mechanism: 'scram-sha-512', username: 'scram512', password: 'wrong' },
    });
    expect(await dispatch(core.handlers, 'cluster.overview', { id })).toMatchObject({
      ok: false,
      error: { code: 'AUTH_FAILED' },
    });
  });
});
