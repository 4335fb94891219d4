import type { WireBytes } from '../../../electron/contract';

/** How a key, value or header value is shown: text, pretty JSON, or hex for bytes that are not UTF-8. */
export type Shown = { kind: 'null' | 'text' | 'json' | 'binary'; text: string; size: number };

function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = Array.from(bytes.subarray(i, i + 16));
    lines.push(`${i.toString(16).padStart(6, '0')}  ${row.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47)}  ${row.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')}`);
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
