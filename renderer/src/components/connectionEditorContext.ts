import { inject, type InjectionKey, type Ref } from 'vue';
import type { Connection } from '../../../electron/contract';
import type { ConnectionForm } from './connectionForm';

/**
 * What the connection editor shares with its sections (SASL, Kerberos, TLS): the form being typed
 * (reactive: a section edits it in place, as the editor's own fields do), the saved connection it
 * edits (null for a new one) and what the core said about each field.
 */
export interface ConnectionEditorContext {
  form: ConnectionForm;
  saved: Connection | null;
  feedback: (path: string) => string | undefined;
  status: (path: string) => 'error' | undefined;
  /** The placeholder of a secret's field: kept when left empty, unless the core asks for it again. */
  keptSecret: (set: boolean | undefined, field: string, otherwise: string) => string;
  /**
   * The core's refusal of a chosen krb5.conf that loads code (its lines), kept while that file is
   * chosen: by the editor, so it outlives the Kerberos fields while another mechanism is picked.
   */
  krb5CodeRefusal: Ref<string | null>;
}

/** The field the core names when a chosen krb5.conf loads code and that was not allowed. */
export const KRB5_CODE_FIELD = 'sasl.kerberos.krb5Conf.allowCodeLoading';

export const connectionEditorKey: InjectionKey<ConnectionEditorContext> = Symbol('connectionEditor');

export function useConnectionEditor(): ConnectionEditorContext {
  const ctx = inject(connectionEditorKey);
  if (!ctx) throw new Error('A connection editor section is used outside ConnectionEditor.');
  return ctx;
}
