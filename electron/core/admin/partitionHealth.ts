/**
 * Partition health from one metadata answer, pure: every partition that is offline (no leader),
 * under-replicated (fewer in-sync replicas than replicas) or not led by its preferred (first)
 * replica, with the fix that exists — a preferred election where the preferred replica is alive and
 * in sync, a reassignment away from brokers the cluster no longer lists, an unclean election where
 * no in-sync replica is alive but another is — or none (a live replica catching up needs time).
 */
import type { HealthFix, PartitionHealth } from '../../contract';
import type { ClusterMetadata } from '../kafka/types';

/** The fix for an unhealthy partition, where one exists. */
export function fixOf(p: { leader: number; replicas: number[]; isr: number[] }, live: Set<number>): HealthFix | null {
  const gone = p.replicas.filter((b) => !live.has(b));
  const preferred = p.replicas[0];
  if (p.leader < 0) {
    const alive = p.replicas.filter((b) => live.has(b));
    return alive.length
      ? {
          kind: 'elect-unclean',
          about: `No in-sync replica is alive; an unclean election makes broker ${alive.join(' or ')} leader, and the messages it lacks are lost.`,
        }
      : null;
  }
  if (preferred !== undefined && preferred !== p.leader && live.has(preferred) && p.isr.includes(preferred))
    return {
      kind: 'elect-preferred',
      about: `Broker ${preferred}, the preferred replica, is in sync: a preferred election makes it leader again.`,
    };
  if (gone.length)
    return {
      kind: 'reassign-away',
      brokers: gone,
      about: `Broker${gone.length === 1 ? '' : 's'} ${gone.join(', ')} ${gone.length === 1 ? 'is' : 'are'} not in the cluster: move ${gone.length === 1 ? 'its replica' : 'their replicas'} to live brokers (a plan to review).`,
    };
  return null;
}

export function partitionHealth(md: ClusterMetadata) {
  const live = new Set(md.brokers.map((b) => b.nodeId));
  const partitions: PartitionHealth[] = [];
  for (const t of md.topicMetadata)
    for (const p of t.partitionMetadata) {
      const problems: PartitionHealth['problems'] = [];
      if (p.leader < 0) problems.push('offline');
      if (p.isr.length < p.replicas.length) problems.push('under-replicated');
      if (p.leader >= 0 && p.replicas[0] !== undefined && p.replicas[0] !== p.leader)
        problems.push('leader-not-preferred');
      if (!problems.length) continue;
      partitions.push({
        topic: t.topic,
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas ?? [],
        goneReplicas: p.replicas.filter((b) => !live.has(b)),
        problems,
        fix: fixOf(p, live),
      });
    }
  partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  const has = (k: PartitionHealth['problems'][number]) => partitions.filter((p) => p.problems.includes(k)).length;
  return {
    partitions,
    offline: has('offline'),
    underReplicated: has('under-replicated'),
    leaderNotPreferred: has('leader-not-preferred'),
    goneBrokers: [...new Set(partitions.flatMap((p) => p.goneReplicas))].sort((a, b) => a - b),
  };
}
