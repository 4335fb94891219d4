import { describe, expect, it } from 'vitest';
import { decodeAs, decodeToField, encodeField, preview, show } from './wire';

describe('bytes in the UI', () => {
  it('hex and base64 fields become the exact bytes; mistakes are named', () => {
    expect(encodeField('ff fe 00 41', 'hex')).toEqual({ base64: '//4AQQ==' });
    expect(encodeField('0xFFFE', 'hex')).toEqual({ base64: '//4=' });
    expect(encodeField('//4AQQ==', 'base64')).toEqual({ base64: '//4AQQ==' });
    expect(() => encodeField('abc', 'hex', 'Header trace')).toThrow('Header trace is not hex');
    expect(() => encodeField('*', 'base64')).toThrow('is not base64');
    expect(() => encodeField('{"a":', 'json')).toThrow(/^The value is not valid JSON/);
    expect(encodeField('héllo', 'text')).toBe('héllo');
  });
  it('non-UTF-8 bytes are shown as hex, never as replacement characters, and round-trip through the editor', () => {
    const w = { base64: '//4AQQ==' };
    expect(show(w)).toMatchObject({ kind: 'binary', size: 4 });
    expect(show(w).text).toContain('ff fe 00 41');
    expect(show(w).text).not.toContain('\uFFFD');
    expect(preview(w)).toBe('0xfffe0041');
    const field = decodeToField(w);
    expect(field).toEqual({ text: 'ff fe 00 41', mode: 'hex' });
    expect(encodeField(field.text, field.mode)).toEqual(w);
  });
  it('the inspector decodes as chosen', () => {
    expect(decodeAs('{"a":1}', 'auto')).toMatchObject({ kind: 'json', text: '{\n  "a": 1\n}' });
    expect(decodeAs('{"a":1}', 'text')).toMatchObject({ kind: 'text', text: '{"a":1}' });
    expect(decodeAs('AB', 'hex').text).toContain('41 42');
    expect(decodeAs('AB', 'base64').text).toBe('QUI=');
    expect(decodeAs('nope', 'json').text).toMatch(/^\(not JSON/);
  });
});
