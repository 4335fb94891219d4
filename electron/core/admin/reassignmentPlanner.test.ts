import { describe, expect, it } from 'vitest';
import { fromKafkaReassignmentJson, PlanRequest, ReassignmentInput, toKafkaReassignmentJson } from '../../contract';
import {
  checkAssignment,
  describePlan,
  planReassignment,
  PlanError,
  type PlannerBroker,
  type PlannerPartition,
} from './reassignmentPlanner';

/** The test cluster's layout: three brokers, 1 and 3 on rack-a, 2 on rack-b. */
const threeOnTwoRacks: PlannerBroker[] = [
  { nodeId: 1, rack: 'rack-a' },
  { nodeId: 2, rack: 'rack-b' },
  { nodeId: 3, rack: 'rack-a' },
];
const noRacks = (n: number): PlannerBroker[] => Array.from({ length: n }, (_, i) => ({ nodeId: i + 1, rack: null }));
const topic = (name: string, replicas: number[][]): PlannerPartition[] =>
  replicas.map((r, partition) => ({ topic: name, partition, replicas: r, isr: r }));
const targets = (plan: ReturnType<typeof planReassignment>) => plan.partitions.map((p) => p.target);
const countOn = (lists: number[][], broker: number) => lists.filter((l) => l.includes(broker)).length;
const leadersOn = (lists: number[][], broker: number) => lists.filter((l) => l[0] === broker).length;

describe('raising the replication factor', () => {
  it('RF 1 → 3 on three brokers: every current replica stays first, two copies are added, nothing else moves', () => {
    const plan = planReassignment({
      brokers: threeOnTwoRacks,
      partitions: topic('t', [[1], [2], [3]]),
      replicationFactor: 3,
    });
    for (const p of plan.partitions) {
      expect(p.target[0]).toBe(p.current[0]);
      expect([...p.target].sort()).toEqual([1, 2, 3]);
      expect(p.removing).toEqual([]);
      expect(p.adding).toHaveLength(2);
      expect(p.leaderChange).toBe(false);
    }
    expect(plan.replicasAdded).toBe(6);
    expect(plan.replicasRemoved).toBe(0);
    expect(plan.assignment).toHaveLength(3);
  });

  it('RF 1 → 2 with racks: each partition ends on both racks (rack-b has one broker, so it holds a copy of each)', () => {
    const plan = planReassignment({
      brokers: threeOnTwoRacks,
      partitions: topic('t', [[1], [2], [3], [1], [3], [2]]),
      replicationFactor: 2,
    });
    const rack = new Map(threeOnTwoRacks.map((b) => [b.nodeId, b.rack]));
    for (const t of targets(plan)) expect(new Set(t.map((b) => rack.get(b)))).toEqual(new Set(['rack-a', 'rack-b']));
    expect(plan.rackAware).toBe(true);
    // the partitions led by broker 2 get their rack-a copy on 1 and 3 in turn
    expect(
      plan.partitions
        .filter((p) => p.current[0] === 2)
        .map((p) => p.adding[0])
        .sort(),
    ).toEqual([1, 3]);
  });

  it('without racks: new copies go to the least-loaded brokers, evenly', () => {
    const plan = planReassignment({
      brokers: noRacks(4),
      partitions: topic('t', [[1], [1], [1], [1]]),
      replicationFactor: 2,
    });
    expect(plan.rackAware).toBe(false);
    const t = targets(plan);
    expect([2, 3, 4].map((b) => countOn(t, b)).sort()).toEqual([1, 1, 2]);
  });

  it('leaders are spread where partitions change anyway: one broker leading all partitions hands some over', () => {
    const plan = planReassignment({
      brokers: noRacks(3),
      partitions: topic('t', [[1], [1], [1], [1], [1], [1]]),
      replicationFactor: 3,
    });
    const t = targets(plan);
    expect([1, 2, 3].map((b) => leadersOn(t, b))).toEqual([2, 2, 2]);
    expect(plan.leaderChanges).toBe(4);
    expect(plan.brokers.map((b) => [b.nodeId, b.leadersBefore, b.leadersAfter])).toEqual([
      [1, 6, 2],
      [2, 0, 2],
      [3, 0, 2],
    ]);
  });

  it('a replication factor above the brokers there are is refused, naming the field', () => {
    expect(() =>
      planReassignment({ brokers: noRacks(2), partitions: topic('t', [[1]]), replicationFactor: 3 }),
    ).toThrow(PlanError);
    try {
      planReassignment({ brokers: noRacks(2), partitions: topic('t', [[1]]), replicationFactor: 3 });
    } catch (e) {
      expect((e as PlanError).field).toBe('replicationFactor');
      expect((e as PlanError).message).toBe('Replication factor 3 needs 3 brokers; the cluster has 2.');
    }
  });
});

