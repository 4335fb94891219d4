import type { ChannelOutput, Preset, PresetInput } from '../../../electron/contract';

/** What a preset works on, for the list and the search: a connector, a topic pattern, its topics or its topic. */
export function presetSubject(p: Preset): string {
  if (p.operation.kind === 'connector') return `connector ${p.operation.input.name}`;
  const i = p.operation.input;
  if ('topicPattern' in i && i.topicPattern) return `/${i.topicPattern}/`;
  if ('topics' in i && i.topics?.length) return i.topics.join(', ');
  return i.topic ?? '';
}

/** Presets whose name, folder, description, connection, subject, kind or a tag hold the text (case-insensitive). */
export function searchPresets(items: Preset[], text: string): Preset[] {
  const q = text.trim().toLowerCase();
  if (!q) return items;
  return items.filter((p) =>
    [p.name, p.folder, p.description, p.connectionName, presetSubject(p), p.operation.kind, ...p.tags].some((x) =>
      x.toLowerCase().includes(q),
    ),
  );
}

/** The edit dialog's fields; `dropView` removes the saved view (table filter, decoding). */
export interface PresetDraft {
  name: string;
  folder: string;
  tags: string[];
  description: string;
  connectionName: string;
  dropView: boolean;
}
export type PresetEditMode = 'edit' | 'duplicate';

/** The dialog's fields for editing a preset, or for a copy of it (named as one). */
export function presetDraft(p: Preset, mode: PresetEditMode): PresetDraft {
  return {
    name: mode === 'duplicate' ? `${p.name} (copy)` : p.name,
    folder: p.folder,
    tags: [...p.tags],
    description: p.description,
    connectionName: p.connectionName,
    dropView: false,
  };
}

/** What the dialog saves: the same preset (edit) or a new one (duplicate), with its operation, and its view unless dropped. */
export function presetEditInput(p: Preset, draft: PresetDraft, mode: PresetEditMode): PresetInput {
  return {
    ...(mode === 'edit' ? { id: p.id } : {}),
    name: draft.name,
    folder: draft.folder,
    tags: draft.tags,
    description: draft.description,
    connectionName: draft.connectionName,
    operation: p.operation,
    ...(p.view && !draft.dropView ? { view: p.view } : {}),
  };
}

/**
 * A presets file as the import dialog shows it, before the core reads it: how many presets, and the
 * connections they name that are not saved here. A file that is not one counts 0 (the core names the problem).
 */
export function readPresetsFile(
  json: string,
  knownConnections: readonly string[],
): { count: number; unknown: string[] } {
  let list: unknown = [];
  try {
    list = (JSON.parse(json) as { presets?: unknown }).presets ?? [];
  } catch {
    // the core names the problem
  }
  if (!Array.isArray(list)) return { count: 0, unknown: [] };
  const known = new Set(knownConnections);
  const names = (list as { connectionName?: unknown }[]).map((p) => String(p?.connectionName ?? ''));
  return { count: list.length, unknown: [...new Set(names.filter((n) => n && !known.has(n)))] };
}

/** The sentence after an import: how many came in, and each one skipped with why. */
export function importReport(r: ChannelOutput<'presets.import'>): string {
  return `Imported ${r.imported.length}${r.skipped.length ? `; skipped ${r.skipped.map((s) => `'${s.name}' (${s.reason})`).join(', ')}` : ''}.`;
}
