import type { CaptureSearch, CaptureSummary, ChannelInput } from '../../../electron/contract';
import { plural } from '../components/format';
import { describeRowFilter, isFilterActive, rowFilterToSearch, type RowFilter } from '../components/rowFilter';

/** Captures whose name, note, connection, topics or tags hold the text (case-insensitive); all of them for none. */
export function filterCaptures(list: CaptureSummary[], text: string): CaptureSummary[] {
  const q = text.trim().toLowerCase();
  return q
    ? list.filter((c) =>
        [c.name, c.note, c.connectionName ?? '', ...c.topics, ...c.tags].some((x) => x.toLowerCase().includes(q)),
      )
    : list;
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
  if (picked.length)
    return {
      kind: 'direct',
      what: { seqs: [...picked].sort((a, b) => a - b) },
      said: `the ${plural(picked.length, 'picked row')}`,
    };
  if (!isFilterActive(filter)) return { kind: 'direct', what: {}, said: 'all of the capture' };
  const { search, error } = rowFilterToSearch(filter);
  return { kind: 'ask', search, failed: error !== null, words: describeRowFilter(filter) };
}

/** The export once the user chose between what the filter shows and all of the capture. */
export function chosenExport(which: 'shown' | 'all', search: CaptureSearch): { what: ExportSelection; said: string } {
  return which === 'shown'
    ? { what: { search }, said: 'what the filter shows' }
    : { what: {}, said: 'all of the capture' };
}

/** The rows picked, in order (none picked: undefined, the whole run or capture). */
const pickedSeqs = (seqs: readonly number[] | undefined): number[] | undefined =>
  seqs?.length ? [...seqs].sort((a, b) => a - b) : undefined;

/**
 * What "Save as capture…" saves: the rows picked in another capture, or a Consume read's or a
 * Listen's session (all of it, or the rows picked in it).
 */
export function saveCaptureInput(
  from: { sessionId?: number; captureId?: number; seqs?: readonly number[] },
  name: string,
): ChannelInput<'captures.save'> {
  const seqs = pickedSeqs(from.seqs);
  if (from.captureId !== undefined && seqs) return { from: 'capture', name, captureId: from.captureId, seqs };
  return { from: 'session', name, sessionId: from.sessionId!, ...(seqs ? { seqs } : {}) };
}

/** The replay dialog's fields. */
export interface ReplayForm {
  connectionId: string;
  topic: string;
  partitions: 'same' | 'default';
  timestamps: 'keep' | 'now';
  rate: number;
}

/** A replay of the capture (or of the rows picked in it) as the dialog's fields say. */
export function replayInput(
  captureId: number,
  seqs: readonly number[] | undefined,
  form: ReplayForm,
): Omit<ChannelInput<'captures.replay'>, 'operationId'> {
  const picked = pickedSeqs(seqs);
  return {
    id: captureId,
    ...(picked ? { seqs: picked } : {}),
    connectionId: form.connectionId,
    topic: form.topic.trim(),
    partitions: form.partitions,
    timestamps: form.timestamps,
    ratePerSecond: form.rate,
  };
}
