import type { CaptureReplayOptions, ProduceMessage, ProduceResult } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { produce } from '../operations/produceOperation';
import type { OperationHandle } from '../operations/operationRegistry';
import type { CaptureStore } from './captureStore';

/**
 * Replays a capture (or the messages `seqs` names) into a topic on any connection: keys, values and
 * headers byte for byte; the same partitions or the default partitioner; the original timestamps or
 * now; at a rate, with progress and cancel (the Produce operation's), and a result per message.
 */
export async function replayCapture(
  conn: ResolvedConnection,
  store: CaptureStore,
  id: number,
  options: CaptureReplayOptions,
  op?: OperationHandle,
): Promise<ProduceResult & { seqs: number[] }> {
  const messages: ProduceMessage[] = [];
  const seqs: number[] = [];
  for (const batch of store.messages(id, options.seqs)) {
    for (const m of batch) {
      const out: ProduceMessage = { key: m.key, value: m.value, headers: m.headers };
      if (options.partitions === 'same') out.partition = m.partition;
      if (options.timestamps === 'keep') out.timestamp = Number(m.timestamp);
      messages.push(out);
      seqs.push(m.seq);
    }
  }
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
  );
  return { ...result, seqs };
}