describe('lowering the replication factor', () => {
  it('RF 3 → 2: one copy removed per partition, never the leader, and the two racks kept', () => {
    const plan = planReassignment({
      brokers: threeOnTwoRacks,
      partitions: topic('t', [
        [1, 2, 3],
        [2, 3, 1],
        [3, 1, 2],
      ]),
      replicationFactor: 2,
    });
    for (const p of plan.partitions) {
      expect(p.adding).toEqual([]);
      expect(p.removing).toHaveLength(1);
      expect(p.target[0]).toBe(p.current[0]);
      // rack-b's only broker is never the one to go
      expect(p.target).toContain(2);
    }
  });

  it('an out-of-sync replica goes before an in-sync one', () => {
    const plan = planReassignment({
      brokers: noRacks(3),
      partitions: [{ topic: 't', partition: 0, replicas: [1, 2, 3], isr: [1, 3] }],
      replicationFactor: 2,
    });
    expect(plan.partitions[0]!.target).toEqual([1, 3]);
    expect(plan.partitions[0]!.removing).toEqual([2]);
  });
});

describe('moving replicas between brokers', () => {
  it('away from a broker: only its replicas move, each partition keeps its size and the others stay put', () => {
    const brokers = noRacks(4);
    const partitions = topic('t', [
      [1, 2],
      [2, 3],
      [3, 1],
      [4, 1],
    ]);
    const plan = planReassignment({ brokers, partitions, allowed: [2, 3, 4] });
    for (const p of plan.partitions) {
      expect(p.target).not.toContain(1);
      expect(p.target).toHaveLength(2);
      expect(p.removing).toEqual(p.current.includes(1) ? [1] : []);
      expect(p.adding.length).toBe(p.current.includes(1) ? 1 : 0);
    }
    expect(plan.partitions.find((p) => p.partition === 1)!.unchanged).toBe(true);
  });

  it('replicas on a broker the cluster no longer has are moved to live ones', () => {
    const plan = planReassignment({
      brokers: noRacks(3),
      partitions: topic('t', [
        [7, 1],
        [2, 7],
      ]),
    });
    expect(targets(plan).flat()).not.toContain(7);
    expect(plan.partitions[0]!.target[0]).toBe(1);
    expect(plan.brokers.find((b) => b.nodeId === 7)).toMatchObject({ replicasBefore: 2, replicasAfter: 0, rack: null });
  });

  it('a replica on an over-full rack moves to the rack without one (rack spread before fewest moves)', () => {
    const plan = planReassignment({ brokers: threeOnTwoRacks, partitions: topic('t', [[1, 3]]) });
    expect(plan.partitions[0]!.target).toEqual([1, 2]);
  });
});

describe('minimal moves and stability', () => {
  it('planning again after the plan ran changes nothing', () => {
    for (const [brokers, replicas, rf] of [
      [threeOnTwoRacks, [[1], [2], [3], [1]], 2],
      [threeOnTwoRacks, [[1], [1], [1]], 3],
      [
        noRacks(5),
        [
          [1, 2],
          [1, 2],
          [1, 2],
          [3, 4],
        ],
        3,
      ],
    ] as const) {
      const first = planReassignment({
        brokers,
        partitions: topic(
          't',
          replicas.map((r) => [...r]),
        ),
        replicationFactor: rf,
      });
      const again = planReassignment({
        brokers,
        partitions: topic('t', targets(first)),
        replicationFactor: rf,
      });
      expect(again.assignment, JSON.stringify(targets(first))).toEqual([]);
      expect(again.partitions.every((p) => p.unchanged)).toBe(true);
    }
  });

  it('a balanced, rack-spread topic at its replication factor is left alone', () => {
    const plan = planReassignment({
      brokers: threeOnTwoRacks,
      partitions: topic('t', [
        [1, 2],
        [2, 3],
        [3, 2],
      ]),
    });
    expect(plan.assignment).toEqual([]);
    expect(plan.replicasAdded + plan.replicasRemoved + plan.leaderChanges).toBe(0);
  });

  it('the same input gives the same plan', () => {
    const o = {
      brokers: noRacks(6),
      partitions: topic('t', [[1], [2], [3], [4], [5], [6], [1], [2]]),
      replicationFactor: 3,
    };
    expect(planReassignment(o)).toEqual(planReassignment(o));
  });

  it('cluster-wide load breaks ties: the emptiest broker of the cluster gets the copy', () => {
    const plan = planReassignment({
      brokers: noRacks(3),
      partitions: topic('t', [[1]]),
      replicationFactor: 2,
      clusterLoad: new Map([
        [1, 10],
        [2, 9],
        [3, 2],
      ]),
    });
    expect(plan.partitions[0]!.adding).toEqual([3]);
  });
});

