import { defineStore } from 'pinia';
import { ref } from 'vue';
import type {
  CaptureExportFormat,
  CaptureRowsPage,
  CaptureRowsQuery,
  CaptureSearch,
  CaptureSummary,
  ChannelInput,
  ChannelOutput,
  Result,
} from '../../../electron/contract';
import { api } from '../api';
import { downloadText } from '../ui/download';
import { importName, type ExportSelection } from './captureForms';

/**
 * Saved captures (kept by the main process's capture store, readable with no network): the list,
 * and every change to one capture, each keeping the list in step.
 */
export const useCapturesStore = defineStore('captures', () => {
  const list = ref<CaptureSummary[]>([]);

  async function load(): Promise<Result<CaptureSummary[]>> {
    const r = await api.captures.list({});
    if (r.ok) list.value = r.value;
    return r;
  }
  /** A changed capture replaces its line in the list. */
  function replaced(r: Result<CaptureSummary>): Result<CaptureSummary> {
    if (r.ok) list.value = list.value.map((x) => (x.id === r.value.id ? r.value : x));
    return r;
  }
  const rename = async (id: number, name: string) => replaced(await api.captures.rename({ id, name }));
  const setTags = async (id: number, tags: string[]) => replaced(await api.captures.tag({ id, tags }));
  const setNote = async (id: number, note: string) => replaced(await api.captures.annotate({ id, note }));
  /** A note on one message; an empty (or blank) note removes it. */
  const setMessageNote = (id: number, seq: number, note: string) =>
    api.captures.annotateMessage({ id, seq, note: note.trim() ? note : null });

  /** A page of a capture's rows, searched and sorted in the store (what the message table asks for). */
  const rows = (id: number, query: CaptureRowsQuery): Promise<Result<CaptureRowsPage>> =>
    api.captures.rows({ id, ...query });
  /** How many rows of the capture a search selects (counted by the store, as an export selects them). */
  async function count(id: number, search: CaptureSearch): Promise<Result<number>> {
    const r = await api.captures.rows({ id, search, limit: 1 });
    return r.ok ? { ok: true, value: r.value.total } : r;
  }
  /**
   * Exports the capture (or the rows selected) and saves the file through the browser's download;
   * when its messages name registry schemas, their schemas file is saved beside it (a second
   * download, `schemasFileName`), so the export decodes elsewhere with no registry.
   */
  async function exportToFile(
    id: number,
    format: CaptureExportFormat,
    what: ExportSelection,
  ): Promise<Result<{ fileName: string; count: number; schemasFileName?: string }>> {
    const r = await api.captures.export({ id, format, ...what });
    if (!r.ok) return r;
    const { fileName, text, mimeType, count, schemas } = r.value;
    downloadText(fileName, text, mimeType);
    if (!schemas) return { ok: true, value: { fileName, count } };
    downloadText(schemas.fileName, schemas.text, 'application/json');
    return { ok: true, value: { fileName, count, schemasFileName: schemas.fileName } };
  }

  /** Saves a session's rows (or rows picked in a capture) as a new capture. */
  const save = (input: ChannelInput<'captures.save'>): Promise<Result<CaptureSummary>> => api.captures.save(input);
  /** Sends the capture's messages (or those picked) to a topic: a long operation, with progress and cancel by `operationId`. */
  const replay = (
    input: Omit<ChannelInput<'captures.replay'>, 'operationId'>,
    operationId: string,
  ): Promise<Result<ChannelOutput<'captures.replay'>>> => api.captures.replay({ ...input, operationId });

  async function remove(id: number): Promise<Result<{ deleted: boolean }>> {
    const r = await api.captures.delete({ id });
    if (r.ok) await load();
    return r;
  }
  /**
   * Imports a file the user picked (NDJSON from Kafka Desk, or kcat -J), named after it, with the
   * schemas file exported beside it when one was picked too (kept with the capture; its messages
   * decode with them offline). A schemas file that is not one refuses the whole import.
   */
  async function importFile(
    file: { name: string; text: string },
    schemas?: { text: string },
  ): Promise<Result<ChannelOutput<'captures.import'>>> {
    const name = importName(
      file.name,
      list.value.map((c) => c.name),
      new Date(),
    );
    const r = await api.captures.import({
      name,
      fileName: file.name,
      text: file.text,
      ...(schemas ? { schemas: schemas.text } : {}),
    });
    if (r.ok) await load();
    return r;
  }
  /** The sample capture that ships with the app (imported once, then reopened). */
  async function openSample(): Promise<Result<CaptureSummary>> {
    const r = await api.captures.openSample({});
    if (r.ok) await load();
    return r;
  }

  return {
    list,
    load,
    rename,
    setTags,
    setNote,
    setMessageNote,
    rows,
    count,
    exportToFile,
    save,
    replay,
    remove,
    importFile,
    openSample,
  };
});
