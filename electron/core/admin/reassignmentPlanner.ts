/**
 * The reassignment planner: pure, no I/O. Given the brokers (with their racks) and where a topic's
 * partitions are now, it answers where they should be, moving as little as it can:
 *
 * - a current replica stays where it may (an allowed broker, and its rack not over its share), in
 *   its current order, so the preferred leader stays first;
 * - a missing replica goes to the broker that spreads the partition over the most racks (when every
 *   broker has broker.rack and there are two racks or more — like Kafka's own rack-aware
 *   assignment), then to the broker with the fewest replicas of the topics planned, then the fewest
 *   in the cluster, then the lowest id (so the same input always gives the same plan);
 * - a replica too many (a lower replication factor) is the last one that may go: an out-of-sync one
 *   before an in-sync one, never one a rack needs;
 * - the first replica is the preferred leader; where the plan changes a partition anyway, preferred
 *   leaderships are spread so that no broker leads more than its share.
 *
 * Planning again after the plan has run gives no changes.
 */
import type { PlanBroker, PlannedPartition, ReassignmentPlan, ReplicaAssignment } from '../../contract';

export interface PlannerBroker {
  nodeId: number;
  rack: string | null;
}

export interface PlannerPartition {
  topic: string;
  partition: number;
  replicas: number[];
  isr: number[];
}

export interface PlanOptions {
  /** The brokers of the cluster (the metadata's: alive and registered). */
  brokers: PlannerBroker[];
  /** The partitions to plan, as they are now. */
  partitions: PlannerPartition[];
  /** The new replication factor of every partition planned; absent: each keeps its own. */
  replicationFactor?: number;
  /** The brokers replicas may be on (default: all of `brokers`). */
  allowed?: number[];
  /** Replicas per broker over the whole cluster: the second tie-break, for a cluster-wide balance. */
  clusterLoad?: ReadonlyMap<number, number>;
}

/** What a planner cannot do as asked: the sentence, and the input field it is about. */
export class PlanError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

const byPartition = (a: { topic: string; partition: number }, b: { topic: string; partition: number }) =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
const bump = (m: Map<number, number>, k: number, by = 1) => m.set(k, (m.get(k) ?? 0) + by);
const countOf = (m: ReadonlyMap<number, number> | undefined, k: number) => m?.get(k) ?? 0;
const sameList = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Whether replicas are spread over racks: every broker has one, and there are at least two. */
export function racksOf(brokers: PlannerBroker[]): { rackAware: boolean; racks: Set<string>; unracked: number[] } {
  const racks = new Set(brokers.flatMap((b) => (b.rack ? [b.rack] : [])));
  const unracked = brokers.filter((b) => !b.rack).map((b) => b.nodeId);
  return { rackAware: unracked.length === 0 && racks.size > 1, racks, unracked };
}

