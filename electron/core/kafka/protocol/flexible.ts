/**
 * Kafka's flexible versions (KIP-482: compact strings and arrays, unsigned varints, tagged fields) on
 * kafkajs' protocol layer.
 *
 * Why written here: kafkajs 2.2.4 (pinned, in maintenance) has no flexible-version request or
 * response of its own, and its Decoder reads past the end of a buffer without noticing (a byte
 * beyond the end reads as 0, a compact array length is trusted and allocated up front), so a
 * hostile or truncated answer would loop or allocate instead of failing. The maintained npm
 * codecs we looked at (@platformatic/kafka) only load through their package's root, which brings
 * their own client, connection and SASL stack into the process next to kafkajs', ask a newer Node
 * than this project supports, and lack ShareGroupDescribe. So the writer below builds on kafkajs'
 * Encoder (the bytes go through kafkajs' own authenticated connections, ./transport.ts), and the
 * reader is ours: every read is bounded by the bytes that are left.
 */
import Encoder from 'kafkajs/src/protocol/encoder.js';

/** An answer whose bytes do not fit the layout of the version asked for. */
export class ProtocolDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolDecodeError';
  }
}

const U32_MAX = 0xffffffff;

/** Kafka's text form of a UUID (topic ids, member ids): base64url of the 16 bytes, unpadded. */
export function uuidText(bytes: Buffer): string {
  return bytes.toString('base64url');
}

export function uuidBytes(text: string): Buffer {
  const b = Buffer.from(text, 'base64url');
  if (b.length !== 16 || uuidText(b) !== text) throw new RangeError(`not a Kafka UUID: ${text}`);
  return b;
}

/** Reads one response body; each read checks the bytes left first, so bad input fails and never over-allocates. */
export class FlexibleReader {
  private offset = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private fail(what: string): never {
    throw new ProtocolDecodeError(`${what} at byte ${this.offset} of ${this.buf.length}`);
  }

