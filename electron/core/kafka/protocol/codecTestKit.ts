/**
 * What the codec tests share: bytes a writer builds, and a reader that must consume every byte
 * (a test that leaves bytes unread fails, as the gateway would).
 */
import { FlexibleReader, FlexibleWriter } from './flexible';
import { WireWriter, wireReader, type WireReader } from './versionedWire';

/** The bytes a flexible-version writer builds. */
export function flexibleWritten(build: (w: FlexibleWriter) => void): Buffer {
  const w = new FlexibleWriter();
  build(w);
  return w.bytes;
}

/** Reads `b` with `fn` and checks nothing is left over. */
export function flexibleRead<T>(b: Buffer, fn: (r: FlexibleReader) => T): T {
  const r = new FlexibleReader(b);
  const out = fn(r);
  r.end();
  return out;
}

/** The bytes a classic or flexible writer (`flexible`) builds. */
export function wireWritten(flexible: boolean, build: (w: WireWriter) => void): Buffer {
  const w = new WireWriter(flexible);
  build(w);
  return w.bytes;
}

/** Reads `b` in the classic or flexible encoding with `fn` and checks nothing is left over. */
export function wireRead<T>(b: Buffer, flexible: boolean, fn: (r: WireReader) => T): T {
  const r = wireReader(b, flexible);
  const out = fn(r);
  r.end();
  return out;
}
