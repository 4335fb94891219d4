import type { CaptureSearch, CaptureSummary } from '../../../electron/contract';
import { plural } from '../components/format';
import { describeRowFilter, isFilterActive, rowFilterToSearch, type RowFilter } from '../components/rowFilter';

/** Captures whose name, note, connection, topics or tags hold the text (case-insensitive); all of them for none. */
export function filterCaptures(list: CaptureSummary[], text: string): CaptureSummary[] {
  const q = text.trim().toLowerCase();
  return q ? list.filter((c) => [c.name, c.note, c.connectionName ?? '', ...c.topics, ...c.tags].some((x) => x.toLowerCase().includes(q))) : list;
}

/**
 * The name an imported file is saved under: the file's name without its extension, with the time
 * of the import added when a capture already has that name (names are unique, case-insensitively).
 */
export function importName(fileName: string, existing: readonly string[], now: Date): string {
  const name = fileName.replace(/\.(ndjson|jsonl|json|txt)$/i, '');
  return existing.some((n) => n.toLowerCase() === name.toLowerCase()) ? `${name} (${now.toLocaleString()})` : name;
}

/** Which rows an export selects, and how the confirmation says it. */
export interface ExportSelection {
  seqs?: number[];
  search?: CaptureSearch;
}

/**
 * What an export of a capture takes: the rows picked, if any; all of it when no filter is on;
 * otherwise the user chooses between what the filter shows and all (`ask`, with the filter as the
 * store's search, whether it can run, and the filter in words).
 */
export type ExportScope =
  | { kind: 'direct'; what: ExportSelection; said: string }
  | { kind: 'ask'; search: CaptureSearch; failed: boolean; words: string[] };

export function exportScope(picked: readonly number[], filter: RowFilter): ExportScope {
  if (picked.length) return { kind: 'direct', what: { seqs: [...picked].sort((a, b) => a - b) }, said: `the ${plural(picked.length, 'picked row')}` };
  if (!isFilterActive(filter)) return { kind: 'direct', what: {}, said: 'all of the capture' };
  const { search, error } = rowFilterToSearch(filter);
  return { kind: 'ask', search, failed: error !== null, words: describeRowFilter(filter) };
}

/** The export once the user chose between what the filter shows and all of the capture. */
export function chosenExport(which: 'shown' | 'all', search: CaptureSearch): { what: ExportSelection; said: string } {
  return which === 'shown' ? { what: { search }, said: 'what the filter shows' } : { what: {}, said: 'all of the capture' };
}
