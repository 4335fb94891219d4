import { inject, type InjectionKey } from 'vue';
import type { ConsumeForm } from '../../operations/consumeForm';

/**
 * What Consume shares with its options form: the form being typed (reactive: the options form edits it
 * in place; the screen reads it to run, remembers it for the tab and fills it from a preset).
 */
export interface ConsumeContext {
  form: ConsumeForm;
}

export const consumeKey: InjectionKey<ConsumeContext> = Symbol('consume');

export function useConsume(): ConsumeContext {
  const ctx = inject(consumeKey);
  if (!ctx) throw new Error("Consume's options form is used outside ConsumeView.");
  return ctx;
}
