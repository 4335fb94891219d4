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
