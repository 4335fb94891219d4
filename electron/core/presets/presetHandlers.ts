import { CoreError } from '../coreError';
import type { Handlers } from '../handlers';
import { fillVariables, type PresetStore } from './presetStore';

type PresetChannel =
  'presets.list' | 'presets.save' | 'presets.resolve' | 'presets.delete' | 'presets.export' | 'presets.import';

/** Saved operations: list, save, fill in their {{variables}}, delete, export and import. */
export function createPresetHandlers(presets: PresetStore): Pick<Handlers, PresetChannel> {
  return {
    'presets.list': () => presets.list(),
    'presets.save': (input) => presets.save(input),
    'presets.resolve': async ({ id, values }) => {
      const preset = (await presets.list()).find((p) => p.id === id);
      if (!preset) throw new CoreError('NOT_FOUND', 'That preset no longer exists.');
      return { preset, operation: fillVariables(preset.operation, values) };
    },
    'presets.delete': async ({ id }) => ({ deleted: await presets.delete(id) }),
    'presets.export': ({ ids }) => presets.exportJson(ids),
    'presets.import': ({ json, connectionName }) => presets.importJson(json, connectionName),
  };
}
