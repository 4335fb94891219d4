import { describe, expect, it } from 'vitest';
import type { ClusterMetadata } from '../kafka/types';
import { partitionHealth } from './partitionHealth';

const brokers = [1, 2, 3].map((nodeId) => ({ nodeId, host: '127.0.0.1', port: 9092 + nodeId, rack: null }));
const md = (partitions: { leader: number; replicas: number[]; isr: number[] }[], live = brokers): ClusterMetadata => ({
  brokers: live,
  topicMetadata: [{ topic: 't', partitionMetadata: partitions.map((p, partitionId) => ({ partitionId, ...p })) }],
});

describe('partition health from metadata', () => {
  it('a healthy cluster lists nothing', () => {
    const h = partitionHealth(md([{ leader: 1, replicas: [1, 2], isr: [1, 2] }]));
    expect(h).toEqual({ partitions: [], offline: 0, underReplicated: 0, leaderNotPreferred: 0, goneBrokers: [] });
  });

  it('leader not the preferred replica, which is in sync: a preferred election is the fix', () => {
    const h = partitionHealth(md([{ leader: 2, replicas: [1, 2], isr: [1, 2] }]));
    expect(h.partitions[0]).toMatchObject({ problems: ['leader-not-preferred'], fix: { kind: 'elect-preferred' } });
    expect(h.leaderNotPreferred).toBe(1);
  });

  it('the preferred replica out of sync: no election would take it, so none is offered', () => {
    const h = partitionHealth(md([{ leader: 2, replicas: [1, 2], isr: [2] }]));
    expect(h.partitions[0]).toMatchObject({ problems: ['under-replicated', 'leader-not-preferred'], fix: null });
  });

  it('a replica on a broker the cluster no longer lists: reassign away from it', () => {
    const h = partitionHealth(md([{ leader: 1, replicas: [1, 7], isr: [1] }]));
    expect(h.partitions[0]).toMatchObject({
      problems: ['under-replicated'],
      goneReplicas: [7],
      fix: { kind: 'reassign-away', brokers: [7] },
    });
    expect(h.goneBrokers).toEqual([7]);
  });

  it('offline with a live replica left: an unclean election, said to lose data; with none: no fix', () => {
    const live = brokers.filter((b) => b.nodeId !== 1);
    const h = partitionHealth(
      md(
        [
          { leader: -1, replicas: [1, 2], isr: [1] },
          { leader: -1, replicas: [1], isr: [1] },
        ],
        live,
      ),
    );
    expect(h.offline).toBe(2);
    expect(h.partitions[0]!.fix).toMatchObject({ kind: 'elect-unclean' });
    expect(h.partitions[0]!.fix?.about).toContain('lost');
    expect(h.partitions[1]!.fix).toBeNull();
    expect(h.partitions[1]!.problems).toEqual(['offline']);
  });

  it('a replica catching up on a live broker: under-replicated, and nothing to do but wait', () => {
    const h = partitionHealth(md([{ leader: 1, replicas: [1, 2, 3], isr: [1, 2] }]));
    expect(h.partitions[0]).toMatchObject({ problems: ['under-replicated'], fix: null, goneReplicas: [] });
  });
});
