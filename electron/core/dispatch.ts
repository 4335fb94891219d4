import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  MAX_REPLY_BYTES,
  MAX_REQUEST_BYTES,
  channelNames,
  channels,
  isChannelName,
  type AppError,
  type ChannelName,
  type Result,
} from '../contract';
import { CoreError, describeCause } from './coreError';
import type { Handlers } from './handlers';

/** Bytes of a request as it crossed the boundary (JSON); `undefined` counts as nothing. */
export function requestSize(input: unknown): number {
  try {
    const s = JSON.stringify(input);
    return s === undefined ? 0 : Buffer.byteLength(s, 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * What JSON.stringify may escape: `"` and `\` (2 bytes), control characters (2 or 6), surrogates (a
 * lone one: 6). Written as "anything but what is never escaped": V8 scans a negated class faster.
 */
const NEEDS_ESCAPE = /[^\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]/;

/** Bytes of `s` as a JSON string in UTF-8, quotes included: exact (what JSON.stringify writes). */
function jsonStringBytes(s: string): number {
  // Buffer.byteLength is native and counts UTF-8 exactly; only strings that need escaping are walked
  let n = Buffer.byteLength(s, 'utf8') + 2;
  if (!NEEDS_ESCAPE.test(s)) return n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) n += 1;
    else if (c < 0x20)
      n += 5; // \u00XX where UTF-8 had 1 byte
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00)
      i++; // a pair: 4 bytes either way
    else if (c >= 0xd800 && c <= 0xdfff) n += 3; // a lone surrogate: \uXXXX where byteLength counted U+FFFD's 3
  }
  return n;
}

/** Deeper than this an answer is taken as having no JSON form (no contract shape nests like that). */
const MAX_REPLY_DEPTH = 1000;

/**
 * About how many bytes `value` takes as JSON (UTF-8), found by walking it, never by building the
 * text: the walk stops as soon as the count passes `limit`, so a value of gigabytes costs no more
 * than `limit` bytes' worth of walking, and an answer over V8's string limit is measured where
 * JSON.stringify would throw. Exact for plain data (objects, arrays, strings, numbers, booleans,
 * null, what toJSON returns); conservative (an upper bound) for typed arrays; a BigInt counts as its
 * digits (JSON.stringify refuses it, which the host sending the answer reports). A number over
 * `limit` means only "over": the walk stopped there. Infinity: no JSON form (a cycle, or nesting
 * deeper than MAX_REPLY_DEPTH levels).
 */
export function replySize(value: unknown, limit: number): number {
  let total = 0;
  const open = new Set<object>();
  /** Adds `v`'s bytes to `total`; 'omit' when JSON leaves it out (undefined, a function, a symbol); 'stop' when over the limit or unmeasurable. */
  const add = (v: unknown, key: string, depth: number, fromToJSON = false): 'ok' | 'omit' | 'stop' => {
    switch (typeof v) {
      case 'string':
        // every UTF-16 unit is at least one byte: a string that cannot fit is not scanned
        if (total + v.length + 2 > limit) total += v.length + 2;
        else total += jsonStringBytes(v);
        break;
      case 'number':
        total += Number.isFinite(v) ? String(v).length : 4;
        break;
      case 'boolean':
        total += v ? 4 : 5;
        break;
      case 'bigint':
        total += v.toString().length;
        break;
      case 'undefined':
      case 'function':
      case 'symbol':
        return 'omit';
      case 'object': {
        if (v === null) {
          total += 4;
          break;
        }
        if (depth > MAX_REPLY_DEPTH || open.has(v)) {
          total = Number.POSITIVE_INFINITY;
          return 'stop';
        }
        if (Buffer.isBuffer(v)) {
          // its toJSON: {"type":"Buffer","data":[…]}, at most 3 digits and a comma a byte
          total += 27 + 4 * v.length;
          break;
        }
        if (ArrayBuffer.isView(v)) {
          // {"0":…,"1":…}: per element at most its index, quotes, colon, comma and a 24-character number
          const length = v instanceof DataView ? 0 : (v as unknown as ArrayLike<unknown>).length;
          total += 2 + length * (String(length).length + 28);
          break;
        }
        // JSON.stringify calls toJSON once (a Date's gives its ISO string), then writes what it returned
        const toJSON = (v as { toJSON?: unknown }).toJSON;
        if (!fromToJSON && typeof toJSON === 'function')
          return add((toJSON as (k: string) => unknown).call(v, key), key, depth, true);
        open.add(v);
        try {
          if (Array.isArray(v)) {
            total += 2 + Math.max(0, v.length - 1);
            for (let i = 0; i < v.length; i++) {
              const r = add(v[i], String(i), depth + 1);
              if (r === 'stop') return 'stop';
              if (r === 'omit') {
                total += 4; // null in an array
                if (total > limit) return 'stop';
              }
            }
          } else {
            let fields = 0;
            total += 2;
            for (const k of Object.keys(v)) {
              const r = add((v as Record<string, unknown>)[k], k, depth + 1);
              if (r === 'stop') return 'stop';
              if (r === 'omit') continue; // left out of the object, key and all
              total += jsonStringBytes(k) + 1 + (fields > 0 ? 1 : 0);
              fields++;
              if (total > limit) return 'stop';
            }
          }
        } finally {
          open.delete(v);
        }
        break;
      }
    }
    return total > limit ? 'stop' : 'ok';
  };
  add(value, '', 0);
  return total;
}

/** What to do instead of asking for an answer this large, per channel that can return a lot. */
const largeAnswerHint: Partial<Record<ChannelName, string>> = {
  'operations.consume': "read into the window's session, which pages (into: 'session'); or lower max",
  'listen.history': 'ask for a smaller page (limit) and go on from offset',
  'sessions.rows': 'ask for fewer rows at a time (limit)',
  'captures.rows': 'ask for fewer rows at a time (limit)',
  'captures.export':
    'export a selection, or the whole capture with the command line (kafka-desk captures export NAME --out FILE)',
  'operations.parseFile': 'split the file, or send it whole with the command line (kafka-desk produce --file)',
};

export function zodToAppError(err: z.ZodError, channel: string): AppError {
  const fields = err.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(input)',
    message: i.code === 'unrecognized_keys' ? `unexpected field(s): ${i.keys.join(', ')}` : i.message,
  }));
  const first = fields[0];
  return {
    code: 'INVALID_INPUT',
    message: first
      ? `Invalid request for ${channel}: ${first.path} ${first.message}.`
      : `Invalid request for ${channel}.`,
    fields,
  };
}

export interface DispatchLimits {
  /** Largest answer, as JSON bytes (default MAX_REPLY_BYTES); Infinity: not measured. */
  maxReplyBytes?: number;
  /**
   * Parse every answer against its channel's output schema and fail with INTERNAL when it does not
   * match (default: on when KAFKA_DESK_CHECK_REPLIES=1, as the test suites run). Off in the app: an
   * answer is built by our own code, and parsing a large page twice costs what the check is worth.
   */
  checkReply?: boolean;
}

const checkRepliesByDefault = () => process.env.KAFKA_DESK_CHECK_REPLIES === '1';

/**
 * With KAFKA_DESK_REPLY_LOG set to a folder (`npm test` sets it), each channel whose answer passed the
 * check is written there once per process, so the run can tell which channels its tests exercised.
 */
const checkedChannels = new Set<string>();
function noteChecked(channel: string): void {
  const dir = process.env.KAFKA_DESK_REPLY_LOG;
  if (!dir || checkedChannels.has(channel)) return;
  checkedChannels.add(channel);
  try {
    mkdirSync(dir, { recursive: true });
    if (checkedChannels.size === 1) writeFileSync(path.join(dir, 'channels.txt'), channelNames.join('\n') + '\n');
    appendFileSync(path.join(dir, `checked-${process.pid}.txt`), channel + '\n');
  } catch {
    // a test aid only: never a reason for a request to fail
  }
}

/**
 * The single entry for every host: checks the channel name, the size and the shape of the input
 * against the contract, calls the handler, checks the size of its answer (MAX_REPLY_BYTES: no host
 * is handed more than a window can take), and turns any failure into an error value.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  input: unknown,
  limits: DispatchLimits = {},
): Promise<Result<unknown>> {
  if (!isChannelName(channel)) {
    // not String(channel): a parsed {"toString": 1} would make it throw
    const named =
      typeof channel === 'string' ? channel.slice(0, 80) : `(a ${channel === null ? 'null' : typeof channel})`;
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel named ${named}.` } };
  }
  const size = requestSize(input);
  if (size > MAX_REQUEST_BYTES) {
    return {
      ok: false,
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request to ${channel} is ${Number.isFinite(size) ? `${(size / 1048576).toFixed(1)} MiB` : 'not serialisable'}; the limit is ${MAX_REQUEST_BYTES / 1048576} MiB.`,
      },
    };
  }
  const parsed = channels[channel].input.safeParse(input);
  if (!parsed.success) return { ok: false, error: zodToAppError(parsed.error, channel) };
  try {
    const handler = handlers[channel] as (i: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    if (limits.checkReply ?? checkRepliesByDefault()) {
      const reply = channels[channel].output.safeParse(value);
      if (!reply.success) {
        const first = reply.error.issues[0];
        const where = first ? `${first.path.map(String).join('.') || '(answer)'}: ${first.message}` : '';
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `Kafka Desk failed unexpectedly in ${channel}: its answer does not match the contract.`,
            detail: where,
          },
        };
      }
      noteChecked(channel);
    }
    const maxReply = limits.maxReplyBytes ?? MAX_REPLY_BYTES;
    if (maxReply !== Number.POSITIVE_INFINITY) {
      const replyBytes = replySize(value, maxReply);
      if (replyBytes === Number.POSITIVE_INFINITY) {
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `Kafka Desk failed unexpectedly in ${channel}: its answer has no JSON form.`,
            detail: `a cycle, or nesting deeper than ${MAX_REPLY_DEPTH} levels`,
          },
        };
      }
      if (replyBytes > maxReply) {
        const mib =
          maxReply >= 1048576 ? `${Math.round(maxReply / 1048576)} MiB` : `${maxReply.toLocaleString('en')} bytes`;
        const hint = largeAnswerHint[channel] ?? 'ask for less at a time';
        return {
          ok: false,
          error: {
            code: 'PAYLOAD_TOO_LARGE',
            message: `The answer of ${channel} is larger than ${mib}, more than a window can take; ${hint}.`,
            detail: `over ${maxReply.toLocaleString('en')} bytes as JSON (measured up to the limit)`,
          },
        };
      }
    }
    return { ok: true, value };
  } catch (e) {
    if (e instanceof CoreError) return { ok: false, error: e.toAppError() };
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `Kafka Desk failed unexpectedly in ${channel}.`, detail: describeCause(e) },
    };
  }
}

export type Dispatch = (channel: ChannelName | string, input: unknown) => Promise<Result<unknown>>;
export const dispatcherFor =
  (handlers: Handlers): Dispatch =>
  (channel, input) =>
    dispatch(handlers, channel, input);
