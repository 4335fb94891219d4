import { defineStore } from 'pinia';
import { markRaw, ref } from 'vue';
import type { ConsumedMessage, ConsumeResult } from '../../../electron/contract';

/** A message to open in Produce ("re-send"), with where it came from. */
export interface ResendDraft {
  message: ConsumedMessage;
  fromConnectionId: string;
}

/**
 * What operation screens share across tabs: the last Consume's result (Commit offers "commit what I
 * have read"), a message waiting to be re-sent, and a message marked for comparison. Each screen's
 * own runs (results, progress) live in that screen, so several tabs can run at once.
 */
export const useOperationsStore = defineStore('operations', () => {
  const lastConsume = ref<{ connectionId: string; result: ConsumeResult } | null>(null);
  const resend = ref<ResendDraft | null>(null);
  const compareWith = ref<ConsumedMessage | null>(null);

  function consumed(connectionId: string, result: ConsumeResult) {
    lastConsume.value = { connectionId, result: markRaw(result) };
  }
  function takeResend(): ResendDraft | null {
    const d = resend.value;
    resend.value = null;
    return d;
  }
  return { lastConsume, resend, compareWith, consumed, takeResend };
});
