import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_INDEXES, readWireHeader, writeWireHeader } from './wireFormat';

describe('Confluent wire header', () => {
  it('reads the magic byte and the big-endian schema id', () => {
    const buf = Buffer.from([0, 0, 0, 1, 0x2c, 0xaa, 0xbb]);
    expect(readWireHeader(buf, false)).toEqual({ schemaId: 300, payloadOffset: 5 });
  });

  it('reads Protobuf message indexes: the single byte 0 is [0], otherwise a zigzag count then indexes', () => {
    expect(readWireHeader(Buffer.from([0, 0, 0, 0, 7, 0, 0x08]), true)).toEqual({
      schemaId: 7,
      messageIndexes: [0],
      payloadOffset: 6,
    });
    // count 2 (zigzag 4), indexes 1 (zigzag 2) and 3 (zigzag 6)
    expect(readWireHeader(Buffer.from([0, 0, 0, 0, 7, 4, 2, 6, 0x08]), true)).toEqual({
      schemaId: 7,
      messageIndexes: [1, 3],
      payloadOffset: 8,
    });
  });

  it('writes what it reads', () => {
    for (const idx of [undefined, [0], [1], [2, 0, 5], [200, 70000]]) {
      const h = writeWireHeader(123456, idx);
      const payload = Buffer.from('xyz');
      const r = readWireHeader(Buffer.concat([h, payload]), idx !== undefined);
      expect(r).toEqual({ schemaId: 123456, ...(idx ? { messageIndexes: idx } : {}), payloadOffset: h.length });
    }
    expect(writeWireHeader(1, [0])).toEqual(Buffer.from([0, 0, 0, 0, 1, 0]));
  });

  it('refuses to write an impossible id or index with a sentence', () => {
    expect(() => writeWireHeader(-1)).toThrow(/schema id is an integer/);
    expect(() => writeWireHeader(2 ** 31)).toThrow(/schema id is an integer/);
    expect(() => writeWireHeader(1, [-1])).toThrow(/message index/);
    expect(() => writeWireHeader(1, new Array(MAX_MESSAGE_INDEXES + 1).fill(1))).toThrow(/at most/);
  });

  describe('exploits: hostile bytes give null, never a throw', () => {
    const cases: [string, number[], boolean][] = [
      ['empty', [], false],
      ['no magic byte', [1, 0, 0, 0, 1], false],
      ['truncated id', [0, 0, 0, 1], false],
      ['negative id', [0, 0xff, 0xff, 0xff, 0xff], false],
      ['no index count', [0, 0, 0, 0, 1], true],
      ['truncated varint count', [0, 0, 0, 0, 1, 0x80], true],
      ['negative count', [0, 0, 0, 0, 1, 3], true],
      ['huge count, few bytes', [0, 0, 0, 0, 1, 0xfe, 0xff, 0xff, 0xff, 0x0f], true],
      ['count above the cap', [0, 0, 0, 0, 1, (MAX_MESSAGE_INDEXES + 1) * 2, 0x01], true],
      ['count says 3, 1 index present', [0, 0, 0, 0, 1, 6, 2], true],
      ['varint longer than 5 bytes', [0, 0, 0, 0, 1, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], true],
      ['negative index', [0, 0, 0, 0, 1, 2, 1], true],
    ];
    for (const [name, bytes, pb] of cases)
      it(name, () => {
        expect(readWireHeader(Buffer.from(bytes), pb)).toBeNull();
      });

    it('a header claiming 2^31 indexes allocates nothing from the count', () => {
      const buf = Buffer.from([0, 0, 0, 0, 1, 0xfe, 0xff, 0xff, 0xff, 0x0f, 2, 2, 2]);
      expect(readWireHeader(buf, true)).toBeNull();
    });
  });
});
