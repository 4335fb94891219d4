import type { ChannelInputParsed, OngoingReassignment } from '../../contract';
import { CoreError } from '../coreError';
import type { Handlers } from '../handlers';
import type { KafkaSession } from '../kafka/gateway';
import type { ClusterMetadata, OngoingPartitionReassignment } from '../kafka/types';
import { sessionRunner, type ResolveConnection } from './adminSession';
import { partitionHealth } from './partitionHealth';
import { checkAssignment, describePlan, planReassignment, PlanError, type PlannerBroker } from './reassignmentPlanner';

type ReassignmentChannel =
  | 'partitions.plan'
  | 'partitions.reassign'
  | 'partitions.reassignments'
  | 'partitions.cancelReassignment'
  | 'partitions.electLeaders'
  | 'partitions.health';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const sortedPartitions = <T extends { topic: string; partition: number }>(l: T[]) =>
  [...l].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));

function brokersOf(md: ClusterMetadata): PlannerBroker[] {
  return md.brokers.map((b) => ({ nodeId: b.nodeId, rack: b.rack ?? null })).sort((a, b) => a.nodeId - b.nodeId);
}

/** Each topic's partitions, as the metadata has them. */
function topicsOf(md: ClusterMetadata) {
  return new Map(md.topicMetadata.map((t) => [t.topic, t.partitionMetadata]));
}

function noTopic(name: string, path: string): CoreError {
  return new CoreError('NOT_FOUND', `There is no topic ${name} on this cluster.`, undefined, [
    { path, message: 'no such topic' },
  ]);
}

/** A plan from outside, checked against the cluster: every problem named at its path. */
function checked(md: ClusterMetadata, plan: ChannelInputParsed<'partitions.reassign'>['plan'], prefix: string) {
  const topics = new Map([...topicsOf(md)].map(([t, ps]) => [t, new Set(ps.map((p) => p.partitionId))]));
  const issues = checkAssignment(plan.partitions, { brokers: md.brokers.map((b) => b.nodeId), topics }, prefix);
  if (issues.length)
    throw new CoreError(
      'INVALID_INPUT',
      `The plan does not fit this cluster: ${issues[0]!.message}${issues.length > 1 ? ` (and ${plural(issues.length - 1, 'more problem')})` : ''}. Nothing was changed.`,
      undefined,
      issues.slice(0, 50),
    );
  const current = new Map(
    [...topicsOf(md)].flatMap(([t, ps]) => ps.map((p) => [`${t}\u0000${p.partitionId}`, p.replicas] as const)),
  );
  return describePlan(
    plan.partitions.map((a) => ({
      topic: a.topic,
      partition: a.partition,
      current: current.get(`${a.topic}\u0000${a.partition}`) ?? [],
      target: a.replicas,
    })),
    brokersOf(md),
  );
}

/** Reassignments in progress, with where each ends and where a cancel puts it, and its ISR now. */
function ongoingOf(list: OngoingPartitionReassignment[], md: ClusterMetadata | null): OngoingReassignment[] {
  const isr = new Map(
    (md?.topicMetadata ?? []).flatMap((t) =>
      t.partitionMetadata.map((p) => [`${t.topic}\u0000${p.partitionId}`, p.isr]),
    ),
  );
  return sortedPartitions(
    list.map((r) => ({
      topic: r.topic,
      partition: r.partition,
      replicas: r.replicas,
      adding: r.adding,
      removing: r.removing,
      target: r.replicas.filter((b) => !r.removing.includes(b)),
      original: r.replicas.filter((b) => !r.adding.includes(b)),
      isr: isr.get(`${r.topic}\u0000${r.partition}`) ?? [],
    })),
  );
}

async function ongoing(s: KafkaSession, topics?: string[]): Promise<OngoingReassignment[]> {
  const wanted = topics && new Set(topics);
  const list = (await s.listPartitionReassignments(null)).filter((r) => !wanted || wanted.has(r.topic));
  const names = [...new Set(list.map((r) => r.topic))];
  return ongoingOf(list, names.length ? await s.metadata(names) : null);
}

