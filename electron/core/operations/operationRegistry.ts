import type { OperationProgress } from '../../contract';
import type { CoreEvents } from '../events';

/** What a long operation gets: a cancel signal and a throttled progress reporter. */
export interface OperationHandle {
  readonly signal: AbortSignal;
  progress(done: number, extra?: { matched?: number; total?: number }): void;
  end(state: 'finished' | 'cancelled', done: number, extra?: { matched?: number; total?: number }): void;
}

/** A handle for callers with no progress to show (the CLI): never cancelled, reports nothing. */
export const silentOperation = (signal: AbortSignal = new AbortController().signal): OperationHandle => ({
  signal,
  progress: () => undefined,
  end: () => undefined,
});

/**
 * Running Produce batches and Consumes by the id their caller chose: `operations.cancel` aborts one,
 * and progress goes out as `operation.progress` events, at most every `intervalMs`.
 */
export class OperationRegistry {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly events: CoreEvents,
    private readonly intervalMs = 200,
  ) {}

  begin(operationId: string | undefined, kind: OperationProgress['kind']): OperationHandle {
    if (!operationId) return silentOperation();
    this.running.get(operationId)?.abort();
    const controller = new AbortController();
    this.running.set(operationId, controller);
    let last = 0;
    let trailing: NodeJS.Timeout | null = null;
    let pending: { done: number; extra?: { matched?: number; total?: number } } | null = null;
    const emit = (state: OperationProgress['state'], done: number, extra?: { matched?: number; total?: number }) =>
      this.events.emit('operation.progress', {
        operationId,
        kind,
        state,
        done,
        ...(extra?.matched !== undefined ? { matched: extra.matched } : {}),
        ...(extra?.total !== undefined ? { total: extra.total } : {}),
      });
    return {
      signal: controller.signal,
      // at most one event per interval, and the latest numbers always follow (a trailing event)
      progress: (done, extra) => {
        const now = Date.now();
        if (now - last >= this.intervalMs) {
          last = now;
          pending = null;
          emit('running', done, extra);
          return;
        }
        pending = { done, ...(extra ? { extra } : {}) };
        trailing ??= setTimeout(
          () => {
            trailing = null;
            if (!pending) return;
            last = Date.now();
            emit('running', pending.done, pending.extra);
            pending = null;
          },
          this.intervalMs - (now - last),
        );
      },
      end: (state, done, extra) => {
        if (trailing) clearTimeout(trailing);
        trailing = null;
        pending = null;
        if (this.running.get(operationId) === controller) this.running.delete(operationId);
        emit(state, done, extra);
      },
    };
  }

  cancel(operationId: string): boolean {
    const c = this.running.get(operationId);
    if (!c) return false;
    c.abort();
    return true;
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
