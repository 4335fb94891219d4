import { onBeforeUnmount, ref, shallowRef } from 'vue';
import type { AppError, OperationProgress, Result } from '../../../electron/contract';
import { api } from '../api';

/**
 * One screen's long operation (a Produce batch, a Consume): busy flag, last result or error,
 * progress from the core's `operation.progress` events, and cancel. Each screen (each tab) has its own.
 */
export function useOperationRun<T>() {
  const busy = ref(false);
  const result = shallowRef<T | null>(null);
  const error = ref<AppError | null>(null);
  const progress = ref<OperationProgress | null>(null);
  const started = ref(0);
  let current: string | null = null;
  const off = api.on('operation.progress', (p) => {
    if (p.operationId === current) progress.value = p;
  });
  onBeforeUnmount(() => {
    off();
    if (current) void api.operations.cancel({ operationId: current });
  });

  async function run(call: (operationId: string) => Promise<Result<T>>): Promise<T | null> {
    const operationId = crypto.randomUUID();
    current = operationId;
    busy.value = true;
    error.value = null;
    progress.value = null;
    started.value = Date.now();
    const r = await call(operationId);
    if (current === operationId) {
      current = null;
      busy.value = false;
    }
    if (r.ok) {
      result.value = r.value;
      return r.value;
    }
    error.value = r.error;
    return null;
  }
  async function cancel() {
    if (current) await api.operations.cancel({ operationId: current });
  }
  return { busy, result, error, progress, started, run, cancel };
}
