import { AsyncLocalStorage } from 'node:async_hooks';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';
import xxh32 from 'lz4js/xxh32.js';
import { Decompress as FzstdDecompress } from 'fzstd';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../contract';

/**
 * kafkajs ships gzip only; the other codecs are plugged into its registry once, here, all without
 * native code so they work in Electron, in browser mode and in the CLI on every platform:
 * - snappy: kafkajs-snappy (pure JavaScript);
 * - lz4: lz4js (pure JavaScript, the LZ4 frame format Kafka uses since message format v1);
 * - zstd: Node's own zlib zstd where it exists (Node ≥ 22.15, so Electron), otherwise zstd compiled
 *   to WebAssembly (@bokuweb/zstd-wasm) to compress and fzstd (pure JavaScript) to decompress, which
 *   also reads frames without a content size, as librdkafka and the Java client write them.
 *
 * Every codec inflates with a cap (decompression bombs: a 1 MB gzip batch can hold 1 GB of zeros),
 * see `inflateLimit`; kafkajs is patched (patches/kafkajs+2.2.4.patch) to tell the codec the batch's
 * record count and the fetch response's budget, and to turn a refused batch into a placeholder
 * record that the consumers report (topic, partition, offsets) and skip or stop at.
 */
const { CompressionCodecs, CompressionTypes } = kafkajs;

interface Encoder {
  buffer: Buffer;
}
/** What the patched kafkajs tells a codec about what it inflates: the batch's record count, and the fetch response's budget. */
export interface InflateInfo {
  records?: number;
  budget?: { remaining?: number };
}
type Codec = () => {
  compress(encoder: Encoder): Promise<Buffer>;
  decompress(buffer: Buffer, info?: InflateInfo): Promise<Buffer>;
};

/**
 * The connection whose fetches are being decoded: Consume and Listen run their consumers inside
 * `inflateLimits.run({ maxMessageBytes }, …)`, and kafkajs decodes each fetch response in an async
 * continuation of that run, so the codec reads the connection's largest-message setting here.
 */
export const inflateLimits = new AsyncLocalStorage<{ maxMessageBytes: number }>();

/** Thrown by a codec past its cap; the patched kafkajs knows it by name. */
export class InflateLimitError extends Error {
  override readonly name = 'KafkaDeskInflateLimit';
  constructor(
    readonly limit: number,
    readonly codec: string,
  ) {
    super(`the ${codec} batch inflates to more than ${limit} bytes`);
  }
}

/** At least this much may be inflated per fetch response, whatever the largest-message setting. */
export const MIN_RESPONSE_INFLATE = 256 * 1024 * 1024;

/**
 * How many bytes a batch may inflate to: no more than its record count times the connection's
 * largest message (no record may be larger), and no more than what is left of the fetch response's
 * budget — four times the largest message, at least 256 MiB (a fetch brings at most 10 MiB of
 * compressed batches, kafkajs' maxBytes; text rarely compresses better than 20:1). A wrapper message
 * of the old format (no record count) gets what is left of the budget.
 */
export function inflateLimit(info?: InflateInfo): number {
  const largest = inflateLimits.getStore()?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const budget = info?.budget;
  if (budget && budget.remaining === undefined) budget.remaining = Math.max(4 * largest, MIN_RESPONSE_INFLATE);
  const left = budget?.remaining ?? Math.max(4 * largest, MIN_RESPONSE_INFLATE);
  return Math.max(0, Math.min(info?.records !== undefined && info.records > 0 ? info.records * largest : left, left));
}

/** Inflates with the cap, and draws what it produced from the response's budget. */
function capped(
  codec: string,
  inflate: (buffer: Buffer, limit: number) => Promise<Buffer>,
): (buffer: Buffer, info?: InflateInfo) => Promise<Buffer> {
  return async (buffer, info) => {
    const limit = inflateLimit(info);
    const out = await inflate(buffer, limit);
    if (out.length > limit) throw new InflateLimitError(limit, codec);
    if (info?.budget?.remaining !== undefined) info.budget.remaining -= out.length;
    return out;
  };
}

