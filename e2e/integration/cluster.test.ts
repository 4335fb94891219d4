import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/core/dispatch';
import { createTopic, freshCore, kcatMetadata, listenerInputs, readCluster, type ClusterInfo } from './support';
import type { Core } from '../../electron/core';
import type { ClusterDescription, TopicSummary } from '../../electron/contract';

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
  const r = await dispatch(core.handlers, 'connections.save', { ...inputs[listener], name: `${listener}-${Math.random()}` });
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
    expect(d.brokers.map((b) => `${b.nodeId} ${b.host}:${b.port}`)).toEqual(kc.brokers.map((b) => `${b.id} ${b.name}`).sort());
    expect(d.brokers[0]?.rack).toBeNull();
  });

  it('topics.list has every topic kcat lists, with the same partition and replica counts', async () => {
    const id = await savedId('SCRAM-SHA-256');
    const r = await dispatch(core.handlers, 'topics.list', { id, includeInternal: true });
    expect(r.ok).toBe(true);
    const topics = (r as { value: TopicSummary[] }).value;
    const kc = await kcatMetadata(k.listeners.plaintext);
    const ours = topics.map((t) => `${t.name} p=${t.partitions} rf=${t.replicationFactor}`).sort();
    const theirs = kc.topics.map((t) => `${t.topic} p=${t.partitions.length} rf=${t.partitions[0]?.replicas.length ?? 0}`).sort();
    expect(ours).toEqual(theirs);
    expect(topics.find((t) => t.name === topic)).toEqual({ name: topic, partitions: 3, replicationFactor: 1, internal: false });
  });

  it('topics.list hides internal topics when asked', async () => {
    const id = await savedId('PLAINTEXT');
    // __consumer_offsets exists once any group has been used; make sure it does via kcat's consumer group.
    const all = await dispatch(core.handlers, 'topics.list', { id, includeInternal: true });
    const visible = await dispatch(core.handlers, 'topics.list', { id, includeInternal: false });
    expect(all.ok && visible.ok).toBe(true);
    const allT = (all as { value: TopicSummary[] }).value;
    const visT = (visible as { value: TopicSummary[] }).value;
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
