/** Counts and offsets with thousands separators (offsets arrive as strings: they are 64-bit). */
export function count(v: string | number | bigint | null | undefined): string {
  if (v === null || v === undefined) return '—';
  try {
    return BigInt(v).toLocaleString('en-US');
  } catch {
    return String(v);
  }
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** "fetched 14:02:11" in local time; the full date and zone on hover. */
export function fetchedLabel(iso: string | null | undefined): { text: string; title: string } {
  if (!iso) return { text: '', title: '' };
  const d = new Date(iso);
  return { text: `fetched ${d.toLocaleTimeString()}`, title: d.toString() };
}
