import type { WireBytes } from '../contract';

/**
 * Text from outside — message keys, values and headers, names from a shared file, what a broker, a
 * Connect worker or a certificate says — on the user's terminal. A terminal acts on control
 * characters: ESC starts sequences that clear the screen, write the clipboard (OSC 52) or hide a link
 * (OSC 8); CR overwrites the line; U+009B is a one-character CSI; bidi controls reorder what is shown.
 * Two layers:
 *
 * - `showText` for a value printed inside a line: every C0 control (newline, CR and tab included),
 *   DEL, C1 and bidi control becomes a visible escape (`\n`, `\r`, `\t`, `\x1b`, `\x7f`, `\u009b`,
 *   `\u202e`), so a value stays on its line and shows what it holds.
 * - `terminalSafe`, applied by the CLI's writers to everything they write: the same characters but
 *   newline and tab become `\uXXXX`. Written that way, valid JSON stays valid JSON with the same
 *   values (a raw control character can only be inside a JSON string, where `\uXXXX` means it).
 *
 * `jsonText` is JSON.stringify that also escapes DEL, C1, bidi controls and the line / paragraph
 * separators as `\uXXXX` (JSON.stringify escapes only C0): the same value after JSON.parse.
 */

/** C0, DEL and C1 (\p{Cc}) and the bidi controls (\p{Bidi_Control}: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069). */
const CONTROL = /[\p{Cc}\p{Bidi_Control}]/gu;
const CONTROL_BUT_NEWLINE_TAB = /(?![\n\t])[\p{Cc}\p{Bidi_Control}]/gu;
/** What JSON.stringify leaves raw and a terminal or an editor acts on. */
const JSON_RAW = /[\u007f-\u009f\p{Bidi_Control}\u2028\u2029]/gu;

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');
const unicodeEscape = (c: string) => `\\u${hex(c, 4)}`;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const visibleEscape = (c: string) => SHORT[c] ?? (c.charCodeAt(0) < 0x80 ? `\\x${hex(c, 2)}` : unicodeEscape(c));

/** A value inside a line of text output: control and bidi characters as visible escapes. */
export function showText(s: string): string {
  return s.replace(CONTROL, visibleEscape);
}

/** Text of several lines (a connector's stack trace): its newlines and tabs kept, every other control character escaped. */
export function showLines(s: string): string {
  return s.replace(CONTROL_BUT_NEWLINE_TAB, visibleEscape);
}

/** What the CLI's writers let through: newline and tab; any other control or bidi character as `\uXXXX`. */
export function terminalSafe(s: string): string {
  return s.replace(CONTROL_BUT_NEWLINE_TAB, unicodeEscape);
}

/** A writer that neutralises control sequences in everything written through it. */
export function terminalWriter(write: (s: string) => void): (s: string) => void {
  return (s) => write(terminalSafe(s));
}

/** JSON.stringify, with DEL, C1, bidi controls and U+2028 / U+2029 also escaped (`\uXXXX`): the same value after JSON.parse. */
export function jsonText(value: unknown, space?: number): string {
  return (JSON.stringify(value, null, space) ?? 'null').replace(JSON_RAW, unicodeEscape);
}

/** A key, value or header value in a text line: `(null)`, the text shown escaped, or `base64:…` for bytes that are not UTF-8. */
export function showWire(w: WireBytes): string {
  if (w === null) return '(null)';
  if (typeof w === 'string') return showText(w);
  return `base64:${showText(String(w.base64))}`;
}

/** A consumed message as one line (consume, listen, presets run): topic, partition, offset, [time], key, value, [headers]. */
export function messageLine(
  m: { topic: string; partition: number; offset: string; timestamp: string; key: WireBytes; value: WireBytes; headers: [string, WireBytes][] },
  options: { time?: boolean; headers?: boolean } = {},
): string {
  const time = options.time ? `  ${showTime(m.timestamp)}` : '';
  const headers = options.headers && m.headers.length ? `  headers=${m.headers.map(([k, v]) => `${showText(k)}=${showWire(v)}`).join(',')}` : '';
  return `${showText(m.topic)}[${m.partition}] @ ${showText(m.offset)}${time}  key=${showWire(m.key)}  ${showWire(m.value)}${headers}\n`;
}

function showTime(timestamp: string): string {
  const t = Number(timestamp);
  return Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? new Date(t).toISOString() : showText(timestamp);
}
