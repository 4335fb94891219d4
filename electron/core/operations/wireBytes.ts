import type { WireBytes } from '../../contract';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes → a string when they are valid UTF-8 (round-trips exactly), `{base64}` otherwise. Never lossy. */
export function toWire(bytes: Buffer | null | undefined): WireBytes {
  if (bytes === null || bytes === undefined) return null;
  try {
    const s = strictUtf8.decode(bytes);
    // a BOM would be dropped by the decoder: keep such bytes exact
    if (Buffer.byteLength(s, 'utf8') === bytes.length) return s;
  } catch {
    // not UTF-8
  }
  return { base64: bytes.toString('base64') };
}

export function fromWire(w: WireBytes): Buffer | null {
  if (w === null) return null;
  if (typeof w === 'string') return Buffer.from(w, 'utf8');
  return Buffer.from(w.base64, 'base64');
}

export const wireSize = (w: WireBytes): number =>
  w === null ? 0 : typeof w === 'string' ? Buffer.byteLength(w, 'utf8') : Math.floor((w.base64.length * 3) / 4);