  private take(n: number, what: string): number {
    if (n > this.remaining) this.fail(`${what} needs ${n} bytes, ${this.remaining} left`);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.take(1, 'an INT8'));
  }

  int16(): number {
    return this.buf.readInt16BE(this.take(2, 'an INT16'));
  }

  int32(): number {
    return this.buf.readInt32BE(this.take(4, 'an INT32'));
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.take(8, 'an INT64'));
  }

  /** A FLOAT64 (quota values). */
  float64(): number {
    return this.buf.readDoubleBE(this.take(8, 'a FLOAT64'));
  }

  /** Kafka writes 0 or 1; like its own reader, any other byte is true. */
  boolean(): boolean {
    return this.buf.readUInt8(this.take(1, 'a BOOLEAN')) !== 0;
  }

  uuid(): string {
    const at = this.take(16, 'a UUID');
    return uuidText(this.buf.subarray(at, at + 16));
  }

  /** An UNSIGNED_VARINT: at most 5 bytes, at most 2^32 − 1. */
  uvarint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.buf.readUInt8(this.take(1, 'an UNSIGNED_VARINT'));
      if (i === 4 && byte > 0x0f) this.fail('an UNSIGNED_VARINT larger than 32 bits');
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return value;
    }
    return this.fail('an UNSIGNED_VARINT longer than 5 bytes');
  }

  /** A compact length: the varint is length + 1, and 0 means null. */
  private compactLength(): number | null {
    const n = this.uvarint();
    return n === 0 ? null : n - 1;
  }

  compactNullableBytes(): Buffer | null {
    const n = this.compactLength();
    if (n === null) return null;
    const at = this.take(n, 'COMPACT_BYTES');
    return Buffer.from(this.buf.subarray(at, at + n));
  }

  compactBytes(): Buffer {
    return this.compactNullableBytes() ?? this.fail('a null where COMPACT_BYTES are required');
  }

  compactNullableString(): string | null {
    const n = this.compactLength();
    if (n === null) return null;
    const at = this.take(n, 'a COMPACT_STRING');
    return this.buf.toString('utf8', at, at + n);
  }

  compactString(): string {
    return this.compactNullableString() ?? this.fail('a null where a COMPACT_STRING is required');
  }

  /**
   * A COMPACT_ARRAY. `minBytes` is the least an element can take on the wire (an INT32: 4; a string
   * or a struct ending in tagged fields: 1): a length that more bytes than are left could not hold
   * fails before anything is allocated.
   */
  compactNullableArray<T>(read: (r: FlexibleReader) => T, minBytes: number): T[] | null {
    const n = this.compactLength();
    if (n === null) return null;
    if (n * Math.max(1, minBytes) > this.remaining)
      this.fail(`a COMPACT_ARRAY of ${n} elements in ${this.remaining} bytes`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(read(this));
    return out;
  }

  compactArray<T>(read: (r: FlexibleReader) => T, minBytes: number): T[] {
    return this.compactNullableArray(read, minBytes) ?? this.fail('a null where a COMPACT_ARRAY is required');
  }

  // The classic (non-flexible) types, for the first versions of an API that predate KIP-482
  // (DescribeClientQuotas and AlterClientQuotas v0): INT16-length strings, INT32-length arrays.

  /** A NULLABLE_STRING: an INT16 length, -1 for null. */
  nullableString(): string | null {
    const n = this.int16();
    if (n === -1) return null;
    if (n < 0) this.fail(`a STRING length of ${n}`);
    const at = this.take(n, 'a STRING');
    return this.buf.toString('utf8', at, at + n);
  }

  string(): string {
    return this.nullableString() ?? this.fail('a null where a STRING is required');
  }

  /** An ARRAY: an INT32 length, -1 for null; bounded by the bytes left like a COMPACT_ARRAY. */
  nullableArray<T>(read: (r: FlexibleReader) => T, minBytes: number): T[] | null {
    const n = this.int32();
    if (n === -1) return null;
    if (n < 0 || n * Math.max(1, minBytes) > this.remaining)
      this.fail(`an ARRAY of ${n} elements in ${this.remaining} bytes`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(read(this));
    return out;
  }

  array<T>(read: (r: FlexibleReader) => T, minBytes: number): T[] {
    return this.nullableArray(read, minBytes) ?? this.fail('a null where an ARRAY is required');
  }

  /** A tagged-field buffer, skipped (no field we read is tagged): a count, then tag, size and bytes each. */
  skipTaggedFields(): number {
    const n = this.uvarint();
    if (n * 2 > this.remaining) this.fail(`${n} tagged fields in ${this.remaining} bytes`);
    for (let i = 0; i < n; i++) {
      this.uvarint();
      const size = this.uvarint();
      this.take(size, 'a tagged field');
    }
    return n;
  }

  /** The version's layout is fixed: bytes left over mean a misread, not a newer field. */
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} bytes left over`);
  }
}

/** Writes one request body on kafkajs' Encoder, with the flexible types kafkajs lacks. */
export class FlexibleWriter {
  readonly encoder = new Encoder();

  get bytes(): Buffer {
    return this.encoder.buffer;
  }

  int8(v: number): this {
    this.encoder.writeInt8(v);
    return this;
  }

  int16(v: number): this {
    this.encoder.writeInt16(v);
    return this;
  }

  int32(v: number): this {
    this.encoder.writeInt32(v);
    return this;
  }

  int64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.encoder.writeBuffer(b);
    return this;
  }

  float64(v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    this.encoder.writeBuffer(b);
    return this;
  }

  boolean(v: boolean): this {
    this.encoder.writeBoolean(v);
    return this;
  }

  uuid(text: string): this {
    this.encoder.writeBuffer(uuidBytes(text));
    return this;
  }

  uvarint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > U32_MAX) throw new RangeError(`not an UNSIGNED_VARINT: ${v}`);
    const out: number[] = [];
    let rest = v;
    while (rest >= 0x80) {
      out.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    out.push(rest);
    this.encoder.writeBuffer(Buffer.from(out));
    return this;
  }

  compactNullableBytes(v: Buffer | null): this {
    if (v === null) return this.uvarint(0);
    this.uvarint(v.length + 1);
    this.encoder.writeBuffer(v);
    return this;
  }

  compactBytes(v: Buffer): this {
    return this.compactNullableBytes(v);
  }

  compactNullableString(v: string | null): this {
    return this.compactNullableBytes(v === null ? null : Buffer.from(v, 'utf8'));
  }

  compactString(v: string): this {
    return this.compactNullableString(v);
  }

  compactNullableArray<T>(items: readonly T[] | null, write: (w: FlexibleWriter, item: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const item of items) write(this, item);
    return this;
  }

  compactArray<T>(items: readonly T[], write: (w: FlexibleWriter, item: T) => void): this {
    return this.compactNullableArray(items, write);
  }

  /** A classic NULLABLE_STRING (INT16 length, -1 for null). */
  nullableString(v: string | null): this {
    if (v === null) return this.int16(-1);
    const b = Buffer.from(v, 'utf8');
    if (b.length > 0x7fff) throw new RangeError(`a STRING of ${b.length} bytes`);
    this.int16(b.length);
    this.encoder.writeBuffer(b);
    return this;
  }

  string(v: string): this {
    return this.nullableString(v);
  }

  /** A classic ARRAY (INT32 length, -1 for null). */
  nullableArray<T>(items: readonly T[] | null, write: (w: FlexibleWriter, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  array<T>(items: readonly T[], write: (w: FlexibleWriter, item: T) => void): this {
    return this.nullableArray(items, write);
  }

  /** A tagged-field buffer; empty unless fields are given (tags ascending, as Kafka requires). */
  taggedFields(fields: readonly { tag: number; data: Buffer }[] = []): this {
    this.uvarint(fields.length);
    for (const f of [...fields].sort((a, b) => a.tag - b.tag)) {
      this.uvarint(f.tag);
      this.uvarint(f.data.length);
      this.encoder.writeBuffer(f.data);
    }
    return this;
  }
}
