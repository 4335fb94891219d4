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
 * have read"), messages waiting to be re-sent, and a message marked for comparison. Each screen's
 * own runs (results, progress) live in that screen, so several tabs can run at once.
 */
export const useOperationsStore = defineStore('operations', () => {
  const lastConsume = ref<{ connectionId: string; result: ConsumeResult } | null>(null);
  /** Re-sends by the key their Produce tab carries in its address (`?resend=`): each opens its own tab. */
  const resends = new Map<string, ResendDraft>();
  const compareWith = ref<ConsumedMessage | null>(null);

  function consumed(connectionId: string, result: ConsumeResult) {
    lastConsume.value = { connectionId, result: markRaw(result) };
  }
  /** Keeps a message for the Produce tab about to open; returns the key that tab is opened with. */
  function offerResend(draft: ResendDraft): string {
    const key = crypto.randomUUID().slice(0, 8);
    resends.set(key, markRaw(draft));
    return key;
  }
  /** The message for the Produce tab opened with this key, once (a tab listed again after a restart opens empty). */
  function takeResend(key: string): ResendDraft | null {
    const d = resends.get(key) ?? null;
    resends.delete(key);
    return d;
  }
  return { lastConsume, compareWith, consumed, offerResend, takeResend };
});
