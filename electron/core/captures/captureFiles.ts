import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import { z } from 'zod';
import {
  CaptureExportFormat,
  ConsumedMessage,
  Decoded,
  WireBytes,
  type CaptureSchema,
  type CaptureSummary,
  type CapturedMessage,
} from '../../contract';
import { CoreError } from '../coreError';
import { fromWire } from '../operations/wireBytes';
import { ImportDecoder, namedSchemaIds, schemasFileName, schemasFileText, writeSchemasFile } from './captureSchemas';
import type { CaptureMeta, CaptureStore } from './captureStore';

/** What an export wrote: how many messages, and the registry ids their decoded parts name. */
export interface ExportCount {
  messages: number;
  schemaIds?: Set<number>;
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** A message as `kafka-desk consume --json` prints it (the same fields, in the same order; no size). */
export function consumeJsonShape(m: CapturedMessage | ConsumedMessage): Omit<ConsumedMessage, 'size'> {
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    timestamp: m.timestamp,
    timestampType: m.timestampType,
    key: m.key,
    value: m.value,
    headers: m.headers,
    // the decoded key / value travel with the bytes: an exported capture reads decoded anywhere, no registry needed
    ...(m.decoded ? { decoded: m.decoded } : {}),
  };
}

const CSV_FIELDS = [
  'topic',
  'partition',
  'offset',
  'timestamp',
  'timestampType',
  'keyEncoding',
  'key',
  'valueEncoding',
  'value',
  'headers',
] as const;
/** In CSV a cell is text; the encoding column says how to read it back (`null` tells a null key from an empty one). */
const csvCell = (w: WireBytes): [string, string] =>
  w === null ? ['null', ''] : typeof w === 'string' ? ['utf8', w] : ['base64', w.base64];

/** An offset or a timestamp as a number cell (never escaped below: `-1`, no timestamp, stays `-1`); anything else stays text. */
const integerCell = (s: string): bigint | string => (/^-?\d{1,20}$/.test(s) ? BigInt(s) : s);

function csvRows(batch: CapturedMessage[]): (string | number | bigint)[][] {
  return batch.map((m) => {
    const [keyEncoding, key] = csvCell(m.key);
    const [valueEncoding, value] = csvCell(m.value);
    return [
      m.topic,
      m.partition,
      integerCell(m.offset),
      integerCell(m.timestamp),
      m.timestampType,
      keyEncoding,
      key,
      valueEncoding,
      value,
      JSON.stringify(m.headers),
    ];
  });
}

/**
 * A text cell that a spreadsheet would take as a formula (=HYPERLINK(…) sends data away, =cmd|…
 * runs a program) is written with a leading apostrophe, by PapaParse's own `escapeFormulae`: cells
 * that start with =, +, -, @, tab or CR (OWASP's list), in every text column. PapaParse's default
 * pattern for `true`, /^[=+\-@\t\r].*$/, misses a cell with a newline after its formula (`.`
 * stops at the newline and `$` is the end of the text), so the pattern is given without that tail.
 * Numbers (partition, offset, timestamp) are never escaped.
 */
const CSV_FORMULA = /^[=+\-@\t\r]/;

/**
 * A capture (or the messages `seqs` names) as a file's text, in pieces: NDJSON in consume --json's line
 * shape, a JSON array of the same objects, or CSV (one column per field; headers as JSON; a text cell
 * that would start a formula gets a leading apostrophe, see CSV_FORMULA). Batches
 * are read from the store as they are written, never the whole capture at once.
 */
export function* exportChunks(
  store: CaptureStore,
  id: number,
  format: CaptureExportFormat,
  seqs?: number[],
  counted: ExportCount = { messages: 0 },
): Generator<string> {
  let first = true;
  if (format === 'json') yield '[';
  for (const batch of store.messages(id, seqs)) {
    counted.messages += batch.length;
    if (counted.schemaIds) for (const m of batch) namedSchemaIds(m, counted.schemaIds);
    if (format === 'ndjson') yield batch.map((m) => JSON.stringify(consumeJsonShape(m)) + '\n').join('');
    else if (format === 'json')
      yield batch.map((m, i) => (first && i === 0 ? '\n' : ',\n') + JSON.stringify(consumeJsonShape(m))).join('');
    else
      yield (
        Papa.unparse(
          { fields: [...CSV_FIELDS], data: csvRows(batch) },
          { header: first, newline: '\n', escapeFormulae: CSV_FORMULA },
        ) + '\n'
      );
    first = false;
  }
  if (format === 'json') yield first ? ']\n' : '\n]\n';
  else if (format === 'csv' && first) yield CSV_FIELDS.join(',') + '\n';
}

export const exportFileName = (c: CaptureSummary, format: CaptureExportFormat) =>
  `${c.name.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.${format}`;
export const exportMimeType = { ndjson: 'application/x-ndjson', json: 'application/json', csv: 'text/csv' } as const;

