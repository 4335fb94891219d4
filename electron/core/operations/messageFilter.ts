import { JSONPath } from 'jsonpath-plus';
import type { ConsumedMessage, MessageFilter, WireBytes } from '../../contract';
import { CoreError } from '../coreError';

const text = (w: WireBytes): string => (w === null ? '' : typeof w === 'string' ? w : '');

/** Compiles a filter once; the returned test runs on every message read. */
export function compileFilter(f: MessageFilter | undefined): ((m: ConsumedMessage) => boolean) | null {
  if (!f || (!f.text && !f.regex && !f.header && !f.jsonPath)) return null;
  let re: RegExp | null = null;
  if (f.regex) {
    try {
      re = new RegExp(f.regex);
    } catch (e) {
      throw new CoreError('INVALID_INPUT', `The regular expression is not valid: ${(e as Error).message}`, undefined, [{ path: 'filter.regex', message: 'not a valid regular expression' }]);
    }
  }
  const needle = f.text?.toLowerCase();
  return (m) => {
    const key = text(m.key);
    const value = text(m.value);
    if (needle && !(key.toLowerCase().includes(needle) || value.toLowerCase().includes(needle) || m.headers.some(([, v]) => text(v).toLowerCase().includes(needle)))) return false;
    if (re && !(re.test(key) || re.test(value))) return false;
    if (f.header && !m.headers.some(([k, v]) => k === f.header!.key && (f.header!.value === undefined || text(v) === f.header!.value))) return false;
    if (f.jsonPath) {
      let doc: unknown;
      try {
        doc = JSON.parse(value);
      } catch {
        return false;
      }
      const found = JSONPath({ path: f.jsonPath.path, json: doc as object, wrap: true }) as unknown[];
      if (!found.length) return false;
      if (f.jsonPath.equals !== undefined && !found.some((x) => (typeof x === 'string' ? x : JSON.stringify(x)) === f.jsonPath!.equals)) return false;
    }
    return true;
  };
}
