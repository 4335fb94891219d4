import type { ConsumedMessage, MessageFilter, WireBytes } from '../../contract';
import { CoreError } from '../coreError';
import { compileJsonPath, JsonPathError, jsonPathText, type CompiledJsonPath } from '../filters/jsonPath';
import { compileRegex } from '../filters/safeRegex';

const text = (w: WireBytes): string => (w === null ? '' : typeof w === 'string' ? w : '');

/** A filter's JSON path, or the sentence saying what is not supported (`field` names the input). */
export function jsonPathOrRefuse(path: string, field: string): CompiledJsonPath {
  try {
    return compileJsonPath(path);
  } catch (e) {
    if (e instanceof JsonPathError) throw new CoreError('INVALID_INPUT', e.message, undefined, [{ path: field, message: `not a supported JSON path (${e.problem})` }]);
    throw e;
  }
}

/** Compiles a filter once; the returned test runs on every message read. */
export function compileFilter(f: MessageFilter | undefined): ((m: ConsumedMessage) => boolean) | null {
  if (!f || (!f.text && !f.regex && !f.header && !f.jsonPath)) return null;
  const re = f.regex ? compileRegex(f.regex, { field: 'filter.regex' }) : null;
  const path = f.jsonPath ? jsonPathOrRefuse(f.jsonPath.path, 'filter.jsonPath.path') : null;
  const needle = f.text?.toLowerCase();
  return (m) => {
    const key = text(m.key);
    const value = text(m.value);
    if (needle && !(key.toLowerCase().includes(needle) || value.toLowerCase().includes(needle) || m.headers.some(([, v]) => text(v).toLowerCase().includes(needle)))) return false;
    if (re && !(re.test(key) || re.test(value))) return false;
    if (f.header && !m.headers.some(([k, v]) => k === f.header!.key && (f.header!.value === undefined || text(v) === f.header!.value))) return false;
    if (path) {
      let doc: unknown;
      try {
        doc = JSON.parse(value);
      } catch {
        return false;
      }
      // as in a capture's filter: only a JSON object or array has paths
      if (doc === null || typeof doc !== 'object') return false;
      const found = path.find(doc);
      if (!found.length) return false;
      if (f.jsonPath!.equals !== undefined && !found.some((x) => jsonPathText(x) === f.jsonPath!.equals)) return false;
    }
    return true;
  };
}