/** A generated plan for `partitions` (see the top of this file). */
export function planReassignment(o: PlanOptions): ReassignmentPlan {
  const known = new Map(o.brokers.map((b) => [b.nodeId, b]));
  const allowedIds = o.allowed ?? o.brokers.map((b) => b.nodeId);
  for (const id of allowedIds)
    if (!known.has(id)) throw new PlanError(`Broker ${id} is not in the cluster's metadata.`, 'brokers');
  const allowed = allowedIds.map((id) => known.get(id)!).sort((a, b) => a.nodeId - b.nodeId);
  if (!allowed.length) throw new PlanError('No broker is left to put replicas on.', 'brokers');
  const allowedSet = new Set(allowed.map((b) => b.nodeId));
  const { rackAware, racks, unracked } = racksOf(allowed);
  const rackOf = (id: number) => known.get(id)?.rack ?? `\u0000broker-${id}`;
  const warnings: string[] = [];
  if (unracked.length && unracked.length < allowed.length)
    warnings.push(
      `Broker${unracked.length === 1 ? '' : 's'} ${unracked.join(', ')} ${unracked.length === 1 ? 'has' : 'have'} no broker.rack, so replicas are spread over brokers only, not racks.`,
    );

  const partitions = [...o.partitions].sort(byPartition);
  for (const p of partitions) {
    const rf = o.replicationFactor ?? p.replicas.length;
    if (rf > allowed.length)
      throw new PlanError(
        `Replication factor ${rf} needs ${plural(rf, 'broker')}; ${allowed.length === o.brokers.length ? 'the cluster has' : 'the plan may use'} ${allowed.length}.`,
        o.replicationFactor !== undefined ? 'replicationFactor' : 'brokers',
      );
    if (rf < 1)
      throw new PlanError(`${p.topic} partition ${p.partition} has no replicas to keep.`, 'replicationFactor');
  }

  // Phase 1: the replicas each partition keeps.
  const kept = new Map<PlannerPartition, number[]>();
  for (const p of partitions) {
    const rf = o.replicationFactor ?? p.replicas.length;
    const need = rackAware ? Math.min(rf, racks.size) : 0;
    const cap = rackAware ? Math.ceil(rf / racks.size) : rf;
    const inSync = new Set(p.isr);
    const candidates = p.replicas.filter((b) => allowedSet.has(b));
    // the first replica first (it leads), then in-sync ones, then the rest, each in current order
    const order = [
      ...candidates.slice(0, 1),
      ...candidates.slice(1).filter((b) => inSync.has(b)),
      ...candidates.slice(1).filter((b) => !inSync.has(b)),
    ];
    const accepted: number[] = [];
    const perRack = new Map<string, number>();
    for (const b of order) {
      if (accepted.length >= rf) break;
      const rack = rackOf(b);
      const onRack = perRack.get(rack) ?? 0;
      if (rackAware) {
        if (onRack >= cap) continue;
        // a replica on a rack already used may stay only if the slots left can still reach the racks needed
        const missing = need - perRack.size;
        if (onRack > 0 && rf - (accepted.length + 1) < missing) continue;
      }
      accepted.push(b);
      perRack.set(rack, onRack + 1);
    }
    // back in the partition's own order (the first replica is first if it stays)
    kept.set(
      p,
      p.replicas.filter((b) => accepted.includes(b)),
    );
  }

  // Phase 2: the load of what stays, then the new replicas on the least-loaded brokers.
  const load = new Map<number, number>();
  for (const ks of kept.values()) for (const b of ks) bump(load, b);
  const added = new Map<PlannerPartition, number[]>();
  for (const p of partitions) {
    const rf = o.replicationFactor ?? p.replicas.length;
    const set = [...kept.get(p)!];
    const adds: number[] = [];
    while (set.length < rf) {
      const perRack = new Map<string, number>();
      for (const b of set) perRack.set(rackOf(b), (perRack.get(rackOf(b)) ?? 0) + 1);
      const score = (b: PlannerBroker) => [
        rackAware ? (perRack.get(rackOf(b.nodeId)) ?? 0) : 0,
        countOf(load, b.nodeId),
        countOf(o.clusterLoad, b.nodeId),
        b.nodeId,
      ];
      const best = allowed
        .filter((b) => !set.includes(b.nodeId))
        .reduce<PlannerBroker | null>((acc, b) => {
          if (!acc) return b;
          const [x, y] = [score(b), score(acc)];
          for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? b : acc;
          return acc;
        }, null)!;
      set.push(best.nodeId);
      adds.push(best.nodeId);
      bump(load, best.nodeId);
    }
    added.set(p, adds);
  }

  // Phase 3: the first replica (preferred leader). A kept first replica stays first; otherwise a
  // replica that already has the data, the one leading the fewest partitions so far.
  const leaders = new Map<number, number>();
  const target = new Map<PlannerPartition, number[]>();
  const firstStays = (p: PlannerPartition) => p.replicas.length > 0 && kept.get(p)![0] === p.replicas[0];
  for (const p of partitions.filter(firstStays)) {
    target.set(p, [...kept.get(p)!, ...added.get(p)!]);
    bump(leaders, p.replicas[0]!);
  }
  for (const p of partitions.filter((x) => !firstStays(x))) {
    const ks = kept.get(p)!;
    const pool = ks.length ? ks : added.get(p)!;
    const first = [...pool].sort((a, b) => countOf(leaders, a) - countOf(leaders, b) || a - b)[0]!;
    target.set(p, [first, ...[...ks, ...added.get(p)!].filter((b) => b !== first)]);
    bump(leaders, first);
  }

  // Phase 4: where a partition changes anyway, spread preferred leaderships: a broker leading more
  // than its share hands one to a replica of the same partition leading fewer.
  const share = Math.ceil(partitions.length / allowed.length);
  const changing = partitions.filter((p) => !sameList(target.get(p)!, p.replicas));
  for (let round = 0; round < partitions.length; round++) {
    let moved = false;
    for (const p of changing) {
      const t = target.get(p)!;
      const lead = t[0]!;
      if (countOf(leaders, lead) <= share) continue;
      const alt = t
        .slice(1)
        .filter((b) => countOf(leaders, b) + 1 < countOf(leaders, lead))
        .sort((a, b) => countOf(leaders, a) - countOf(leaders, b) || a - b)[0];
      if (alt === undefined) continue;
      target.set(p, [alt, ...t.filter((b) => b !== alt)]);
      bump(leaders, lead, -1);
      bump(leaders, alt);
      moved = true;
    }
    if (!moved) break;
  }

  const plan = describePlan(
    partitions.map((p) => ({ topic: p.topic, partition: p.partition, current: p.replicas, target: target.get(p)! })),
    o.brokers,
  );
  return { ...plan, rackAware, warnings: [...warnings, ...plan.warnings] };
}

/**
 * A plan from partitions' current and target replicas: what each adds, removes and whether its
 * preferred leader changes, the brokers' counts before and after, and the assignment to send.
 */
