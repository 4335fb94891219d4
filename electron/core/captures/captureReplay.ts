import type { CaptureReplayOptions, ProduceMessage, ProduceResult } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { produce } from '../operations/produceOperation';
import type { OperationHandle } from '../operations/operationRegistry';
import type { CaptureStore } from './captureStore';
import { encodeMessages, type ChosenSchema } from '../schemas/messageEncoder';

/**
 * Replays a capture (or the messages `seqs` names) into a topic on any connection: keys, values and
 * headers byte for byte (or re-encoded with a schema of the target's, when asked); the same partitions or the default partitioner; the original timestamps or
 * now; at a rate, with progress and cancel (the Produce operation's), and a result per message.
 */
export async function replayCapture(
  conn: ResolvedConnection,
  store: CaptureStore,
  id: number,
  options: CaptureReplayOptions,
  op?: OperationHandle,
  /** The schemas `options.reencode` names, resolved on the target connection. */
  schemas?: { key?: ChosenSchema | undefined; value?: ChosenSchema | undefined },
): Promise<ProduceResult & { seqs: number[] }> {
  const messages: ProduceMessage[] = [];
  const seqs: number[] = [];
  for (const batch of store.messages(id, options.seqs)) {
    for (const m of batch) {
      // re-encoded from the decoded JSON when asked; the bytes as captured otherwise
      const out: ProduceMessage = {
        key: schemas?.key && m.decoded?.key?.json !== undefined ? m.decoded.key.json : m.key,
        value: schemas?.value && m.decoded?.value?.json !== undefined ? m.decoded.value.json : m.value,
        headers: m.headers,
      };
      if (options.partitions === 'same') out.partition = m.partition;
      if (options.timestamps === 'keep') out.timestamp = Number(m.timestamp);
      messages.push(out);
      seqs.push(m.seq);
    }
  }
  const encoded =
    schemas?.key || schemas?.value
      ? encodeMessages(
          messages.map((m) => ({ key: m.key ?? null, value: m.value ?? null, headers: m.headers ?? [] })),
          schemas,
          false,
        )
      : undefined;
  const result = await produce(
    conn,
    {
      topic: options.topic,
      messages: messages.map((m) => ({
        key: m.key ?? null,
        value: m.value ?? null,
        headers: m.headers ?? [],
        ...(m.partition !== undefined ? { partition: m.partition } : {}),
        ...(m.timestamp !== undefined ? { timestamp: m.timestamp } : {}),
      })),
      acks: 'all',
      compression: 'none',
      idempotent: true,
      continueOnError: true,
      template: false,
      ratePerSecond: options.ratePerSecond,
    },
    op,
    encoded,
  );
  return { ...result, seqs };
}
