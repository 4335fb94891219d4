import { isUtf8 } from 'node:buffer';
import type { WireBytes } from '../../contract';

/** Bytes → a string when they are valid UTF-8 (round-trips exactly), `{base64}` otherwise. Never lossy. */
export function toWire(bytes: Buffer | null | undefined): WireBytes {
  if (bytes === null || bytes === undefined) return null;
  // checked first (in C, no exception): binary values such as Avro are almost never UTF-8, and a
  // failing strict decode throws, which costs several microseconds per message
  // a leading BOM is bytes, not text: a reader of the text (a CSV or JSON export) may drop it
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (!bom && isUtf8(bytes)) return bytes.toString('utf8');
  return { base64: bytes.toString('base64') };
}

export function fromWire(w: WireBytes): Buffer | null {
  if (w === null) return null;
  if (typeof w === 'string') return Buffer.from(w, 'utf8');
  return Buffer.from(w.base64, 'base64');
}

export const wireSize = (w: WireBytes): number =>
  w === null ? 0 : typeof w === 'string' ? Buffer.byteLength(w, 'utf8') : Math.floor((w.base64.length * 3) / 4);
