import { onMounted, ref } from 'vue';
import { useRoute } from 'vue-router';
import type { AppError, PresetOperation, PresetView } from '../../../electron/contract';
import { api } from '../api';

type Kind = PresetOperation['kind'];
type InputOf<K extends Kind> = Extract<PresetOperation, { kind: K }>['input'];

/**
 * An operation screen opened from the Presets page (`?preset=ID&vars={…}`): the core fills the
 * preset's {{variables}}, and `apply` puts its options into the screen's form. `skip` (checked on
 * mount): the screen came back with a form of its own (its tab reloaded), which the preset filled
 * once and the user may have changed since — the preset is not applied over it again.
 */
export function usePresetFromRoute<K extends Kind>(
  kind: K,
  apply: (input: InputOf<K>, view: PresetView | undefined) => void,
  skip: () => boolean = () => false,
) {
  const route = useRoute();
  const presetError = ref<AppError | null>(null);
  onMounted(async () => {
    const pid = route.query.preset;
    if (typeof pid !== 'string' || skip()) return;
    let values: Record<string, string> = {};
    try {
      values = typeof route.query.vars === 'string' ? (JSON.parse(route.query.vars) as Record<string, string>) : {};
    } catch {
      // a hand-edited address: run without values, the core names what is missing
    }
    const r = await api.presets.resolve({ id: pid, values });
    if (!r.ok) {
      presetError.value = r.error;
      return;
    }
    if (r.value.operation.kind === kind) apply(r.value.operation.input as InputOf<K>, r.value.preset.view);
  });
  return { presetError };
}
