import Ajv, { type AnySchemaObject, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import addFormats from 'ajv-formats';
import { RE2JS } from 're2js';
import { childPath, indexPath, isPlainObject, shownPath, todayDays, formatDate } from './jsonReady';
import { SchemaDecodeError, SchemaEncodeError, SchemaParseError, type Codec, type SchemaSource } from './types';

/**
 * JSON Schema through ajv. A schema comes from a registry anyone with write access fills, and ajv
 * compiles `pattern`s with `new RegExp` — a backtracking engine a pattern like `^(a+)+$` stalls for
 * minutes on a short string, on the main thread. Patterns run on RE2 instead (linear time); one RE2
 * cannot run (look-around, back-references) makes the schema refused with a sentence. `$ref`s resolve
 * only to the schema's references: nothing is fetched from the network.
 */

/** ajv's RegExp engine hook: RE2 semantics, same `test` surface. */
function re2Engine(pattern: string): { test: (s: string) => boolean } {
  const re = RE2JS.compile(pattern);
  return { test: (s: string) => re.test(s) };
}
re2Engine.code = 're2';

const MAX_SCHEMA_CHARS = 5_000_000;
const MAX_SCHEMA_DEPTH = 200;
const SAMPLE_DEPTH = 8;

type Draft = '07' | '2019' | '2020';

function draftOf(schema: unknown): { draft: Draft; strip: boolean } {
  const s = isPlainObject(schema) && typeof schema.$schema === 'string' ? schema.$schema : '';
  if (s.includes('2020-12')) return { draft: '2020', strip: false };
  if (s.includes('2019-09')) return { draft: '2019', strip: false };
  // draft-04 has no meta schema in ajv 8: its schemas are read with draft-07's rules (nearly the same)
  return { draft: '07', strip: s.includes('draft-04') };
}

function parseSchemaText(text: string, what: string): unknown {
  if (text.length > MAX_SCHEMA_CHARS)
    throw new SchemaParseError(`${what} is larger than ${MAX_SCHEMA_CHARS} characters.`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new SchemaParseError(`${what} is not JSON: ${(e as Error).message}`);
  }
  // measured without recursion, so a hostile nesting is refused before ajv recurses into it
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > MAX_SCHEMA_DEPTH) throw new SchemaParseError(`${what} is nested deeper than ${MAX_SCHEMA_DEPTH} levels.`);
    if (x && typeof x === 'object')
      for (const c of Object.values(x)) if (c && typeof c === 'object') stack.push([c, d + 1]);
  }
  if (typeof v !== 'boolean' && !isPlainObject(v))
    throw new SchemaParseError(`${what} is not a JSON Schema (an object).`);
  return v;
}

/** "/lines/2/qty" → "lines[2].qty", the path form the other codecs use. */
function pathOf(instancePath: string): string {
  let p = '';
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    p = /^\d+$/.test(seg) ? indexPath(p, Number(seg)) : childPath(p, seg);
  }
  return p;
}

function problemOf(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  let msg = e.message ?? 'is not valid';
  if (typeof params.additionalProperty === 'string') msg += ` (${JSON.stringify(params.additionalProperty)})`;
  if (Array.isArray(params.allowedValues)) msg += `: ${params.allowedValues.map((x) => JSON.stringify(x)).join(', ')}`;
  return msg;
}

function firstError(errors: ErrorObject[] | null | undefined): { path: string; problem: string } {
  const e = errors?.[0];
  if (!e) return { path: 'value', problem: 'is not valid' };
  return { path: shownPath(pathOf(e.instancePath)), problem: problemOf(e) };
}

type Json = unknown;
/** A string whose `pattern` the placeholder does not match: left out when optional. */
const UNSATISFIED = Symbol('unsatisfied');

export class JsonSchemaCodec implements Codec {
  readonly schemaType = 'JSON' as const;

  constructor(
    private readonly schema: AnySchemaObject | boolean,
    private readonly validate: ValidateFunction,
    private readonly refs: Map<string, unknown>,
  ) {}