/** Writes an export to a file, streaming; returns how many messages it holds. */
export async function exportToFile(
  store: CaptureStore,
  id: number,
  format: CaptureExportFormat,
  file: string,
  seqs?: number[],
  counted: ExportCount = { messages: 0 },
): Promise<number> {
  try {
    await pipeline(Readable.from(exportChunks(store, id, format, seqs, counted)), createWriteStream(file));
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('FILE_ERROR', `Cannot write ${file}: ${(e as Error).message}`);
  }
  return counted.messages;
}

/**
 * An export to a file, and beside it, in `<file>.schemas.json`, the registry schemas its messages
 * name (written only when there are some; `schemasFile` is then its path).
 */
export async function exportToFileWithSchemas(
  store: CaptureStore,
  id: number,
  format: CaptureExportFormat,
  file: string,
  seqs?: number[],
): Promise<{ count: number; schemasFile: string | null }> {
  const counted: ExportCount = { messages: 0, schemaIds: new Set() };
  const count = await exportToFile(store, id, format, file, seqs, counted);
  const schemas = counted.schemaIds?.size ? store.schemas(id, counted.schemaIds) : [];
  const side = schemasFileName(file);
  if (!schemas.length) {
    // an earlier export's schemas beside the same name would be read with this file by an import
    await rm(side, { force: true });
    return { count, schemasFile: null };
  }
  await writeSchemasFile(side, schemas);
  return { count, schemasFile: side };
}

/**
 * An export as one string, for the window (refused beyond `maxBytes`, its schemas file counted in),
 * how many messages it holds, and the schemas file's text when the exported messages name registry
 * schemas the capture keeps.
 */
export function exportToText(
  store: CaptureStore,
  id: number,
  format: CaptureExportFormat,
  maxBytes: number,
  seqs?: number[],
): { text: string; count: number; schemas?: string } {
  const parts: string[] = [];
  const counted: ExportCount = { messages: 0, schemaIds: new Set() };
  let size = 0;
  const tooLarge = () =>
    new CoreError(
      'PAYLOAD_TOO_LARGE',
      `This export is larger than ${Math.round(maxBytes / 1048576)} MiB; export a selection, or use the command line: kafka-desk captures export '${store.get(id).name}' --out FILE.`,
    );
  for (const chunk of exportChunks(store, id, format, seqs, counted)) {
    size += Buffer.byteLength(chunk, 'utf8');
    if (size > maxBytes) throw tooLarge();
    parts.push(chunk);
  }
  const schemas = counted.schemaIds?.size ? store.schemas(id, counted.schemaIds) : [];
  if (!schemas.length) return { text: parts.join(''), count: counted.messages };
  const schemasText = schemasFileText(schemas);
  if (size + Buffer.byteLength(schemasText, 'utf8') > maxBytes) throw tooLarge();
  return { text: parts.join(''), count: counted.messages, schemas: schemasText };
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/** A line as `kafka-desk consume --json` (and the NDJSON export) writes it; `size` is recomputed. */
const DeskLine = z.object({
  topic: z.string(),
  partition: z.number().int().min(0),
  offset: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String),
  timestamp: z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform(String),
  timestampType: ConsumedMessage.shape.timestampType.default('CreateTime'),
  key: WireBytes.default(null),
  value: WireBytes.default(null),
  headers: z.array(z.tuple([z.string(), WireBytes])).default([]),
  // the decoded form an export wrote; one that is not the contract's shape is dropped (the bytes stay)
  decoded: Decoded.optional().catch(undefined),
});

/**
 * A line of `kcat -C -J`: key and payload are strings (null when absent), headers a flat
 * [name, value, name, value…] array (or, with kcat's header map option, name → [values]), `ts` and
 * `tstype` present when the broker gave a timestamp.
 */
const KcatLine = z.object({
  topic: z.string(),
  partition: z.number().int().min(0),
  offset: z.number().int().nonnegative(),
  tstype: z.enum(['create', 'logappend', 'unknown']).optional(),
  ts: z.number().int().optional(),
  broker: z.number().int().optional(),
  headers: z.union([z.array(z.string().nullable()), z.record(z.string(), z.array(z.string().nullable()))]).optional(),
  key: z.string().nullable().default(null),
  payload: z.string().nullable().default(null),
});

function fromKcat(k: z.output<typeof KcatLine>, where: string): ConsumedMessage {
  const headers: [string, WireBytes][] = [];
  if (Array.isArray(k.headers)) {
    if (k.headers.length % 2)
      throw new CoreError('INVALID_INPUT', `${where}: kcat headers must come in name, value pairs.`);
    for (let i = 0; i < k.headers.length; i += 2) {
      const name = k.headers[i];
      if (name === null || name === undefined)
        throw new CoreError('INVALID_INPUT', `${where}: a kcat header has no name.`);
      headers.push([name, k.headers[i + 1] ?? null]);
    }
  } else if (k.headers) {
    for (const [name, values] of Object.entries(k.headers)) for (const v of values) headers.push([name, v]);
  }
  return withSize({
    topic: k.topic,
    partition: k.partition,
    // kcat prints the offset as a JSON number: beyond 2^53 it cannot be exact
    offset: BigInt(k.offset).toString(),
    timestamp: String(k.ts ?? -1),
    timestampType: k.tstype === 'logappend' ? 'LogAppendTime' : 'CreateTime',
    key: k.key,
    value: k.payload,
    headers,
  });
}

