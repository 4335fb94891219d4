/**
 * Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then (Protobuf
 * only) the message-index path as zigzag varints — a count, then the indexes; the single byte 0 stands
 * for [0], the first top-level message. The bytes come from the topic, so anyone can write them:
 * every read is bounds-checked and nothing is allocated from a count read from the bytes.
 */

export interface WireHeader {
  schemaId: number;
  /** Protobuf: the path of the message type in its file (top-level index, then nested indexes). */
  messageIndexes?: number[];
  /** Where the encoded value starts. */
  payloadOffset: number;
}

/** More indexes than this is not a real message path (nesting that deep does not occur in .proto files). */
export const MAX_MESSAGE_INDEXES = 100;

/** A zigzag varint of at most 5 bytes (an int32), or null when truncated or too long. */
function readZigzagVarint(buf: Buffer, offset: number): { value: number; next: number } | null {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    const pos = offset + i;
    if (pos >= buf.length) return null;
    const b = buf[pos]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) {
      if (result > 0xffffffff) return null;
      // zigzag: 0 → 0, 1 → -1, 2 → 1, …
      const value = result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      return { value, next: pos + 1 };
    }
  }
  return null;
}

function writeZigzagVarint(n: number, out: number[]): void {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z >= 0x80) {
    out.push((z % 0x80) | 0x80);
    z = Math.floor(z / 0x80);
  }
  out.push(z);
}

/**
 * Reads the header, or null when the bytes do not start with one (no magic byte, too short, a negative
 * id, a malformed or implausible index list). Never throws.
 */
export function readWireHeader(buf: Buffer, protobuf: boolean): WireHeader | null {
  if (buf.length < 5 || buf[0] !== 0) return null;
  const schemaId = buf.readInt32BE(1);
  if (schemaId < 0) return null;
  if (!protobuf) return { schemaId, payloadOffset: 5 };
  const count = readZigzagVarint(buf, 5);
  if (!count || count.value < 0 || count.value > MAX_MESSAGE_INDEXES) return null;
  if (count.value === 0) return { schemaId, messageIndexes: [0], payloadOffset: count.next };
  const messageIndexes: number[] = [];
  let pos = count.next;
  for (let i = 0; i < count.value; i++) {
    const idx = readZigzagVarint(buf, pos);
    if (!idx || idx.value < 0) return null;
    messageIndexes.push(idx.value);
    pos = idx.next;
  }
  return { schemaId, messageIndexes, payloadOffset: pos };
}

/** The header bytes; `messageIndexes` only for Protobuf ([0] is written as the single byte 0). */
export function writeWireHeader(schemaId: number, messageIndexes?: number[]): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff)
    throw new Error(`A schema id is an integer from 0 to ${0x7fffffff}, not ${String(schemaId)}.`);
  const out = [0, (schemaId >>> 24) & 0xff, (schemaId >>> 16) & 0xff, (schemaId >>> 8) & 0xff, schemaId & 0xff];
  if (messageIndexes) {
    if (messageIndexes.length > MAX_MESSAGE_INDEXES)
      throw new Error(`A message index path has at most ${MAX_MESSAGE_INDEXES} entries.`);
    for (const i of messageIndexes)
      if (!Number.isInteger(i) || i < 0 || i > 0x7fffffff)
        throw new Error(`A message index is a non-negative integer, not ${String(i)}.`);
    if (messageIndexes.length === 1 && messageIndexes[0] === 0) out.push(0);
    else {
      writeZigzagVarint(messageIndexes.length, out);
      for (const i of messageIndexes) writeZigzagVarint(i, out);
    }
  }
  return Buffer.from(out);
}
