import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';
import descriptorJson from 'protobufjs/google/protobuf/descriptor.json';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSchema, SchemaDecodeError, SchemaEncodeError, SchemaParseError, type Codec } from './index';

const MONEY = `syntax = "proto3";
package common;
message Money { string currency = 1; int64 units = 2; }
`;

const ORDER = `syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/any.proto";
import "common/money.proto";

// An order as the shop writes it.
message Order {
  string id = 1; // the order id
  repeated Line lines = 2;
  map<string, int32> tags = 3;
  google.protobuf.Timestamp created = 4;
  google.protobuf.Duration ttl = 5;
  google.protobuf.StringValue note = 6;
  google.protobuf.Struct extra = 7;
  oneof pay { string card = 8; int64 points = 9; }
  Status status = 10;
  bytes blob = 11;
  common.Money total = 12;
  optional int32 maybe = 13;
  uint64 big = 14;
  map<bool, string> flags = 15;
  map<int64, Line> by_id = 16;
  double ratio = 17;
  float f = 18;
  google.protobuf.Int64Value count = 19;
  google.protobuf.Empty nothing = 20;
  google.protobuf.Any any = 21;
  sint32 s = 22;
  fixed64 fx = 23;
  google.protobuf.Value dyn = 24;
  google.protobuf.ListValue list = 25;
  message Line { string sku = 1; int32 qty = 2; }
  enum Status { NEW = 0; PAID = 1; }
}
message Other { Order.Line l = 1; map<string, string> m = 2; message Inner { int32 x = 1; } Inner in = 3; }
`;

const pb = (schema: string, references: Record<string, string> = {}): Codec =>
  compileSchema({ schemaType: 'PROTOBUF', schema, references });
const order = (): Codec => pb(ORDER, { 'common/money.proto': MONEY });

const VALUE = {
  id: 'o1',
  lines: [
    { sku: 'a', qty: 2 },
    { sku: 'b', qty: 0 },
  ],
  tags: { x: 1 },
  created: '2024-05-01T12:00:00.123Z',
  ttl: '1.500s',
  note: 'hi',
  extra: { a: [1, 'b', null, { c: true }] },
  points: '9007199254740993',
  status: 'PAID',
  blob: 'AAE=',
  total: { currency: 'EUR', units: '-12' },
  maybe: 0,
  big: '18446744073709551615',
  flags: { true: 't', false: 'f' },
  by_id: { '-5': { sku: 'm', qty: 1 } },
  ratio: 0.25,
  f: 0.1,
  count: '-9223372036854775808',
  nothing: {},
  any: { '@type': 'type.googleapis.com/shop.Order.Line', sku: 'z', qty: 9 },
  s: -7,
  fx: '1',
  dyn: 'text',
  list: [1, 'two'],
};

