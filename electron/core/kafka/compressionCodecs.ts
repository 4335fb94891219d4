import zlib from 'node:zlib';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import * as lz4 from 'lz4js';
import xxh32 from 'lz4js/xxh32.js';
import { decompress as fzstdDecompress } from 'fzstd';

/**
 * kafkajs ships gzip only; the other codecs are plugged into its registry once, here, all without
 * native code so they work in Electron, in browser mode and in the CLI on every platform:
 * - snappy: kafkajs-snappy (pure JavaScript);
 * - lz4: lz4js (pure JavaScript, the LZ4 frame format Kafka uses since message format v1);
 * - zstd: Node's own zlib zstd where it exists (Node ≥ 22.15, so Electron), otherwise zstd compiled
 *   to WebAssembly (@bokuweb/zstd-wasm) to compress and fzstd (pure JavaScript) to decompress, which
 *   also reads frames without a content size, as librdkafka and the Java client write them.
 */
const { CompressionCodecs, CompressionTypes } = kafkajs;

interface Encoder {
  buffer: Buffer;
}
type Codec = () => { compress(encoder: Encoder): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };

const LZ4_BLOCK = 4 * 1024 * 1024;
/**
 * An LZ4 frame the way Kafka wants it: independent blocks (Kafka refuses "dependent block streams",
 * which lz4js' own frame writer produces), 4 MiB maximum block size, no checksums beyond the header's.
 */
export function lz4Frame(src: Buffer): Buffer {
  const header = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60 /* version 01, block independence */, 0x70 /* 4 MiB blocks */, 0]);
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

const Lz4Codec: Codec = () => ({
  compress: async (encoder) => lz4Frame(encoder.buffer),
  decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
});

type ZlibZstd = { zstdCompress?: (b: Buffer, cb: (e: Error | null, r: Buffer) => void) => void; zstdDecompress?: (b: Buffer, cb: (e: Error | null, r: Buffer) => void) => void };
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
  async decompress(buffer) {
    if (nativeZstd.zstdDecompress) return promisify(nativeZstd.zstdDecompress)(buffer);
    return Buffer.from(fzstdDecompress(buffer));
  },
});

CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;
CompressionCodecs[CompressionTypes.LZ4] = Lz4Codec;
CompressionCodecs[CompressionTypes.ZSTD] = ZstdCodec;
