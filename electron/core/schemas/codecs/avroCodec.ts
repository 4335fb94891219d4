import avro from 'avsc';
import {
  base64ToBytes,
  childPath,
  describeValue,
  floatFromJson,
  floatToJson,
  formatDate,
  formatTimeOfDay,
  formatTimestamp,
  indexPath,
  isPlainObject,
  parseDate,
  parseTimeOfDay,
  parseTimestamp,
  shownPath,
  todayDays,
} from './jsonReady';
import { SchemaDecodeError, SchemaEncodeError, SchemaParseError, type Codec, type SchemaSource } from './types';

/**
 * Avro through avsc's schema parser (names, namespaces, references, validation of the schema), with
 * our own binary reader and writer over its type tree. Why not avsc's own: its reader trusts block
 * counts from the bytes (an array of nulls claiming 2^62 items spins forever), it throws on longs
 * beyond 2^53, and it cannot say which field of a user's input is wrong. The JSON-ready form is a
 * convention other code relies on: unions unwrapped, enums as symbols, bytes/fixed as {"base64"},
 * longs as numbers (strings of digits beyond 2^53), logical types as readable strings.
 */

/** The parts of avsc's types we read (its typings expose them loosely). */
interface AType {
  readonly typeName: string;
  readonly name?: string;
  readonly branchName?: string;
  readonly doc?: string;
  readonly fields?: AField[];
  readonly symbols?: string[];
  readonly size?: number;
  readonly itemsType?: AType;
  readonly valuesType?: AType;
  readonly types?: AType[];
  readonly underlyingType?: AType;
  /** Set by our pass-through logical type. */
  readonly logical?: LogicalInfo;
}
interface AField {
  readonly name: string;
  readonly type: AType;
  readonly doc?: string;
  defaultValue(): unknown;
}
interface LogicalInfo {
  name: string;
  precision?: number;
  scale?: number;
}

const LOGICAL_NAMES = [
  'decimal',
  'uuid',
  'date',
  'time-millis',
  'time-micros',
  'timestamp-millis',
  'timestamp-micros',
  'local-timestamp-millis',
  'local-timestamp-micros',
];

/** Keeps avsc's values as they are and only records the logical type; the conversions are ours. */
class PassThroughLogical extends avro.types.LogicalType {
  readonly logical: LogicalInfo;
  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    const s = schema as { logicalType?: unknown; precision?: unknown; scale?: unknown };
    this.logical = {
      name: String(s.logicalType),
      precision: typeof s.precision === 'number' ? s.precision : undefined,
      scale: typeof s.scale === 'number' ? s.scale : 0,
    };
  }
  override _fromValue(v: unknown): unknown {
    return v;
  }
  override _toValue(v: unknown): unknown {
    return v;
  }
  override _resolve(): undefined {
    return undefined;
  }
}

const LOGICAL_TYPES = Object.fromEntries(LOGICAL_NAMES.map((n) => [n, PassThroughLogical]));

/** Nesting deeper than this in bytes, in a sample or in input is refused (recursive records). */
const MAX_DEPTH = 1000;
/** Items of zero width (null, empty records) consume no bytes: their count needs a cap of its own. */
const MAX_ZERO_WIDTH_ITEMS = 100_000;
const SAMPLE_DEPTH = 4;

// --- what a logical type applies to (one on the wrong underlying type is ignored, as the spec says)

type Kind =
  | { k: 'decimal'; precision: number; scale: number; fixed?: number }
  | { k: 'uuid'; fixed: boolean }
  | { k: 'date' }
  | { k: 'time'; per: bigint }
  | { k: 'timestamp'; per: bigint; zone: boolean }
  | null;

/** Per type, computed once: the reader asks for it on every value it reads. */
const kinds = new WeakMap<AType, Kind>();
function logicalKind(t: AType): Kind {
  if (!t.logical) return null;
  let k = kinds.get(t);
  if (k === undefined) kinds.set(t, (k = logicalKindOf(t)));
  return k;
}
function logicalKindOf(t: AType): Kind {
  const l = t.logical;
  const u = t.underlyingType;
  if (!l || !u) return null;
  const base = u.typeName;
  switch (l.name) {
    case 'decimal':
      if ((base === 'bytes' || base === 'fixed') && typeof l.precision === 'number' && l.precision > 0)
        return {
          k: 'decimal',
          precision: l.precision,
          scale: l.scale ?? 0,
          fixed: base === 'fixed' ? u.size : undefined,
        };
      return null;
    case 'uuid':
      return base === 'string'
        ? { k: 'uuid', fixed: false }
        : base === 'fixed' && u.size === 16
          ? { k: 'uuid', fixed: true }
          : null;
    case 'date':
      return base === 'int' ? { k: 'date' } : null;
    case 'time-millis':
      return base === 'int' ? { k: 'time', per: 1000n } : null;
    case 'time-micros':
      return base === 'long' ? { k: 'time', per: 1000000n } : null;
    case 'timestamp-millis':
    case 'local-timestamp-millis':
      return base === 'long' ? { k: 'timestamp', per: 1000n, zone: !l.name.startsWith('local') } : null;
    case 'timestamp-micros':
    case 'local-timestamp-micros':
      return base === 'long' ? { k: 'timestamp', per: 1000000n, zone: !l.name.startsWith('local') } : null;
    default:
      return null;
  }
}