/** zlib's own cap (maxOutputLength) turned into ours. */
const zlibCapped =
  (codec: string, f: (b: Buffer, o: zlib.ZlibOptions, cb: (e: Error | null, r: Buffer) => void) => void) =>
  (buffer: Buffer, limit: number) =>
    promisify(f)(buffer, { maxOutputLength: Math.max(1, limit) }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw new InflateLimitError(limit, codec);
      throw e;
    });

/** gzip replaces kafkajs' own (which inflates without a cap); `unzip` reads gzip and zlib streams, as kafkajs' does. */
const GzipCodec: Codec = () => ({
  compress: async (encoder) => promisify(zlib.gzip)(encoder.buffer),
  decompress: capped('gzip', zlibCapped('gzip', zlib.unzip as never)),
});

/** Snappy's raw format says its uncompressed length first (a varint): summed per xerial chunk before anything is inflated. */
function snappyLength(b: Buffer, at = 0): number {
  let n = 0;
  for (let shift = 0, i = at; i < b.length && shift < 35; i++, shift += 7) {
    n += (b[i]! & 0x7f) * 2 ** shift;
    if ((b[i]! & 0x80) === 0) return n;
  }
  return Number.POSITIVE_INFINITY;
}
const XERIAL = Buffer.from([130, 83, 78, 65, 80, 80, 89, 0]);
function snappyDeclared(buffer: Buffer): number {
  if (!buffer.subarray(0, 8).equals(XERIAL)) return snappyLength(buffer);
  let total = 0;
  for (let at = 16; at + 4 <= buffer.length;) {
    const size = buffer.readUInt32BE(at);
    total += snappyLength(buffer, at + 4);
    at += 4 + size;
  }
  return total;
}
const snappy = SnappyCodec();
const CappedSnappyCodec: Codec = () => ({
  compress: (encoder) => snappy.compress(encoder),
  decompress: capped('snappy', async (buffer, limit) => {
    if (snappyDeclared(buffer) > limit) throw new InflateLimitError(limit, 'snappy');
    return snappy.decompress(buffer);
  }),
});

const LZ4_BLOCK = 4 * 1024 * 1024;
/**
 * An LZ4 frame the way Kafka wants it: independent blocks (Kafka refuses "dependent block streams",
 * which lz4js' own frame writer produces), 4 MiB maximum block size, no checksums beyond the header's.
 */
export function lz4Frame(src: Buffer): Buffer {
  const header = Buffer.from([
    0x04, 0x22, 0x4d, 0x18, 0x60 /* version 01, block independence */, 0x70 /* 4 MiB blocks */, 0,
  ]);
  header[6] = (xxh32.hash(0, header, 4, 2) >>> 8) & 0xff;
  const parts: Buffer[] = [header];
  const out = Buffer.alloc(lz4.compressBound(LZ4_BLOCK));
  for (let at = 0; at < src.length; at += LZ4_BLOCK) {
    const size = Math.min(LZ4_BLOCK, src.length - at);
    const n = lz4.compressBlock(src, out, at, size, new Uint32Array(1 << 16));
    const len = Buffer.alloc(4);
    if (n === 0 || n >= size) {
      len.writeUInt32LE((0x80000000 | size) >>> 0);
      parts.push(len, Buffer.from(src.subarray(at, at + size)));
    } else {
      len.writeUInt32LE(n);
      parts.push(len, Buffer.from(out.subarray(0, n)));
    }
  }
  parts.push(Buffer.alloc(4)); // end mark
  return Buffer.concat(parts);
}

/** LZ4 block sizes a frame may declare (its BD byte's bits 4–6). */
const LZ4_BLOCK_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

/**
 * An LZ4 frame inflated with a cap: lz4js' own `decompress` allocates what the frame claims (its
 * content size, or every block at the largest size) before inflating anything. Here the output grows
 * as blocks are inflated (one contiguous buffer: librdkafka writes linked blocks, which refer back to
 * earlier ones) and never past the cap plus one block. Blocks are inflated by lz4js; only the frame
 * walk is written here.
 */
