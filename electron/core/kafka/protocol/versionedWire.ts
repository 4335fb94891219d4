/**
 * One codec for both encodings of an API: the classic versions (INT16-length strings, INT32-length
 * arrays, request header v1, response header v0) and the flexible ones (./flexible.ts). The config
 * and log-dir APIs changed to flexible in the middle of the versions brokers still offer
 * (DescribeConfigs at v4, IncrementalAlterConfigs at v1, AlterConfigs at v2, DescribeLogDirs at v2),
 * and a broker before Kafka 2.4 speaks only the classic ones; the fields are the same in both, so a
 * codec is written once against these and told which encoding it is in.
 *
 * Why ours: kafkajs' Decoder trusts a length it reads (it allocates what a hostile answer asks for,
 * and reads zeros past the end); every read here is bounded by the bytes left, like FlexibleReader's.
 */
import { FlexibleReader, FlexibleWriter, ProtocolDecodeError } from './flexible';
import { sendFlexible, sendOf, type ProtocolBroker } from './transport';
import { CoreError } from '../../coreError';

export interface WireReader {
  readonly flexible: boolean;
  readonly remaining: number;
  int8(): number;
  int16(): number;
  int32(): number;
  int64(): bigint;
  boolean(): boolean;
  string(): string;
  nullableString(): string | null;
  /** `minBytes`: the least an element takes in either encoding (a length that could not fit fails before allocating). */
  array<T>(read: (r: WireReader) => T, minBytes: number): T[];
  nullableArray<T>(read: (r: WireReader) => T, minBytes: number): T[] | null;
  /** A struct's (or the body's) tagged fields in a flexible version; nothing in a classic one. */
  tags(): void;
  end(): void;
}

/** The classic encoding, every read bounded by the bytes left. */
export class ClassicReader implements WireReader {
  readonly flexible = false;
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

  boolean(): boolean {
    return this.buf.readUInt8(this.take(1, 'a BOOLEAN')) !== 0;
  }

  nullableString(): string | null {
    const n = this.int16();
    if (n === -1) return null;
    if (n < 0) this.fail(`a STRING of length ${n}`);
    const at = this.take(n, 'a STRING');
    return this.buf.toString('utf8', at, at + n);
  }

  string(): string {
    return this.nullableString() ?? this.fail('a null where a STRING is required');
  }

