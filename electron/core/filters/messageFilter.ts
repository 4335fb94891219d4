import type Database from 'better-sqlite3';
import type { MessageFilter, WireBytes } from '../../contract';
import { CoreError } from '../coreError';
import { toWire } from '../operations/wireBytes';
import { compileJsonPath, JsonPathError, jsonPathText, type CompiledJsonPath } from './jsonPath';
import { compileRegex, type SafeRegex } from './safeRegex';

/**
 * One message filter with one semantics, compiled two ways from the same description
 * (`describeFilter`): `toPredicate` runs in JavaScript on messages as Consume and Listen read them,
 * `toSql` is a WHERE clause next to the rows of a capture or a session. The SQL functions it calls use
 * the same matchers as the predicate; where SQL answers in C instead (LIKE, json_extract) it is only
 * where that cannot differ. messageFilter.agreement.test.ts runs one table of cases through both.
 *
 * The semantics (all conditions given must hold; an empty text or regex is no condition):
 * - A key, value or header value is text exactly when its bytes are UTF-8 (as on the wire: a string,
 *   not `{base64}`). Null and binary ones never match a text, regex, header-value or JSON path condition.
 * - text: a case-insensitive substring (both sides lowercased) of the key, the value or a header value.
 * - regex: matches the key, the value or a header value — header values too, as text search does.
 * - header: a header with this key; with a value, a text header value equal to it.
 * - jsonPath: the value is a JSON object or array and the path finds something (equal to `equals` as
 *   `jsonPathText` writes it, when given).
 */

/** What the two compilers read: a consumed message, or a stored row with its key, value and headers. */
export interface FilteredMessage {
  key: WireBytes;
  value: WireBytes;
  headers: [string, WireBytes][];
}

/** A filter checked and compiled once: the conditions given, none of them empty. */
export interface FilterDescription {
  /** Lowercased. */
  text: string | null;
  regex: { source: string; ignoreCase: boolean; re: SafeRegex } | null;
  header: { key: string; value?: string } | null;
  jsonPath: { source: string; path: CompiledJsonPath; equals?: string } | null;
}

/** A filter's JSON path, or the sentence saying what is not supported (`field` names the input). */
export function jsonPathOrRefuse(path: string, field: string): CompiledJsonPath {
  try {
    return compileJsonPath(path);
  } catch (e) {
    if (e instanceof JsonPathError)
      throw new CoreError('INVALID_INPUT', e.message, undefined, [
        { path: field, message: `not a supported JSON path (${e.problem})` },
      ]);
    throw e;
  }
}

/**
 * Checks a filter (a regex RE2 cannot run, a JSON path outside the supported subset: INVALID_INPUT
 * naming `${field}.regex` / `${field}.jsonPath.path`, before any message is read). null: no condition.
 */
export function describeFilter(f: MessageFilter | undefined, field: string): FilterDescription | null {
  if (!f || (!f.text && !f.regex && !f.header && !f.jsonPath)) return null;
  const ignoreCase = f.regexIgnoreCase === true;
  return {
    text: f.text ? f.text.toLowerCase() : null,
    regex: f.regex
      ? { source: f.regex, ignoreCase, re: compileRegex(f.regex, { ignoreCase, field: `${field}.regex` }) }
      : null,
    header: f.header ?? null,
    jsonPath: f.jsonPath
      ? {
          source: f.jsonPath.path,
          path: jsonPathOrRefuse(f.jsonPath.path, `${field}.jsonPath.path`),
          equals: f.jsonPath.equals,
        }
      : null,
  };
}

// --- the matchers both compilers use

const textOf = (w: WireBytes): string | null => (typeof w === 'string' ? w : null);
const containsFolded = (text: string | null, needle: string): boolean =>
  text !== null && text.toLowerCase().includes(needle);

function jsonPathMatches(text: string | null, path: CompiledJsonPath, equals: string | undefined): boolean {
  if (text === null) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return false;
  }
  // only a JSON object or array has paths
  if (doc === null || typeof doc !== 'object') return false;
  const found = path.find(doc);
  if (!found.length) return false;
  return equals === undefined || found.some((x) => jsonPathText(x) === equals);
}

// --- JavaScript

export function toPredicate(d: FilterDescription): (m: FilteredMessage) => boolean {
  return (m) => {
    const key = textOf(m.key);
    const value = textOf(m.value);
    const searched = () => [key, value, ...m.headers.map(([, v]) => textOf(v))];
    if (d.text !== null && !searched().some((t) => containsFolded(t, d.text!))) return false;
    if (d.regex && !searched().some((t) => t !== null && d.regex!.re.test(t))) return false;
    if (
      d.header &&
      !m.headers.some(
        ([k, v]) => k === d.header!.key && (d.header!.value === undefined || textOf(v) === d.header!.value),
      )
    )
      return false;
    if (d.jsonPath && !jsonPathMatches(value, d.jsonPath.path, d.jsonPath.equals)) return false;
    return true;
  };
}

/** Compiles a filter once (refusing what cannot run); the returned test runs on every message read. null: no filter. */
export function compileFilter(
  f: MessageFilter | undefined,
  field = 'filter',
): ((m: FilteredMessage) => boolean) | null {
  const d = describeFilter(f, field);
  return d ? toPredicate(d) : null;
}

// --- SQL

/** `$.a.b[0]`: a path SQLite's JSON functions read exactly as JSONPath does. */
const SIMPLE_JSON_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+$/;

/**
 * The columns `toSql` reads: key and value as BLOBs of their bytes, headers as the JSON text of their
 * wire form (`[[key, "text" | null | {"base64": …}], …]`).
 */
