import type { ResetStrategy } from '../../../electron/contract';

/** The reset panel's fields: each strategy keeps its own value while another is chosen. */
export interface ResetForm {
  strategy: ResetStrategy['to'];
  /** An exact offset, as typed. */
  offset: string;
  shiftBy: number;
  /** Epoch milliseconds, from the date picker. */
  timestamp: number;
}

/** The strategy as the core takes it, with the value of the one chosen. */
export function resetStrategy(form: ResetForm): ResetStrategy {
  switch (form.strategy) {
    case 'timestamp':
      return { to: 'timestamp', timestamp: form.timestamp };
    case 'offset':
      return { to: 'offset', offset: form.offset.trim() };
    case 'shift':
      return { to: 'shift', by: form.shiftBy };
    case 'latest':
      return { to: 'latest' };
    default:
      return { to: 'earliest' };
  }
}

/** The topic picker's choice for "another topic", typed in a field of its own. */
export const OTHER_TOPIC = '__other';

/** The topic to reset: the one picked, or the one typed for "another topic"; empty for none. */
export const resetTopic = (picked: string | null, typed: string): string =>
  picked === OTHER_TOPIC ? typed.trim() : (picked ?? '');

/** A group's protocol, as the list and the detail name it: the broker's type, with what it means. */
export function groupTypeLabel(type: string): { text: string; title: string } {
  switch (type) {
    case 'classic':
      return { text: 'classic', title: 'The classic group protocol: members join and sync, a client-side assignor' };
    case 'consumer':
      return {
        text: 'consumer (KIP-848)',
        title: 'The consumer group protocol (KIP-848): the broker assigns partitions, members heartbeat what they hold',
      };
    case 'share':
      return {
        text: 'share (KIP-932)',
        title: 'A share group: members share partitions, records are acknowledged one by one',
      };
    case 'streams':
      return { text: 'streams', title: 'A Kafka Streams group (KIP-1071)' };
    default:
      return { text: type || 'unknown', title: `A group of type '${type}'` };
  }
}

/** Naive UI tag colour for a group state, classic (Stable, Empty, PreparingRebalance…) or KIP-848 (Assigning, Reconciling…). */
export function groupStateType(state: string): 'success' | 'default' | 'error' | 'warning' {
  if (state === 'Stable') return 'success';
  if (state === 'Empty') return 'default';
  if (state === 'Dead' || state === 'Unknown') return 'error';
  return 'warning';
}

type Assigned = { topic: string; partitions: number[] };

/** "orders [0, 1]; refunds [2]", topics and partitions sorted; "—" for none. */
export function assignmentText(list: Assigned[] | undefined): string {
  const parts = [...(list ?? [])]
    .filter((a) => a.partitions.length)
    .sort((a, b) => a.topic.localeCompare(b.topic))
    .map((a) => `${a.topic} [${[...a.partitions].sort((x, y) => x - y).join(', ')}]`);
  return parts.join('; ') || '—';
}

/** Whether a KIP-848 member holds what the coordinator wants it to (its target): false while it reconciles. */
export function reconciled(m: { assignment: Assigned[]; targetAssignment?: Assigned[] | undefined }): boolean {
  return m.targetAssignment === undefined || assignmentText(m.assignment) === assignmentText(m.targetAssignment);
}
