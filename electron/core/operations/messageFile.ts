import Papa from 'papaparse';
import type { ProduceMessage, WireBytes } from '../../contract';
import { CoreError } from '../coreError';

/** A message as Produce takes it, every field filled. */
export type FileMessage = {
  key: WireBytes;
  value: WireBytes;
  headers: [string, WireBytes][];
  partition?: number;
  timestamp?: number;
};

export type MessageFileFormat = 'lines' | 'ndjson' | 'json' | 'csv';

const isWire = (v: unknown): v is WireBytes =>
  v === null ||
  typeof v === 'string' ||
  (typeof v === 'object' &&
    v !== null &&
    Object.keys(v).length === 1 &&
    typeof (v as { base64?: unknown }).base64 === 'string');

/** One message from an object in consume --json's shape (or a bare string, the value). */
function fromObject(o: unknown, where: string): ProduceMessage {
  if (typeof o === 'string') return { value: o };
  if (!o || typeof o !== 'object' || Array.isArray(o))
    throw new CoreError('INVALID_INPUT', `${where}: expected an object with key / value / headers, or a string.`);
  const m = o as Record<string, unknown>;
  const out: ProduceMessage = { key: null, value: null, headers: [] };
  for (const f of ['key', 'value'] as const) {
    const v = m[f];
    if (v === undefined) continue;
    if (!isWire(v)) throw new CoreError('INVALID_INPUT', `${where}: ${f} must be a string, {"base64": "..."} or null.`);
    out[f] = v;
  }
  if (m.headers !== undefined) {
    if (
      !Array.isArray(m.headers) ||
      !m.headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && isWire(h[1]))
    ) {
      throw new CoreError('INVALID_INPUT', `${where}: headers must be an array of [key, value] pairs.`);
    }
    out.headers = m.headers as [string, WireBytes][];
  }
  if (m.partition !== undefined) {
    if (!Number.isInteger(m.partition) || (m.partition as number) < 0)
      throw new CoreError('INVALID_INPUT', `${where}: partition must be a whole number ≥ 0.`);
    out.partition = m.partition as number;
  }
  if (m.timestamp !== undefined) {
    const t = Number(m.timestamp);
    if (!Number.isInteger(t) || t < 0)
      throw new CoreError('INVALID_INPUT', `${where}: timestamp must be milliseconds since the epoch.`);
    out.timestamp = t;
  }
  return out;
}

/**
 * The most messages the app's "send a file" (operations.parseFile) takes at once; the command line
 * has no such limit (it passes none, and streams lines / NDJSON of any size).
 */
export const APP_FILE_MESSAGE_LIMIT = 100_000;

export interface ParseMessageFileOptions {
  /**
   * Stop at the first message past this many, with PAYLOAD_TOO_LARGE naming its line (lines, ndjson),
   * row (csv) or item (json): parsing stops there, so a file of millions of tiny messages never
   * becomes millions of objects. Unset: no limit (the command line).
   */
  limit?: number;
}

/** What the app says of a file with more messages than it sends at once. */
function tooManyMessages(name: string, limit: number, where: string): CoreError {
  const n = limit.toLocaleString('en');
  return new CoreError(
    'PAYLOAD_TOO_LARGE',
    `${name} holds more than ${n} messages (${where} is the first past the limit); the app sends at most ${n} at once (the command line has no limit).`,
  );
}

const filled = (m: ProduceMessage): FileMessage => ({
  ...m,
  key: m.key ?? null,
  value: m.value ?? null,
  headers: m.headers ?? [],
});

/**
 * The messages parsed so far. `room(unit, n)` is asked before each message is parsed, so the one
 * past the limit is refused before any work is done on it and nothing after it is read.
 */
class Collected {
  readonly messages: FileMessage[] = [];
  constructor(
    private readonly name: string,
    private readonly limit: number,
  ) {}

  room(unit: 'line' | 'row' | 'item', n: number): void {
    if (this.messages.length >= this.limit)
      throw tooManyMessages(this.name, this.limit, `${unit} ${n.toLocaleString('en')}`);
  }
}

/**
 * Messages from a file's text, for Produce (the CLI's --file and the UI's "send a file"):
 * - lines: each non-empty line is a value;
 * - ndjson: one object per line in consume --json's shape (topic, offset… are ignored), so consume
 *   output can be produced back unchanged;
 * - json: an array of such objects (or of strings);
 * - csv: a header row naming the columns `key`, `value`, `partition`, `timestamp` and `header:NAME`
 *   (one per header, in column order); a file with a single unnamed column is taken as values.
 * Every format is read incrementally (a line, a row, an array item at a time), so `limit` stops
 * the work, not only the answer.
 */