const protoc = (() => {
  try {
    execFileSync('protoc', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const dir = mkdtempSync(join(tmpdir(), 'pbcodec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function writeProtos(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

describe('Protobuf codec', () => {
  it('round-trips every feature in the JSON-ready form', () => {
    const c = order();
    const { bytes, messageIndexes } = c.encode(VALUE);
    expect(messageIndexes).toEqual([0]);
    expect(c.decode(bytes, [0])).toEqual({ value: VALUE, messageName: 'shop.Order' });
  });

  it('writes Timestamp and Duration fractions in 0, 3, 6 or 9 digits, as proto3 JSON does', () => {
    const c = order();
    const shown = (created: string, ttl: string): unknown => {
      const v = c.decode(c.encode({ created, ttl }).bytes).value as Record<string, unknown>;
      return [v.created, v.ttl];
    };
    expect(shown('2024-02-29T13:14:15.123Z', '1.5s')).toEqual(['2024-02-29T13:14:15.123Z', '1.500s']);
    expect(shown('2024-05-01T12:00:00Z', '1s')).toEqual(['2024-05-01T12:00:00Z', '1s']);
    expect(shown('2024-05-01T12:00:00.000Z', '1.000000000s')).toEqual(['2024-05-01T12:00:00Z', '1s']);
    expect(shown('2024-05-01T12:00:00.5Z', '0.000001s')).toEqual(['2024-05-01T12:00:00.500Z', '0.000001s']);
    expect(shown('2024-05-01T12:00:00.1234Z', '-0.5s')).toEqual(['2024-05-01T12:00:00.123400Z', '-0.500s']);
    expect(shown('1969-12-31T23:59:59.000000001Z', '-1.000000001s')).toEqual([
      '1969-12-31T23:59:59.000000001Z',
      '-1.000000001s',
    ]);
    expect(shown('2024-05-01T12:00:00.120000Z', '0s')).toEqual(['2024-05-01T12:00:00.120Z', '0s']);
  });

  it('shows fields at their defaults, leaves unset messages and optionals out, and only the set member of a oneof', () => {
    const c = order();
    // exactly the fields without presence, at their defaults: nothing else
    expect(c.decode(Buffer.alloc(0)).value).toEqual({
      id: '',
      lines: [],
      tags: {},
      status: 'NEW',
      blob: '',
      big: '0',
      flags: {},
      by_id: {},
      ratio: 0,
      f: 0,
      s: 0,
      fx: '0',
    });
    const set = c.decode(c.encode({ card: '', maybe: 0, total: {}, nothing: {} }).bytes).value as Record<
      string,
      unknown
    >;
    expect(set.card).toBe('');
    expect(set).not.toHaveProperty('points');
    expect(set.maybe).toBe(0);
    expect(set.total).toEqual({ currency: '', units: '0' });
    expect(set.nothing).toEqual({});
    // null on input still means "unset", except for a google.protobuf.Value, where it is NULL_VALUE
    const nulls = c.decode(c.encode({ total: null, maybe: null, note: null, created: null, dyn: null }).bytes)
      .value as Record<string, unknown>;
    for (const k of ['total', 'maybe', 'note', 'created']) expect(nulls, k).not.toHaveProperty(k);
    expect(nulls).toHaveProperty('dyn', null);
    expect(c.decode(c.encode(nulls).bytes).value).toEqual(nulls);
  });

  it('accepts camelCase field names too', () => {
    const c = order();
    const v = c.decode(c.encode({ byId: { '3': { sku: 'q' } } }).bytes).value as Record<string, unknown>;
    expect(v.by_id).toEqual({ '3': { sku: 'q', qty: 0 } });
  });

  it('numbers messages as Confluent does: map entry types count among nested types', () => {
    const c = order();
    expect(c.messageNames!()).toEqual(['shop.Order', 'shop.Order.Line', 'shop.Other', 'shop.Other.Inner']);
    const line = c.encode({ sku: 'a' }, 'shop.Order.Line');
    // Order's nested types: TagsEntry, FlagsEntry, ByIdEntry, Line → Line is [0, 3]
    expect(line.messageIndexes).toEqual([0, 3]);
    expect(c.decode(line.bytes, [0, 3]).messageName).toBe('shop.Order.Line');
    // Other's nested types: MEntry, Inner → Inner is [1, 1]
    expect(c.encode({ x: 1 }, 'Other.Inner').messageIndexes).toEqual([1, 1]);
    expect(() => c.decode(Buffer.alloc(0), [7])).toThrow(SchemaDecodeError);
    expect(() => c.decode(Buffer.alloc(0), [7])).toThrow(/Message index \[7\] is not a message of the schema/);
    expect(() => c.encode({}, 'shop.Nope')).toThrow(/has no message shop.Nope/);
  });

  it.skipIf(!protoc)('agrees with protoc on message indexes (descriptor set)', () => {
    writeProtos({ 'shop/order.proto': ORDER, 'common/money.proto': MONEY });
    execFileSync('protoc', ['-I', dir, `--descriptor_set_out=${join(dir, 'set.bin')}`, 'shop/order.proto']);
    const set = readFileSync(join(dir, 'set.bin'));
    const FDS = protobuf.Root.fromJSON(descriptorJson as protobuf.INamespace).lookupType(
      'google.protobuf.FileDescriptorSet',
    );
    const decoded = FDS.toObject(FDS.decode(set)) as { file: { package: string; messageType: Desc[] }[] };
    interface Desc {
      name: string;
      nestedType?: Desc[];
    }
    const expected: Record<string, number[]> = {};
    const walk = (ds: Desc[], prefix: string, path: number[]): void =>
      ds.forEach((d, i) => {
        if (!d.name.endsWith('Entry')) expected[`${prefix}.${d.name}`] = [...path, i];
        walk(d.nestedType ?? [], `${prefix}.${d.name}`, [...path, i]);
      });
    const file = decoded.file[0]!;
    walk(file.messageType, file.package, []);
    const c = order();
    for (const name of c.messageNames!()) expect(c.encode({}, name).messageIndexes, name).toEqual(expected[name]);
  });
  if (!protoc) console.log('protoc is not installed: the cross-checks against protoc are skipped');

  it.skipIf(!protoc)('decodes bytes protoc encoded, and protoc decodes ours', () => {
    writeProtos({ 'shop/order.proto': ORDER, 'common/money.proto': MONEY });
    const text = `id: "p1" lines { sku: "x" qty: 3 } tags { key: "k" value: 5 } created { seconds: 1714564800 nanos: 500000000 }
      ttl { seconds: -2 nanos: -500000000 } points: -42 status: PAID blob: "\\001\\002" total { currency: "USD" units: 7 }
      big: 18446744073709551615 flags { key: true value: "yes" } by_id { key: -1 value { sku: "n" } } f: 1.5
      any { type_url: "type.googleapis.com/shop.Order.Line" value: "\\n\\001q" }`;
    const bytes = execFileSync('protoc', ['-I', dir, '--encode=shop.Order', 'shop/order.proto'], { input: text });
    const v = order().decode(bytes).value as Record<string, unknown>;
    expect(v).toMatchObject({
      id: 'p1',
      lines: [{ sku: 'x', qty: 3 }],
      tags: { k: 5 },
      created: '2024-05-01T12:00:00.500Z',
      ttl: '-2.500s',
      points: '-42',
      status: 'PAID',
      blob: 'AQI=',
      total: { currency: 'USD', units: '7' },
      big: '18446744073709551615',
      flags: { true: 'yes' },
      by_id: { '-1': { sku: 'n', qty: 0 } },
      f: 1.5,
      any: { '@type': 'type.googleapis.com/shop.Order.Line', sku: 'q', qty: 0 },
    });
    for (const k of ['note', 'extra', 'maybe', 'count', 'nothing', 'dyn', 'list', 'card'])
      expect(v, `${k} is not set`).not.toHaveProperty(k);
    const ours = order().encode(VALUE).bytes;
    const back = execFileSync('protoc', ['-I', dir, '--decode=shop.Order', 'shop/order.proto'], {
      input: ours,
    }).toString();
    expect(back).toContain('points: 9007199254740993');
    expect(back).toContain('big: 18446744073709551615');
    expect(back).toMatch(/flags \{\s+key: false\s+value: "f"\s+\}/);
    expect(back).toMatch(/by_id \{\s+key: -5/);
    expect(back).toContain('nanos: 123000000');
  });

  it('names the field in an encoding error', () => {
    const c = order();
    const msg = (v: unknown): string => {
      try {
        c.encode(v);
      } catch (e) {
        if (e instanceof SchemaEncodeError) return e.message;
        throw e;
      }
      return 'no error';
    };
    expect(msg({ lines: [{}, {}, { qty: 'x' }] })).toBe('lines[2].qty: expected an integer, got the string "x"');
    expect(msg({ status: 'LOST' })).toBe('status: expected one of NEW, PAID, got the string "LOST"');
    expect(msg({ big: '-1' })).toMatch(/^big: -1 is out of range for uint64/);
    expect(msg({ created: 'yesterday' })).toMatch(/^created: expected an RFC 3339 timestamp/);
    expect(msg({ card: 'a', points: 1 })).toMatch(/^points: only one field of the oneof pay/);
    expect(msg({ nope: 1 })).toMatch(/^nope: not a field of shop.Order/);
    expect(msg({ blob: 'not base64!' })).toBe('blob: expected bytes as a base64 string, got the string "not base64!"');
    expect(msg({ total: { units: 1.5 } })).toBe('total.units: expected an integer, got the number 1.5');
  });

  it('proto2: required fields, declared defaults, groups and closed enums', () => {
    const c = pb(`syntax = "proto2";
package p2;
message M {
  required string name = 1;
  optional int32 n = 2 [default = 7];
  optional group G = 3 { optional int32 x = 1; }
  optional E e = 4;
  enum E { A = 1; B = 2; }
  message After {}
}`);
    expect(c.messageNames!()).toEqual(['p2.M', 'p2.M.G', 'p2.M.After']);
    expect(c.encode({}, 'p2.M.After').messageIndexes).toEqual([0, 1]);
    expect(() => c.encode({})).toThrow(/^name: missing/);
    const v = c.decode(c.encode({ name: 'x', g: { x: 3 } }).bytes).value;
    expect(v).toEqual({ name: 'x', n: 7, g: { x: 3 }, e: 'A' });
    expect(() => c.encode({ name: 'x', e: 5 })).toThrow(/^e: expected one of A, B/);
    expect(() => c.encode(c.sample())).not.toThrow();
  });

  it('gives samples that encode and JSON Schemas for every message, which its values meet', () => {
    const c = order();
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const name of c.messageNames!()) {
      const s = c.sample(name);
      expect(() => c.encode(s, name), name).not.toThrow();
      const js = c.jsonSchema(name) as { $ref: string; definitions: Record<string, unknown> };
      expect(js.$ref).toBe(`#/definitions/${name}`);
      const valid = ajv.compile(js);
      for (const v of [s, c.decode(Buffer.alloc(0), c.encode({}, name).messageIndexes).value])
        expect(valid(v), `${name}: ${ajv.errorsText(valid.errors)}`).toBe(true);
    }
    const valid = ajv.compile(c.jsonSchema());
    expect(valid(c.decode(c.encode(VALUE).bytes).value), ajv.errorsText(valid.errors)).toBe(true);
    // null is still taken as "unset" where a field has presence; a field without presence has no null
    expect(valid({ note: null, total: null, maybe: null })).toBe(true);
    expect(valid({ id: null })).toBe(false);
    // a list of wrappers holds no nulls: the encoder refuses one, so the schema does too
    const w = pb(
      'syntax = "proto3"; import "google/protobuf/wrappers.proto"; message W { repeated google.protobuf.StringValue xs = 1; }',
    );
    const validW = ajv.compile(w.jsonSchema());
    expect(validW({ xs: ['a', ''] })).toBe(true);
    expect(() => w.encode({ xs: [null] })).toThrow(SchemaEncodeError);
    expect(validW({ xs: [null] })).toBe(false);
    const js = c.jsonSchema() as {
      definitions: Record<
        string,
        { description?: string; properties: Record<string, { description?: string; enum?: string[] }> }
      >;
    };
    expect(js.definitions['shop.Order']!.description).toBe('An order as the shop writes it.');
    expect(js.definitions['shop.Order']!.properties.id!.description).toBe('the order id');
    expect(js.definitions['shop.Order']!.properties.status!.enum).toEqual(['NEW', 'PAID']);
  });

  it('imports: from references by import path; a missing one is a SchemaParseError', () => {
    expect(() => pb(ORDER)).toThrow(SchemaParseError);
    expect(() => pb(ORDER)).toThrow(/imports "common\/money.proto", which is not among its references/);
    expect(() => pb('syntax = "proto3"; message {')).toThrow(SchemaParseError);
    expect(() => pb('syntax = "proto3"; message A { Missing m = 1; }')).toThrow(SchemaParseError);
    const meta = pb(
      `syntax = "proto3"; import "confluent/meta.proto"; message A { string s = 1 [(confluent.field_meta) = { doc: "x" }]; }`,
    );
    expect(meta.decode(meta.encode({ s: 'v' }).bytes).value).toEqual({ s: 'v' });
  });

  describe('exploits', () => {
    it('truncated bytes and a length beyond the end are a SchemaDecodeError', () => {
      const c = order();
      const { bytes } = c.encode(VALUE);
      for (const n of [1, 7, bytes.length - 1]) {
        let err: unknown;
        try {
          c.decode(bytes.subarray(0, n));
        } catch (e) {
          err = e;
        }
        expect(err, `cut at ${n}`).toBeInstanceOf(SchemaDecodeError);
      }
      expect(() => c.decode(Buffer.from('0affffffff0f', 'hex'))).toThrow(SchemaDecodeError);
      expect(() => c.decode(Buffer.from('0a0561', 'hex'))).toThrow(SchemaDecodeError);
    });

    it('a self-referencing message: nested bytes 5,000 deep, and sample()/jsonSchema() terminate', () => {
      const c = pb(
        'syntax = "proto3"; message Node { Node child = 1; int32 v = 2; repeated Node kids = 3; map<string, Node> m = 4; }',
      );
      let b = Buffer.alloc(0);
      for (let i = 0; i < 5000; i++) b = Buffer.concat([Buffer.from([0x0a]), varint(b.length), b]);
      expect(() => c.decode(b)).toThrow(SchemaDecodeError);
      const s = c.sample();
      expect(() => c.encode(s)).not.toThrow();
      expect(JSON.stringify(c.jsonSchema())).toContain('#/definitions/Node');
    });

    it('input nested 10,000 deep is refused with a path, not a stack overflow', () => {
      const c = pb('syntax = "proto3"; message Node { Node child = 1; }');
      let v: Record<string, unknown> = {};
      for (let i = 0; i < 10000; i++) v = { child: v };
      expect(() => c.encode(v)).toThrow(SchemaEncodeError);
    });

    it('a .proto nested thousands deep is a SchemaParseError', () => {
      const deep = 'syntax = "proto3"; ' + 'message A { '.repeat(3000) + '}'.repeat(3000);
      expect(() => pb(deep)).toThrow(SchemaParseError);
    });
  });
});

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
