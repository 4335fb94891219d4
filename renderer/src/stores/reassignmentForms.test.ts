import { describe, expect, it } from 'vitest';
import type { OngoingReassignment, ReassignmentPlan } from '../../../electron/contract';
import { fixLabel, planRequest, planSummary, progressSummary } from './reassignmentForms';

const form = (over: Partial<Parameters<typeof planRequest>[0]> = {}) => ({
  replicationFactor: 3,
  brokers: [1, 2, 3],
  exclude: [],
  ...over,
});

describe('the plan dialog’s request', () => {
  it('a new replication factor on every broker: the brokers are left to the planner', () => {
    expect(planRequest(form(), 'orders', [1, 2, 3])).toEqual({
      ok: true,
      value: { topics: ['orders'], replicationFactor: 3 },
    });
  });

  it('some brokers unticked: only the ticked ones are named', () => {
    expect(planRequest(form({ replicationFactor: 2, brokers: [1, 3] }), 'orders', [1, 2, 3])).toEqual({
      ok: true,
      value: { topics: ['orders'], replicationFactor: 2, brokers: [1, 3] },
    });
  });

  it('brokers to move off (a health fix) are sent as such, and never counted as ticked', () => {
    expect(planRequest(form({ replicationFactor: 2, exclude: [3] }), 't', [1, 2, 3])).toEqual({
      ok: true,
      value: { topics: ['t'], replicationFactor: 2, brokers: [1, 2], excludeBrokers: [3] },
    });
  });

  it('refuses what the planner would: no factor, more replicas than brokers ticked, no broker', () => {
    expect(planRequest(form({ replicationFactor: null }), 't', [1, 2, 3])).toEqual({
      ok: false,
      error: 'The replication factor is a whole number, 1 or more.',
    });
    expect(planRequest(form({ brokers: [1, 2] }), 't', [1, 2, 3])).toEqual({
      ok: false,
      error: 'Replication factor 3 needs 3 brokers; 2 brokers are ticked.',
    });
    expect(planRequest(form({ brokers: [] }), 't', [1, 2, 3])).toMatchObject({ ok: false });
  });
});

describe('sentences', () => {
  const plan = (over: Partial<ReassignmentPlan>): ReassignmentPlan => ({
    partitions: [],
    brokers: [],
    rackAware: true,
    replicasAdded: 0,
    replicasRemoved: 0,
    leaderChanges: 0,
    warnings: [],
    assignment: [],
    ...over,
  });

  it('a plan in one line', () => {
    const p = plan({
      partitions: new Array(3).fill(null) as ReassignmentPlan['partitions'],
      assignment: [{ topic: 't', partition: 0, replicas: [1, 2] }],
      replicasAdded: 1,
    });
    expect(planSummary(p)).toBe(
      '1 of 3 partitions change: 1 replica to copy, 0 replicas to remove, 0 preferred leaders to change.',
    );
    expect(planSummary(plan({}))).toMatch(/^Nothing to change/);
  });

  it('progress: partitions moving and new replicas in sync; done when none is listed', () => {
    const r = (adding: number[], isr: number[]): OngoingReassignment => ({
      topic: 't',
      partition: 0,
      replicas: [1, ...adding],
      adding,
      removing: [],
      target: [1, ...adding],
      original: [1],
      isr,
    });
    expect(progressSummary([r([2, 3], [1, 2]), r([2], [1])])).toBe('2 partitions moving: 1 of 3 new replicas in sync.');
    expect(progressSummary([])).toBe('Done: no partition is being moved.');
  });

  it('fix buttons name what they do', () => {
    expect(fixLabel({ kind: 'elect-preferred', about: '' })).toBe('Elect preferred leader');
    expect(fixLabel({ kind: 'reassign-away', brokers: [4], about: '' })).toBe('Move off broker 4…');
    expect(fixLabel({ kind: 'elect-unclean', about: '' })).toBe('Unclean election…');
  });
});
