import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { compileSchema, SchemaDecodeError, SchemaEncodeError, SchemaParseError, type Codec } from './index';

const avroCodec = (schema: unknown, references: Record<string, string> = {}): Codec =>
  compileSchema({ schemaType: 'AVRO', schema: JSON.stringify(schema), references });

const ORDER = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  doc: 'An order',
  fields: [
    { name: 'id', type: 'string', doc: 'The order id' },
    { name: 'qty', type: 'int' },
    { name: 'big', type: 'long' },
    { name: 'ratio', type: 'float' },
    { name: 'total', type: 'double' },
    { name: 'paid', type: 'boolean' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'either', type: ['int', 'long', 'string'] },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
    { name: 'raw', type: 'bytes' },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'tags', type: { type: 'map', values: 'int' } },
    {
      name: 'lines',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Line',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'n', type: 'int' },
          ],
        },
      },
    },
    { name: 'first', type: ['null', 'Line'], default: null },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'fprice', type: { type: 'fixed', name: 'Dec8', size: 8, logicalType: 'decimal', precision: 18, scale: 4 } },
    { name: 'uid', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'tm', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'tu', type: { type: 'long', logicalType: 'time-micros' } },
    { name: 'tsm', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tsu', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'ltm', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
    { name: 'ltu', type: { type: 'long', logicalType: 'local-timestamp-micros' } },
    { name: 'withDefault', type: 'int', default: 42 },
  ],
};

const ORDER_VALUE = {
  id: 'o-1',
  qty: -3,
  big: '9007199254740993',
  ratio: 0.1,
  total: 12.5,
  paid: true,
  note: 'leave at door',
  either: 'x',
  status: 'PAID',
  raw: { base64: 'AAEC/w==' },
  hash: { base64: 'AQIDBA==' },
  tags: { a: 1, b: 2 },
  lines: [
    { sku: 'A', n: 1 },
    { sku: 'B', n: 2 },
  ],
  first: { sku: 'A', n: 1 },
  price: '-12.34',
  fprice: '123456.7890',
  uid: '5f2b6c0e-8d0a-4c9f-9a51-3f1f5e8b9c2d',
  day: '2024-05-01',
  tm: '12:34:56.789',
  tu: '12:34:56.789012',
  tsm: '2024-05-01T12:00:00.123Z',
  tsu: '1969-12-31T23:59:59.999999Z',
  ltm: '2024-05-01T12:00:00.123',
  ltu: '2024-05-01T12:00:00.123456',
  withDefault: 7,
};

