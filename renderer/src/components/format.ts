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

/** "fetched 14:02:11" in local time, as `localTime` writes it (with the date when not today); the full time on hover. */
export function fetchedLabel(iso: string | null | undefined): { text: string; title: string } {
  if (!iso) return { text: '', title: '' };
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { text: '', title: '' };
  const full = localTime(ms);
  const today = full.slice(0, 10) === localTime(Date.now()).slice(0, 10);
  return { text: `fetched ${today ? full.slice(11) : full}`, title: fullTime(ms) };
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

/** The word of a count shown apart from its number: `noun(1, 'replica')` → "replica", `noun('7', 'message')` → "messages". */
export function noun(n: number | string | bigint, word: string): string {
  let one = false;
  try {
    one = BigInt(n) === 1n;
  } catch {
    one = false;
  }
  return one ? word : `${word}s`;
}

const DURATION_UNITS: [string, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];
/**
 * A config value in milliseconds as a person reads it: 604800000 → "7 days", 5400000 → "90 minutes",
 * 131400000 → "≈ 1.5 days", -1 → "no limit". Null for what is not a whole number of milliseconds.
 */
export function msDuration(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  if (!/^-?\d{1,19}$/.test(s)) return null;
  const n = Number(s);
  if (n < 0) return n === -1 ? 'no limit' : null;
  if (n === 0) return '0 ms';
  const i = DURATION_UNITS.findIndex(([, u]) => n >= u);
  if (i < 0) return `${n} ms`;
  const [name, u] = DURATION_UNITS[i]!;
  if (n % u === 0) return plural(n / u, name);
  // 36 hours rather than ≈ 1.5 days; 2,190 minutes is not easier to read than ≈ 1.5 days
  const next = DURATION_UNITS[i + 1];
  if (next && n % next[1] === 0 && n / next[1] <= 120) return plural(n / next[1], next[0]);
  const v = Math.round((n / u) * 10) / 10;
  return `≈ ${v.toLocaleString('en-US')} ${name}${v === 1 ? '' : 's'}`;
}
