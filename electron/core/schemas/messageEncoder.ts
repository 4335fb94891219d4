import type { ProduceMessage, SchemaChoice, WireBytes } from '../../contract';
import { CoreError } from '../coreError';
import { renderTemplate } from '../operations/messageTemplate';
import { SchemaEncodeError, writeWireHeader, type Codec } from './codecs';

/** A schema chosen to encode a key or value: its codec, the registry id for the wire header (none: a bare payload), a label. */
export interface ChosenSchema {
  codec: Codec;
  schemaId?: number;
  messageName?: string;
  subject?: string;
  version?: number;
  /** For sentences: "subject orders-value v3 (id 12)", "local schema order.avsc". */
  label: string;
  choice: SchemaChoice;
}

/**
 * Encodes Produce's keys / values (JSON text, templates rendered first) with their chosen schemas,
 * before anything is sent: a value that does not fit stops the batch naming the message, the part,
 * the field and the problem ("Message 2's value does not fit subject orders-value v3: orders.total:
 * expected a double, got the string "12,5"").
 */
export function encodeMessages(
  messages: { key: WireBytes; value: WireBytes; headers: ProduceMessage['headers'] }[],
  schemas: { key?: ChosenSchema | undefined; value?: ChosenSchema | undefined },
  template: boolean,
): { keys?: (Buffer | null)[]; values?: (Buffer | null)[] } {
  const one = (part: 'key' | 'value', s: ChosenSchema) =>
    messages.map((m, i) => {
      const w = m[part];
      if (w === null) return null;
      if (typeof w !== 'string')
        throw new CoreError(
          'SCHEMA_INVALID',
          `Message ${i + 1}'s ${part} is binary; with a schema it must be written as JSON.`,
          undefined,
          [{ path: `messages.${i}.${part}`, message: 'write the value as JSON' }],
        );
      const text = template ? renderTemplate(w, i + 1) : w;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new CoreError(
          'SCHEMA_INVALID',
          `Message ${i + 1}'s ${part} is not JSON, which encoding with ${s.label} needs: ${e instanceof Error ? e.message : String(e)}`,
          undefined,
          [{ path: `messages.${i}.${part}`, message: 'not JSON' }],
        );
      }
      try {
        const r = s.codec.encode(value, s.messageName);
        return s.schemaId === undefined
          ? r.bytes
          : Buffer.concat([
              writeWireHeader(s.schemaId, s.codec.schemaType === 'PROTOBUF' ? (r.messageIndexes ?? [0]) : undefined),
              r.bytes,
            ]);
      } catch (e: unknown) {
        const problem = e instanceof SchemaEncodeError ? e.message : e instanceof Error ? e.message : String(e);
        throw new CoreError(
          'SCHEMA_INVALID',
          `Message ${i + 1}'s ${part} does not fit ${s.label}: ${problem}`,
          undefined,
          [{ path: `messages.${i}.${part}`, message: problem }],
        );
      }
    });
  return {
    ...(schemas.key ? { keys: one('key', schemas.key) } : {}),
    ...(schemas.value ? { values: one('value', schemas.value) } : {}),
  };
}
