import { describe, expect, it } from 'vitest';
import type { ConsumedMessage } from '../../../electron/contract';
import { asFramed, copiedPart, decodedHeadline, partCell, prettyDecoded } from './messageTable';

const msg = (over: Partial<ConsumedMessage> = {}): ConsumedMessage => ({
  topic: 'orders',
  partition: 0,
  offset: '17',
  timestamp: '0',
  timestampType: 'CreateTime',
  key: 'k1',
  value: { base64: 'AAAAAAwCaWQ=' },
  headers: [],
  size: 9,
  ...over,
});
const avro = {
  format: 'avro' as const,
  schemaId: 12,
  subject: 'orders-value',
  version: 3,
  json: '{"id":"o-1","total":12.5}',
};

describe('a decoded key or value in the table', () => {
  it('shows the decoded JSON with its format, not the bytes', () => {
    const c = partCell(msg({ decoded: { value: avro } }), 'value', 400);
    expect(c).toMatchObject({ text: '{"id":"o-1","total":12.5}', badge: 'Avro', error: null, invalid: null });
    expect(c.title).toContain('Avro · subject orders-value v3 · schema id 12');
  });
  it('a part that did not decode shows its bytes, marked, the reason in the tooltip', () => {
    const c = partCell(msg({ decoded: { value: { error: 'schema id 99 is not in the registry' } } }), 'value', 400);
    expect(c.badge).toBeNull();
    expect(c.error).toBe('schema id 99 is not in the registry');
    expect(c.text).toBe('0x000000000c026964');
    expect(c.title).toMatch(/^Not decoded: schema id 99 is not in the registry/);
  });
  it('a value that does not match its JSON Schema is still shown, marked invalid', () => {
    const c = partCell(
      msg({ decoded: { value: { format: 'json-schema', json: '{"n":"x"}', invalid: 'n: must be integer' } } }),
      'value',
      400,
    );
    expect(c).toMatchObject({ badge: 'JSON Schema', invalid: 'n: must be integer', text: '{"n":"x"}' });
    expect(c.title).toContain('Does not match its schema: n: must be integer');
  });
  it('no decoded form: the cell is what it was (the key stays its text)', () => {
    expect(partCell(msg(), 'key', 200)).toEqual({ text: 'k1', badge: null, error: null, invalid: null, title: 'k1' });
  });
  it('a long or many-line decoded value is one cut line; markup in it stays text', () => {
    const json = JSON.stringify({ html: '<img src=x onerror=alert(1)>', pad: 'x'.repeat(1000) }, null, 2);
    const c = partCell(msg({ decoded: { value: { format: 'avro', json } } }), 'value', 50);
    expect(c.text).not.toContain('\n');
    expect(c.text.length).toBe(51);
    expect(c.text.endsWith('…')).toBe(true);
    expect(c.title.length).toBeLessThan(2100);
  });
});

describe('the inspector line over a decoded part', () => {
  it('names format, message type, subject and version, schema id, local file', () => {
    expect(decodedHeadline(avro)).toBe('Avro · subject orders-value v3 · schema id 12');
    expect(decodedHeadline({ format: 'protobuf', messageName: 'shop.Order', schemaId: 7 })).toBe(
      'Protobuf · shop.Order · schema id 7',
    );
    expect(decodedHeadline({ format: 'avro', localSchema: 'order.avsc' })).toBe('Avro · local schema order.avsc');
    expect(decodedHeadline(undefined)).toBe('');
  });
  it('pretty-prints the decoded JSON, and keeps text that does not parse as it is', () => {
    expect(prettyDecoded('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyDecoded('{nope')).toBe('{nope');
  });
});

describe('what is copied', () => {
  it('the decoded JSON text when there is one, else the bytes', () => {
    const m = msg({ decoded: { value: avro, key: { error: 'no schema' } } });
    expect(copiedPart(m, 'value')).toBe(avro.json);
    expect(copiedPart(m, 'key')).toBe('k1');
    expect(copiedPart(msg(), 'value')).toEqual({ base64: 'AAAAAAwCaWQ=' });
  });
});

describe('bytes meant for a schema', () => {
  it('text with control characters (a wire header that happens to be UTF-8) is shown as its bytes', () => {
    expect(asFramed('\u0000\u0000\u0000\u0000\u0027\u000f')).toEqual({ base64: 'AAAAACcP' });
    expect(asFramed('plain text\n')).toBe('plain text\n');
    expect(asFramed(null)).toBeNull();
    const c = partCell(
      msg({ value: '\u0000\u0000\u0000\u0000\u0027x', decoded: { value: { error: 'unknown id 39' } } }),
      'value',
      400,
    );
    expect(c.text).toBe('0x0000000027' + '78');
  });
});