// --- binary reading, every length checked against what is left

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get left(): number {
    return this.buf.length - this.pos;
  }
  private truncated(): never {
    throw new SchemaDecodeError(`The Avro value is truncated (at byte ${this.pos} of ${this.buf.length}).`);
  }
  byte(): number {
    if (this.pos >= this.buf.length) this.truncated();
    return this.buf[this.pos++]!;
  }
  long(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (result >> 1n) ^ -(result & 1n);
      shift += 7n;
    }
    throw new SchemaDecodeError(`A varint at byte ${this.pos} is longer than 10 bytes.`);
  }
  /**
   * The same varint as long(), as a Number while it has at most 7 bytes (|n| < 2^48, exact): BigInt
   * arithmetic on every int and length dominated decoding. Longer ones are read again by long().
   */
  small(): number | bigint {
    const start = this.pos;
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      const b = this.byte();
      n += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      mul *= 128;
    }
    this.pos = start;
    return this.long();
  }
  int(): number {
    const n = this.small();
    if (typeof n === 'number') {
      if (n < -2147483648 || n > 2147483647) throw new SchemaDecodeError(`An int at byte ${this.pos} is out of range.`);
      return n;
    }
    if (n < -2147483648n || n > 2147483647n) throw new SchemaDecodeError(`An int at byte ${this.pos} is out of range.`);
    return Number(n);
  }
  /** Read in place (no subarray per value); a short buffer fails as take() does. */
  double(): number {
    if (this.left < 8) this.truncated();
    const d = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return d;
  }
  float(): number {
    if (this.left < 4) this.truncated();
    const f = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return f;
  }
  string(): string {
    const n = this.length();
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  take(n: number): Buffer {
    if (n > this.left) this.truncated();
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  length(): number {
    const n = this.small();
    if (typeof n === 'number') {
      if (n < 0) throw new SchemaDecodeError(`A negative length (${n}) at byte ${this.pos}.`);
      if (n > this.left) this.truncated();
      return n;
    }
    if (n < 0n) throw new SchemaDecodeError(`A negative length (${n}) at byte ${this.pos}.`);
    if (n > BigInt(this.left)) this.truncated();
    return Number(n);
  }
}

class Writer {
  private buf = Buffer.alloc(256);
  pos = 0;
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  long(v: bigint): void {
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.room(10);
    while (z >= 0x80n) {
      this.buf[this.pos++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    this.buf[this.pos++] = Number(z);
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  float(v: number, single: boolean): void {
    this.room(8);
    this.pos = single ? this.buf.writeFloatLE(v, this.pos) : this.buf.writeDoubleLE(v, this.pos);
  }
  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

// --- values between forms

/** 0000-01-01 and 10000-01-01 in ms: the range where Date's ISO text has 4-digit years. */
const MIN_ISO_MS = -62167219200000;
const MAX_ISO_MS = 253402300800000;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** A long as a JSON number while exact, else as a string of digits. */
const longToJson = (n: bigint): number | string =>
  n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();

function bytesToBigInt(b: Buffer): bigint {
  if (b.length === 0) return 0n;
  const n = BigInt(`0x${b.toString('hex')}`);
  return b[0]! & 0x80 ? n - (1n << BigInt(b.length * 8)) : n;
}

/** Two's complement, big-endian: the shortest (bytes) or exactly `size` bytes (fixed), or null if it does not fit. */
function bigIntToBytes(n: bigint, size?: number): Buffer | null {
  let len = 1;
  while (n < -(1n << BigInt(len * 8 - 1)) || n >= 1n << BigInt(len * 8 - 1)) len++;
  if (size !== undefined) {
    if (len > size) return null;
    len = size;
  }
  const u = BigInt.asUintN(len * 8, n);
  return Buffer.from(u.toString(16).padStart(len * 2, '0'), 'hex');
}

function formatDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString();
  if (scale <= 0) return `${neg ? '-' : ''}${digits}${'0'.repeat(Math.max(0, -scale))}`;
  const padded = digits.padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

const DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** "12.34" (or 12.34) → its unscaled value at `scale`, or a sentence saying why not. */
function parseDecimal(v: string, scale: number, precision: number): bigint | string {
  const m = DECIMAL_RE.exec(v.trim());
  if (!m) return 'is not a decimal number';
  let intPart = m[2]!;
  let frac = m[3] ?? '';
  const exp = Number(m[4] ?? '0');
  if (exp > 0) {
    const moved = frac.padEnd(exp, '0');
    intPart += moved.slice(0, exp);
    frac = moved.slice(exp);
  } else if (exp < 0) {
    const whole = intPart.padStart(-exp + 1, '0');
    frac = whole.slice(exp) + frac;
    intPart = whole.slice(0, exp);
  }
  const extra = frac.slice(scale);
  if (/[1-9]/.test(extra)) return `has more than ${scale} decimal places`;
  const unscaled = BigInt(intPart + frac.slice(0, scale).padEnd(scale, '0')) * (m[1] === '-' ? -1n : 1n);
  const digitCount = (unscaled < 0n ? -unscaled : unscaled).toString().length;
  if (unscaled !== 0n && digitCount > precision) return `has more than ${precision} significant digits`;
  return unscaled;
}

function uuidFromBytes(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// --- describing types in errors and JSON Schemas

function describeType(t: AType): string {
  const kind = logicalKind(t);
  if (kind) {
    switch (kind.k) {
      case 'decimal':
        return `a decimal string with at most ${kind.scale} decimal places (like "${formatDecimal(0n, kind.scale)}")`;
      case 'uuid':
        return 'a UUID string';
      case 'date':
        return 'a date "YYYY-MM-DD" (or days since 1970-01-01)';
      case 'time':
        return `a time "HH:MM:SS.${kind.per === 1000n ? 'mmm' : 'uuuuuu'}"`;
      case 'timestamp':
        return `a timestamp like "2024-05-01T12:00:00.000${kind.zone ? 'Z' : ''}" (or a number of ${kind.per === 1000n ? 'milliseconds' : 'microseconds'})`;
    }
  }
  const u = t.underlyingType ?? t;
  switch (u.typeName) {
    case 'null':
      return 'null';
    case 'boolean':
      return 'a boolean';
    case 'int':
      return 'an int';
    case 'long':
      return 'a long';
    case 'float':
      return 'a float';
    case 'double':
      return 'a double';
    case 'string':
      return 'a string';
    case 'bytes':
      return 'bytes as {"base64": "…"}';
    case 'fixed':
      return `${u.size} bytes as {"base64": "…"}`;
    case 'enum': {
      const s = u.symbols ?? [];
      return `one of the symbols ${s.slice(0, 8).join(', ')}${s.length > 8 ? ', …' : ''}`;
    }
    case 'array':
      return 'an array';
    case 'map':
      return 'an object (a map)';
    case 'record':
    case 'error':
      return `an object (record ${u.name ?? ''})`;
    default:
      return u.typeName;
  }
}

const shortName = (n: string): string => n.slice(n.lastIndexOf('.') + 1);

/** Reads one value of a type at the reader's position; `depth` bounds nesting (recursive records). */
type ReadFn = (r: Reader, depth: number) => unknown;

/**
 * The next array or map block's item count (0: the end): a count, negative when followed by the
 * block's byte size. A count the remaining bytes cannot hold is refused before any item is read;
 * items of zero width (null, empty records) are capped in total (`before`: items read so far).
 */
function nextBlock(r: Reader, width: number, before: number): number {
  const c = r.small();
  if (c === 0 || c === 0n) return 0;
  let n = c;
  if (n < 0) {
    n = -n;
    const size = r.small();
    if (size < 0) throw new SchemaDecodeError(`A negative block size (${size}) at byte ${r.pos}.`);
  }
  // a count of 2^48 or more (a bigint here) is beyond any buffer and beyond the zero-width cap
  if (typeof n === 'bigint' || (width > 0 ? n > Math.floor(r.left / width) : n + before > MAX_ZERO_WIDTH_ITEMS))
    throw new SchemaDecodeError(
      `A block claims ${n} items, more than the ${r.left} remaining bytes can hold (at byte ${r.pos}).`,
    );
  return n;
}

export class AvroCodec implements Codec {
  readonly schemaType = 'AVRO' as const;
  private readonly minSizes = new Map<AType, number>();
  private readonly readers = new Map<AType, ReadFn>();

  constructor(readonly type: AType) {}

  // --- decode

  decode(payload: Buffer): { value: unknown } {
    const r = new Reader(payload);
    let value: unknown;
    try {
      value = this.reader(this.type)(r, 0);
    } catch (e) {
      if (e instanceof SchemaDecodeError) throw e;
      if (e instanceof RangeError) throw new SchemaDecodeError(`The Avro value could not be read: ${e.message}.`);
      throw e;
    }
    if (r.left > 0)
      throw new SchemaDecodeError(
        `${r.left} byte${r.left === 1 ? '' : 's'} left after the Avro value (read ${r.pos} of ${payload.length}): the bytes were not written with this schema.`,
      );
    return { value };
  }

  /** The fewest bytes a value of the type takes (0 for null or an empty record): bounds block counts. */
  private minSize(t: AType): number {
    const hit = this.minSizes.get(t);
    if (hit !== undefined) return hit;
    this.minSizes.set(t, 0); // a recursive record: its inner occurrence counts as 0
    const u = t.underlyingType ?? t;
    let n: number;
    switch (u.typeName) {
      case 'null':
        n = 0;
        break;
      case 'float':
        n = 4;
        break;
      case 'double':
        n = 8;
        break;
      case 'fixed':
        n = u.size ?? 0;
        break;
      case 'record':
      case 'error':
        n = (u.fields ?? []).reduce((s, f) => s + this.minSize(f.type), 0);
        break;
      default:
        n = 1;
    }
    this.minSizes.set(t, n);
    return n;
  }

  /**
   * The reader of a type, built once per type and kept: the schema turned into a tree of closures
   * (never into code: names from a schema someone shared are data), so reading a message does not
   * walk the schema, switch on type names or look up logical types again for every value.
   */
  private reader(t: AType): ReadFn {
    const hit = this.readers.get(t);
    if (hit) return hit;
    // a recursive record meets itself while it is built: that inner use goes through the table
    this.readers.set(t, (r, d) => this.readers.get(t)!(r, d));
    const built = this.build(t);
    this.readers.set(t, built);
    return built;
  }

  private build(t: AType): ReadFn {
    const kind = logicalKind(t);
    const u = t.underlyingType ?? t;
    switch (u.typeName) {
      case 'null':
        return () => null;
      case 'boolean':
        return (r) => {
          const b = r.byte();
          if (b > 1) throw new SchemaDecodeError(`A boolean byte is ${b}, not 0 or 1 (at byte ${r.pos - 1}).`);
          return b === 1;
        };
      case 'int':
        if (kind?.k === 'date') return (r) => formatDate(r.int());
        if (kind?.k === 'time')
          return (r) => {
            const n = r.int();
            return n >= 0 && n < 86400000 ? formatTimeOfDay(BigInt(n), 1000n) : n;
          };
        return (r) => r.int();
      case 'long': {
        if (!kind)
          return (r) => {
            const s = r.small();
            return typeof s === 'number' ? s : longToJson(s);
          };
        return (r) => {
          const s = r.small();
          // Date formats exactly like formatTimestamp only for years 0000-9999
          if (
            typeof s === 'number' &&
            kind.k === 'timestamp' &&
            kind.per === 1000n &&
            s >= MIN_ISO_MS &&
            s < MAX_ISO_MS
          ) {
            const iso = new Date(s).toISOString();
            return kind.zone ? iso : iso.slice(0, -1);
          }
          const n = BigInt(s);
          if (kind.k === 'timestamp') return formatTimestamp(n, kind.per, kind.zone);
          if (kind.k === 'time' && n >= 0n && n < 86400n * kind.per) return formatTimeOfDay(n, kind.per);
          return longToJson(n);
        };
      }
      case 'float':
        return (r) => floatToJson(r.float(), true);
      case 'double':
        return (r) => floatToJson(r.double(), false);
      case 'string':
        return (r) => r.string();
      case 'bytes':
        if (kind?.k === 'decimal') {
          const scale = kind.scale;
          return (r) => formatDecimal(bytesToBigInt(r.take(r.length())), scale);
        }
        return (r) => ({ base64: r.take(r.length()).toString('base64') });
      case 'fixed': {
        const size = u.size ?? 0;
        if (kind?.k === 'decimal') {
          const scale = kind.scale;
          return (r) => formatDecimal(bytesToBigInt(r.take(size)), scale);
        }
        if (kind?.k === 'uuid') return (r) => uuidFromBytes(r.take(size));
        return (r) => ({ base64: r.take(size).toString('base64') });
      }
      case 'enum': {
        const symbols = u.symbols ?? [];
        return (r) => {
          const i = r.int();
          const s = symbols[i];
          if (s === undefined)
            throw new SchemaDecodeError(`Enum index ${i} is not a symbol of ${u.name ?? 'the enum'}.`);
          return s;
        };
      }
      case 'array': {
        const item = this.reader(u.itemsType!);
        const width = this.minSize(u.itemsType!);
        return (r, d) => {
          if (d > MAX_DEPTH) throw new SchemaDecodeError(`The Avro value is nested deeper than ${MAX_DEPTH} levels.`);
          const out: unknown[] = [];
          for (let n = nextBlock(r, width, 0); n > 0; n = nextBlock(r, width, out.length))
            for (let i = 0; i < n; i++) out.push(item(r, d + 1));
          return out;
        };
      }
      case 'map': {
        const value = this.reader(u.valuesType!);
        const width = this.minSize(u.valuesType!);
        return (r, d) => {
          if (d > MAX_DEPTH) throw new SchemaDecodeError(`The Avro value is nested deeper than ${MAX_DEPTH} levels.`);
          const out: Record<string, unknown> = {};
          let total = 0;
          for (let n = nextBlock(r, width, 0); n > 0; n = nextBlock(r, width, total)) {
            total += n;
            for (let i = 0; i < n; i++) {
              const key = r.string();
              const v = value(r, d + 1);
              // defineProperty: a key "__proto__" from the bytes stays a plain key
              Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
            }
          }
          return out;
        };
      }
      case 'record':
      case 'error': {
        const fields = u.fields ?? [];
        const names = fields.map((f) => f.name);
        const readers = fields.map((f) => this.reader(f.type));
        // Avro names may be "__proto__": such a field is defined, never assigned (which would set the prototype)
        const plain = !names.includes('__proto__');
        return (r, d) => {
          if (d > MAX_DEPTH) throw new SchemaDecodeError(`The Avro value is nested deeper than ${MAX_DEPTH} levels.`);
          const out: Record<string, unknown> = {};
          for (let i = 0; i < readers.length; i++) {
            const v = readers[i]!(r, d + 1);
            if (plain) out[names[i]!] = v;
            else
              Object.defineProperty(out, names[i]!, { value: v, enumerable: true, writable: true, configurable: true });
          }
          return out;
        };
      }
      case 'union:wrapped':
      case 'union:unwrapped': {
        const types = u.types!;
        const branches = types.map((b) => this.reader(b));
        return (r, d) => {
          if (d > MAX_DEPTH) throw new SchemaDecodeError(`The Avro value is nested deeper than ${MAX_DEPTH} levels.`);
          const s = r.small();
          // a long (over-long) varint can still name a branch: it is compared as the number it is
          const i = typeof s === 'number' ? s : s >= 0n && s < BigInt(types.length) ? Number(s) : -1;
          const branch = i >= 0 && i < branches.length ? branches[i] : undefined;
          if (!branch) throw new SchemaDecodeError(`Union branch ${s} does not exist (the union has ${types.length}).`);
          return branch(r, d + 1);
        };
      }
      default:
        return () => {
          throw new SchemaDecodeError(`Avro type ${u.typeName} is not supported.`);
        };
    }
  }

  // --- encode

  encode(value: unknown): { bytes: Buffer } {
    const w = new Writer();
    this.write(this.type, value, '', w, 0);
    return { bytes: w.done() };
  }

  private fail(path: string, t: AType, v: unknown): never {
    throw new SchemaEncodeError(shownPath(path), `expected ${describeType(t)}, got ${describeValue(v)}`);
  }

  private write(t: AType, v: unknown, path: string, w: Writer, depth: number): void {
    if (depth > MAX_DEPTH) throw new SchemaEncodeError(shownPath(path), `nested deeper than ${MAX_DEPTH} levels`);
    const kind = logicalKind(t);
    const u = t.underlyingType ?? t;
    switch (u.typeName) {
      case 'null':
        if (v !== null) this.fail(path, t, v);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') this.fail(path, t, v);
        w.bytes(Uint8Array.of(v ? 1 : 0));
        return;
      case 'int': {
        let n: number | null = typeof v === 'number' && Number.isInteger(v) ? v : null;
        if (kind?.k === 'date' && typeof v === 'string') n = parseDate(v);
        if (kind?.k === 'time' && typeof v === 'string') {
          const ns = parseTimeOfDay(v);
          n = ns !== null && ns % 1000000n === 0n ? Number(ns / 1000000n) : null;
        }
        if (n === null || n < -2147483648 || n > 2147483647) this.fail(path, t, v);
        w.long(BigInt(n));
        return;
      }
      case 'long': {
        let n: bigint | null = null;
        if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
        else if (typeof v === 'bigint') n = v;
        else if (typeof v === 'string') {
          if (/^-?\d{1,20}$/.test(v)) n = BigInt(v);
          else if (kind?.k === 'timestamp' || kind?.k === 'time') {
            const ns = kind.k === 'time' ? parseTimeOfDay(v) : parseTimestamp(v, kind.zone ? 'required' : 'none');
            const per = 1000000000n / kind.per;
            if (ns !== null && ns % per === 0n) n = ns / per;
          }
        }
        if (n === null || n < LONG_MIN || n > LONG_MAX) this.fail(path, t, v);
        w.long(n);
        return;
      }
      case 'float':
      case 'double': {
        const n = floatFromJson(v);
        if (n === null) this.fail(path, t, v);
        w.float(n, u.typeName === 'float');
        return;
      }
      case 'string':
        if (typeof v !== 'string') this.fail(path, t, v);
        {
          const b = Buffer.from(v, 'utf8');
          w.long(BigInt(b.length));
          w.bytes(b);
        }
        return;
      case 'bytes':
      case 'fixed': {
        let b: Buffer | null = null;
        if (kind?.k === 'decimal' && (typeof v === 'string' || typeof v === 'number')) {
          const d = parseDecimal(String(v), kind.scale, kind.precision);
          if (typeof d === 'string')
            throw new SchemaEncodeError(shownPath(path), `the decimal ${JSON.stringify(String(v))} ${d}`);
          b = bigIntToBytes(d, kind.fixed);
          if (!b)
            throw new SchemaEncodeError(
              shownPath(path),
              `the decimal ${String(v)} does not fit in ${kind.fixed} bytes`,
            );
        } else if (kind?.k === 'uuid' && typeof v === 'string') {
          const hex = v.replace(/-/g, '');
          b = /^[0-9a-fA-F]{32}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
        } else if (isPlainObject(v) && Object.keys(v).length === 1 && typeof v.base64 === 'string') {
          b = base64ToBytes(v.base64);
          if (!b) throw new SchemaEncodeError(childPath(path, 'base64'), 'is not valid base64');
        }
        if (!b) this.fail(path, t, v);
        if (u.typeName === 'fixed') {
          if (b.length !== u.size)
            throw new SchemaEncodeError(shownPath(path), `expected exactly ${u.size} bytes, got ${b.length}`);
        } else w.long(BigInt(b.length));
        w.bytes(b);
        return;
      }
      case 'enum': {
        const i = typeof v === 'string' ? (u.symbols ?? []).indexOf(v) : -1;
        if (i < 0) this.fail(path, t, v);
        w.long(BigInt(i));
        return;
      }
      case 'array': {
        if (!Array.isArray(v)) this.fail(path, t, v);
        if (v.length) w.long(BigInt(v.length));
        v.forEach((item, i) => this.write(u.itemsType!, item, indexPath(path, i), w, depth + 1));
        w.long(0n);
        return;
      }
      case 'map': {
        if (!isPlainObject(v)) this.fail(path, t, v);
        const keys = Object.keys(v);
        if (keys.length) w.long(BigInt(keys.length));
        for (const k of keys) {
          const kb = Buffer.from(k, 'utf8');
          w.long(BigInt(kb.length));
          w.bytes(kb);
          this.write(u.valuesType!, v[k], childPath(path, k), w, depth + 1);
        }
        w.long(0n);
        return;
      }
      case 'record':
      case 'error': {
        if (!isPlainObject(v)) this.fail(path, t, v);
        const fields = u.fields ?? [];
        for (const k of Object.keys(v))
          if (!fields.some((f) => f.name === k))
            throw new SchemaEncodeError(
              childPath(path, k),
              `not a field of ${u.name ?? 'the record'} (its fields: ${fields.map((f) => f.name).join(', ') || 'none'})`,
            );
        for (const f of fields) {
          const fp = childPath(path, f.name);
          if (Object.prototype.hasOwnProperty.call(v, f.name)) this.write(f.type, v[f.name], fp, w, depth + 1);
          else {
            const d = this.fieldDefault(f);
            if (d === undefined) throw new SchemaEncodeError(fp, `missing (a required field: ${describeType(f.type)})`);
            this.write(f.type, d.value, fp, w, depth + 1);
          }
        }
        return;
      }
      case 'union:wrapped':
      case 'union:unwrapped':
        this.writeUnion(u, v, path, w, depth);
        return;
      default:
        throw new SchemaEncodeError(shownPath(path), `Avro type ${u.typeName} is not supported`);
    }
  }

  /** The plain value picks the first branch it fits; `{"branch name": value}` picks a branch explicitly. */
  private writeUnion(u: AType, v: unknown, path: string, w: Writer, depth: number): void {
    const branches = u.types ?? [];
    const start = w.pos;
    const errors: SchemaEncodeError[] = [];
    for (const [i, b] of branches.entries()) {
      try {
        w.long(BigInt(i));
        this.write(b, v, path, w, depth + 1);
        return;
      } catch (e) {
        w.pos = start;
        if (!(e instanceof SchemaEncodeError)) throw e;
        errors.push(e);
      }
    }
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      const key = keys.length === 1 ? keys[0]! : undefined;
      const i = key === undefined ? -1 : branches.findIndex((b) => branchNames(b).includes(key));
      if (i >= 0) {
        w.long(BigInt(i));
        this.write(branches[i]!, v[key!], path, w, depth + 1);
        return;
      }
    }
    const nonNull = branches.filter((b) => b.typeName !== 'null');
    if (nonNull.length === 1 && v !== null) throw errors[branches.indexOf(nonNull[0]!)]!;
    throw new SchemaEncodeError(
      shownPath(path),
      `expected ${branches.map(describeType).join(' or ')}, got ${describeValue(v)}`,
    );
  }

  /** A field's default in the JSON-ready form, or undefined when it has none. */
  private fieldDefault(f: AField): { value: unknown } | undefined {
    const d = f.defaultValue();
    if (d === undefined) return undefined;
    return { value: avscToJson(f.type, d) };
  }

  // --- sample and JSON Schema

  sample(): unknown {
    return this.sampleOf(this.type, 0);
  }

  private sampleOf(t: AType, depth: number): unknown {
    const kind = logicalKind(t);
    const now = Date.now();
    if (kind) {
      switch (kind.k) {
        case 'decimal':
          return formatDecimal(0n, kind.scale);
        case 'uuid':
          return '00000000-0000-4000-8000-000000000000';
        case 'date':
          return formatDate(todayDays());
        case 'time':
          return formatTimeOfDay(43200n * kind.per, kind.per);
        case 'timestamp':
          return formatTimestamp((BigInt(now) * kind.per) / 1000n, kind.per, kind.zone);
      }
    }
    const u = t.underlyingType ?? t;
    switch (u.typeName) {
      case 'null':
        return null;
      case 'boolean':
        return false;
      case 'int':
      case 'long':
      case 'float':
      case 'double':
        return 0;
      case 'string':
        return '';
      case 'bytes':
        return { base64: '' };
      case 'fixed':
        return { base64: Buffer.alloc(u.size ?? 0).toString('base64') };
      case 'enum':
        return u.symbols?.[0] ?? '';
      case 'array':
        return depth < SAMPLE_DEPTH ? [this.sampleOf(u.itemsType!, depth + 1)] : [];
      case 'map':
        return depth < SAMPLE_DEPTH ? { key: this.sampleOf(u.valuesType!, depth + 1) } : {};
      case 'record':
      case 'error': {
        const out: Record<string, unknown> = {};
        for (const f of u.fields ?? []) {
          const d = this.fieldDefault(f);
          out[f.name] = d ? d.value : this.sampleOf(f.type, depth + 1);
        }
        return out;
      }
      case 'union:wrapped':
      case 'union:unwrapped': {
        const branches = u.types ?? [];
        const nonNull = branches.find((b) => b.typeName !== 'null');
        const hasNull = branches.some((b) => b.typeName === 'null');
        return nonNull && !(hasNull && depth >= SAMPLE_DEPTH) ? this.sampleOf(nonNull, depth + 1) : null;
      }
      default:
        return null;
    }
  }

  jsonSchema(): object {
    const definitions: Record<string, object> = {};
    const root = this.schemaOf(this.type, definitions);
    return { $schema: 'http://json-schema.org/draft-07/schema#', ...root, definitions };
  }

  private schemaOf(t: AType, defs: Record<string, object>): Record<string, unknown> {
    const kind = logicalKind(t);
    const description = describeType(t);
    if (kind) {
      switch (kind.k) {
        case 'decimal':
          return { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', description };
        case 'uuid':
          return { type: 'string', format: 'uuid', description };
        case 'date':
          return { anyOf: [{ type: 'string', format: 'date' }, { type: 'integer' }], description };
        case 'time':
          return { type: 'string', pattern: '^\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$', description };
        case 'timestamp':
          return { anyOf: [{ type: 'string' }, { type: 'integer' }], description };
      }
    }
    const u = t.underlyingType ?? t;
    const bytes = {
      type: 'object',
      required: ['base64'],
      properties: { base64: { type: 'string', contentEncoding: 'base64' } },
      additionalProperties: false,
    };
    switch (u.typeName) {
      case 'null':
        return { type: 'null' };
      case 'boolean':
        return { type: 'boolean' };
      case 'int':
        return { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
      case 'long':
        return { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^-?\\d+$' }] };
      case 'float':
      case 'double':
        return { anyOf: [{ type: 'number' }, { enum: ['NaN', 'Infinity', '-Infinity'] }] };
      case 'string':
        return { type: 'string' };
      case 'bytes':
        return { ...bytes, description };
      case 'array':
        return { type: 'array', items: this.schemaOf(u.itemsType!, defs) };
      case 'map':
        return { type: 'object', additionalProperties: this.schemaOf(u.valuesType!, defs) };
      case 'union:wrapped':
      case 'union:unwrapped':
        return { anyOf: (u.types ?? []).map((b) => this.schemaOf(b, defs)) };
      case 'fixed':
      case 'enum':
      case 'record':
      case 'error': {
        const name = u.name ?? u.typeName;
        if (!(name in defs)) {
          defs[name] = {}; // placed first: a recursive record refers to itself
          const doc = u.doc ? { description: u.doc } : {};
          if (u.typeName === 'fixed') defs[name] = { ...bytes, ...doc, title: name, description: u.doc ?? description };
          else if (u.typeName === 'enum') defs[name] = { type: 'string', enum: u.symbols ?? [], title: name, ...doc };
          else {
            const properties: Record<string, unknown> = {};
            const required: string[] = [];
            for (const f of u.fields ?? []) {
              const s = this.schemaOf(f.type, defs);
              const d = f.defaultValue() === undefined ? undefined : this.fieldDefault(f);
              properties[f.name] = {
                ...s,
                ...(f.doc ? { description: f.doc } : {}),
                ...(d ? { default: d.value } : {}),
              };
              if (!d) required.push(f.name);
            }
            defs[name] = { type: 'object', title: name, ...doc, properties, required, additionalProperties: false };
          }
        }
        return { $ref: `#/definitions/${encodeURIComponent(name)}` };
      }
      default:
        return {};
    }
  }
}

/** The names a wrapped union value may use for a branch: avsc's branch name, and a named type's short name. */
function branchNames(b: AType): string[] {
  const u = b.underlyingType ?? b;
  const names = [b.branchName ?? u.typeName, u.typeName];
  if (u.name) names.push(u.name, shortName(u.name));
  return names;
}

/** avsc's value of a field default (Buffers, wrapped unions) → the JSON-ready form. */
function avscToJson(t: AType, v: unknown): unknown {
  const kind = logicalKind(t);
  const u = t.underlyingType ?? t;
  switch (u.typeName) {
    case 'int':
      if (kind?.k === 'date' && typeof v === 'number') return formatDate(v);
      if (kind?.k === 'time' && typeof v === 'number') return formatTimeOfDay(BigInt(v), 1000n);
      return v;
    case 'long':
      if (typeof v !== 'number') return v;
      if (kind?.k === 'timestamp') return formatTimestamp(BigInt(v), kind.per, kind.zone);
      if (kind?.k === 'time') return formatTimeOfDay(BigInt(v), kind.per);
      return v;
    case 'float':
    case 'double':
      return typeof v === 'number' ? floatToJson(v, u.typeName === 'float') : v;
    case 'bytes':
    case 'fixed':
      if (!Buffer.isBuffer(v)) return v;
      if (kind?.k === 'decimal') return formatDecimal(bytesToBigInt(v), kind.scale);
      if (kind?.k === 'uuid') return uuidFromBytes(v);
      return { base64: v.toString('base64') };
    case 'array':
      return Array.isArray(v) ? v.map((x) => avscToJson(u.itemsType!, x)) : v;
    case 'map':
      return isPlainObject(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, avscToJson(u.valuesType!, x)]))
        : v;
    case 'record':
    case 'error': {
      if (typeof v !== 'object' || v === null) return v;
      const rec = v as Record<string, unknown>;
      return Object.fromEntries((u.fields ?? []).map((f) => [f.name, avscToJson(f.type, rec[f.name])]));
    }
    case 'union:wrapped':
    case 'union:unwrapped': {
      if (v === null || typeof v !== 'object') return v;
      const key = Object.keys(v)[0];
      const b = (u.types ?? []).find((x) => key !== undefined && branchNames(x).includes(key));
      return b ? avscToJson(b, (v as Record<string, unknown>)[key!]) : v;
    }
    default:
      return v;
  }
}

function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SchemaParseError(`${what} is not JSON: ${(e as Error).message}`);
  }
}

const forSchema = (schema: unknown, registry: Record<string, avro.Type>): AType =>
  avro.Type.forSchema(schema as avro.Schema, {
    registry,
    logicalTypes: LOGICAL_TYPES,
    wrapUnions: true,
  }) as unknown as AType;

/**
 * Compiles an Avro schema; its references (other named types, by subject reference name) are
 * registered first, in an order where each one's own dependencies come before it.
 */
export function compileAvro(src: SchemaSource): AvroCodec {
  const main = parseJsonText(src.schema, 'The Avro schema');
  const refs = Object.entries(src.references).map(([name, text]) => ({
    name,
    schema: parseJsonText(text, `The referenced schema ${name}`),
  }));
  try {
    // avsc leaves half-registered names behind when a parse fails: each attempt starts from a fresh registry
    let order = refs;
    for (let attempt = 0; ; attempt++) {
      const registry: Record<string, avro.Type> = {};
      let failed = -1;
      let failure: unknown;
      for (const [i, r] of order.entries()) {
        try {
          forSchema(r.schema, registry);
        } catch (e) {
          failed = i;
          failure = e;
          break;
        }
      }
      if (failed < 0) return new AvroCodec(forSchema(main, registry));
      if (attempt > refs.length * refs.length || !/undefined type name/.test(String((failure as Error).message)))
        throw new SchemaParseError(
          `The referenced schema ${order[failed]!.name} is not valid Avro: ${(failure as Error).message}`,
        );
      order = [...order.slice(0, failed), ...order.slice(failed + 1), order[failed]!];
    }
  } catch (e) {
    if (e instanceof SchemaParseError) throw e;
    throw new SchemaParseError(`The Avro schema is not valid: ${(e as Error).message}`);
  }
}