const byteLength = (w: WireBytes) => fromWire(w)?.length ?? 0;
const withSize = (m: Omit<ConsumedMessage, 'size'>): ConsumedMessage => ({
  ...m,
  size: byteLength(m.key) + byteLength(m.value),
});

/** One line of an import: Kafka Desk's NDJSON or kcat -J, told apart by kcat's `payload` field. */
export function parseImportLine(text: string, where: string): ConsumedMessage {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CoreError('INVALID_INPUT', `${where} is not JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new CoreError(
      'INVALID_INPUT',
      `${where} is not a JSON object (one message per line, as consume --json or kcat -J print them).`,
    );
  const isKcat = 'payload' in doc || 'tstype' in doc || ('ts' in doc && !('timestamp' in doc));
  const parsed = isKcat ? KcatLine.safeParse(doc) : DeskLine.safeParse(doc);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new CoreError(
      'INVALID_INPUT',
      `${where} is not a message${isKcat ? ' in kcat -J form' : ''}: ${i.path.map(String).join('.') || '(line)'} ${i.message}.`,
    );
  }
  if (isKcat) return fromKcat(parsed.data as z.output<typeof KcatLine>, where);
  const { decoded, ...line } = parsed.data as z.output<typeof DeskLine>;
  return withSize({ ...line, ...(decoded && (decoded.key || decoded.value) ? { decoded } : {}) });
}

/** Splits a byte stream into lines (LF or CRLF) without decoding it: each line is checked as UTF-8 on its own. */
export async function* byteLines(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const buf = rest.length
      ? Buffer.concat([rest, typeof chunk === 'string' ? Buffer.from(chunk) : chunk])
      : typeof chunk === 'string'
        ? Buffer.from(chunk)
        : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      yield buf.subarray(start, nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl);
      start = nl + 1;
    }
    rest = Buffer.from(buf.subarray(start));
  }
  if (rest.length) yield rest[rest.length - 1] === 0x0d ? rest.subarray(0, -1) : rest;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const IMPORT_BATCH = 2000;
const MAX_WARNINGS = 20;

export interface ImportResult {
  capture: CaptureSummary;
  warnings: string[];
}

/**
 * Imports NDJSON (Kafka Desk's, or kcat -J's) into a new capture, line by line in batches, inside one
 * transaction: a bad line stops the import with its line number and nothing is kept. kcat writes
 * binary keys and values raw into its JSON; such a line is not UTF-8 and is imported with the bad
 * bytes replaced, and said so in the warnings. With `schemas` (a schemas file's, parsed), the capture
 * keeps those its messages name, and a key or value in Confluent's wire format that has no decoded
 * form is decoded with them here (no registry, no network); a schema that does not compile is a
 * warning, and its messages keep their bytes.
 */
export async function importLines(
  store: CaptureStore,
  meta: Omit<CaptureMeta, 'source' | 'schemas'>,
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  fileName: string,
  schemas: CaptureSchema[] = [],
): Promise<ImportResult> {
  const warnings: string[] = [];
  const decoder = new ImportDecoder(schemas);
  let lossy = 0;
  async function* batches(): AsyncGenerator<ConsumedMessage[]> {
    let batch: ConsumedMessage[] = [];
    let no = 0;
    let count = 0;
    for await (const bytes of byteLines(source)) {
      no += 1;
      let text: string;
      try {
        text = strictUtf8.decode(bytes);
      } catch {
        text = lenientUtf8.decode(bytes);
        lossy += 1;
        if (warnings.length < MAX_WARNINGS)
          warnings.push(
            `Line ${no} of ${fileName} is not UTF-8 (kcat writes binary keys and values raw); its bad bytes were replaced.`,
          );
      }
      if (!text.trim()) continue;
      batch.push(decoder.decode(parseImportLine(text, `Line ${no} of ${fileName}`)));
      count += 1;
      if (batch.length >= IMPORT_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
    if (!count) throw new CoreError('INVALID_INPUT', `${fileName} holds no messages.`);
  }
  const capture = await store.createStreaming({ ...meta, source: 'import', schemas: decoder.lookup }, batches());
  if (lossy > MAX_WARNINGS) warnings.push(`${lossy} lines in all were not UTF-8.`);
  warnings.push(...decoder.warnings.slice(0, MAX_WARNINGS));
  return { capture, warnings };
}

/** Imports a file by path, streaming it (a file of any size is never read whole). */
export async function importFile(
  store: CaptureStore,
  meta: Omit<CaptureMeta, 'source' | 'schemas'>,
  file: string,
  schemas: CaptureSchema[] = [],
): Promise<ImportResult> {
  const stream = createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    throw new CoreError('FILE_ERROR', `Cannot read ${file}: ${(e as Error).message}`);
  }
  return importLines(store, meta, stream, path.basename(file), schemas);
}
