import type { CaptureSortField, Decoded, DecodedPart, WireBytes } from '../../../electron/contract';
import type { RowFilter } from './rowFilter';
import { preview } from './wire';

/**
 * The message table's arithmetic, apart from its drawing: which rows a scroll position shows, the
 * columns and their widths, the sort a header click asks for, the counts said above the rows.
 */

export const ROW = 28;
export const PAGE = 100;
/** Chromium draws elements up to ~33.5 million px high; beyond that the scroll maps proportionally. */
export const MAX_PX = 15_000_000;

/** Where the rows are for a scroll position: rows have one fixed height, so it is arithmetic. */
export interface Geometry {
  /** The viewport's height (px). */
  height: number;
  /** The rows' true height, and the spacer's (capped at MAX_PX). */
  fullPx: number;
  spacerPx: number;
  /** Rows scrolled past, in true pixels (scaled when the spacer is capped). */
  virtualTop: number;
  /** The first row drawn, and how far it is scrolled out of view. */
  first: number;
  shift: number;
  /** How many rows fill the viewport (one more for the row cut at its bottom). */
  visibleCount: number;
}

export function geometry(total: number, maxHeight: number, scrollTop: number): Geometry {
  const height = Math.max(120, Math.min(maxHeight, Math.max(total, 3) * ROW + 2));
  const fullPx = total * ROW;
  const spacerPx = Math.min(fullPx, MAX_PX);
  const virtualTop =
    fullPx <= MAX_PX || spacerPx <= height ? scrollTop : (scrollTop / (spacerPx - height)) * (fullPx - height);
  const first = Math.max(0, Math.floor(virtualTop / ROW));
  return {
    height,
    fullPx,
    spacerPx,
    virtualTop,
    first,
    shift: virtualTop - first * ROW,
    visibleCount: Math.ceil(height / ROW) + 1,
  };
}

/** The scroll position that brings row `i` into view (centred), or null when it is in view already. */
export function scrollTopFor(i: number, g: Geometry): number | null {
  const y = i * ROW;
  if (y >= g.virtualTop && y + ROW <= g.virtualTop + g.height - ROW) return null;
  const want = Math.max(0, y - g.height / 2);
  return g.fullPx <= MAX_PX ? want : (want / (g.fullPx - g.height)) * (g.spacerPx - g.height);
}

/** The pages (of PAGE rows) the drawn rows fall in. */
export function visiblePages(g: Geometry): { lo: number; hi: number } {
  return { lo: Math.floor(g.first / PAGE), hi: Math.floor(Math.max(g.first, g.first + g.visibleCount - 1) / PAGE) };
}

export interface Column {
  key: string;
  title: string;
  width: string;
  min: string;
  num?: boolean;
}

/**
 * Column widths: the numbers in `ch` of the tabular digits, wide enough for what they hold (the offset
 * column grows to the longest offset drawn, sizes up to "1023.9 KiB"), so neither they nor their
 * headers are ever cut; the value takes all the width that is left. `min` is what the column needs
 * at the least: narrower than their sum, the table scrolls sideways instead of cutting.
 */
export function tableColumns(showTopic: boolean, offsetChars: number): Column[] {
  const offset = `${Math.max(8, offsetChars + 1)}ch`;
  return [
    ...(showTopic ? [{ key: 'topic', title: 'Topic', width: '140px', min: '140px' }] : []),
    { key: 'partition', title: 'Part.', width: '7ch', min: '7ch', num: true },
    { key: 'offset', title: 'Offset', width: offset, min: offset, num: true },
    { key: 'timestamp', title: 'Time', width: 'calc(17ch + 16px)', min: 'calc(17ch + 16px)' },
    { key: 'key', title: 'Key', width: '130px', min: '130px' },
    { key: 'value', title: 'Value', width: 'minmax(160px, 1fr)', min: '160px' },
    { key: 'headers', title: 'Hdrs', width: '5ch', min: '5ch', num: true },
    { key: 'size', title: 'Size', width: '11ch', min: '11ch', num: true },
  ];
}
export const gridTemplate = (columns: readonly Column[]): string => columns.map((c) => c.width).join(' ');
/** Narrower than its columns (an inspector beside it), the table scrolls sideways instead of cutting them. */
export const minTableWidth = (columns: readonly Column[]): string =>
  `calc(${columns.map((c) => c.min).join(' + ')} + ${10 * (columns.length - 1) + 20}px)`;

// --- sorting (done by the store, next to the data)
export const SORTABLE: Partial<Record<string, CaptureSortField>> = {
  partition: 'partition',
  offset: 'offset',
  timestamp: 'timestamp',
  key: 'key',
};
export interface Sort {
  field: CaptureSortField;
  desc: boolean;
}
/** A click on a column's header: ascending, then descending, then back to the order rows came in. */
export function nextSort(sort: Sort, col: string): Sort {
  const f = SORTABLE[col];
  if (!f) return sort;
  if (sort.field !== f) return { field: f, desc: false };
  if (!sort.desc) return { field: f, desc: true };
  return { field: 'seq', desc: false };
}
export const sortArrow = (sort: Sort, col: string): string =>
  SORTABLE[col] === sort.field ? (sort.desc ? ' ↓' : ' ↑') : '';

// --- what is said
/** How many conditions of the filter are set (the partitions count as one). */
export const activeConditions = (f: RowFilter): number =>
  (['text', 'offsetFrom', 'offsetTo', 'timeFrom', 'timeTo', 'header', 'jsonPath'] as const).filter((k) => f[k].trim())
    .length + (f.partitions.length ? 1 : 0);