  decode(payload: Buffer): { value: unknown; invalid?: string } {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
    } catch {
      throw new SchemaDecodeError('The value is not UTF-8 text, so it is not JSON.');
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new SchemaDecodeError(`The value is not JSON: ${(e as Error).message}.`);
    }
    if (this.validate(value)) return { value };
    const { path, problem } = firstError(this.validate.errors);
    return { value, invalid: `${path}: ${problem}` };
  }

  encode(value: unknown): { bytes: Buffer } {
    if (!this.validate(value)) {
      const { path, problem } = firstError(this.validate.errors);
      throw new SchemaEncodeError(path, problem);
    }
    return { bytes: Buffer.from(JSON.stringify(value), 'utf8') };
  }

  jsonSchema(): object {
    return typeof this.schema === 'boolean' ? {} : this.schema;
  }

  /** Every declared property when that validates (more to edit), else only the required ones. */
  sample(): unknown {
    const full = this.sampleOf(this.schema, this.schema, 0, true);
    if (full !== UNSATISFIED && this.validate(full)) return full;
    const some = this.sampleOf(this.schema, this.schema, 0, false);
    return some === UNSATISFIED ? '' : some;
  }

  /** A `$ref` → the schema it points to and the document it lives in. */
  private resolve(ref: string, doc: unknown): { s: unknown; doc: unknown } | null {
    const hash = ref.indexOf('#');
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    let target = base ? (this.refs.get(base) ?? this.refs.get(base.slice(base.lastIndexOf('/') + 1))) : doc;
    if (target === undefined) return null;
    const inDoc = target;
    for (const raw of pointer.split('/').slice(1)) {
      const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (!target || typeof target !== 'object') return null;
      target = (target as Record<string, unknown>)[seg];
    }
    return { s: target, doc: inDoc };
  }

  private sampleOf(s: unknown, doc: unknown, depth: number, all: boolean): Json {
    if (!isPlainObject(s) || depth > SAMPLE_DEPTH) return null;
    if ('default' in s) return s.default;
    if ('const' in s) return s.const;
    if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
    if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
    if (typeof s.$ref === 'string') {
      const r = this.resolve(s.$ref, doc);
      return r ? this.sampleOf(r.s, r.doc, depth + 1, all) : null;
    }
    if (Array.isArray(s.allOf) && s.allOf.length) {
      const parts = s.allOf.map((x) => this.sampleOf(x, doc, depth + 1, all));
      const rest = this.sampleOf({ ...s, allOf: undefined }, doc, depth + 1, all);
      if ([...parts, rest].every((x) => isPlainObject(x) || x === null))
        return Object.assign({}, ...parts.filter(isPlainObject), isPlainObject(rest) ? rest : {});
      return parts[0] ?? null;
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = s[key];
      if (Array.isArray(branches) && branches.length) {
        const b = branches.find((x) => !(isPlainObject(x) && x.type === 'null')) ?? branches[0];
        return this.sampleOf(b, doc, depth + 1, all);
      }
    }
    let type = s.type;
    if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0];
    if (type === undefined)
      type = s.properties || s.required ? 'object' : s.items || s.prefixItems ? 'array' : undefined;
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        const props = isPlainObject(s.properties) ? s.properties : {};
        const required = Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === 'string') : [];
        const names = all && depth < 3 ? [...new Set([...Object.keys(props), ...required])] : required;
        for (const n of names) {
          const v = this.sampleOf(props[n] ?? {}, doc, depth + 1, all);
          if (v !== UNSATISFIED) out[n] = v;
          else if (required.includes(n)) out[n] = '';
        }
        return out;
      }
      case 'array': {
        const min = typeof s.minItems === 'number' ? Math.min(s.minItems, 10) : 0;
        const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : null;
        if (tuple)
          return tuple.map((x) => this.sampleOf(x, doc, depth + 1, all)).map((x) => (x === UNSATISFIED ? '' : x));
        const n = Math.max(min, depth < 3 && isPlainObject(s.items) && s.maxItems !== 0 && !s.uniqueItems ? 1 : 0);
        return Array.from({ length: n }, () => this.sampleOf(s.items, doc, depth + 1, all)).map((x) =>
          x === UNSATISFIED ? '' : x,
        );
      }
      case 'string': {
        const v = stringSample(s);
        if (typeof s.pattern !== 'string') return v;
        try {
          return RE2JS.compile(s.pattern).test(v) ? v : UNSATISFIED;
        } catch {
          return UNSATISFIED;
        }
      }
      case 'integer':
      case 'number':
        return numberSample(s, type === 'integer');
      case 'boolean':
        return false;
      case 'null':
        return null;
      default:
        return null;
    }
  }
}

