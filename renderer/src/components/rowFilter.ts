import { parseTime, type CaptureSearch } from '../../../electron/contract';

/**
 * The message table's filter, as the user types it (and a preset keeps it). It runs in the main
 * process, next to the rows (the session or capture store): `rowFilterToSearch` turns it into the
 * store's search. All given conditions must hold.
 */
export interface RowFilter {
  /** Text in the key, the value or a header value (case-insensitive), or a regular expression when `regex`. */
  text: string;
  regex: boolean;
  partitions: number[];
  offsetFrom: string;
  offsetTo: string;
  /** Local date-times or ISO strings; empty: open. */
  timeFrom: string;
  timeTo: string;
  /** `key` or `key=value` */
  header: string;
  /** `$.path` or `$.path=value` */
  jsonPath: string;
}

export const emptyRowFilter = (): RowFilter => ({
  text: '',
  regex: false,
  partitions: [],
  offsetFrom: '',
  offsetTo: '',
  timeFrom: '',
  timeTo: '',
  header: '',
  jsonPath: '',
});

const splitEq = (s: string): [string, string | undefined] => {
  const i = s.indexOf('=');
  return i < 0 ? [s.trim(), undefined] : [s.slice(0, i).trim(), s.slice(i + 1)];
};

/** The filter as the store's search, or the sentence saying which field is wrong. */
export function rowFilterToSearch(f: RowFilter): { search: CaptureSearch; error: string | null } {
  const search: CaptureSearch = {};
  const text = f.text.trim();
  if (text) {
    if (f.regex) {
      // checked where it runs (the main process matches in linear time, RE2 syntax): its refusal comes back with the rows
      search.regex = text;
      search.regexIgnoreCase = true;
    } else search.text = text;
  }
  if (f.partitions.length) search.partitions = [...f.partitions];
  for (const [v, name] of [
    [f.offsetFrom, 'from'],
    [f.offsetTo, 'to'],
  ] as const) {
    if (v.trim() && !/^\d{1,19}$/.test(v.trim())) return { search, error: `Offset ${name}: write a whole number.` };
  }
  if (f.offsetFrom.trim()) search.offsetFrom = f.offsetFrom.trim();
  if (f.offsetTo.trim()) search.offsetTo = f.offsetTo.trim();
  for (const [v, name, key] of [
    [f.timeFrom, 'from', 'timeFrom'],
    [f.timeTo, 'to', 'timeTo'],
  ] as const) {
    if (!v.trim()) continue;
    const x = parseTime(v, `Time ${name}`);
    if (!x.ok) return { search, error: x.message };
    search[key] = x.value;
  }
  if (f.header.trim()) {
    const [key, value] = splitEq(f.header);
    if (key) search.header = value === undefined ? { key } : { key, value };
  }
  if (f.jsonPath.trim()) {
    const [path, equals] = splitEq(f.jsonPath);
    if (!path.startsWith('$')) return { search, error: 'A JSON path starts with $, e.g. $.customer.id=C-42.' };
    search.jsonPath = equals === undefined ? { path } : { path, equals };
  }
  return { search, error: null };
}

export const isFilterActive = (f: RowFilter) => Object.keys(rowFilterToSearch(f).search).length > 0;

/** Long conditions are cut for a one-line summary (the full text stays in the filter's fields). */
const quote = (s: string) => `‘${s.length > 60 ? `${s.slice(0, 57)}…` : s}’`;

/**
 * The filter in words, one part per condition ("text ‘abc’", "partitions 0, 2", "offset ≥ 10"):
 * for the bar above the table, the save-preset dialog and a preset's details. Empty: no filter.
 * Takes a preset's saved filter too, which may hold only some of the fields.
 */
export function describeRowFilter(f: Partial<RowFilter> | undefined): string[] {
  if (!f) return [];
  const out: string[] = [];
  const t = (s: string | undefined) => (s ?? '').trim();
  if (t(f.text)) out.push(`${f.regex ? 'regex' : 'text'} ${quote(t(f.text))}`);
  if (f.partitions?.length)
    out.push(`partition${f.partitions.length === 1 ? '' : 's'} ${[...f.partitions].sort((a, b) => a - b).join(', ')}`);
  if (t(f.offsetFrom) && t(f.offsetTo)) out.push(`offsets ${t(f.offsetFrom)}–${t(f.offsetTo)}`);
  else if (t(f.offsetFrom)) out.push(`offset ≥ ${t(f.offsetFrom)}`);
  else if (t(f.offsetTo)) out.push(`offset ≤ ${t(f.offsetTo)}`);
  if (t(f.timeFrom)) out.push(`time from ${quote(t(f.timeFrom))}`);
  if (t(f.timeTo)) out.push(`time to ${quote(t(f.timeTo))}`);
  if (t(f.header)) out.push(`header ${quote(t(f.header))}`);
  if (t(f.jsonPath)) out.push(`JSON path ${quote(t(f.jsonPath))}`);
  return out;
}

/** A preset's view in words: "table filter: text ‘abc’; decoding: hex" (null: it keeps no view). */
export function describeView(v: { rowFilter?: Partial<RowFilter>; decoding?: string } | undefined): string | null {
  if (!v) return null;
  const parts: string[] = [];
  const f = describeRowFilter(v.rowFilter);
  if (f.length) parts.push(`table filter: ${f.join(', ')}`);
  if (v.decoding) parts.push(`decoding: ${v.decoding}`);
  return parts.length ? parts.join('; ') : null;
}
