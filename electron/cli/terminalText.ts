import type { Decoded, DecodedPart, WireBytes } from '../contract';

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

/*
 * C0, DEL and C1 (\p{Cc}: U+0000–U+001F, U+007F–U+009F) and the bidi controls (\p{Bidi_Control}:
 * U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), spelled as plain ranges: every line the CLI
 * prints is scanned, and a class of ranges is several times faster than Unicode property classes
 * with a look-ahead (consume --json of 400,000 messages: 2.3 s of 10 s went to that regex).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// the same without newline and tab, with the line / paragraph separators: what the writers escape
const CONTROL_BUT_NEWLINE_TAB =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/** What JSON.stringify leaves raw and a terminal or an editor acts on. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** `s.replace(re, f)`, skipped when there is nothing to replace (almost always): a test is a scan, a replace builds a string. */
const replaced = (s: string, re: RegExp, f: (c: string) => string): string => {
  re.lastIndex = 0;
  if (!re.test(s)) return s;
  re.lastIndex = 0;
  return s.replace(re, f);
};

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');
const unicodeEscape = (c: string) => `\\u${hex(c, 4)}`;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const visibleEscape = (c: string) => SHORT[c] ?? (c.charCodeAt(0) < 0x80 ? `\\x${hex(c, 2)}` : unicodeEscape(c));

/** A value inside a line of text output: control and bidi characters as visible escapes. */
export function showText(s: string): string {
  return replaced(s, CONTROL, visibleEscape);
}

/** Text of several lines (a connector's stack trace): its newlines and tabs kept, every other control character escaped. */
export function showLines(s: string): string {
  return replaced(s, CONTROL_BUT_NEWLINE_TAB, visibleEscape);
}

/**
 * What the CLI's writers let through: newline and tab; any other control or bidi character (and
 * U+2028 / U+2029) as `\uXXXX`. JSON.stringify's output written through it is what jsonText gives.
 */
export function terminalSafe(s: string): string {
  return replaced(s, CONTROL_BUT_NEWLINE_TAB, unicodeEscape);
}

/** A writer that neutralises control sequences in everything written through it. */
export function terminalWriter(write: (s: string) => void): (s: string) => void {
  return (s) => write(terminalSafe(s));
}

/** JSON.stringify, with DEL, C1, bidi controls and U+2028 / U+2029 also escaped (`\uXXXX`): the same value after JSON.parse. */
export function jsonText(value: unknown, space?: number): string {
  return replaced(JSON.stringify(value, null, space) ?? 'null', JSON_RAW, unicodeEscape);
}

/** A key, value or header value in a text line: `(null)`, the text shown escaped, or `base64:…` for bytes that are not UTF-8. */
export function showWire(w: WireBytes): string {
  if (w === null) return '(null)';
  if (typeof w === 'string') return showText(w);
  return `base64:${showText(String(w.base64))}`;
}

/** What decoded a key or value, shortly: `avro id 12`, `protobuf shop.Order id 7`, `not decoded: why`. */
export function decodedMark(d: DecodedPart): string {
  if (d.error !== undefined) return `not decoded: ${d.error}`;
  const what = [
    d.format ?? 'decoded',
    d.messageName,
    d.schemaId !== undefined ? `id ${d.schemaId}` : undefined,
    d.localSchema !== undefined ? `file ${d.localSchema}` : undefined,
  ].filter((x) => x !== undefined);
  return what.join(' ') + (d.invalid !== undefined ? `, INVALID: ${d.invalid}` : '');
}

/**
 * A consumed message as one line (consume, listen, presets run): topic, partition, offset, [time], key,
 * value, [headers], and when the key or value was decoded, its JSON in place of the bytes and what
 * decoded it in brackets at the end.
 */
export function messageLine(
  m: {
    topic: string;
    partition: number;
    offset: string;
    timestamp: string;
    key: WireBytes;
    value: WireBytes;
    headers: [string, WireBytes][];
    decoded?: Decoded | undefined;
  },
  options: { time?: boolean; headers?: boolean } = {},
): string {
  // built raw and escaped once as a whole (the fixed parts hold no control character): one scan per line, not one per field
  const raw = (w: WireBytes) => (w === null ? '(null)' : typeof w === 'string' ? w : `base64:${String(w.base64)}`);
  const time = options.time ? `  ${showTime(m.timestamp)}` : '';
  const headers =
    options.headers && m.headers.length ? `  headers=${m.headers.map(([k, v]) => `${k}=${raw(v)}`).join(',')}` : '';
  const { key: dk, value: dv } = m.decoded ?? {};
  const key = dk?.json ?? raw(m.key);
  const value = dv?.json ?? raw(m.value);
  const marks =
    dk && dv
      ? `  [key: ${decodedMark(dk)}; value: ${decodedMark(dv)}]`
      : dk
        ? `  [key: ${decodedMark(dk)}]`
        : dv
          ? `  [${decodedMark(dv)}]`
          : '';
  return `${showText(`${m.topic}[${m.partition}] @ ${m.offset}${time}  key=${key}  ${value}${headers}${marks}`)}\n`;
}

function showTime(timestamp: string): string {
  const t = Number(timestamp);
  return Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? new Date(t).toISOString() : timestamp;
}
