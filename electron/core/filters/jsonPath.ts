/**
 * JSON paths as Kafka Desk's filters take them: members and indexes only, parsed exactly and
 * evaluated without ever running script.
 *
 * Written by hand on purpose. jsonpath-plus (which the filters used before) evaluates `[?(…)]` and
 * `(…)` expressions, and its "safe" evaluator could be escaped to `Function` through
 * `__lookupGetter__` and a function's `constructor`: a path in a shared preset or a capture filter ran
 * code in the main process. With script off it still reads what is not path syntax as member names
 * (`$.n>90` looks for a member called "n>90" and silently finds nothing). The subset we document is
 * small enough to parse completely, so everything else is refused with a sentence that says what is
 * supported.
 */

/** One step of a path. */
export type JsonPathSegment =
  | { kind: 'member'; names: string[]; recursive: boolean }
  | { kind: 'index'; indexes: number[]; recursive: boolean }
  | { kind: 'slice'; start: number | null; end: number | null; step: number; recursive: boolean }
  | { kind: 'wildcard'; recursive: boolean };

export interface CompiledJsonPath {
  readonly source: string;
  readonly segments: JsonPathSegment[];
  /** Every value the path finds in `doc`, in document order. */
  find(doc: unknown): unknown[];
}

/** What a user reads when a path is refused: the supported forms, once. */
export const JSON_PATH_SUPPORTED =
  "Kafka Desk's JSON paths name members and indexes: $.a.b, $['a b'], $.items[0], $.items[-1], $.items[0:2], $.items[*], $..id, $.a['x','y']; compare with =value ($.status=PAID). Filters such as [?(@.n > 90)], script (…), @, comparisons (<, >, !=) and functions are not supported.";

export class JsonPathError extends Error {
  constructor(
    readonly path: string,
    readonly position: number,
    readonly problem: string,
  ) {
    super(
      `The JSON path ${shorten(path)} is not supported: ${problem} at position ${position + 1}. ${JSON_PATH_SUPPORTED}`,
    );
    this.name = 'JsonPathError';
  }
}

const shorten = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);

/** Characters of an unquoted member name (`$.order_id`, `$.order-id`, `$.prénom`). */
const NAME_CHAR = /[\p{L}\p{N}_$-]/u;
const NAME_START = /[\p{L}_$]/u;

/** Names a user would try that mean script, filters or comparisons: named in the refusal. */
function describeChar(c: string): string {
  if (c === '?' || c === '(' || c === ')') return `'${c}' (filters and script are not supported)`;
  if (c === '@') return "'@' (filters are not supported)";
  if ('<>!=&|'.includes(c)) return `'${c}' (comparisons are not path syntax; compare with =value after the path)`;
  if (/\s/.test(c)) return "a space (quote such a name: $['a b'])";
  if (c === '^' || c === '~') return `'${c}' (parent and property-name selectors are not supported)`;
  return `'${c}'`;
}