export interface FilterColumns {
  key: string;
  value: string;
  headers: string;
}

/** The filter as SQL conditions (to AND together) and their named parameters. Needs `registerFilterFunctions` on the connection. */
export function toSql(d: FilterDescription, c: FilterColumns): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  // most messages have no header: no json_each for those
  const headerValues = (cond: string) =>
    `(${c.headers} <> '[]' AND EXISTS (SELECT 1 FROM json_each(${c.headers}) h WHERE json_type(h.value, '$[1]') = 'text' AND ${cond}))`;
  const headerValue = `json_extract(h.value, '$[1]')`;
  if (d.text !== null) {
    params.needle = d.text;
    const exact = (x: string) => `kd_icontains(${x}, @needle)`;
    // LIKE (in C, folding ASCII) first, where it cannot miss a match: an ASCII needle without the letters
    // other characters lowercase into (K KELVIN SIGN → k, İ → i̇), on bytes without NUL (LIKE stops there)
    // eslint-disable-next-line no-control-regex
    const likeFirst = /^[\x01-\x7f]*$/.test(d.text) && !/[ik]/.test(d.text);
    if (likeFirst) params.like = `%${d.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const column = (x: string) =>
      likeFirst ? `((instr(${x}, x'00') > 0 OR CAST(${x} AS TEXT) LIKE @like ESCAPE '\\') AND ${exact(x)})` : exact(x);
    where.push(`(${column(c.key)} OR ${column(c.value)} OR ${headerValues(exact(headerValue))})`);
  }
  if (d.regex) {
    params.regex = d.regex.source;
    params.regexFlags = d.regex.ignoreCase ? 'i' : '';
    const re = (x: string) => `kd_regexp(${x}, @regex, @regexFlags)`;
    where.push(`(${re(c.key)} OR ${re(c.value)} OR ${headerValues(re(headerValue))})`);
  }
  if (d.header) {
    params.headerKey = d.header.key;
    const keyIs = `json_extract(h.value, '$[0]') = @headerKey`;
    if (d.header.value === undefined) where.push(`EXISTS (SELECT 1 FROM json_each(${c.headers}) h WHERE ${keyIs})`);
    else {
      params.headerValue = d.header.value;
      where.push(headerValues(`${keyIs} AND ${headerValue} = @headerValue`));
    }
  }
  if (d.jsonPath) {
    params.jsonPath = d.jsonPath.source;
    params.jsonEquals = d.jsonPath.equals ?? null;
    const js = `kd_jsonpath(${c.value}, @jsonPath, @jsonEquals)`;
    if (SIMPLE_JSON_PATH.test(d.jsonPath.source)) {
      // a plain member / index path is SQLite's own JSON path: json_extract in C instead of a JSON.parse
      // per row (SQLite keeps the parse between the calls on one row). Text, integers, booleans and
      // null compare as jsonPathText writes them; reals, objects and arrays go to the JavaScript matcher.
      // Last, on the rows that match: the bytes must be UTF-8 (SQLite's JSON parser takes any byte).
      const v = `CAST(${c.value} AS TEXT)`;
      const eq = (x: string) => `(@jsonEquals IS NULL OR ${x} = @jsonEquals)`;
      where.push(
        `(json_valid(${v}) AND json_type(${v}) IN ('object', 'array') AND CASE json_type(${v}, @jsonPath)` +
          ` WHEN 'text' THEN ${eq(`json_extract(${v}, @jsonPath)`)} WHEN 'integer' THEN ${eq(`CAST(json_extract(${v}, @jsonPath) AS TEXT)`)}` +
          ` WHEN 'true' THEN ${eq(`'true'`)} WHEN 'false' THEN ${eq(`'false'`)} WHEN 'null' THEN ${eq(`'null'`)}` +
          ` WHEN 'real' THEN ${js} WHEN 'object' THEN ${js} WHEN 'array' THEN ${js} ELSE 0 END AND kd_istext(${c.value}))`,
      );
    } else where.push(js);
  }
  return { where, params };
}

/** A SQL value as the matchers read it: a string (a header value from json_extract) as it is, bytes when UTF-8. */
function sqlText(x: unknown): string | null {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string') return x;
  return textOf(toWire(Buffer.isBuffer(x) ? x : Buffer.from(String(x), 'utf8')));
}

/** Registers the functions `toSql` calls, on a better-sqlite3 connection: each one a matcher of the predicate. */
export function registerFilterFunctions(db: Database.Database): void {
  const paths = new Map<string, CompiledJsonPath>();
  const pathOf = (source: string) => {
    let p = paths.get(source);
    if (!p) {
      // checked by describeFilter before the query ran
      p = compileJsonPath(source);
      if (paths.size > 50) paths.clear();
      paths.set(source, p);
    }
    return p;
  };
  const flag = (b: boolean) => (b ? 1 : 0);
  db.function('kd_istext', { deterministic: true }, (x: unknown) => flag(sqlText(x) !== null));
  db.function('kd_icontains', { deterministic: true }, (x: unknown, needle: unknown) =>
    flag(containsFolded(sqlText(x), String(needle))),
  );
  db.function('kd_regexp', { deterministic: true }, (x: unknown, pattern: unknown, flags: unknown) => {
    const text = sqlText(x);
    return flag(text !== null && compileRegex(String(pattern), { ignoreCase: String(flags).includes('i') }).test(text));
  });
  db.function('kd_jsonpath', { deterministic: true }, (x: unknown, path: unknown, equals: unknown) =>
    flag(
      jsonPathMatches(
        sqlText(x),
        pathOf(String(path)),
        equals === null || equals === undefined ? undefined : String(equals),
      ),
    ),
  );
}
