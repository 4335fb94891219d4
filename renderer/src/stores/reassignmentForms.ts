import type { ChannelInput, HealthFix, OngoingReassignment, ReassignmentPlan } from '../../../electron/contract';

/**
 * The plan dialog's form (a replication factor, the brokers to use) mapped to a `partitions.plan`
 * request, and the sentences the dialog and the health list show for plans, progress and fixes.
 */
export interface ReassignForm {
  replicationFactor: number | null;
  /** The brokers ticked: replicas may go only on these. */
  brokers: number[];
  /** Brokers to move replicas off (a health fix for brokers the cluster lost). */
  exclude: number[];
}

export type PlanRequest = Omit<ChannelInput<'partitions.plan'>, 'id'>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The form's request for one topic, or the sentence the form shows. */
export function planRequest(
  form: ReassignForm,
  topic: string,
  allBrokers: number[],
): { ok: true; value: PlanRequest } | { ok: false; error: string } {
  const rf = form.replicationFactor;
  if (rf === null || !Number.isInteger(rf) || rf < 1)
    return { ok: false, error: 'The replication factor is a whole number, 1 or more.' };
  const chosen = form.brokers.filter((b) => allBrokers.includes(b) && !form.exclude.includes(b));
  if (!chosen.length) return { ok: false, error: 'Tick at least one broker for the replicas.' };
  if (rf > chosen.length)
    return {
      ok: false,
      error: `Replication factor ${rf} needs ${plural(rf, 'broker')}; ${plural(chosen.length, 'broker is', 'brokers are')} ticked.`,
    };
  const everyBroker = allBrokers.every((b) => chosen.includes(b));
  return {
    ok: true,
    value: {
      topics: [topic],
      replicationFactor: rf,
      ...(everyBroker ? {} : { brokers: chosen }),
      ...(form.exclude.length ? { excludeBrokers: form.exclude } : {}),
    },
  };
}

export const brokerIds = (l: number[]) => (l.length ? l.join(', ') : '—');

/** One line for a plan: what it changes, copies and removes. */
export function planSummary(plan: ReassignmentPlan): string {
  const changed = plan.assignment.length;
  if (!changed) return 'Nothing to change: every partition is already where the plan would put it.';
  const parts = [
    `${plural(plan.replicasAdded, 'replica')} to copy`,
    `${plural(plan.replicasRemoved, 'replica')} to remove`,
    `${plural(plan.leaderChanges, 'preferred leader')} to change`,
  ];
  const total = plan.partitions.length;
  const which =
    changed < total
      ? `${changed} of ${plural(total, 'partition')} change`
      : total === 1
        ? 'The partition changes'
        : `All ${total} partitions change`;
  return `${which}: ${parts.join(', ')}.`;
}

/** One line for the reassignments in progress: how many partitions, and how many new replicas are in sync. */
export function progressSummary(list: OngoingReassignment[]): string {
  if (!list.length) return 'Done: no partition is being moved.';
  const adding = list.reduce((n, r) => n + r.adding.length, 0);
  const inSync = list.reduce((n, r) => n + r.adding.filter((b) => r.isr.includes(b)).length, 0);
  return `${plural(list.length, 'partition')} moving${adding ? `: ${inSync} of ${plural(adding, 'new replica')} in sync` : ''}.`;
}

/** The fix's button. */
export function fixLabel(fix: HealthFix): string {
  if (fix.kind === 'elect-preferred') return 'Elect preferred leader';
  if (fix.kind === 'elect-unclean') return 'Unclean election…';
  return `Move off broker${fix.brokers.length === 1 ? '' : 's'} ${fix.brokers.join(', ')}…`;
}
