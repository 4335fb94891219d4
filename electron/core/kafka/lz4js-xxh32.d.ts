declare module 'lz4js/xxh32.js' {
  /** xxHash32 of `len` bytes of `src` from `index`. */
  export function hash(seed: number, src: Uint8Array, index: number, len: number): number;
  const xxh32: { hash: typeof hash };
  export default xxh32;
}
