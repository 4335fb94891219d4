/**
 * Pieces the three codecs share to turn decoded values into the JSON-ready form (what the editor
 * shows, what a person types back) and to say, in an encoding error, what was given instead.
 */

/** `the string "12,5"`, `the number 3`, `an object`… for "expected X, got Y". */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}…` : v)}`;
  if (typeof v === 'number') return `the number ${String(v)}`;
  if (typeof v === 'boolean') return `the boolean ${String(v)}`;
  if (typeof v === 'bigint') return `the number ${v.toString()}`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

export const childPath = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
export const indexPath = (path: string, i: number): string => `${path}[${i}]`;
export const shownPath = (path: string): string => path || 'value';

/** NaN and the infinities are no JSON numbers: they travel as the strings Protobuf's JSON mapping uses. */
export function floatToJson(n: number, single: boolean): number | string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (!single) return n;
  // The shortest decimal that reads back as the same float32 (0.1, not 0.10000000149011612).
  for (let p = 1; p <= 9; p++) {
    const c = Number(n.toPrecision(p));
    if (Math.fround(c) === n) return c;
  }
  return n;
}

/** A JSON-ready float back to a number, or null when it is none (the strings NaN/Infinity/-Infinity are). */
export function floatFromJson(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return null;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Strict base64 (or base64url) to bytes, or null — Buffer.from alone silently skips bad characters. */
export function base64ToBytes(s: string): Buffer | null {
  if (BASE64.test(s)) return Buffer.from(s, 'base64');
  if (BASE64URL.test(s)) return Buffer.from(s, 'base64url');
  return null;
}

// --- calendar arithmetic (proleptic Gregorian, any year; Date covers only ±275,760 years and floats)

/** Days since 1970-01-01 → [year, month 1-12, day 1-31] (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const pad = (n: number | bigint, w: number): string => String(n).padStart(w, '0');
const yearText = (y: number): string => (y < 0 ? `-${pad(-y, 4)}` : pad(y, 4));

export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${yearText(y)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Time of day from a count of `unitsPerSecond` (1000 or 1e6) since midnight: HH:MM:SS.mmm / .uuuuuu. */
export function formatTimeOfDay(units: bigint, unitsPerSecond: bigint): string {
  const digits = unitsPerSecond === 1000n ? 3 : unitsPerSecond === 1000000n ? 6 : 9;
  const secs = units / unitsPerSecond;
  const frac = units % unitsPerSecond;
  return `${pad(secs / 3600n, 2)}:${pad((secs / 60n) % 60n, 2)}:${pad(secs % 60n, 2)}.${pad(frac, digits)}`;
}

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** An instant as a count of units since the epoch → `YYYY-MM-DDTHH:MM:SS.fff` (+ `Z` when `zone`). */
export function formatTimestamp(units: bigint, unitsPerSecond: bigint, zone: boolean): string {
  const perDay = 86400n * unitsPerSecond;
  const days = floorDiv(units, perDay);
  const rest = units - days * perDay;
  return `${formatDate(Number(days))}T${formatTimeOfDay(rest, unitsPerSecond)}${zone ? 'Z' : ''}`;
}

/** Fractional seconds as digits (up to 9) → nanoseconds. */
const nanosOf = (frac: string | undefined): bigint => BigInt((frac ?? '').padEnd(9, '0').slice(0, 9) || '0');

const DATE_RE = /^(-?\d{4,})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const TS_RE = /^(-?\d{4,})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:\d{2})?$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const next = m === 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1);
  return d <= next - daysFromCivil(y, m, 1);
}

/** "YYYY-MM-DD" → days since the epoch, or null. */
export function parseDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(y, mo, d) ? daysFromCivil(y, mo, d) : null;
}

/** "HH:MM[:SS[.fff…]]" → nanoseconds since midnight, or null. */
export function parseTimeOfDay(s: string): bigint | null {
  const m = TIME_RE.exec(s);
  if (!m) return null;
  const [h, mi, se] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  if (h > 23 || mi > 59 || se > 59) return null;
  return BigInt(h * 3600 + mi * 60 + se) * 1000000000n + nanosOf(m[4]);
}

/**
 * An RFC 3339 timestamp → nanoseconds since the epoch, or null. `zone`: 'required' for instants
 * (Z or an offset), 'none' for local timestamps (no zone).
 */
export function parseTimestamp(s: string, zone: 'required' | 'none'): bigint | null {
  const m = TS_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || se > 60) return null;
  const z = m[8];
  if (zone === 'required' && !z) return null;
  if (zone === 'none' && z) return null;
  let offsetMinutes = 0;
  if (z && z !== 'Z' && z !== 'z') {
    const sign = z[0] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(z.slice(1, 3)) * 60 + Number(z.slice(4, 6)));
  }
  const secs = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + se - offsetMinutes * 60);
  return secs * 1000000000n + nanosOf(m[7]);
}

/** Today as "YYYY-MM-DD" and now as an instant, for sample values. */
export const todayDays = (): number => Math.floor(Date.now() / 86400000);
