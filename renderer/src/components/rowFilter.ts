import { JSONPath } from 'jsonpath-plus';
import type { ConsumedMessage, WireBytes } from '../../../electron/contract';

/**
 * The message table's own filter, over the rows already in the window (the core's "search while
 * reading" decides which rows arrive; this narrows what is shown). All given conditions must hold.
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

export const emptyRowFilter = (): RowFilter => ({ text: '', regex: false, partitions: [], offsetFrom: '', offsetTo: '', timeFrom: '', timeTo: '', header: '', jsonPath: '' });

const asText = (w: WireBytes): string => (w === null ? '' : typeof w === 'string' ? w : '');
const splitEq = (s: string): [string, string | undefined] => {
  const i = s.indexOf('=');
  return i < 0 ? [s.trim(), undefined] : [s.slice(0, i).trim(), s.slice(i + 1)];
};

/** Compiles the filter once: a test for each row, or the sentence saying which field is wrong. */
export function compileRowFilter(f: RowFilter): { test: ((m: ConsumedMessage) => boolean) | null; error: string | null } {
  const conds: ((m: ConsumedMessage) => boolean)[] = [];
  const text = f.text.trim();
  if (text) {
    if (f.regex) {
      let re: RegExp;
      try {
        re = new RegExp(text, 'i');
      } catch (e) {
        return { test: null, error: `The regular expression is not valid: ${(e as Error).message}` };
      }
      conds.push((m) => re.test(asText(m.key)) || re.test(asText(m.value)) || m.headers.some(([, v]) => re.test(asText(v))));
    } else {
      const needle = text.toLowerCase();
      conds.push((m) => asText(m.key).toLowerCase().includes(needle) || asText(m.value).toLowerCase().includes(needle) || m.headers.some(([, v]) => asText(v).toLowerCase().includes(needle)));
    }
  }
  if (f.partitions.length) {
    const set = new Set(f.partitions);
    conds.push((m) => set.has(m.partition));
  }
  for (const [v, name] of [[f.offsetFrom, 'from'], [f.offsetTo, 'to']] as const) {
    if (v.trim() && !/^\d+$/.test(v.trim())) return { test: null, error: `Offset ${name}: write a whole number.` };
  }
  if (f.offsetFrom.trim()) {
    const from = BigInt(f.offsetFrom.trim());
    conds.push((m) => BigInt(m.offset) >= from);
  }
  if (f.offsetTo.trim()) {
    const to = BigInt(f.offsetTo.trim());
    conds.push((m) => BigInt(m.offset) <= to);
  }
  for (const [v, name, cmp] of [[f.timeFrom, 'from', (t: number, x: number) => t >= x], [f.timeTo, 'to', (t: number, x: number) => t <= x]] as const) {
    if (!v.trim()) continue;
    const x = /^\d+$/.test(v.trim()) ? Number(v.trim()) : Date.parse(v.trim());
    if (Number.isNaN(x)) return { test: null, error: `Time ${name}: write a date and time, e.g. 2026-11-23 10:00 or 2026-11-23T10:00:00Z.` };
    conds.push((m) => cmp(Number(m.timestamp), x));
  }
  if (f.header.trim()) {
    const [k, v] = splitEq(f.header);
    conds.push((m) => m.headers.some(([hk, hv]) => hk === k && (v === undefined || asText(hv) === v)));
  }
  if (f.jsonPath.trim()) {
    const [path, equals] = splitEq(f.jsonPath);
    if (!path.startsWith('$')) return { test: null, error: 'A JSON path starts with $, e.g. $.customer.id=C-42.' };
    conds.push((m) => {
      let doc: unknown;
      try {
        doc = JSON.parse(asText(m.value));
      } catch {
        return false;
      }
      if (doc === null || typeof doc !== 'object') return false;
      let found: unknown[];
      try {
        found = JSONPath({ path, json: doc, wrap: true }) as unknown[];
      } catch {
        return false;
      }
      return found.length > 0 && (equals === undefined || found.some((x) => (typeof x === 'string' ? x : JSON.stringify(x)) === equals));
    });
  }
  return { test: conds.length ? (m) => conds.every((c) => c(m)) : null, error: null };
}

export const isFilterActive = (f: RowFilter) => compileRowFilter(f).test !== null;