  nullableArray<T>(read: (r: WireReader) => T, minBytes: number): T[] | null {
    const n = this.int32();
    if (n === -1) return null;
    if (n < 0) this.fail(`an ARRAY of length ${n}`);
    if (n * Math.max(1, minBytes) > this.remaining) this.fail(`an ARRAY of ${n} elements in ${this.remaining} bytes`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(read(this));
    return out;
  }

  array<T>(read: (r: WireReader) => T, minBytes: number): T[] {
    return this.nullableArray(read, minBytes) ?? this.fail('a null where an ARRAY is required');
  }

  tags(): void {}

  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} bytes left over`);
  }
}

/** The flexible encoding, read by FlexibleReader. */
export class FlexibleWireReader implements WireReader {
  readonly flexible = true;

  constructor(private readonly r: FlexibleReader) {}

  get remaining(): number {
    return this.r.remaining;
  }

  int8(): number {
    return this.r.int8();
  }

  int16(): number {
    return this.r.int16();
  }

  int32(): number {
    return this.r.int32();
  }

  int64(): bigint {
    return this.r.int64();
  }

  boolean(): boolean {
    return this.r.boolean();
  }

  string(): string {
    return this.r.compactString();
  }

  nullableString(): string | null {
    return this.r.compactNullableString();
  }

  array<T>(read: (r: WireReader) => T, minBytes: number): T[] {
    return this.r.compactArray(() => read(this), minBytes);
  }

  nullableArray<T>(read: (r: WireReader) => T, minBytes: number): T[] | null {
    return this.r.compactNullableArray(() => read(this), minBytes);
  }

  tags(): void {
    this.r.skipTaggedFields();
  }

  end(): void {
    this.r.end();
  }
}

export const wireReader = (buf: Buffer, flexible: boolean): WireReader =>
  flexible ? new FlexibleWireReader(new FlexibleReader(buf)) : new ClassicReader(buf);

const INT16_MAX = 0x7fff;

/** Writes either encoding on kafkajs' Encoder (through FlexibleWriter). */
export class WireWriter {
  constructor(
    readonly flexible: boolean,
    readonly w: FlexibleWriter = new FlexibleWriter(),
  ) {}

  get bytes(): Buffer {
    return this.w.bytes;
  }

  int8(v: number): this {
    this.w.int8(v);
    return this;
  }

  int16(v: number): this {
    this.w.int16(v);
    return this;
  }

  int32(v: number): this {
    this.w.int32(v);
    return this;
  }

  int64(v: bigint): this {
    this.w.int64(v);
    return this;
  }

  boolean(v: boolean): this {
    this.w.boolean(v);
    return this;
  }

  nullableString(v: string | null): this {
    if (this.flexible) {
      this.w.compactNullableString(v);
      return this;
    }
    if (v === null) return this.int16(-1);
    const b = Buffer.from(v, 'utf8');
    if (b.length > INT16_MAX) throw new RangeError(`a STRING of ${b.length} bytes (at most ${INT16_MAX})`);
    this.w.int16(b.length);
    this.w.encoder.writeBuffer(b);
    return this;
  }

  string(v: string): this {
    return this.nullableString(v);
  }

  nullableArray<T>(items: readonly T[] | null, write: (w: WireWriter, item: T) => void): this {
    if (this.flexible) {
      this.w.compactNullableArray(items, (_, item) => write(this, item));
      return this;
    }
    if (items === null) return this.int32(-1);
    this.w.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  array<T>(items: readonly T[], write: (w: WireWriter, item: T) => void): this {
    return this.nullableArray(items, write);
  }

  /** An empty tagged-field buffer in a flexible version; nothing in a classic one. */
  tags(): this {
    if (this.flexible) this.w.taggedFields();
    return this;
  }
}

/** One request of an API whose versions span both encodings. */
export interface VersionedCall<T> {
  apiKey: number;
  apiName: string;
  version: number;
  flexible: boolean;
  body: (w: WireWriter) => void;
  read: (r: WireReader) => T;
}

/** The bytes kafkajs sends after the header v1 it writes itself: in a classic version, the body alone. */
export function encodeClassicRequest(call: Pick<VersionedCall<unknown>, 'body'>): WireWriter {
  const w = new WireWriter(false);
  call.body(w);
  return w;
}

/** A classic response after its correlation id (header v0): the body, all of it. */
export function decodeClassicResponse<T>(payload: Buffer, read: (r: WireReader) => T): T {
  const r = new ClassicReader(payload);
  const body = read(r);
  r.end();
  return body;
}

/** Sends over one of kafkajs' authenticated connections, in the encoding of the version agreed. */
export async function sendVersioned<T>(broker: ProtocolBroker, call: VersionedCall<T>): Promise<T> {
  if (call.flexible)
    return sendFlexible(broker, {
      apiKey: call.apiKey,
      apiName: call.apiName,
      version: call.version,
      body: (fw) => call.body(new WireWriter(true, fw)),
      read: (fr) => call.read(new FlexibleWireReader(fr)),
    });
  const send = sendOf(broker);
  try {
    return (await send({
      request: {
        apiKey: call.apiKey,
        apiVersion: call.version,
        apiName: call.apiName,
        encode: async () => encodeClassicRequest(call).w.encoder,
      },
      response: {
        decode: async (payload: Buffer) => decodeClassicResponse(payload, call.read),
        parse: async (data: unknown) => data,
      },
    })) as T;
  } catch (e) {
    if (e instanceof ProtocolDecodeError)
      throw new CoreError(
        'KAFKA_ERROR',
        `Broker ${String(broker.nodeId)} answered ${call.apiName} v${call.version} with bytes that do not fit that version (${e.message}).`,
        e.message,
      );
    throw e;
  }
}
