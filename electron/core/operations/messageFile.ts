import Papa from 'papaparse';
import type { ProduceMessage, WireBytes } from '../../contract';
import { CoreError } from '../coreError';

/** A message as Produce takes it, every field filled. */
export type FileMessage = { key: WireBytes; value: WireBytes; headers: [string, WireBytes][]; partition?: number; timestamp?: number };

export type MessageFileFormat = 'lines' | 'ndjson' | 'json' | 'csv';

const isWire = (v: unknown): v is WireBytes =>
  v === null || typeof v === 'string' || (typeof v === 'object' && v !== null && Object.keys(v).length === 1 && typeof (v as { base64?: unknown }).base64 === 'string');

/** One message from an object in consume --json's shape (or a bare string, the value). */
function fromObject(o: unknown, where: string): ProduceMessage {
  if (typeof o === 'string') return { value: o };
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new CoreError('INVALID_INPUT', `${where}: expected an object with key / value / headers, or a string.`);
  const m = o as Record<string, unknown>;
  const out: ProduceMessage = { key: null, value: null, headers: [] };
  for (const f of ['key', 'value'] as const) {
    const v = m[f];
    if (v === undefined) continue;
    if (!isWire(v)) throw new CoreError('INVALID_INPUT', `${where}: ${f} must be a string, {"base64": "..."} or null.`);
    out[f] = v;
  }
  if (m.headers !== undefined) {
    if (!Array.isArray(m.headers) || !m.headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && isWire(h[1]))) {
      throw new CoreError('INVALID_INPUT', `${where}: headers must be an array of [key, value] pairs.`);
    }
    out.headers = m.headers as [string, WireBytes][];
  }
  if (m.partition !== undefined) {
    if (!Number.isInteger(m.partition) || (m.partition as number) < 0) throw new CoreError('INVALID_INPUT', `${where}: partition must be a whole number ≥ 0.`);
    out.partition = m.partition as number;
  }
  if (m.timestamp !== undefined) {
    const t = Number(m.timestamp);
    if (!Number.isInteger(t) || t < 0) throw new CoreError('INVALID_INPUT', `${where}: timestamp must be milliseconds since the epoch.`);
    out.timestamp = t;
  }
  return out;
}

/**
 * Messages from a file's text, for Produce (the CLI's --file and the UI's "send a file"):
 * - lines: each non-empty line is a value;
 * - ndjson: one object per line in consume --json's shape (topic, offset… are ignored), so consume
 *   output can be produced back unchanged;
 * - json: an array of such objects (or of strings);
 * - csv: a header row naming the columns `key`, `value`, `partition`, `timestamp` and `header:NAME`
 *   (one per header, in column order); a file with a single unnamed column is taken as values.
 */
export function parseMessageFile(text: string, format: MessageFileFormat, name = 'the file'): FileMessage[] {
  return parseAny(text, format, name).map((m) => ({ ...m, key: m.key ?? null, value: m.value ?? null, headers: m.headers ?? [] }));
}

/**
 * One line of a `lines` or `ndjson` file (for files read line by line: the command line streams large
 * ones); null for a blank line. `lineNo` counts from 1, as the messages say.
 */
export function parseMessageLine(line: string, format: 'lines' | 'ndjson', name: string, lineNo: number): FileMessage | null {
  if (format === 'lines') return line.length > 0 ? { value: line, key: null, headers: [] } : null;
  if (!line.trim()) return null;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    throw new CoreError('INVALID_INPUT', `${name} line ${lineNo} is not valid JSON: ${(e as Error).message}`);
  }
  const m = fromObject(o, `${name} line ${lineNo}`);
  return { ...m, key: m.key ?? null, value: m.value ?? null, headers: m.headers ?? [] };
}

function parseAny(text: string, format: MessageFileFormat, name: string): ProduceMessage[] {
  switch (format) {
    case 'lines':
      return text.split(/\r?\n/).filter((l) => l.length > 0).map((value) => ({ value }));
    case 'ndjson':
      return text
        .split(/\r?\n/)
        .map((l, i) => [l, i] as const)
        .filter(([l]) => l.trim())
        .map(([l, i]) => {
          let o: unknown;
          try {
            o = JSON.parse(l);
          } catch (e) {
            throw new CoreError('INVALID_INPUT', `${name} line ${i + 1} is not valid JSON: ${(e as Error).message}`);
          }
          return fromObject(o, `${name} line ${i + 1}`);
        });
    case 'json': {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new CoreError('INVALID_INPUT', `${name} is not valid JSON: ${(e as Error).message}`);
      }
      if (!Array.isArray(doc)) throw new CoreError('INVALID_INPUT', `${name}: expected a JSON array of messages.`);
      return doc.map((o, i) => fromObject(o, `${name} item ${i + 1}`));
    }
    case 'csv':
      return parseCsv(text, name);
    default:
      throw new CoreError('INVALID_INPUT', `Unknown file format '${String(format)}': use lines, ndjson, json or csv.`);
  }
}

function parseCsv(text: string, name: string): ProduceMessage[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const bad = parsed.errors.find((e) => e.type !== 'Delimiter');
  if (bad) throw new CoreError('INVALID_INPUT', `${name} row ${(bad.row ?? 0) + 1}: ${bad.message}.`);
  const rows = parsed.data;
  if (!rows.length) return [];
  const head = rows[0]!.map((c) => c.trim());
  const known = (c: string) => ['key', 'value', 'partition', 'timestamp'].includes(c.toLowerCase()) || /^header:./i.test(c);
  if (!head.some(known)) {
    if (head.length === 1) return rows.map((r) => ({ value: r[0] ?? '' }));
    throw new CoreError('INVALID_INPUT', `${name}: the first row must name the columns (key, value, partition, timestamp, header:NAME).`);
  }
  const unknown = head.filter((c) => !known(c));
  if (unknown.length) throw new CoreError('INVALID_INPUT', `${name}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `'${c}'`).join(', ')}; use key, value, partition, timestamp or header:NAME.`);
  return rows.slice(1).map((r, i) => {
    const where = `${name} row ${i + 2}`;
    if (r.length !== head.length) throw new CoreError('INVALID_INPUT', `${where} has ${r.length} fields, the header row ${head.length}.`);
    const m: ProduceMessage = { key: null, value: null, headers: [] };
    head.forEach((c, j) => {
      const cell = r[j]!;
      const lc = c.toLowerCase();
      if (lc === 'key') m.key = cell === '' ? null : cell;
      else if (lc === 'value') m.value = cell;
      else if (lc === 'partition') {
        if (cell === '') return;
        if (!/^\d+$/.test(cell)) throw new CoreError('INVALID_INPUT', `${where}: partition '${cell}' is not a whole number.`);
        m.partition = Number(cell);
      } else if (lc === 'timestamp') {
        if (cell === '') return;
        const t = /^\d+$/.test(cell) ? Number(cell) : Date.parse(cell);
        if (Number.isNaN(t)) throw new CoreError('INVALID_INPUT', `${where}: timestamp '${cell}' is neither epoch milliseconds nor an ISO time.`);
        m.timestamp = t;
      } else m.headers!.push([c.slice('header:'.length), cell]);
    });
    return m;
  });
}