/** Parses a JSON path of the documented subset; throws JsonPathError with the position of what is not. */
export function compileJsonPath(source: string): CompiledJsonPath {
  const s = source;
  let i = 0;
  const fail = (problem: string, at = i): never => {
    throw new JsonPathError(s, at, problem);
  };
  if (s[0] !== '$') fail("a JSON path starts with '$'", 0);
  i = 1;
  const segments: JsonPathSegment[] = [];

  const readName = (): string => {
    const start = i;
    if (i >= s.length || !NAME_START.test(s[i]!))
      fail(i >= s.length ? 'a member name is missing' : `${describeChar(s[i]!)} cannot start a member name`);
    while (i < s.length && NAME_CHAR.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  const readInt = (): number | null => {
    const m = /^-?\d{1,15}/.exec(s.slice(i));
    if (!m) return null;
    i += m[0].length;
    return Number(m[0]);
  };
  const readQuoted = (): string => {
    const quote = s[i]!;
    i++;
    let out = '';
    for (;;) {
      if (i >= s.length) fail(`the quoted name is not closed with ${quote}`);
      const c = s[i]!;
      if (c === quote) {
        i++;
        return out;
      }
      if (c === '\\') {
        const n = s[i + 1];
        if (n === quote || n === '\\') {
          out += n;
          i += 2;
          continue;
        }
        fail(`only \\${quote} and \\\\ are escapes inside a quoted name`);
      }
      out += c;
      i++;
    }
  };
  /** `[…]`: a union of quoted names, or of indexes, or one slice, or `*`. */
  const readBracket = (recursive: boolean): JsonPathSegment => {
    i++; // [
    if (s[i] === '*') {
      i++;
      if (s[i] !== ']') fail("']' expected after '*'");
      i++;
      return { kind: 'wildcard', recursive };
    }
    if (s[i] === "'" || s[i] === '"') {
      const names: string[] = [];
      for (;;) {
        if (s[i] !== "'" && s[i] !== '"') fail('a quoted name expected');
        names.push(readQuoted());
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] !== ']')
          fail(i >= s.length ? "the '[' is not closed" : `${describeChar(s[i]!)} where ',' or ']' belongs`);
        i++;
        return { kind: 'member', names, recursive };
      }
    }
    const first = readInt();
    if (s[i] === ':') {
      i++;
      const end = s[i] === ':' || s[i] === ']' ? null : readInt();
      if (end === null && s[i] !== ':' && s[i] !== ']') fail("a whole number, ':' or ']' expected in the slice");
      let step = 1;
      if (s[i] === ':') {
        i++;
        if (s[i] !== ']') {
          const st = readInt();
          if (st === null) fail('the slice step must be a whole number');
          if (st === 0) fail('the slice step cannot be 0');
          step = st!;
        }
      }
      if (s[i] !== ']') fail(i >= s.length ? "the '[' is not closed" : `${describeChar(s[i]!)} where ']' belongs`);
      i++;
      return { kind: 'slice', start: first, end, step, recursive };
    }
    if (first === null)
      fail(
        i >= s.length
          ? "the '[' is not closed"
          : `${describeChar(s[i]!)} inside [ ] (use an index, a slice, '*' or a quoted name)`,
      );
    const indexes = [first!];
    while (s[i] === ',') {
      i++;
      const n = readInt();
      if (n === null) fail("an index expected after ','");
      indexes.push(n!);
    }
    if (s[i] !== ']') fail(i >= s.length ? "the '[' is not closed" : `${describeChar(s[i]!)} where ',' or ']' belongs`);
    i++;
    return { kind: 'index', indexes, recursive };
  };

  while (i < s.length) {
    const c = s[i]!;
    if (c === '.') {
      const recursive = s[i + 1] === '.';
      i += recursive ? 2 : 1;
      if (s[i] === '*') {
        i++;
        segments.push({ kind: 'wildcard', recursive });
      } else if (recursive && s[i] === '[') segments.push(readBracket(true));
      else segments.push({ kind: 'member', names: [readName()], recursive });
    } else if (c === '[') segments.push(readBracket(false));
    else fail(describeChar(c));
  }
  if (segments.length > 100) fail('the path has more than 100 steps', 0);
  return { source, segments, find: (doc) => evaluate(segments, doc) };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const own = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The node and every node below it, in document order (for `..`). */
function descendants(v: unknown, out: unknown[]): void {
  // an explicit stack: a deeply nested message must not overflow the call stack
  const stack: unknown[] = [v];
  while (stack.length) {
    const n = stack.pop();
    out.push(n);
    const children = Array.isArray(n) ? n : isObject(n) ? Object.values(n) : [];
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
  }
}

function step(seg: JsonPathSegment, node: unknown, out: unknown[]): void {
  switch (seg.kind) {
    case 'member':
      if (isObject(node)) for (const n of seg.names) if (own(node, n)) out.push(node[n]);
      return;
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node);
      else if (isObject(node)) out.push(...Object.values(node));
      return;
    case 'index':
      if (Array.isArray(node)) {
        for (const n of seg.indexes) {
          const at = n < 0 ? node.length + n : n;
          if (at >= 0 && at < node.length) out.push(node[at]);
        }
      }
      return;
    case 'slice': {
      if (!Array.isArray(node)) return;
      const len = node.length;
      const norm = (x: number) => (x < 0 ? Math.max(len + x, 0) : Math.min(x, len));
      if (seg.step > 0) {
        for (let k = norm(seg.start ?? 0), end = norm(seg.end ?? len); k < end; k += seg.step) out.push(node[k]);
      } else {
        const start = seg.start === null ? len - 1 : Math.min(seg.start < 0 ? len + seg.start : seg.start, len - 1);
        const end = seg.end === null ? -1 : seg.end < 0 ? Math.max(len + seg.end, -1) : seg.end;
        for (let k = start; k > end; k += seg.step) out.push(node[k]);
      }
      return;
    }
  }
}

function evaluate(segments: JsonPathSegment[], doc: unknown): unknown[] {
  let nodes: unknown[] = [doc];
  for (const seg of segments) {
    const next: unknown[] = [];
    const from = seg.recursive
      ? nodes.flatMap((n) => {
          const all: unknown[] = [];
          descendants(n, all);
          return all;
        })
      : nodes;
    for (const n of from) step(seg, n, next);
    nodes = next;
    if (!nodes.length) break;
  }
  return nodes;
}

/** How a found value compares with `=value`: text as it is, anything else as its JSON. */
export const jsonPathText = (x: unknown): string => (typeof x === 'string' ? x : JSON.stringify(x));