describe('plans from outside are hostile input', () => {
  const cluster = { brokers: [1, 2, 3], topics: new Map([['t', new Set([0, 1])]]) };

  it('a topic, partition or broker the cluster lacks is named at its path', () => {
    const issues = checkAssignment(
      [
        { topic: 'nope', partition: 0, replicas: [1] },
        { topic: 't', partition: 5, replicas: [1] },
        { topic: 't', partition: 0, replicas: [1, 9] },
        { topic: 't', partition: 1, replicas: [2] },
      ],
      cluster,
    );
    expect(issues).toEqual([
      { path: 'plan.partitions.0.topic', message: 'there is no topic nope on this cluster' },
      { path: 'plan.partitions.1.partition', message: 't has no partition 5 (it has 2 partitions)' },
      { path: 'plan.partitions.2.replicas', message: 'broker 9 is not in the cluster (brokers: 1, 2, 3)' },
    ]);
  });

  it('duplicates and empty replica lists are refused here too, not only by the contract', () => {
    const issues = checkAssignment(
      [
        { topic: 't', partition: 0, replicas: [1, 1] },
        { topic: 't', partition: 0, replicas: [] },
      ],
      cluster,
    );
    expect(issues.map((i) => i.message)).toEqual([
      'a broker twice in one partition',
      't partition 0 twice',
      'at least one replica',
    ]);
  });

  it('the contract refuses duplicates, RF 0, negative and fractional ids, and extra fields before the core sees them', () => {
    const bad = [
      { partitions: [{ topic: 't', partition: 0, replicas: [1, 1] }] },
      { partitions: [{ topic: 't', partition: 0, replicas: [] }] },
      { partitions: [{ topic: 't', partition: -1, replicas: [1] }] },
      { partitions: [{ topic: 't', partition: 0, replicas: [1.5] }] },
      { partitions: [{ topic: 't', partition: 0, replicas: [1], extra: true }] },
      {
        partitions: [
          { topic: 't', partition: 0, replicas: [1] },
          { topic: 't', partition: 0, replicas: [2] },
        ],
      },
      { partitions: [{ topic: '__proto__/x', partition: 0, replicas: [1] }] },
    ];
    for (const b of bad) expect(ReassignmentInput.safeParse(b).success, JSON.stringify(b)).toBe(false);
    expect(
      PlanRequest.safeParse({ id: 'b6a1c0de-0000-4000-8000-000000000001', topics: ['t'], replicationFactor: 0 })
        .success,
    ).toBe(false);
  });

  it('describePlan: what moves, for moves given by hand', () => {
    const plan = describePlan([{ topic: 't', partition: 0, current: [1, 2], target: [2, 3] }], threeOnTwoRacks);
    expect(plan.partitions[0]).toMatchObject({ adding: [3], removing: [1], leaderChange: true, unchanged: false });
    expect(plan.assignment).toEqual([{ topic: 't', partition: 0, replicas: [2, 3] }]);
  });
});

describe("Kafka's reassignment JSON", () => {
  it('written as kafka-reassign-partitions reads it, and read back', () => {
    const a = [{ topic: 't', partition: 0, replicas: [1, 2, 3] }];
    const text = toKafkaReassignmentJson(a);
    expect(JSON.parse(text)).toEqual({ version: 1, partitions: [{ topic: 't', partition: 0, replicas: [1, 2, 3] }] });
    expect(fromKafkaReassignmentJson(text)).toEqual({ ok: true, value: { partitions: a } });
  });

  it('what --generate prints ("any" log dirs) is taken', () => {
    const generated =
      '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[2,1],"log_dirs":["any","any"]}]}';
    expect(fromKafkaReassignmentJson(generated)).toEqual({
      ok: true,
      value: { partitions: [{ topic: 't', partition: 0, replicas: [2, 1] }] },
    });
  });

  it('a wrong version, a log dir, bad JSON and a broker twice are each refused with what is wrong', () => {
    expect(fromKafkaReassignmentJson('{"version":2,"partitions":[]}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/version/),
    });
    expect(
      fromKafkaReassignmentJson(
        '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1],"log_dirs":["/data/kafka"]}]}',
      ),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/partitions\.0\.log_dirs/) });
    expect(fromKafkaReassignmentJson('{"version":1,')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not JSON/),
    });
    expect(
      fromKafkaReassignmentJson('{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,1]}]}'),
    ).toMatchObject({ ok: false, error: 'partitions.0.replicas.1: broker 1 twice' });
  });
});
