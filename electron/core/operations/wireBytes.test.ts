import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from './wireBytes';

describe('bytes on the wire', () => {
  it('text exactly when the bytes are UTF-8, base64 otherwise; never lossy', () => {
    expect(toWire(Buffer.from('héllo ✓', 'utf8'))).toBe('héllo ✓');
    expect(toWire(Buffer.from([0x00, 0x00, 0x00, 0x00, 0x01, 0x06]))).toBe('\u0000\u0000\u0000\u0000\u0001\u0006');
    expect(toWire(Buffer.from([0xff, 0xfe, 0x00]))).toEqual({ base64: '//4A' });
    // a lone surrogate's bytes, an overlong encoding, a cut sequence: not UTF-8
    expect(toWire(Buffer.from([0xed, 0xa0, 0x80]))).toEqual({ base64: '7aCA' });
    expect(toWire(Buffer.from([0xc0, 0xaf]))).toEqual({ base64: 'wK8=' });
    expect(toWire(Buffer.from([0xe2, 0x9c]))).toEqual({ base64: '4pw=' });
    // a leading BOM stays bytes (a reader of the text may drop it); inside the text it is a character
    const bom = Buffer.from([0xef, 0xbb, 0xbf, 0x41]);
    expect(toWire(bom)).toEqual({ base64: '77u/QQ==' });
    expect(toWire(Buffer.from('a\ufeffb', 'utf8'))).toBe('a\ufeffb');
    expect(toWire(null)).toBeNull();
    expect(toWire(Buffer.alloc(0))).toBe('');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (a) => {
        const b = Buffer.from(a);
        expect(fromWire(toWire(b))).toEqual(b);
      }),
    );
  });
});