export function parseMessageFile(
  text: string,
  format: MessageFileFormat,
  name = 'the file',
  options: ParseMessageFileOptions = {},
): FileMessage[] {
  const out = new Collected(name, options.limit ?? Number.POSITIVE_INFINITY);
  switch (format) {
    case 'lines':
    case 'ndjson':
      parseLines(text, format, name, out);
      break;
    case 'json':
      parseJsonArray(text, name, out);
      break;
    case 'csv':
      parseCsv(text, name, out);
      break;
    default:
      throw new CoreError('INVALID_INPUT', `Unknown file format '${String(format)}': use lines, ndjson, json or csv.`);
  }
  return out.messages;
}

/**
 * One line of a `lines` or `ndjson` file (for files read line by line: the command line streams large
 * ones); null for a blank line. `lineNo` counts from 1, as the messages say.
 */
export function parseMessageLine(
  line: string,
  format: 'lines' | 'ndjson',
  name: string,
  lineNo: number,
): FileMessage | null {
  if (format === 'lines') return line.length > 0 ? { value: line, key: null, headers: [] } : null;
  if (!line.trim()) return null;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    throw new CoreError('INVALID_INPUT', `${name} line ${lineNo} is not valid JSON: ${(e as Error).message}`);
  }
  return filled(fromObject(o, `${name} line ${lineNo}`));
}

/**
 * Lines split at `\n` (a `\r` before it dropped, as /\r?\n/ would), found one at a time with
 * indexOf: splitting the whole text first would make every line a string before the limit applies.
 */
function parseLines(text: string, format: 'lines' | 'ndjson', name: string, out: Collected): void {
  let pos = 0;
  let lineNo = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    lineNo++;
    const line = text.slice(pos, nl !== -1 && end > pos && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
    pos = end + 1;
    if (format === 'lines' ? line.length === 0 : !line.trim()) continue;
    out.room('line', lineNo);
    out.messages.push(parseMessageLine(line, format, name, lineNo)!);
  }
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipJsonSpace(text: string, i: number): number {
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The index just past the string that opens at `i` (a `"`), or -1 when the text ends inside it. */
function jsonStringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) return -1;
    // escaped when an odd number of backslashes stand before it (each run is counted once: linear)
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/**
 * The index just past the JSON value that starts at `i`, or -1 when the text ends inside it. Only
 * strings and bracket depth are tracked: whether the slice is valid JSON is JSON.parse's to say.
 */
function jsonValueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 0x22) return jsonStringEnd(text, i);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        j = jsonStringEnd(text, j);
        if (j === -1) return -1;
        j--;
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  // a number, true, false, null (or something invalid, which JSON.parse names)
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 0x2c || c === 0x5d || c === 0x7d || isJsonSpace(c)) break;
    j++;
  }
  return j;
}

/**
 * A JSON array of messages, one item at a time: a scanner finds where each item begins and ends
 * (string and bracket depth only) and JSON.parse reads that item alone, so the limit stops the
 * work at the first item past it and nothing is built for the rest.
 *
 * Written by hand rather than taken from npm on purpose: the streaming parser that fits
 * (@streamparser/json, 0.0.x) tokenises character by character in JS and builds objects by plain
 * assignment, so a "__proto__" key sets an object's prototype where JSON.parse makes an own
 * property; here JSON.parse still decides every value (the same semantics as before, at native
 * speed) and the hand-written part is only this boundary scan.
 */
function parseJsonArray(text: string, name: string, out: Collected): void {
  let i = skipJsonSpace(text, 0);
  if (i >= text.length) throw new CoreError('INVALID_INPUT', `${name} is not valid JSON: it is empty.`);
  if (text.charCodeAt(i) !== 0x5b) {
    // not an array: valid JSON of another kind (bounded: it is one value) or not JSON at all, said as JSON.parse says it
    const first = text.charCodeAt(i);
    if (first !== 0x7b && first !== 0x22 && !/[-\d]|t|f|n/.test(text[i]!)) {
      try {
        JSON.parse(text.slice(i, i + 64));
      } catch (e) {
        throw new CoreError('INVALID_INPUT', `${name} is not valid JSON: ${(e as Error).message}`);
      }
    }
    throw new CoreError('INVALID_INPUT', `${name}: expected a JSON array of messages.`);
  }
  i = skipJsonSpace(text, i + 1);
  if (text.charCodeAt(i) !== 0x5d) {
    for (let item = 1; ; item++) {
      if (i >= text.length)
        throw new CoreError(
          'INVALID_INPUT',
          `${name} is not valid JSON: it ends before item ${item.toLocaleString('en')} (is the file cut short?).`,
        );
      const c = text.charCodeAt(i);
      if (c === 0x2c || c === 0x5d)
        throw new CoreError(
          'INVALID_INPUT',
          `${name} is not valid JSON: item ${item.toLocaleString('en')} is missing at character ${i + 1} (two commas, or a comma before ]).`,
        );
      out.room('item', item);
      const end = jsonValueEnd(text, i);
      if (end === -1)
        throw new CoreError(
          'INVALID_INPUT',
          `${name} is not valid JSON: it ends inside item ${item.toLocaleString('en')} (is the file cut short?).`,
        );
      let value: unknown;
      try {
        value = JSON.parse(text.slice(i, end));
      } catch (e) {
        throw new CoreError(
          'INVALID_INPUT',
          `${name} item ${item.toLocaleString('en')} is not valid JSON: ${(e as Error).message}`,
        );
      }
      out.messages.push(filled(fromObject(value, `${name} item ${item}`)));
      i = skipJsonSpace(text, end);
      const next = text.charCodeAt(i);
      if (next === 0x2c) i = skipJsonSpace(text, i + 1);
      else if (next === 0x5d) break;
      else if (i >= text.length)
        throw new CoreError(
          'INVALID_INPUT',
          `${name} is not valid JSON: it ends after item ${item.toLocaleString('en')} without a closing ] (is the file cut short?).`,
        );
      else
        throw new CoreError(
          'INVALID_INPUT',
          `${name} is not valid JSON: expected , or ] after item ${item.toLocaleString('en')} at character ${i + 1}.`,
        );
    }
  }
  // i is at the closing ]
  const rest = skipJsonSpace(text, i + 1);
  if (rest < text.length)
    throw new CoreError(
      'INVALID_INPUT',
      `${name} is not valid JSON: there is more after the array's closing ] (character ${rest + 1}).`,
    );
}

