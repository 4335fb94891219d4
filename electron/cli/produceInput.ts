import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ProduceMessage, WireBytes } from '../contract';
import { CoreError } from '../core/coreError';
import { parseMessageFile, parseMessageLine, type MessageFileFormat } from '../core/operations/messageFile';

/**
 * What `kafka-desk produce` sends, from its flags or a file: headers as key=value, a large file read
 * line by line and cut into request-sized batches (the core takes at most 100,000 messages and 48 MiB
 * a request), any other file parsed by the core as the app's "send a file" is.
 */

export function header(h: string): [string, WireBytes] {
  const i = h.indexOf('=');
  if (i < 1) throw new CoreError('INVALID_INPUT', `--header ${h}: write it as key=value.`);
  return [h.slice(0, i), h.slice(i + 1)];
}

/** Roughly what a message weighs in a request (its JSON): for cutting a large file into batches. */
function approxBytes(m: ProduceMessage): number {
  const w = (v: unknown) =>
    v === null || v === undefined ? 4 : typeof v === 'string' ? v.length + 2 : JSON.stringify(v).length;
  return 64 + w(m.key) + w(m.value) + (m.headers ?? []).reduce((n, [k, v]) => n + k.length + w(v) + 8, 0);
}

const BATCH_COUNT = 20_000;
const BATCH_BYTES = 16 * 1024 * 1024;

/** Cuts messages into request-sized batches (a request to the core is at most 100,000 messages and 48 MiB). */
export async function* inBatches(
  source: AsyncIterable<ProduceMessage> | Iterable<ProduceMessage>,
): AsyncGenerator<ProduceMessage[]> {
  let batch: ProduceMessage[] = [];
  let bytes = 0;
  for await (const m of source) {
    const size = approxBytes(m);
    if (batch.length && (batch.length >= BATCH_COUNT || bytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(m);
    bytes += size;
  }
  if (batch.length) yield batch;
}

/** A lines / NDJSON file, line by line: never the whole file in memory. */
export async function* fileLines(file: string, format: 'lines' | 'ndjson'): AsyncGenerator<ProduceMessage> {
  let lineNo = 0;
  const input = createReadStream(file, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) =>
    input.once('error', (e) => reject(new CoreError('FILE_ERROR', `Cannot read ${file}: ${e.message}`))),
  );
  failed.catch(() => undefined);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      lineNo += 1;
      const m = parseMessageLine(line, format, file, lineNo);
      if (m) yield m;
    }
  } catch (e) {
    if (e instanceof CoreError) throw e;
    await failed;
    throw e;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Messages from a file, parsed by the core as the app's "send a file" does. */
export async function messagesFromFile(file: string, format: string): Promise<ProduceMessage[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CoreError('FILE_ERROR', `Cannot read ${file}: ${(e as Error).message}`);
  }
  return parseMessageFile(text, format as MessageFileFormat, file);
}