/** Rows shown and rows in the store, `counting` while a search's matches are still being counted. */
export interface Counts {
  total: number;
  storeTotal: number;
  counting: boolean;
}
export function countText({ total: n, storeTotal, counting }: Counts): string {
  if (counting) return `${n.toLocaleString()}+ of ${storeTotal.toLocaleString()} rows · counting…`;
  return n === storeTotal
    ? `${storeTotal.toLocaleString()} row${storeTotal === 1 ? '' : 's'}`
    : `${n.toLocaleString()} of ${storeTotal.toLocaleString()} rows`;
}
/** What the filter shows, said beside it (`failed`: the filter cannot run). */
export function filterShownText({ total, storeTotal, counting }: Counts, failed: boolean): string {
  if (failed) return 'nothing shown';
  if (counting) return `${total.toLocaleString()}+ of ${storeTotal.toLocaleString()} rows shown · counting…`;
  return `${total.toLocaleString()} of ${storeTotal.toLocaleString()} row${storeTotal === 1 ? '' : 's'} shown`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The store's highlight (the text searched) as a case-insensitive pattern; null for none. */
export const highlightPattern = (highlight: string | null): RegExp | null =>
  highlight ? new RegExp(`(${escapeRe(highlight)})`, 'i') : null;
/** The cell text split around the first match of the search (shown marked); null: no match. */
export function highlightParts(text: string, re: RegExp | null): [string, string, string] | null {
  if (!re) return null;
  const m = re.exec(text);
  return m ? [text.slice(0, m.index), m[0], text.slice(m.index + m[0].length)] : null;
}

// --- decoded keys and values (a schema's, or a chosen format's)
type Part = 'key' | 'value';
/** A row's key or value bytes with their decoded form, as the contract carries them. */
interface DecodableMessage {
  key: WireBytes;
  value: WireBytes;
  decoded?: Decoded;
}

/** How a decoded format is named to a person. */
export const FORMAT_LABEL: Record<NonNullable<DecodedPart['format']>, string> = {
  avro: 'Avro',
  protobuf: 'Protobuf',
  'json-schema': 'JSON Schema',
  json: 'JSON',
};

/** The key's or value's decoded form, when it decoded to JSON (or did not, and says why). */
export const decodedPart = (m: DecodableMessage, part: Part): DecodedPart | undefined => m.decoded?.[part];

/**
 * What a key or value cell shows: the decoded JSON on one line when there is one (with its format's
 * badge), else the bytes as before; a part that did not decode is marked, its reason in the tooltip.
 */
export interface PartCell {
  text: string;
  badge: string | null;
  /** Did not decode: the reason, for the mark's tooltip. */
  error: string | null;
  /** Decoded, but does not validate against its JSON Schema: the reason. */
  invalid: string | null;
  title: string;
}
const oneLine = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…` : s);
export function partCell(m: DecodableMessage, part: Part, limit: number): PartCell {
  const d = decodedPart(m, part);
  if (d?.json !== undefined) {
    const badge = d.format ? FORMAT_LABEL[d.format] : null;
    const head = decodedHeadline(d);
    return {
      text: oneLine(d.json.replace(/\s+/g, ' '), limit),
      badge,
      error: null,
      invalid: d.invalid ?? null,
      title: `${head ? `${head}\n` : ''}${d.invalid ? `Does not match its schema: ${d.invalid}\n` : ''}${oneLine(d.json, 2000)}`,
    };
  }
  const raw = preview(m[part], limit);
  if (d?.error)
    return {
      text: preview(asFramed(m[part]), limit),
      badge: null,
      error: d.error,
      invalid: null,
      title: `Not decoded: ${d.error}\n${preview(asFramed(m[part]), 2000)}`,
    };
  return { text: raw, badge: null, error: null, invalid: null, title: preview(m[part], 2000) };
}

/**
 * Bytes that were meant for a schema (Confluent's framing: a zero byte, the id) travel as a string when
 * they happen to be UTF-8; text with control characters in it is shown as the bytes it is.
 */
export function asFramed(w: WireBytes): WireBytes {
  // eslint-disable-next-line no-control-regex
  if (typeof w !== 'string' || !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(w)) return w;
  const bytes = new TextEncoder().encode(w);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return { base64: btoa(bin) };
}

/**
 * The line over a decoded part in the inspector: "Avro · subject orders-value v3 · schema id 12",
 * "Protobuf · shop.Order · schema id 7", "Avro · local schema order.avsc"; empty for none.
 */
export function decodedHeadline(d: DecodedPart | undefined): string {
  if (!d) return '';
  return [
    d.format ? FORMAT_LABEL[d.format] : '',
    d.messageName ?? '',
    d.subject ? `subject ${d.subject}${d.version !== undefined ? ` v${d.version}` : ''}` : '',
    d.schemaId !== undefined ? `schema id ${d.schemaId}` : '',
    d.localSchema ? `local schema ${d.localSchema}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The decoded value pretty-printed (its JSON text as the core wrote it when it does not parse). */
export function prettyDecoded(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** What "copy" and "copy as JSON" take for a part: the decoded JSON text when it decoded, else the bytes. */
export function copiedPart(m: DecodableMessage, part: Part): WireBytes {
  return decodedPart(m, part)?.json ?? m[part];
}
