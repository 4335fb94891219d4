import { defineStore } from 'pinia';
import { markRaw, ref } from 'vue';
import type {
  CommitResult,
  ConsumedMessage,
  ConsumeResult,
  ProduceMessage,
  ProduceResult,
  Result,
} from '../../../electron/contract';
import { api } from '../api';
import type { ConsumeOptionsInput } from '../operations/consumeForm';
import type { ProduceOptions } from '../operations/produceForm';

/** A message to open in Produce ("re-send"), with where it came from. */
export interface ResendDraft {
  message: ConsumedMessage;
  fromConnectionId: string;
}

/**
 * The operations' calls to the core, and what operation screens share across tabs: the last Consume's
 * result (Commit offers "commit what I have read"), messages waiting to be re-sent, and a message
 * marked for comparison. Each screen's own runs (results, progress) live in that screen, so several
 * tabs can run at once.
 */
export const useOperationsStore = defineStore('operations', () => {
  const lastConsume = ref<{ connectionId: string; result: ConsumeResult } | null>(null);
  /** Re-sends by the key their Produce tab carries in its address (`?resend=`): each opens its own tab. */
  const resends = new Map<string, ResendDraft>();
  const compareWith = ref<ConsumedMessage | null>(null);

  function consumed(connectionId: string, result: ConsumeResult) {
    lastConsume.value = { connectionId, result: markRaw(result) };
  }
  /** A read into a session of main's store (the table pages through it); a read that worked is the last Consume. */
  async function consume(
    connectionId: string,
    operationId: string,
    input: ConsumeOptionsInput,
  ): Promise<Result<ConsumeResult>> {
    const r = await api.operations.consume({ ...input, id: connectionId, operationId, into: 'session' });
    if (r.ok) consumed(connectionId, r.value);
    return r;
  }
  function produce(
    connectionId: string,
    operationId: string,
    topic: string,
    messages: ProduceMessage[],
    options: ProduceOptions,
  ): Promise<Result<ProduceResult>> {
    return api.operations.produce({ id: connectionId, operationId, topic, messages, ...options });
  }
  /** A file's text as messages, parsed in the core (as the CLI's --file). */
  function parseFile(
    name: string,
    format: 'lines' | 'ndjson' | 'json' | 'csv',
    text: string,
  ): Promise<Result<{ messages: ProduceMessage[] }>> {
    return api.operations.parseFile({ name, format, text });
  }
  function commit(
    connectionId: string,
    groupId: string,
    topic: string,
    offsets: { partition: number; offset: string }[],
  ): Promise<Result<CommitResult>> {
    return api.operations.commit({ id: connectionId, groupId, topic, offsets });
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
  return { lastConsume, compareWith, consumed, consume, produce, parseFile, commit, offerResend, takeResend };
});
