import type { z } from 'zod';

/**
 * For code that walks the contract's own schemas (the read-only table's coverage test, the fuzz
 * test): a zod 4 schema's definition, and the schema a shape-preserving wrapper holds.
 */
export type SchemaDef = { type: string; [k: string]: unknown };

export const schemaDef = (s: z.ZodType): SchemaDef => (s as unknown as { _zod: { def: SchemaDef } })._zod.def;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema inside an optional / default / nullable / … wrapper or a pipe's input; null for any other schema. */
export function innerSchema(s: z.ZodType): z.ZodType | null {
  const def = schemaDef(s);
  if (WRAPPERS.has(def.type)) return def.innerType as z.ZodType;
  if (def.type === 'pipe') return def.in as z.ZodType;
  return null;
}
