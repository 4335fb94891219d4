/** Sizes on disk as a person reads them, the same in the window and the terminal. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** "0 B", "512 B", "1.5 KiB", "20.0 GiB"; a size as Kafka sends it (a 64-bit count, as text or bigint). */
export function bytesText(bytes: string | number | bigint | null | undefined): string {
  if (bytes === null || bytes === undefined || bytes === '') return '—';
  let n: bigint;
  try {
    n = BigInt(bytes);
  } catch {
    return '—';
  }
  if (n < 0n) return '—';
  if (n < 1024n) return `${n} B`;
  let unit = 0;
  // whole units first, so that sizes past 2^53 stay exact until the last division
  while (n >= 1024n * 1024n && unit < UNITS.length - 2) {
    n /= 1024n;
    unit++;
  }
  const v = Number(n) / 1024;
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[unit + 1]}`;
}
