import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { lz4Frame } from './compressionCodecs';

const { CompressionCodecs, CompressionTypes } = kafkajs;

describe('compression codecs registered with kafkajs', () => {
  const samples = [Buffer.alloc(0), Buffer.from('hello '.repeat(1000)), randomBytes(70_000), Buffer.concat([Buffer.from('a'.repeat(5 * 1024 * 1024)), randomBytes(1000)])];
  for (const [name, type] of [['snappy', CompressionTypes.Snappy], ['lz4', CompressionTypes.LZ4], ['zstd', CompressionTypes.ZSTD]] as const) {
    it(`${name}: compress then decompress gives the same bytes`, async () => {
      const codec = (CompressionCodecs[type] as () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> })();
      for (const s of samples) {
        const packed = await codec.compress({ buffer: s });
        expect((await codec.decompress(packed)).equals(s)).toBe(true);
      }
    });
  }

  it('lz4 frames declare independent blocks (Kafka refuses dependent ones) and split at 4 MiB', () => {
    const f = lz4Frame(Buffer.alloc(5 * 1024 * 1024, 1));
    expect(f.readUInt32LE(0)).toBe(0x184d2204);
    expect(f[4]! & 0x20).toBe(0x20);
    expect(f[5]).toBe(0x70);
  });
});
