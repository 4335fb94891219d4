import { describe, expect, it } from 'vitest';
import type { Preset } from '../../../electron/contract';
import {
  importReport,
  presetDraft,
  presetEditInput,
  presetSubject,
  readPresetsFile,
  searchPresets,
} from './presetForms';

const preset = (over: Partial<Preset>): Preset =>
  ({
    id: 'p-00000001',
    name: 'read orders',
    folder: '',
    tags: [],
    description: '',
    connectionName: 'local',
    operation: { kind: 'consume', input: { topic: 'orders' } },
    variables: [],
    createdAt: '',
    updatedAt: '',
    ...over,
  }) as Preset;

describe('presets: the list, the edit dialog and the import as the screen asks for them', () => {
  it('names what a preset works on: a connector, a topic pattern, its topics or its topic', () => {
    expect(presetSubject(preset({}))).toBe('orders');
    expect(
      presetSubject(preset({ operation: { kind: 'consume', input: { topics: ['a', 'b'] } } as Preset['operation'] })),
    ).toBe('a, b');
    expect(
      presetSubject(
        preset({ operation: { kind: 'consume', input: { topicPattern: 'orders-.*' } } as Preset['operation'] }),
      ),
    ).toBe('/orders-.*/');
    expect(presetSubject(preset({ operation: { kind: 'connector', input: { name: 'sink', config: {} } } }))).toBe(
      'connector sink',
    );
  });

  it('searches name, folder, description, connection, subject, kind and tags', () => {
    const items = [
      preset({ id: 'a', name: 'A', folder: 'billing' }),
      preset({ id: 'b', name: 'B', tags: ['Debug'] }),
      preset({
        id: 'c',
        name: 'C',
        connectionName: 'prod',
        operation: { kind: 'produce', input: { topic: 'payments' } } as Preset['operation'],
      }),
    ];
    expect(searchPresets(items, '')).toBe(items);
    expect(searchPresets(items, 'BILL').map((p) => p.id)).toEqual(['a']);
    expect(searchPresets(items, 'debug').map((p) => p.id)).toEqual(['b']);
    expect(searchPresets(items, 'payments').map((p) => p.id)).toEqual(['c']);
    expect(searchPresets(items, 'produce').map((p) => p.id)).toEqual(['c']);
    expect(searchPresets(items, 'orders').map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('edits the same preset, duplicates as a new one, and keeps or drops the saved view', () => {
    const view = { decoding: 'json' as const };
    const p = preset({ tags: ['t'], view });
    const draft = presetDraft(p, 'duplicate');
    expect(draft).toEqual({
      name: 'read orders (copy)',
      folder: '',
      tags: ['t'],
      description: '',
      connectionName: 'local',
      dropView: false,
    });
    expect(draft.tags).not.toBe(p.tags);
    expect(presetEditInput(p, draft, 'duplicate')).toEqual({
      name: 'read orders (copy)',
      folder: '',
      tags: ['t'],
      description: '',
      connectionName: 'local',
      operation: p.operation,
      view,
    });
    expect(presetEditInput(p, { ...presetDraft(p, 'edit'), dropView: true }, 'edit')).toEqual({
      id: p.id,
      name: 'read orders',
      folder: '',
      tags: ['t'],
      description: '',
      connectionName: 'local',
      operation: p.operation,
    });
  });

  it('reads a presets file for the import dialog: how many, and the connections not saved here', () => {
    const file = JSON.stringify({
      presets: [{ connectionName: 'local' }, { connectionName: 'prod' }, { connectionName: 'prod' }, {}, null],
    });
    expect(readPresetsFile(file, ['local'])).toEqual({ count: 5, unknown: ['prod'] });
    expect(readPresetsFile('not json', ['local'])).toEqual({ count: 0, unknown: [] });
    expect(readPresetsFile('{"presets": 3}', [])).toEqual({ count: 0, unknown: [] });
    expect(readPresetsFile('{}', [])).toEqual({ count: 0, unknown: [] });
  });

  it('reports an import with what was skipped and why', () => {
    expect(importReport({ imported: ['a', 'b'], skipped: [] })).toBe('Imported 2.');
    expect(importReport({ imported: [], skipped: [{ name: 'x', reason: 'exists' }] })).toBe(
      "Imported 0; skipped 'x' (exists).",
    );
  });
});