/** Partitions and replicas: plans, reassignments (started, followed, cancelled), elections, health. */
export function createReassignmentHandlers(resolve: ResolveConnection): Pick<Handlers, ReassignmentChannel> {
  const run = sessionRunner(resolve);
  return {
    'partitions.plan': (input) =>
      run(input.id, async (s) => {
        const md = await s.metadata(null);
        if (input.moves) return checked(md, { partitions: input.moves }, 'moves');
        const byTopic = topicsOf(md);
        const names = input.topics ?? [];
        names.forEach((t, i) => {
          if (!byTopic.has(t)) throw noTopic(t, `topics.${i}`);
        });
        const brokers = brokersOf(md);
        const live = new Set(brokers.map((b) => b.nodeId));
        input.brokers?.forEach((b, i) => {
          if (!live.has(b))
            throw new CoreError(
              'INVALID_INPUT',
              `Broker ${b} is not in the cluster (brokers: ${[...live].join(', ')}).`,
              undefined,
              [{ path: `brokers.${i}`, message: 'not in the cluster' }],
            );
        });
        const excluded = new Set(input.excludeBrokers ?? []);
        const allowed = (input.brokers ?? [...live]).filter((b) => !excluded.has(b));
        const clusterLoad = new Map<number, number>();
        for (const t of md.topicMetadata)
          for (const p of t.partitionMetadata)
            for (const r of p.replicas) clusterLoad.set(r, (clusterLoad.get(r) ?? 0) + 1);
        try {
          const plan = planReassignment({
            brokers,
            partitions: [...new Set(names)].flatMap((t) =>
              byTopic.get(t)!.map((p) => ({ topic: t, partition: p.partitionId, replicas: p.replicas, isr: p.isr })),
            ),
            replicationFactor: input.replicationFactor,
            allowed,
            clusterLoad,
          });
          // planned from the replicas of a move in progress, the plan would be off: said
          const moving = await s.listPartitionReassignments(null).catch(() => []);
          const planned = new Set(names);
          const busy = moving.filter((r) => planned.has(r.topic));
          if (busy.length)
            plan.warnings.push(
              `${plural(busy.length, 'partition is', 'partitions are')} being reassigned now (${busy
                .slice(0, 5)
                .map((r) => `${r.topic}-${r.partition}`)
                .join(
                  ', ',
                )}${busy.length > 5 ? ', …' : ''}): wait until that is done, or cancel it, before carrying out this plan.`,
            );
          return plan;
        } catch (e) {
          if (e instanceof PlanError)
            throw new CoreError('INVALID_INPUT', `${e.message} Nothing was planned.`, undefined, [
              { path: e.field, message: e.message },
            ]);
          throw e;
        }
      }),

    'partitions.reassign': ({ id, plan, dryRun }) =>
      run(
        id,
        async (s) => {
          const described = checked(await s.metadata(null), plan, 'plan.partitions');
          if (dryRun || !described.assignment.length) return { dryRun, plan: described, results: [] };
          const outcomes = await s.alterPartitionReassignments(
            described.assignment.map((a) => ({ topic: a.topic, partition: a.partition, replicas: a.replicas })),
          );
          return {
            dryRun,
            plan: described,
            results: sortedPartitions(
              outcomes.map((o) => ({
                topic: o.topic,
                partition: o.partition,
                ok: o.errorCode === 0,
                message: o.message,
              })),
            ),
          };
        },
        dryRun
          ? undefined
          : `reassign ${plural(plan.partitions.length, 'partition')} of ${[...new Set(plan.partitions.map((p) => p.topic))].join(', ')}`,
      ),

    'partitions.reassignments': ({ id, topics }) =>
      run(id, async (s) => ({ reassignments: await ongoing(s, topics), fetchedAt: new Date().toISOString() })),

    'partitions.cancelReassignment': ({ id, topic, partitions }) =>
      run(
        id,
        async (s) => {
          const now = await ongoing(s, topic ? [topic] : undefined);
          const asked = partitions ? new Set(partitions) : null;
          const selected = now.filter((r) => !asked || asked.has(r.partition));
          const notInProgress = partitions
            ? partitions
                .filter((p) => !selected.some((r) => r.partition === p))
                .map((p) => ({ topic: topic!, partition: p }))
            : [];
          if (!selected.length) return { cancelled: [], notInProgress };
          const outcomes = await s.alterPartitionReassignments(
            selected.map((r) => ({ topic: r.topic, partition: r.partition, replicas: null })),
          );
          const failed = outcomes.find((o) => o.errorCode !== 0 && !o.notInProgress);
          if (failed)
            throw new CoreError(
              'KAFKA_ERROR',
              `Kafka did not cancel the reassignment of ${failed.topic} partition ${failed.partition}: ${failed.message}.`,
            );
          const done = new Set(outcomes.filter((o) => o.notInProgress).map((o) => `${o.topic}\u0000${o.partition}`));
          return {
            cancelled: selected.filter((r) => !done.has(`${r.topic}\u0000${r.partition}`)),
            notInProgress: sortedPartitions([
              ...notInProgress,
              ...selected
                .filter((r) => done.has(`${r.topic}\u0000${r.partition}`))
                .map((r) => ({ topic: r.topic, partition: r.partition })),
            ]),
          };
        },
        topic ? `cancel the reassignment of ${topic}` : 'cancel the reassignments in progress',
      ),

    'partitions.electLeaders': ({ id, type, topics }) =>
      run(
        id,
        async (s) => {
          let partitions: { topic: string; partitions: number[] }[] | null = null;
          if (topics) {
            const byTopic = topicsOf(await s.metadata(null));
            partitions = topics.map((t, i) => {
              const ps = byTopic.get(t.topic);
              if (!ps) throw noTopic(t.topic, `topics.${i}.topic`);
              const have = new Set(ps.map((p) => p.partitionId));
              const missing = t.partitions?.find((p) => !have.has(p));
              if (missing !== undefined)
                throw new CoreError(
                  'INVALID_INPUT',
                  `${t.topic} has no partition ${missing} (it has ${plural(ps.length, 'partition')}).`,
                  undefined,
                  [{ path: `topics.${i}.partitions`, message: `no partition ${missing}` }],
                );
              return { topic: t.topic, partitions: t.partitions ?? [...have].sort((a, b) => a - b) };
            });
          }
          const results = sortedPartitions(
            (await s.electLeaders(type, partitions)).map((o) => ({
              topic: o.topic,
              partition: o.partition,
              outcome: o.outcome,
              message: o.message,
            })),
          );
          const n = (k: string) => results.filter((r) => r.outcome === k).length;
          return { type, results, elected: n('elected'), notNeeded: n('not-needed'), failed: n('failed') };
        },
        `run ${type === 'unclean' ? 'an unclean' : 'a preferred'} leader election${topics ? ` on ${topics.map((t) => t.topic).join(', ')}` : ''}`,
      ),

    'partitions.health': ({ id }) =>
      run(id, async (s) => ({ ...partitionHealth(await s.metadata(null)), fetchedAt: new Date().toISOString() })),
  };
}
