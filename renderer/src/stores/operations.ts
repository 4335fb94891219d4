import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppError, ConsumedMessage, ConsumeResult, ProduceResult } from '../../../electron/contract';
import { api } from '../api';

type ConsumeRequest = Parameters<typeof api.operations.consume>[0];
type ProduceRequest = Parameters<typeof api.operations.produce>[0];

/** The last Produce and Consume runs of this window, and the message open in the inspector. */
export const useOperationsStore = defineStore('operations', () => {
  const consumed = ref<ConsumeResult | null>(null);
  const consumeError = ref<AppError | null>(null);
  const consuming = ref(false);
  const selected = ref<ConsumedMessage | null>(null);
  const produced = ref<ProduceResult | null>(null);
  const produceError = ref<AppError | null>(null);
  const producing = ref(false);

  async function consume(input: ConsumeRequest): Promise<void> {
    consuming.value = true;
    consumeError.value = null;
    selected.value = null;
    const r = await api.operations.consume(input);
    consuming.value = false;
    if (r.ok) consumed.value = r.value;
    else consumeError.value = r.error;
  }

  async function produce(input: ProduceRequest): Promise<void> {
    producing.value = true;
    produceError.value = null;
    const r = await api.operations.produce(input);
    producing.value = false;
    if (r.ok) produced.value = r.value;
    else produceError.value = r.error;
  }

  return { consumed, consumeError, consuming, selected, produced, produceError, producing, consume, produce };
});