/**
 * PapaParse reads the text a chunk at a time (its `chunkSize`) and hands over one row at a time
 * (`step`); `parser.abort()` stops it at the limit or at the first bad row. Without a chunk size
 * PapaParse would split the whole text at once (and guess the delimiter over all of it); with one,
 * the delimiter and line ending are guessed from the first chunk, and rows that cross a chunk's end
 * are joined again by PapaParse.
 */
const CSV_CHUNK_CHARS = 4 * 1024 * 1024;

function parseCsv(text: string, name: string, out: Collected): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let head: string[] | null = null;
  let asValues = false;
  let row = 0;
  let failure: unknown = null;
  const known = (c: string) =>
    ['key', 'value', 'partition', 'timestamp'].includes(c.toLowerCase()) || /^header:./i.test(c);
  Papa.parse<string[]>(body, {
    skipEmptyLines: true,
    chunkSize: CSV_CHUNK_CHARS,
    step: (result, parser) => {
      try {
        row++;
        // PapaParse's row numbers restart with every step; the count here is the file's (blank rows skipped, as before)
        const bad = result.errors.find((e) => e.type !== 'Delimiter');
        if (bad) throw new CoreError('INVALID_INPUT', `${name} row ${row}: ${bad.message}.`);
        const r = result.data;
        if (head === null) {
          head = r.map((c) => c.trim());
          if (!head.some(known)) {
            if (head.length !== 1)
              throw new CoreError(
                'INVALID_INPUT',
                `${name}: the first row must name the columns (key, value, partition, timestamp, header:NAME).`,
              );
            asValues = true;
          } else {
            const unknown = head.filter((c) => !known(c));
            if (unknown.length)
              throw new CoreError(
                'INVALID_INPUT',
                `${name}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `'${c}'`).join(', ')}; use key, value, partition, timestamp or header:NAME.`,
              );
            return;
          }
        }
        out.room('row', row);
        out.messages.push(filled(asValues ? { value: r[0] ?? '' } : csvMessage(head, r, `${name} row ${row}`)));
      } catch (e) {
        failure = e;
        parser.abort();
      }
    },
  });
  if (failure) throw failure;
}

function csvMessage(head: string[], r: string[], where: string): ProduceMessage {
  if (r.length !== head.length)
    throw new CoreError('INVALID_INPUT', `${where} has ${r.length} fields, the header row ${head.length}.`);
  const m: ProduceMessage = { key: null, value: null, headers: [] };
  head.forEach((c, j) => {
    const cell = r[j]!;
    const lc = c.toLowerCase();
    if (lc === 'key') m.key = cell === '' ? null : cell;
    else if (lc === 'value') m.value = cell;
    else if (lc === 'partition') {
      if (cell === '') return;
      if (!/^\d+$/.test(cell))
        throw new CoreError('INVALID_INPUT', `${where}: partition '${cell}' is not a whole number.`);
      m.partition = Number(cell);
    } else if (lc === 'timestamp') {
      if (cell === '') return;
      const t = /^\d+$/.test(cell) ? Number(cell) : Date.parse(cell);
      if (Number.isNaN(t))
        throw new CoreError(
          'INVALID_INPUT',
          `${where}: timestamp '${cell}' is neither epoch milliseconds nor an ISO time.`,
        );
      m.timestamp = t;
    } else m.headers!.push([c.slice('header:'.length), cell]);
  });
  return m;
}
