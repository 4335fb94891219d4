import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { inflateLimit, inflateLimits, lz4Frame, MIN_RESPONSE_INFLATE, type InflateInfo } from './compressionCodecs';

const require = createRequire(import.meta.url);

const { CompressionCodecs, CompressionTypes } = kafkajs;

describe('compression codecs registered with kafkajs', () => {
  const samples = [
    Buffer.alloc(0),
    Buffer.from('hello '.repeat(1000)),
    randomBytes(70_000),
    Buffer.concat([Buffer.from('a'.repeat(5 * 1024 * 1024)), randomBytes(1000)]),
  ];
  for (const [name, type] of [
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ] as const) {
    it(`${name}: compress then decompress gives the same bytes`, async () => {
      const codec = (
        CompressionCodecs[type] as () => {
          compress(e: { buffer: Buffer }): Promise<Buffer>;
          decompress(b: Buffer): Promise<Buffer>;
        }
      )();
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

describe('inflation is capped (decompression bombs)', () => {
  type Codec = {
    compress(e: { buffer: Buffer }): Promise<Buffer>;
    decompress(b: Buffer, info?: InflateInfo): Promise<Buffer>;
  };
  const codecOf = (type: number) => (CompressionCodecs as unknown as Record<number, () => Codec>)[type]!();
  const all = [
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ] as const;

  for (const [name, type] of all) {
    it(`${name}: a batch of one message may inflate to the connection's largest message, not more; the response's budget is drawn on`, async () => {
      const codec = codecOf(type);
      const zeros = Buffer.alloc(8 * 1024 * 1024);
      const packed = await codec.compress({ buffer: zeros });
      expect(packed.length).toBeLessThan(zeros.length / 8);
      // the connection's largest message is 1 MiB: one record may not inflate to 8 MiB
      const refused = inflateLimits.run({ maxMessageBytes: 1024 * 1024 }, () =>
        codec.decompress(packed, { records: 1, budget: {} }),
      );
      await expect(refused).rejects.toMatchObject({ name: 'KafkaDeskInflateLimit', limit: 1024 * 1024, codec: name });
      // eight records of up to 1 MiB each: allowed, and taken from the budget
      const budget: InflateInfo['budget'] = {};
      const out = await inflateLimits.run({ maxMessageBytes: 1024 * 1024 }, () =>
        codec.decompress(packed, { records: 8, budget }),
      );
      expect(out.equals(zeros)).toBe(true);
      expect(budget.remaining).toBe(MIN_RESPONSE_INFLATE - zeros.length);
      // the budget left is the cap, whatever the record count
      budget.remaining = 1000;
      await expect(
        inflateLimits.run({ maxMessageBytes: 1024 * 1024 }, () => codec.decompress(packed, { records: 8, budget })),
      ).rejects.toMatchObject({ limit: 1000 });
    });
  }

  it('the default without a connection: the 10 MiB largest message', () => {
    expect(inflateLimit({ records: 1 })).toBe(10 * 1024 * 1024);
    expect(inflateLimit({ records: 1_000_000 })).toBe(MIN_RESPONSE_INFLATE);
    expect(inflateLimit()).toBe(MIN_RESPONSE_INFLATE);
  });

  it('a frame that claims more than it holds allocates nothing big: snappy refused from its declared length, lz4 and zstd as they inflate', async () => {
    // snappy: a varint claiming 4 GB
    const snappyLie = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x10, 0x00]);
    await expect(codecOf(CompressionTypes.Snappy).decompress(snappyLie, { records: 1 })).rejects.toMatchObject({
      name: 'KafkaDeskInflateLimit',
    });
  });

  it('kafkajs is patched to pass the record count and turn a refused batch into a placeholder (npm ci applies patches/)', async () => {
    const { readFile } = await import('node:fs/promises');
    const decoder = await readFile(require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder.js'), 'utf8');
    expect(decoder).toContain('Kafka Desk patch');
    expect(decoder).toContain("e.name === 'KafkaDeskInflateLimit'");
  });
});
