import { describe, expect, it, vi } from 'vitest';
import { FlexibleReader, FlexibleWriter, ProtocolDecodeError, uuidBytes, uuidText } from './flexible';

const bytes = (build: (w: FlexibleWriter) => void): Buffer => {
  const w = new FlexibleWriter();
  build(w);
  return w.bytes;
};
const reader = (b: Buffer | number[]) => new FlexibleReader(Buffer.from(b));
const decodeError = (fn: () => unknown) => expect(fn).toThrow(ProtocolDecodeError);

describe('flexible types: what is written reads back the same', () => {
  it('fixed-width integers and booleans, at their limits', () => {
    const b = bytes((w) =>
      w
        .int8(-128)
        .int8(127)
        .int16(-32768)
        .int16(32767)
        .int32(-2147483648)
        .int32(2147483647)
        .int64(-(2n ** 63n))
        .int64(2n ** 63n - 1n)
        .boolean(true)
        .boolean(false),
    );
    const r = reader(b);
    expect([r.int8(), r.int8(), r.int16(), r.int16(), r.int32(), r.int32()]).toEqual([
      -128, 127, -32768, 32767, -2147483648, 2147483647,
    ]);
    expect([r.int64(), r.int64()]).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    expect([r.boolean(), r.boolean()]).toEqual([true, false]);
    r.end();
  });

  it('unsigned varints from 0 to 2^32 − 1, with the bytes the Kafka spec gives', () => {
    expect([...bytes((w) => w.uvarint(0))]).toEqual([0x00]);
    expect([...bytes((w) => w.uvarint(127))]).toEqual([0x7f]);
    expect([...bytes((w) => w.uvarint(300))]).toEqual([0xac, 0x02]);
    expect([...bytes((w) => w.uvarint(2 ** 32 - 1))]).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    const values = [0, 1, 127, 128, 255, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28, 2 ** 31, 2 ** 32 - 1];
    const r = reader(bytes((w) => values.forEach((v) => w.uvarint(v))));
    expect(values.map(() => r.uvarint())).toEqual(values);
    r.end();
  });

  it('refuses to write what is not an unsigned 32-bit varint', () => {
    for (const v of [-1, 2 ** 32, 1.5, Number.NaN]) expect(() => new FlexibleWriter().uvarint(v)).toThrow(RangeError);
  });

  it('compact strings (empty, non-ASCII) and null, compact bytes and null', () => {
    expect([...bytes((w) => w.compactString('ab'))]).toEqual([0x03, 0x61, 0x62]);
    expect([...bytes((w) => w.compactNullableString(null))]).toEqual([0x00]);
    const b = bytes((w) =>
      w
        .compactString('')
        .compactString('héllo ✓ 𝄞')
        .compactNullableString(null)
        .compactBytes(Buffer.from([0, 1, 255]))
        .compactNullableBytes(null),
    );
    const r = reader(b);
    expect(r.compactString()).toBe('');
    expect(r.compactString()).toBe('héllo ✓ 𝄞');
    expect(r.compactNullableString()).toBeNull();
    expect([...r.compactBytes()]).toEqual([0, 1, 255]);
    expect(r.compactNullableBytes()).toBeNull();
    r.end();
  });

  it('compact arrays of numbers and strings, empty and null', () => {
    const b = bytes((w) =>
      w
        .compactArray([1, -2, 3], (x, v) => x.int32(v))
        .compactArray(['a', 'bc'], (x, v) => x.compactString(v))
        .compactArray([], (x, v: number) => x.int32(v))
        .compactNullableArray(null, (x, v: number) => x.int32(v)),
    );
    const r = reader(b);
    expect(r.compactArray((x) => x.int32(), 4)).toEqual([1, -2, 3]);
    expect(r.compactArray((x) => x.compactString(), 1)).toEqual(['a', 'bc']);
    expect(r.compactArray((x) => x.int32(), 4)).toEqual([]);
    expect(r.compactNullableArray((x) => x.int32(), 4)).toBeNull();
    r.end();
  });

  it('UUIDs in Kafka’s base64url text', () => {
    const id = 'k1KXJ_N1QK6wSexOD8dgrA';
    expect(uuidText(uuidBytes(id))).toBe(id);
    const r = reader(bytes((w) => w.uuid(id).uuid('AAAAAAAAAAAAAAAAAAAAAA')));
    expect([r.uuid(), r.uuid()]).toEqual([id, 'AAAAAAAAAAAAAAAAAAAAAA']);
    expect(() => uuidBytes('short')).toThrow(RangeError);
  });

  it('tagged fields: an empty buffer is one zero byte; unknown fields are skipped whole', () => {
    expect([...bytes((w) => w.taggedFields())]).toEqual([0x00]);
    const b = bytes((w) =>
      w
        .taggedFields([
          { tag: 3, data: Buffer.from('xyz') },
          { tag: 0, data: Buffer.alloc(200, 7) },
        ])
        .int32(42),
    );
    const r = reader(b);
    expect(r.skipTaggedFields()).toBe(2);
    expect(r.int32()).toBe(42);
    r.end();
  });
});

describe('flexible types: truncated or hostile bytes fail with an error, never a crash or a big allocation', () => {
  it('a compact array claiming 2^31 elements fails before reading (or allocating) one', () => {
    const hostile = bytes((w) => w.uvarint(2 ** 31 + 1).int32(1));
    const read = vi.fn((x: FlexibleReader) => x.int32());
    decodeError(() => reader(hostile).compactArray(read, 4));
    expect(read).not.toHaveBeenCalled();
    // the largest length a varint can carry, with structs that could be a single byte each
    const max = bytes((w) => w.uvarint(2 ** 32 - 1));
    decodeError(() => reader(max).compactArray((x) => x.skipTaggedFields(), 1));
  });

  it('a length larger than the bytes left: strings, bytes, tagged fields', () => {
    decodeError(() => reader([0x05, 0x61]).compactString());
    decodeError(() => reader([0xff, 0xff, 0xff, 0xff, 0x0f]).compactBytes());
    decodeError(() => reader([0x01, 0x00, 0x10, 0x01]).skipTaggedFields());
    decodeError(() => reader(bytes((w) => w.uvarint(1_000_000))).skipTaggedFields());
  });

  it('fixed-width reads past the end', () => {
    decodeError(() => reader([]).int8());
    decodeError(() => reader([0]).int16());
    decodeError(() => reader([0, 0, 0]).int32());
    decodeError(() => reader([0, 0, 0, 0, 0, 0, 0]).int64());
    decodeError(() => reader(Buffer.alloc(15)).uuid());
    decodeError(() => reader([]).boolean());
  });

  it('varints that never end or exceed 32 bits', () => {
    decodeError(() => reader([0x80, 0x80]).uvarint());
    decodeError(() => reader([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).uvarint());
    decodeError(() => reader([0xff, 0xff, 0xff, 0xff, 0x10]).uvarint());
  });

  it('null where the layout has no null, and bytes left over', () => {
    decodeError(() => reader([0x00]).compactString());
    decodeError(() => reader([0x00]).compactBytes());
    decodeError(() => reader([0x00]).compactArray((x) => x.int8(), 1));
    const r = reader([0x00, 0x01]);
    r.int8();
    decodeError(() => r.end());
  });
});