describe('Avro codec', () => {
  it('round-trips every feature in the JSON-ready form', () => {
    const c = avroCodec(ORDER);
    const { bytes } = c.encode(ORDER_VALUE);
    expect(c.decode(bytes).value).toEqual(ORDER_VALUE);
  });

  it('writes the same bytes avsc writes (an independent encoder) and avsc reads ours', () => {
    const schema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'long' },
        { name: 'u', type: ['null', 'string'] },
        { name: 'm', type: { type: 'map', values: 'double' } },
        { name: 'arr', type: { type: 'array', items: 'int' } },
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['X', 'Y'] } },
        { name: 'b', type: 'bytes' },
      ],
    };
    const ours = avroCodec(schema).encode({
      a: -123456789,
      u: 'hi',
      m: { k: 1.5 },
      arr: [1, -2, 300],
      e: 'Y',
      b: { base64: 'AP8=' },
    }).bytes;
    const t = avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true });
    const theirs = t.toBuffer({
      a: -123456789,
      u: { string: 'hi' },
      m: { k: 1.5 },
      arr: [1, -2, 300],
      e: 'Y',
      b: Buffer.from([0, 255]),
    });
    expect(ours.toString('hex')).toBe(theirs.toString('hex'));
    expect(t.fromBuffer(ours).u).toEqual({ string: 'hi' });
  });

  it('decodes bytes assembled by hand from the Avro specification', () => {
    // the spec's example: record {a: long 27, b: string "foo"} → 36 06 66 6f 6f
    const rec = avroCodec({
      type: 'record',
      name: 'test',
      fields: [
        { name: 'a', type: 'long' },
        { name: 'b', type: 'string' },
      ],
    });
    expect(rec.decode(Buffer.from('3606666f6f', 'hex')).value).toEqual({ a: 27, b: 'foo' });
    // the spec's example: array of longs [3, 27] → 04 06 36 00; and a block with a negative count and a size
    const arr = avroCodec({ type: 'array', items: 'long' });
    expect(arr.decode(Buffer.from('04063600', 'hex')).value).toEqual([3, 27]);
    expect(arr.decode(Buffer.from('0304063600', 'hex')).value).toEqual([3, 27]);
    // union ["null","string"]: index 1 then "a"; index 0 → null
    const u = avroCodec(['null', 'string']);
    expect(u.decode(Buffer.from('020261', 'hex')).value).toBe('a');
    expect(u.decode(Buffer.from('00', 'hex')).value).toBeNull();
    // decimal(4,2) as bytes: 0x04d2 = 1234 → "12.34"; 0xff85 = -123 → "-1.23"
    const d = avroCodec({ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 });
    expect(d.decode(Buffer.from('0404d2', 'hex')).value).toBe('12.34');
    expect(d.decode(Buffer.from('04ff85', 'hex')).value).toBe('-1.23');
    // timestamp-millis 1714564800123 → zigzag varint
    const ts = avroCodec({ type: 'long', logicalType: 'timestamp-millis' });
    expect(ts.decode(avroCodec('long').encode(1714564800123).bytes).value).toBe('2024-05-01T12:00:00.123Z');
  });

  it('keeps longs beyond 2^53 exact as strings of digits', () => {
    const c = avroCodec('long');
    for (const v of ['9223372036854775807', '-9223372036854775808', '9007199254740993'])
      expect(c.decode(c.encode(v).bytes).value).toBe(v);
    expect(c.decode(c.encode(9007199254740991).bytes).value).toBe(9007199254740991);
  });

  it('takes the wrapped union form when the plain value is ambiguous', () => {
    const c = avroCodec(['int', 'long']);
    expect(c.encode(5).bytes.toString('hex')).toBe('000a');
    expect(c.encode({ long: 5 }).bytes.toString('hex')).toBe('020a');
    const named = avroCodec([
      'null',
      { type: 'record', name: 'a.A', fields: [{ name: 'x', type: 'int' }] },
      { type: 'record', name: 'a.B', fields: [{ name: 'x', type: 'int' }] },
    ]);
    expect(named.encode({ 'a.B': { x: 1 } }).bytes[0]).toBe(4);
    expect(named.encode({ B: { x: 1 } }).bytes[0]).toBe(4);
  });

  it('accepts numbers for dates and timestamps', () => {
    const c = avroCodec({
      type: 'record',
      name: 'T',
      fields: [
        { name: 'd', type: { type: 'int', logicalType: 'date' } },
        { name: 't', type: { type: 'long', logicalType: 'timestamp-micros' } },
      ],
    });
    expect(c.decode(c.encode({ d: 19844, t: 1714564800123456 }).bytes).value).toEqual({
      d: '2024-05-01',
      t: '2024-05-01T12:00:00.123456Z',
    });
    expect(c.decode(c.encode({ d: '2024-05-01', t: '2024-05-01T14:00:00.123456+02:00' }).bytes).value).toEqual({
      d: '2024-05-01',
      t: '2024-05-01T12:00:00.123456Z',
    });
  });

  it('fills missing fields from their defaults', () => {
    const c = avroCodec(ORDER);
    const { withDefault: _, note: __, first: ___, ...rest } = ORDER_VALUE;
    expect(c.decode(c.encode(rest).bytes).value).toMatchObject({ withDefault: 42, note: null, first: null });
  });

  it('names the field, what was expected and what was given', () => {
    const c = avroCodec({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'orders', type: { type: 'record', name: 'O', fields: [{ name: 'total', type: ['null', 'double'] }] } },
        {
          name: 'lines',
          type: { type: 'array', items: { type: 'record', name: 'L', fields: [{ name: 'qty', type: 'int' }] } },
        },
        { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 } },
      ],
    });
    const err = (v: unknown): SchemaEncodeError => {
      try {
        c.encode(v);
      } catch (e) {
        if (e instanceof SchemaEncodeError) return e;
        throw e;
      }
      throw new Error('no error');
    };
    const ok = { orders: { total: 1 }, lines: [], price: '1.00' };
    expect(err({ ...ok, orders: { total: '12,5' } }).message).toBe(
      'orders.total: expected a double, got the string "12,5"',
    );
    expect(err({ ...ok, lines: [{ qty: 1 }, { qty: 2 }, { qty: 'x' }] }).message).toBe(
      'lines[2].qty: expected an int, got the string "x"',
    );
    expect(err({ ...ok, lines: [{}] }).path).toBe('lines[0].qty');
    expect(err({ ...ok, extra: 1 }).message).toMatch(/^extra: not a field of R/);
    expect(err({ ...ok, price: '1.234' }).message).toBe('price: the decimal "1.234" has more than 2 decimal places');
    expect(err({ ...ok, price: '12345.6' }).message).toMatch(/more than 5 significant digits/);
    expect(err({ orders: { total: 1 }, lines: [] }).message).toMatch(/^price: missing/);
  });

  it('resolves named types from references, whatever their order', () => {
    const address = {
      type: 'record',
      name: 'Address',
      namespace: 'geo',
      fields: [
        { name: 'city', type: 'string' },
        { name: 'country', type: 'geo.Country' },
      ],
    };
    const country = { type: 'enum', name: 'Country', namespace: 'geo', symbols: ['FR', 'DE'] };
    const c = avroCodec(
      { type: 'record', name: 'Customer', fields: [{ name: 'home', type: 'geo.Address' }] },
      { 'geo.Address': JSON.stringify(address), 'geo.Country': JSON.stringify(country) },
    );
    const v = { home: { city: 'Paris', country: 'FR' } };
    expect(c.decode(c.encode(v).bytes).value).toEqual(v);
    expect(() => avroCodec({ type: 'record', name: 'C', fields: [{ name: 'h', type: 'geo.Address' }] })).toThrow(
      SchemaParseError,
    );
  });

  it('gives a sample that encodes, and a JSON Schema with required fields, enums and docs', () => {
    const c = avroCodec(ORDER);
    const s = c.sample() as Record<string, unknown>;
    expect(s.status).toBe('NEW');
    expect(s.note).toBeNull(); // its default
    expect(s.either).toBe(0); // no default: the first branch's placeholder
    expect(() => c.encode(s)).not.toThrow();
    const js = c.jsonSchema() as {
      definitions: Record<
        string,
        {
          required?: string[];
          description?: string;
          enum?: string[];
          properties?: Record<string, { description?: string }>;
        }
      >;
    };
    expect(js.definitions['shop.Order']!.description).toBe('An order');
    expect(js.definitions['shop.Order']!.properties!.id!.description).toBe('The order id');
    expect(js.definitions['shop.Order']!.required).not.toContain('withDefault');
    expect(js.definitions['shop.Order']!.required).toContain('id');
    expect(js.definitions['shop.Status']!.enum).toEqual(['NEW', 'PAID']);
  });

  it('samples a recursive record without endless nesting', () => {
    const c = avroCodec({
      type: 'record',
      name: 'Node',
      fields: [
        { name: 'v', type: 'int' },
        { name: 'next', type: ['null', 'Node'] },
        { name: 'kids', type: { type: 'array', items: 'Node' } },
      ],
    });
    const s = c.sample();
    expect(() => c.encode(s)).not.toThrow();
    expect(JSON.stringify(c.jsonSchema())).toContain('#/definitions/Node');
  });

  it('refuses a schema that is not Avro with a SchemaParseError', () => {
    expect(() => compileSchema({ schemaType: 'AVRO', schema: '{', references: {} })).toThrow(SchemaParseError);
    expect(() => avroCodec({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'nope' }] })).toThrow(
      SchemaParseError,
    );
    const deep = '['.repeat(50000) + '"int"' + ']'.repeat(50000);
    expect(() => compileSchema({ schemaType: 'AVRO', schema: deep, references: {} })).toThrow(SchemaParseError);
  });

  describe('exploits: hostile bytes are a SchemaDecodeError, never a hang or an allocation from a length', () => {
    const decodeErr = (c: Codec, hex: string): unknown => {
      try {
        c.decode(Buffer.from(hex, 'hex'));
      } catch (e) {
        return e;
      }
      return null;
    };
    it('truncated values', () => {
      const c = avroCodec(ORDER);
      const { bytes } = c.encode(ORDER_VALUE);
      for (const n of [0, 1, 5, bytes.length - 1])
        expect(decodeErr(c, bytes.subarray(0, n).toString('hex'))).toBeInstanceOf(SchemaDecodeError);
    });
    it('trailing bytes: bytes of another schema', () => {
      expect(decodeErr(avroCodec('int'), '0202')).toBeInstanceOf(SchemaDecodeError);
      expect(String(decodeErr(avroCodec('int'), '0202'))).toMatch(/1 byte left/);
    });
    it('a bytes length of 2^62', () => {
      expect(decodeErr(avroCodec('bytes'), 'feffffffffffffff7f')).toBeInstanceOf(SchemaDecodeError);
    });
    it('an array of nulls claiming 2^62 items, and of ints claiming more than the bytes hold', () => {
      expect(decodeErr(avroCodec({ type: 'array', items: 'null' }), 'feffffffffffffff7f00')).toBeInstanceOf(
        SchemaDecodeError,
      );
      expect(decodeErr(avroCodec({ type: 'array', items: 'int' }), 'feffffffffffffff7f00')).toBeInstanceOf(
        SchemaDecodeError,
      );
      expect(decodeErr(avroCodec({ type: 'map', values: 'null' }), 'feffffffffffffff7f00')).toBeInstanceOf(
        SchemaDecodeError,
      );
    });
    it('a varint longer than 10 bytes, a bad union index, a bad enum index, a bad boolean', () => {
      expect(decodeErr(avroCodec('long'), 'ffffffffffffffffffffff01')).toBeInstanceOf(SchemaDecodeError);
      expect(decodeErr(avroCodec(['null', 'int']), '06')).toBeInstanceOf(SchemaDecodeError);
      expect(decodeErr(avroCodec({ type: 'enum', name: 'E', symbols: ['A'] }), '02')).toBeInstanceOf(SchemaDecodeError);
      expect(decodeErr(avroCodec('boolean'), '02')).toBeInstanceOf(SchemaDecodeError);
      expect(decodeErr(avroCodec('int'), 'ffffffff7f')).toBeInstanceOf(SchemaDecodeError);
    });
    it('a recursive record nested 100,000 deep', () => {
      const c = avroCodec({ type: 'record', name: 'L', fields: [{ name: 'next', type: ['null', 'L'] }] });
      expect(decodeErr(c, '02'.repeat(100000) + '00')).toBeInstanceOf(SchemaDecodeError);
    });
    it('nulls in many blocks: the zero-width cap counts every block; a negative count with its byte size reads', () => {
      const zigzag = (n: number) => {
        const out: number[] = [];
        let z = n >= 0 ? n * 2 : -n * 2 - 1;
        while (z >= 0x80) {
          out.push((z % 0x80) | 0x80);
          z = Math.floor(z / 0x80);
        }
        out.push(z);
        return Buffer.from(out).toString('hex');
      };
      const nulls = avroCodec({ type: 'array', items: 'null' });
      expect(decodeErr(nulls, zigzag(60000) + zigzag(60000) + '00')).toBeInstanceOf(SchemaDecodeError);
      expect((nulls.decode(Buffer.from(zigzag(3) + zigzag(2) + '00', 'hex')).value as unknown[]).length).toBe(5);
      // -2 items, then the block's byte size (2), then the two ints
      expect(
        avroCodec({ type: 'array', items: 'int' }).decode(Buffer.from(zigzag(-2) + zigzag(2) + '0204' + '00', 'hex'))
          .value,
      ).toEqual([1, 2]);
    });
    it('a recursive record reads as deep as it goes; a field named "__proto__" is a plain field', () => {
      const c = avroCodec({
        type: 'record',
        name: 'L',
        fields: [
          { name: 'v', type: 'int' },
          { name: 'next', type: ['null', 'L'] },
        ],
      });
      const list = { v: 1, next: { v: 2, next: { v: 3, next: null } } };
      expect(c.decode(c.encode(list).bytes).value).toEqual(list);
      const p = avroCodec({
        type: 'record',
        name: 'P',
        fields: [{ name: '__proto__', type: { type: 'map', values: 'int' } }],
      });
      const v = p.decode(Buffer.from('02' + '02' + '61' + '02' + '00', 'hex')).value as Record<string, unknown>;
      expect(Object.keys(v)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ a: 1 });
    });
    it('a map key "__proto__" stays a plain key', () => {
      const c = avroCodec({ type: 'map', values: 'int' });
      const v = c.decode(c.encode(JSON.parse('{"__proto__": 1}')).bytes).value as Record<string, unknown>;
      expect(Object.keys(v)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    });
  });
});
