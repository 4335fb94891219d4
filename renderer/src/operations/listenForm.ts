import {
  startPositionFromFields,
  type ListenState,
  type MessageFormat,
  type OnUndecodable,
  type Parsed,
  type StartPosition,
} from '../../../electron/contract';

/** Listen's form and where it starts, as the contract takes it. No Vue, no API: tested beside it. */
export interface ListenForm {
  topic: string | null;
  from: 'latest' | 'minus' | 'earliest' | 'offset' | 'timestamp';
  minus: number;
  offset: string;
  time: string;
  /** How keys and values are read, as Consume's (decodeOptions in consumeForm.ts makes the input). */
  keyFormat: MessageFormat;
  valueFormat: MessageFormat;
  onUndecodable: OnUndecodable;
}

export function newListenForm(): ListenForm {
  return {
    topic: null,
    from: 'latest',
    minus: 100,
    offset: '0',
    time: '',
    keyFormat: 'auto',
    valueFormat: 'auto',
    onUndecodable: 'show',
  };
}

export const listenFromOptions = [
  { value: 'latest', label: 'From now' },
  { value: 'minus', label: 'The last N, then live' },
  { value: 'offset', label: 'From an offset' },
  { value: 'timestamp', label: 'From a time' },
  { value: 'earliest', label: 'From the beginning' },
];

/** "From now" is the end with nothing back; "the last N" the end with N back. */
export function listenStart(form: ListenForm): Parsed<StartPosition> {
  if (form.from === 'latest') return { ok: true, value: { from: 'latest', minus: 0 } };
  return startPositionFromFields({
    from: form.from === 'minus' ? 'latest' : form.from,
    minus: form.minus,
    offset: form.offset,
    time: form.time,
  });
}

/** A Listen that has not ended: it can be paused, resumed and stopped. */
export const listenRunning = (state: ListenState | undefined) =>
  state !== undefined && ['starting', 'running', 'paused', 'reconnecting'].includes(state);

/** The state tag's colour. */
export const listenStateType = (state: ListenState | undefined) =>
  (
    ({
      running: 'success',
      paused: 'warning',
      reconnecting: 'error',
      failed: 'error',
      stopped: 'default',
      starting: 'info',
    }) as const
  )[state ?? 'stopped'];