export function describePlan(
  rows: { topic: string; partition: number; current: number[]; target: number[] }[],
  brokers: PlannerBroker[],
): ReassignmentPlan {
  const partitions: PlannedPartition[] = [...rows].sort(byPartition).map((r) => {
    const unchanged = sameList(r.current, r.target);
    return {
      topic: r.topic,
      partition: r.partition,
      current: [...r.current],
      target: [...r.target],
      adding: r.target.filter((b) => !r.current.includes(b)),
      removing: r.current.filter((b) => !r.target.includes(b)),
      leaderChange: r.current[0] !== r.target[0],
      unchanged,
    };
  });
  const ids = new Set([...brokers.map((b) => b.nodeId), ...rows.flatMap((r) => [...r.current, ...r.target])]);
  const rackOf = new Map(brokers.map((b) => [b.nodeId, b.rack]));
  const count = (pick: (p: PlannedPartition) => number[], id: number) =>
    partitions.reduce((n, p) => n + (pick(p).includes(id) ? 1 : 0), 0);
  const leads = (pick: (p: PlannedPartition) => number[], id: number) =>
    partitions.reduce((n, p) => n + (pick(p)[0] === id ? 1 : 0), 0);
  const planBrokers: PlanBroker[] = [...ids]
    .sort((a, b) => a - b)
    .map((id) => ({
      nodeId: id,
      rack: rackOf.get(id) ?? null,
      replicasBefore: count((p) => p.current, id),
      replicasAfter: count((p) => p.target, id),
      leadersBefore: leads((p) => p.current, id),
      leadersAfter: leads((p) => p.target, id),
    }));
  const warnings: string[] = [];
  const rfs = new Map<string, Set<number>>();
  for (const p of partitions) {
    const s = rfs.get(p.topic) ?? new Set<number>();
    s.add(p.target.length);
    rfs.set(p.topic, s);
  }
  for (const [topic, s] of rfs)
    if (s.size > 1)
      warnings.push(
        `The partitions of ${topic} would have different replication factors (${[...s].sort((a, b) => a - b).join(', ')}).`,
      );
  const { rackAware, racks } = racksOf(brokers);
  if (rackAware)
    for (const p of partitions) {
      const used = new Set(p.target.map((b) => rackOf.get(b)));
      if (used.size < Math.min(p.target.length, racks.size)) {
        warnings.push(
          `${p.topic} partition ${p.partition} would have its replicas on fewer racks than it could (${[...used].join(', ')}).`,
        );
        break;
      }
    }
  const assignment: ReplicaAssignment[] = partitions
    .filter((p) => !p.unchanged)
    .map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.target }));
  return {
    partitions,
    brokers: planBrokers,
    rackAware,
    replicasAdded: partitions.reduce((n, p) => n + p.adding.length, 0),
    replicasRemoved: partitions.reduce((n, p) => n + p.removing.length, 0),
    leaderChanges: partitions.filter((p) => p.leaderChange).length,
    warnings,
    assignment,
  };
}

/** A problem with one line of a plan given from outside, and the input path it is at. */
export interface AssignmentIssue {
  path: string;
  message: string;
}

/**
 * Checks a plan from outside (a file, a window, a script) against the cluster: each topic exists, each
 * partition is one of the topic's, each broker is in the metadata. Duplicates and empty replica lists
 * the contract refuses already; checked again here, since this is what goes to the controller.
 */
export function checkAssignment(
  assignment: ReplicaAssignment[],
  cluster: { brokers: number[]; topics: ReadonlyMap<string, ReadonlySet<number>> },
  prefix = 'plan.partitions',
): AssignmentIssue[] {
  const issues: AssignmentIssue[] = [];
  const brokers = new Set(cluster.brokers);
  const seen = new Set<string>();
  assignment.forEach((a, i) => {
    const at = `${prefix}.${i}`;
    const parts = cluster.topics.get(a.topic);
    if (!parts) issues.push({ path: `${at}.topic`, message: `there is no topic ${a.topic} on this cluster` });
    else if (!parts.has(a.partition))
      issues.push({
        path: `${at}.partition`,
        message: `${a.topic} has no partition ${a.partition} (it has ${plural(parts.size, 'partition')})`,
      });
    const key = `${a.topic}\u0000${a.partition}`;
    if (seen.has(key)) issues.push({ path: `${at}.partition`, message: `${a.topic} partition ${a.partition} twice` });
    seen.add(key);
    if (a.replicas.length < 1) issues.push({ path: `${at}.replicas`, message: 'at least one replica' });
    if (new Set(a.replicas).size !== a.replicas.length)
      issues.push({ path: `${at}.replicas`, message: 'a broker twice in one partition' });
    const unknown = a.replicas.filter((b) => !brokers.has(b));
    if (unknown.length)
      issues.push({
        path: `${at}.replicas`,
        message: `broker${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the cluster (brokers: ${[...brokers].sort((x, y) => x - y).join(', ')})`,
      });
  });
  return issues;
}
