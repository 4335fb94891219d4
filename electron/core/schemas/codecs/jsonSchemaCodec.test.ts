import { describe, expect, it } from 'vitest';
import { compileSchema, SchemaDecodeError, SchemaEncodeError, SchemaParseError, type Codec } from './index';

const js = (schema: unknown, references: Record<string, unknown> = {}): Codec =>
  compileSchema({
    schemaType: 'JSON',
    schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
    references: Object.fromEntries(Object.entries(references).map(([k, v]) => [k, JSON.stringify(v)])),
  });

const ADDRESS = {
  $id: 'https://example.com/schemas/address.json',
  type: 'object',
  required: ['city'],
  properties: { city: { type: 'string', minLength: 1 }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
  additionalProperties: false,
};

const ORDER = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://example.com/schemas/order.json',
  type: 'object',
  required: ['id', 'total', 'lines', 'ship'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    total: { type: 'number', minimum: 0 },
    created: { type: 'string', format: 'date-time' },
    status: { enum: ['NEW', 'PAID'] },
    lines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/line' } },
    ship: { $ref: 'address.json' },
    email: { type: 'string', format: 'email' },
  },
  definitions: {
    line: {
      type: 'object',
      required: ['sku', 'qty'],
      properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
    },
  },
};

const enc = (c: Codec, v: unknown): SchemaEncodeError => {
  try {
    c.encode(v);
  } catch (e) {
    if (e instanceof SchemaEncodeError) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('JSON Schema codec', () => {
  const order = (): Codec => js(ORDER, { 'address.json': ADDRESS });
  const good = {
    id: '5f2b6c0e-8d0a-4c9f-9a51-3f1f5e8b9c2d',
    total: 12.5,
    lines: [{ sku: 'a', qty: 2 }],
    ship: { city: 'Paris', zip: '75001' },
  };

  it('decodes UTF-8 JSON, validates it, and writes compact JSON', () => {
    const c = order();
    const { bytes } = c.encode(good);
    expect(bytes.toString()).toBe(JSON.stringify(good));
    expect(c.decode(bytes)).toEqual({ value: good });
    expect(c.decode(Buffer.from('{ "id" : "x" }'))).toEqual({ value: { id: 'x' }, invalid: expect.any(String) });
  });

  it('shows an invalid message with the reason and its path, never hides it', () => {
    const c = order();
    const bad = {
      ...good,
      lines: [
        { sku: 'a', qty: 2 },
        { sku: 'b', qty: 0 },
      ],
    };
    const r = c.decode(Buffer.from(JSON.stringify(bad)));
    expect(r.value).toEqual(bad);
    expect(r.invalid).toBe('lines[1].qty: must be >= 1');
  });

  it('refuses to encode an invalid value, naming the field', () => {
    const c = order();
    expect(enc(c, { ...good, total: '12,5' }).message).toBe('total: must be number');
    expect(enc(c, { ...good, ship: { city: 'P', zip: 'abc' } }).message).toBe(
      'ship.zip: must match pattern "^[0-9]{5}$"',
    );
    expect(enc(c, { ...good, ship: { city: 'P', extra: 1 } }).message).toBe(
      'ship: must NOT have additional properties ("extra")',
    );
    expect(enc(c, { ...good, status: 'LOST' }).message).toBe(
      'status: must be equal to one of the allowed values: "NEW", "PAID"',
    );
    expect(enc(c, { ...good, id: 'nope' }).path).toBe('id');
    expect(enc(c, { ...good, email: 'not an email' }).path).toBe('email');
  });

  it('resolves $refs to references by name, also relative to the $id', () => {
    const byName = js(
      { type: 'object', properties: { a: { $ref: 'address.json' } } },
      { 'address.json': { ...ADDRESS, $id: undefined } },
    );
    expect(() => byName.encode({ a: { city: 'X' } })).not.toThrow();
    expect(enc(byName, { a: {} }).message).toBe("a: must have required property 'city'");
    expect(() => order().encode(good)).not.toThrow();
  });

  it('uses 2019-09 and 2020-12 rules when $schema says so', () => {
    const c2020 = js({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'integer' }, { type: 'string' }],
      items: false,
    });
    expect(() => c2020.encode([1, 'a'])).not.toThrow();
    expect(() => c2020.encode([1, 'a', 3])).toThrow(SchemaEncodeError);
    const c2019 = js({
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      type: 'object',
      properties: { a: {} },
      unevaluatedProperties: false,
    });
    expect(() => c2019.encode({ a: 1, b: 2 })).toThrow(SchemaEncodeError);
    const c04 = js({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      properties: { n: { type: 'integer' } },
    });
    expect(() => c04.encode({ n: 1.5 })).toThrow(SchemaEncodeError);
  });

  it('gives samples that encode, from defaults, examples, enums, consts, formats and required properties', () => {
    const schemas: [unknown, Record<string, unknown>][] = [
      [ORDER, { 'address.json': ADDRESS }],
      [
        {
          type: 'object',
          required: ['a'],
          properties: {
            a: { type: 'integer', minimum: 5, multipleOf: 3 },
            b: { default: 'd' },
            c: { const: 7 },
            e: { examples: ['ex'] },
          },
        },
        {},
      ],
      [
        {
          type: 'object',
          properties: { when: { type: 'string', format: 'date' }, t: { type: ['null', 'string'], minLength: 3 } },
          required: ['when', 't'],
        },
        {},
      ],
      [{ oneOf: [{ type: 'null' }, { type: 'object', required: ['k'], properties: { k: { type: 'boolean' } } }] }, {}],
      [
        {
          allOf: [
            { type: 'object', required: ['x'], properties: { x: { type: 'string' } } },
            { required: ['y'], properties: { y: { type: 'number', exclusiveMinimum: 0 } } },
          ],
        },
        {},
      ],
      [
        {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          $defs: { n: { type: 'object', properties: { next: { $ref: '#/$defs/n' } } } },
          $ref: '#/$defs/n',
        },
        {},
      ],
    ];
    for (const [schema, refs] of schemas) {
      const c = js(schema, refs);
      const s = c.sample();
      expect(() => c.encode(s), JSON.stringify(schema)).not.toThrow();
    }
    const s = order().sample() as Record<string, unknown>;
    expect(s).toMatchObject({ id: expect.any(String), total: 0, status: 'NEW', ship: { city: 'x' } });
    expect(js(schemas[1]![0]).sample()).toEqual({ a: 6, b: 'd', c: 7, e: 'ex' });
  });

  it('returns its own schema as the JSON Schema', () => {
    expect(order().jsonSchema()).toEqual(ORDER);
  });

  describe('exploits', () => {
    it('a remote $ref that is not a reference is refused: nothing is fetched', () => {
      expect(() => js({ $ref: 'https://attacker.example/x.json' })).toThrow(SchemaParseError);
      expect(() => js({ $ref: 'https://attacker.example/x.json' })).toThrow(/not among its references/);
      expect(() => js({ properties: { a: { $ref: 'other.json#/x' } } })).toThrow(SchemaParseError);
    });

    it('a catastrophic pattern runs in linear time (RE2), both for pattern and patternProperties', () => {
      const c = js({
        type: 'object',
        properties: { s: { type: 'string', pattern: '^(a+)+$' } },
        patternProperties: { '^(b|bb)+$': { type: 'integer' } },
      });
      const evil = 'a'.repeat(50_000) + '!';
      // a backtracking engine would not return from this for longer than the test runs
      expect(c.decode(Buffer.from(JSON.stringify({ s: evil }))).invalid).toMatch(/^s: must match pattern/);
      expect(() => c.encode({ s: 'aaaa', [`${'b'.repeat(40_000)}c`]: 'x' })).not.toThrow();
      expect(enc(c, { s: 'aaa!' }).path).toBe('s');
    });

    it('a pattern RE2 cannot run (look-ahead, back-reference) is refused with a sentence', () => {
      expect(() => js({ type: 'string', pattern: '^(?=a)' })).toThrow(SchemaParseError);
      expect(() => js({ type: 'string', pattern: '(a)\\1' })).toThrow(/linear time/);
    });

    it('a schema nested 100,000 deep, a non-object schema, a broken text', () => {
      const deep = '{"items":'.repeat(100_000) + '{}' + '}'.repeat(100_000);
      expect(() => js(deep)).toThrow(SchemaParseError);
      expect(() => js('42')).toThrow(SchemaParseError);
      expect(() => js('{"type": ')).toThrow(SchemaParseError);
      expect(() => js({ type: 'nonsense' })).toThrow(SchemaParseError);
    });

    it('a huge but flat schema compiles', () => {
      const properties = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`p${i}`, { type: 'integer' }]));
      expect(() => js({ type: 'object', properties }).encode({ p1: 1 })).not.toThrow();
    });

    it('bytes that are not UTF-8 or not JSON are a SchemaDecodeError', () => {
      expect(() => order().decode(Buffer.from([0xff, 0xfe]))).toThrow(SchemaDecodeError);
      expect(() => order().decode(Buffer.from('{"a":'))).toThrow(SchemaDecodeError);
    });
  });
});