function stringSample(s: Record<string, unknown>): string {
  const formats: Record<string, string> = {
    'date-time': new Date().toISOString(),
    date: formatDate(todayDays()),
    time: '12:00:00Z',
    email: 'user@example.com',
    'idn-email': 'user@example.com',
    hostname: 'example.com',
    'idn-hostname': 'example.com',
    ipv4: '192.0.2.1',
    ipv6: '2001:db8::1',
    uri: 'https://example.com/',
    'uri-reference': 'https://example.com/',
    iri: 'https://example.com/',
    url: 'https://example.com/',
    uuid: '00000000-0000-4000-8000-000000000000',
    duration: 'P1D',
    regex: '.*',
    'json-pointer': '/',
  };
  const f = typeof s.format === 'string' ? formats[s.format] : undefined;
  if (f !== undefined) return f;
  const min = typeof s.minLength === 'number' ? Math.min(s.minLength, 1000) : 0;
  return 'x'.repeat(min);
}

function numberSample(s: Record<string, unknown>, integer: boolean): number {
  const num = (k: string): number | undefined => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  let n = num('minimum') ?? (num('exclusiveMinimum') !== undefined ? num('exclusiveMinimum')! + 1 : 0);
  const max = num('maximum') ?? (num('exclusiveMaximum') !== undefined ? num('exclusiveMaximum')! - 1 : undefined);
  if (max !== undefined && n > max) n = max;
  if (integer) n = Math.ceil(n);
  const m = num('multipleOf');
  if (m && m > 0) n = Math.ceil(n / m) * m;
  return n;
}

function withoutMeta(s: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _, ...rest } = s;
  return rest;
}

function newAjv(draft: Draft): Ajv {
  // allErrors: ajv nests one block per property otherwise, and a schema of a few thousand properties then
  // overflows the parser's stack when the generated function is compiled
  const opts: Options = { strict: false, allErrors: true, logger: false, code: { regExp: re2Engine } };
  const ajv = draft === '2020' ? new Ajv2020(opts) : draft === '2019' ? new Ajv2019(opts) : new Ajv(opts);
  if (draft === '07') ajv.addMetaSchema(draft06);
  addFormats(ajv);
  return ajv;
}

/** Compiles a JSON Schema; `references` are other schemas by the name its `$ref`s use. */
export function compileJsonSchema(src: SchemaSource): JsonSchemaCodec {
  const main = parseSchemaText(src.schema, 'The JSON schema');
  const { draft, strip } = draftOf(main);
  const ajv = newAjv(draft);
  const refs = new Map<string, unknown>();
  const mainId = isPlainObject(main) && typeof main.$id === 'string' ? main.$id : undefined;
  const clean = (s: unknown): unknown => {
    if (!isPlainObject(s)) return s;
    const d = draftOf(s);
    return d.strip || (d.draft !== draft && typeof s.$schema === 'string') ? withoutMeta(s) : s;
  };
  try {
    for (const [name, text] of Object.entries(src.references)) {
      const schema = clean(parseSchemaText(text, `The referenced schema ${name}`)) as AnySchemaObject;
      refs.set(name, schema);
      const keys = new Set([name]);
      // a relative `$ref` resolves against the main schema's $id: register the reference there too
      if (mainId && /^[a-z][a-z0-9+.-]*:/i.test(mainId) && !/^[a-z][a-z0-9+.-]*:/i.test(name)) {
        try {
          keys.add(new URL(name, mainId).href);
        } catch {
          /* not a URL base: the name alone */
        }
      }
      for (const k of keys) {
        refs.set(k, schema);
        if (!ajv.getSchema(k)) ajv.addSchema(schema, k);
      }
    }
    const schema = (strip && isPlainObject(main) ? withoutMeta(main) : main) as AnySchemaObject | boolean;
    const validate = ajv.compile(schema);
    return new JsonSchemaCodec(schema, validate, refs);
  } catch (e) {
    if (e instanceof SchemaParseError) throw e;
    const err = e as Error & { missingRef?: string; missingSchema?: string };
    if (err.missingRef !== undefined || /can't resolve reference/.test(err.message))
      throw new SchemaParseError(
        `The JSON schema refers to ${err.missingRef ?? 'a schema'}, which is not among its references (schemas are never fetched from the network).`,
      );
    if (e instanceof RangeError)
      throw new SchemaParseError(`The JSON schema is too large or too deeply nested: ${e.message}.`);
    if (/error parsing regexp|invalid or unsupported Perl syntax|invalid escape|missing argument/i.test(err.message))
      throw new SchemaParseError(
        `The JSON schema has a pattern Kafka Desk cannot run: ${err.message}. Patterns run in linear time (RE2 syntax): look-ahead, look-behind and back-references are not supported.`,
      );
    throw new SchemaParseError(`The JSON schema is not valid: ${err.message}`);
  }
}