function lz4Inflate(src: Buffer, limit: number): Buffer {
  if (src.length < 7 || src.readUInt32LE(0) !== 0x184d2204) throw new Error('not an LZ4 frame (magic number)');
  const flags = src[4]!;
  if ((flags & 0xc0) !== 0x40) throw new Error('LZ4 frame of an unknown version');
  const blockMax = LZ4_BLOCK_SIZES[(src[5]! >> 4) & 7];
  if (!blockMax) throw new Error('LZ4 frame with an invalid block size');
  const blockChecksum = (flags & 0x10) !== 0;
  let at = 6 + ((flags & 0x08) !== 0 ? 8 : 0) + 1; // descriptor, content size, header checksum
  let dst = Buffer.alloc(Math.min(limit + blockMax, Math.max(blockMax, src.length * 4)));
  let d = 0;
  for (;;) {
    if (at + 4 > src.length) throw new Error('LZ4 frame cut short');
    const word = src.readUInt32LE(at);
    at += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (at + size > src.length) throw new Error('LZ4 frame cut short');
    const need = d + (word & 0x80000000 ? size : blockMax);
    if (need > dst.length) {
      if (d > limit || need > limit + blockMax) throw new InflateLimitError(limit, 'lz4');
      const grown = Buffer.alloc(Math.min(limit + blockMax, Math.max(need, dst.length * 2)));
      dst.copy(grown, 0, 0, d);
      dst = grown;
    }
    if (word & 0x80000000) {
      src.copy(dst, d, at, at + size);
      d += size;
    } else d = Math.min(lz4.decompressBlock(src, dst, at, size, d), dst.length);
    if (d > limit) throw new InflateLimitError(limit, 'lz4');
    at += size + (blockChecksum ? 4 : 0);
  }
  return dst.subarray(0, d);
}

const Lz4Codec: Codec = () => ({
  compress: async (encoder) => lz4Frame(encoder.buffer),
  decompress: capped('lz4', async (buffer, limit) => lz4Inflate(buffer, limit)),
});

type ZlibZstd = {
  zstdCompress?: (b: Buffer, cb: (e: Error | null, r: Buffer) => void) => void;
  zstdDecompress?: (b: Buffer, cb: (e: Error | null, r: Buffer) => void) => void;
};
const nativeZstd = zlib as unknown as ZlibZstd;

let wasm: Promise<typeof import('@bokuweb/zstd-wasm')> | null = null;
async function wasmZstd() {
  wasm ??= import('@bokuweb/zstd-wasm').then(async (m) => {
    await m.init();
    return m;
  });
  return wasm;
}

const ZstdCodec: Codec = () => ({
  async compress(encoder) {
    if (nativeZstd.zstdCompress) return promisify(nativeZstd.zstdCompress)(encoder.buffer);
    const m = await wasmZstd();
    return Buffer.from(m.compress(encoder.buffer, 3));
  },
  decompress: capped('zstd', async (buffer, limit) => {
    if (nativeZstd.zstdDecompress) return zlibCapped('zstd', nativeZstd.zstdDecompress as never)(buffer, limit);
    // fzstd's one-shot decompress allocates what the frame header claims; the stream hands out blocks as they come
    const parts: Uint8Array[] = [];
    let total = 0;
    const stream = new FzstdDecompress((chunk) => {
      total += chunk.length;
      if (total > limit) throw new InflateLimitError(limit, 'zstd');
      parts.push(chunk);
    });
    stream.push(buffer, true);
    return Buffer.concat(parts, total);
  }),
});

CompressionCodecs[CompressionTypes.GZIP] = GzipCodec;
CompressionCodecs[CompressionTypes.Snappy] = CappedSnappyCodec;
CompressionCodecs[CompressionTypes.LZ4] = Lz4Codec;
CompressionCodecs[CompressionTypes.ZSTD] = ZstdCodec;
