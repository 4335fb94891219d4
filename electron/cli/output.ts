import { jsonText, showText, terminalSafe } from './terminalText';

/**
 * Prints rows as an aligned table (default) or as NDJSON, one object per line (`--json`). A cell's
 * control and bidi characters are shown escaped (a cell stays on its row); JSON escapes them too.
 */
export function printRows<T extends object>(
  rows: T[],
  columns: { key: keyof T; title: string; align?: 'right'; count?: boolean }[],
  json: boolean,
  out: (s: string) => void = (s) => process.stdout.write(terminalSafe(s)),
): void {
  if (json) {
    out(rows.map((r) => jsonText(r)).join('\n') + (rows.length ? '\n' : ''));
    return;
  }
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c.key], c.count === true)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  out([line(columns.map((c) => c.title)), ...cells.map(line)].join('\n') + '\n');
}

function formatCell(v: unknown, count: boolean): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return count ? v.toLocaleString('en-US') : String(v);
  if (count && typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v).toLocaleString('en-US');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return showText(String(v));
}
