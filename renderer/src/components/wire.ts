import type { WireBytes } from '../../../electron/contract';

/** How a key, value or header value is shown: text, pretty JSON, or hex for bytes that are not UTF-8. */
export type Shown = { kind: 'null' | 'text' | 'json' | 'binary'; text: string; size: number };

function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = Array.from(bytes.subarray(i, i + 16));
    lines.push(
      `${i.toString(16).padStart(6, '0')}  ${row
        .map((b) => b.toString(16).padStart(2, '0'))
        .join(' ')
        .padEnd(47)}  ${row.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')}`,
    );
  }
  return lines.join('\n');
}

export function base64Bytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function show(w: WireBytes): Shown {
  if (w === null) return { kind: 'null', text: 'null', size: 0 };
  if (typeof w !== 'string') {
    const bytes = base64Bytes(w.base64);
    return { kind: 'binary', text: hexDump(bytes), size: bytes.length };
  }
  const size = new TextEncoder().encode(w).length;
  const t = w.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(t), null, 2), size };
    } catch {
      // not JSON after all
    }
  }
  return { kind: 'text', text: w, size };
}

/** One line for the table: long values cut, binary as hex. */
export function preview(w: WireBytes, max = 120): string {
  if (w === null) return '∅';
  if (typeof w !== 'string') {
    const bytes = base64Bytes(w.base64);
    return `0x${Array.from(bytes.subarray(0, 24), (b) => b.toString(16).padStart(2, '0')).join('')}${bytes.length > 24 ? '…' : ''}`;
  }
  const one = w.replace(/\s+/g, ' ');
  return one.length > max ? one.slice(0, max) + '…' : one;
}

export function sizeLabel(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

export type FieldMode = 'text' | 'json' | 'hex' | 'base64';

function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * What the user typed into a key, value or header field, as bytes on the wire. JSON is validated
 * (a syntax error throws with the position), hex and base64 are checked; text is sent as UTF-8.
 */
export function encodeField(text: string, mode: FieldMode, what = 'The value'): WireBytes {
  switch (mode) {
    case 'json':
      try {
        JSON.parse(text);
      } catch (e) {
        throw new Error(`${what} is not valid JSON: ${(e as Error).message}`);
      }
      return text;
    case 'hex': {
      const clean = text.replace(/\s+/g, '').replace(/^0x/i, '');
      if (!/^([0-9a-fA-F]{2})*$/.test(clean))
        throw new Error(`${what} is not hex: an odd number of digits or a character that is not 0-9 / a-f.`);
      const bytes = new Uint8Array(clean.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
      return { base64: bytesToBase64(bytes) };
    }
    case 'base64': {
      const clean = text.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new Error(`${what} is not base64.`);
      return { base64: clean };
    }
    default:
      return text;
  }
}

/** Bytes back into an editable field: text (JSON pretty when it is JSON), or hex for bytes that are not UTF-8. */
export function decodeToField(w: WireBytes): { text: string; mode: FieldMode } {
  if (w === null) return { text: '', mode: 'text' };
  if (typeof w !== 'string')
    return { text: Array.from(base64Bytes(w.base64), (b) => b.toString(16).padStart(2, '0')).join(' '), mode: 'hex' };
  const s = show(w);
  return s.kind === 'json' ? { text: w, mode: 'json' } : { text: w, mode: 'text' };
}

/** A value decoded as the user chose in the inspector: auto, text, JSON, hex or base64. */
export function decodeAs(w: WireBytes, as: 'auto' | 'text' | 'json' | 'hex' | 'base64'): Shown {
  if (as === 'auto' || w === null) return show(w);
  const bytes = typeof w === 'string' ? new TextEncoder().encode(w) : base64Bytes(w.base64);
  switch (as) {
    case 'hex':
      return { kind: 'binary', text: hexDump(bytes), size: bytes.length };
    case 'base64':
      return { kind: 'text', text: bytesToBase64(bytes), size: bytes.length };
    case 'json': {
      if (typeof w !== 'string')
        return { kind: 'binary', text: '(not UTF-8: shown as hex)\n' + hexDump(bytes), size: bytes.length };
      try {
        return { kind: 'json', text: JSON.stringify(JSON.parse(w), null, 2), size: bytes.length };
      } catch (e) {
        return { kind: 'text', text: `(not JSON: ${(e as Error).message})\n${w}`, size: bytes.length };
      }
    }
    default:
      return typeof w === 'string'
        ? { kind: 'text', text: w, size: bytes.length }
        : { kind: 'binary', text: '(not UTF-8: shown as hex)\n' + hexDump(bytes), size: bytes.length };
  }
}
