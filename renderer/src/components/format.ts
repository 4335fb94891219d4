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

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as 2026-11-24 00:30:22 (the table's column). */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

let localZone: string | undefined;
/** The full local date with milliseconds and zone, and the UTC ISO form (for hover). */
export function fullTime(ms: number): string {
  const d = new Date(ms);
  const zone = (localZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone);
  return `${localTime(ms)}.${String(d.getMilliseconds()).padStart(3, '0')} ${zone} (${d.toISOString()})`;
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
/** "3 minutes ago", "in 2 hours". */
export function relativeTime(ms: number, now = Date.now()): string {
  const s = Math.round((ms - now) / 1000);
  const a = Math.abs(s);
  if (a < 60) return rtf.format(s, 'second');
  if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  if (a < 86400 * 30) return rtf.format(Math.round(s / 86400), 'day');
  if (a < 86400 * 365) return rtf.format(Math.round(s / (86400 * 30)), 'month');
  return rtf.format(Math.round(s / (86400 * 365)), 'year');
}
