import { inject, type InjectionKey, type Ref, type ShallowRef } from 'vue';
import type { ProduceFile, ProduceForm } from '../../operations/produceForm';

/**
 * What Produce shares with its form's sections (compose, file, delivery and batch): the form being
 * typed (reactive: a section edits it in place, as the screen's own fields do), the file chosen to
 * send (parsed by the file section, sent by the screen) and the reason nothing was sent, shown
 * under Send by the screen and set by a section too (a value that is not JSON, a file that does not parse).
 * A refused encoding (the core's SCHEMA_INVALID) is put beside the key or value it names.
 * The chosen file's text and whether it is being parsed are kept by the screen: they outlive the file
 * section while Compose is picked (another format chosen later parses the same text again).
 */
export interface ProduceContext {
  form: ProduceForm;
  file: ShallowRef<ProduceFile | null>;
  chosen: { name: string; text: string };
  fileBusy: Ref<boolean>;
  localError: Ref<string | null>;
  /** The connection produced to (its registry and local schemas feed the schema pickers). */
  connectionId: string;
  /** Why the core would not encode the composed key / value with its schema, shown beside the field. */
  schemaErrors: Ref<{ key: string | null; value: string | null }>;
}

export const produceKey: InjectionKey<ProduceContext> = Symbol('produce');

export function useProduce(): ProduceContext {
  const ctx = inject(produceKey);
  if (!ctx) throw new Error('A Produce section is used outside ProduceView.');
  return ctx;
}
