import protobuf from 'protobufjs';
import descriptorJson from 'protobufjs/google/protobuf/descriptor.json' with { type: 'json' };
import {
  base64ToBytes,
  childPath,
  describeValue,
  floatFromJson,
  floatToJson,
  formatTimestamp,
  indexPath,
  isPlainObject,
  parseTimestamp,
  shownPath,
} from './jsonReady';
import { SchemaDecodeError, SchemaEncodeError, SchemaParseError, type Codec, type SchemaSource } from './types';

/**
 * Protobuf through protobufjs's parser and wire reader/writer, with our own mapping to the JSON-ready
 * form (proto field names, 64-bit integers as strings, enums by name, bytes as base64, well-known
 * types in their JSON forms, fields at their defaults shown) and our own checking of user input, so an
 * error names the field instead of protobufjs converting "x" to 0 in silence.
 */

type PType = protobuf.Type;
type PField = protobuf.Field;

/** Files every schema may import without listing them as references (protoc ships them too). */
const CONFLUENT_FILES: Record<string, string> = {
  'confluent/meta.proto': `syntax = "proto3";
package confluent;
import "google/protobuf/descriptor.proto";
message Meta { string doc = 1; map<string, string> params = 2; repeated string tags = 3; }
extend google.protobuf.FileOptions { Meta file_meta = 1088; }
extend google.protobuf.MessageOptions { Meta message_meta = 1088; }
extend google.protobuf.FieldOptions { Meta field_meta = 1088; }
extend google.protobuf.EnumOptions { Meta enum_meta = 1088; }
extend google.protobuf.EnumValueOptions { Meta enum_value_meta = 1088; }
`,
  'confluent/type/decimal.proto': `syntax = "proto3";
package confluent.type;
message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }
`,
};

function builtinJson(file: string): protobuf.INamespace | undefined {
  if (file === 'google/protobuf/descriptor.proto') return descriptorJson as protobuf.INamespace;
  const common = protobuf.common as unknown as Record<string, protobuf.INamespace | undefined>;
  return Object.prototype.hasOwnProperty.call(common, file) && file.endsWith('.proto') ? common[file] : undefined;
}

/** One message type declared in the main file, with its Confluent index path. */
interface IndexedMessage {
  name: string;
  indexes: number[];
}

/**
 * Confluent numbers a message by its path in the file's descriptor: its index among the top-level
 * messages, then among each parent's nested types. Nested types include the entry types protoc
 * generates for map fields and the types of proto2 groups, in declaration order — which protobufjs
 * does not keep, so the main file's structure is read here from its tokens.
 */
export function scanMessageIndexes(text: string): IndexedMessage[] {
  const cleaned = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, ' "" ');
  const t = cleaned.match(/[A-Za-z_][\w.]*|[{}<=;]|""/g) ?? [];
  type Frame = { kind: 'message'; rel: string; path: number[]; nested: number } | { kind: 'oneof' | 'other' };
  const stack: Frame[] = [];
  const found: { rel: string; indexes: number[]; synthetic: boolean }[] = [];
  let topLevel = 0;
  let pkg = '';
  let pendingGroup: string | null = null;
  const isIdent = (s: string | undefined): boolean => s !== undefined && /^[A-Za-z_]/.test(s);
  /** The message that gets the next nested type: the innermost one, through oneofs. */
  const owner = (): { kind: 'message'; rel: string; path: number[]; nested: number } | null | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const f = stack[i]!;
      if (f.kind === 'message') return f;
      if (f.kind === 'other') return undefined; // inside an enum, service, extend or option value
    }
    return null; // top level
  };
  const open = (name: string): Frame | null => {
    const o = owner();
    if (o === undefined) return null;
    const indexes = o ? [...o.path, o.nested++] : [topLevel++];
    const rel = o ? `${o.rel}.${name}` : name;
    found.push({ rel, indexes, synthetic: false });
    return { kind: 'message', rel, path: indexes, nested: 0 };
  };
  for (let i = 0; i < t.length; i++) {
    const tok = t[i]!;
    if (tok === 'package' && stack.length === 0 && isIdent(t[i + 1])) pkg = t[++i]!;
    else if (tok === 'message' && isIdent(t[i + 1]) && t[i + 2] === '{') {
      const f = open(t[i + 1]!);
      stack.push(f ?? { kind: 'other' });
      i += 2;
    } else if (tok === 'oneof' && isIdent(t[i + 1]) && t[i + 2] === '{') {
      stack.push({ kind: owner() ? 'oneof' : 'other' });
      i += 2;
    } else if (tok === 'group' && isIdent(t[i + 1]) && t[i + 2] === '=') pendingGroup = t[i + 1]!;
    else if (tok === 'map' && t[i + 1] === '<') {
      const o = owner();
      if (o) found.push({ rel: '', indexes: [...o.path, o.nested++], synthetic: true });
    } else if (tok === '{') {
      const f = pendingGroup !== null ? open(pendingGroup) : null;
      pendingGroup = null;
      stack.push(f ?? { kind: 'other' });
    } else if (tok === '}') stack.pop();
    else if (tok === ';') pendingGroup = null;
  }
  return found.filter((f) => !f.synthetic).map((f) => ({ name: pkg ? `${pkg}.${f.rel}` : f.rel, indexes: f.indexes }));
}

const WKT = '.google.protobuf.';
const WRAPPERS: Record<string, string> = {
  DoubleValue: 'double',
  FloatValue: 'float',
  Int64Value: 'int64',
  UInt64Value: 'uint64',
  Int32Value: 'int32',
  UInt32Value: 'uint32',
  BoolValue: 'bool',
  StringValue: 'string',
  BytesValue: 'bytes',
};
const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const UNSIGNED = new Set(['uint64', 'fixed64', 'uint32', 'fixed32']);
const INT32_RANGE: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  sint32: [-2147483648, 2147483647],
  sfixed32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  fixed32: [0, 4294967295],
};
const MAX_DEPTH = 100;
const SAMPLE_DEPTH = 3;

interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

function longText(v: unknown, unsigned: boolean): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  const l = v as LongLike;
  const n = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
  return (unsigned ? n : BigInt.asIntN(64, n)).toString();
}

const keyTypeOf = (f: PField): string => (f as unknown as protobuf.MapField).keyType;
/**
 * proto3's JSON mapping writes the fraction of a Timestamp or Duration in 0, 3, 6 or 9 digits ("1.500s",
 * "…:15.123Z"), as Google's printers and Confluent's deserializer do: the same text for the same value.
 */
const stripFraction = (s: string): string =>
  s.replace(/\.(\d+)(?=Z$|s$)/, (_m, d: string) => {
    const nine = d.padEnd(9, '0').slice(0, 9);
    if (/^0{9}$/.test(nine)) return '';
    if (nine.endsWith('000000')) return `.${nine.slice(0, 3)}`;
    if (nine.endsWith('000')) return `.${nine.slice(0, 6)}`;
    return `.${nine}`;
  });
const isOptional = (f: PField): boolean =>
  f.partOf !== null && f.partOf.oneof.length === 1 && f.options?.proto3_optional === true;
const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
/** A well-known type's fields are camelCase in protobufjs's bundled definitions, snake_case when parsed. */
const fieldOf = (type: PType, snake: string): string => (type.fields[snake] ? snake : protobuf.util.camelCase(snake));

export class ProtobufCodec implements Codec {
  readonly schemaType = 'PROTOBUF' as const;
  private readonly byName = new Map<string, IndexedMessage>();

  constructor(
    private readonly root: protobuf.Root,
    private readonly messages: IndexedMessage[],
  ) {
    for (const m of messages) this.byName.set(m.name, m);
  }

  messageNames(): string[] {
    return this.messages.map((m) => m.name);
  }

  indexesOf(messageName: string): number[] {
    return this.typeNamed(messageName).indexes;
  }

  /** The message type at a Confluent index path (a missing path is [0], the file's first message). */
  typeAt(indexes: number[] | undefined): PType {
    const path = indexes && indexes.length ? indexes : [0];
    const m = this.messages.find((x) => x.indexes.length === path.length && x.indexes.every((v, i) => v === path[i]));
    if (!m)
      throw new SchemaDecodeError(
        `Message index [${path.join(', ')}] is not a message of the schema (its messages: ${this.messages.map((x) => `${x.name} [${x.indexes.join(', ')}]`).join(', ') || 'none'}).`,
      );
    return this.root.lookupType(m.name);
  }

  private typeNamed(name: string | undefined): { type: PType; indexes: number[] } {
    const m =
      name === undefined
        ? this.messages[0]
        : (this.byName.get(name.replace(/^\./, '')) ?? this.messages.find((x) => x.name.endsWith(`.${name}`)));
    if (!m)
      throw new SchemaEncodeError(
        'value',
        `the schema has no message ${name ?? ''} (its messages: ${this.messageNames().join(', ') || 'none'})`,
      );
    return { type: this.root.lookupType(m.name), indexes: m.indexes };
  }

  // --- decode

  decode(payload: Buffer, messageIndexes?: number[]): { value: unknown; messageName: string } {
    const type = this.typeAt(messageIndexes);
    let msg: protobuf.Message;
    try {
      // the plain Reader, not the Buffer one: that one clamps a string's length to the bytes left, so a
      // truncated message would decode as a shorter string instead of failing
      msg = type.decode(new protobuf.Reader(new Uint8Array(payload.buffer, payload.byteOffset, payload.length)));
    } catch (e) {
      throw new SchemaDecodeError(`The bytes are not a ${type.fullName.slice(1)}: ${(e as Error).message}.`);
    }
    return {
      value: this.toJson(type, msg as unknown as Record<string, unknown>, 0),
      messageName: type.fullName.slice(1),
    };
  }

  private toJson(type: PType, msg: Record<string, unknown>, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new SchemaDecodeError(`The message is nested deeper than ${MAX_DEPTH} levels.`);
    const wkt = type.fullName.startsWith(WKT) ? type.fullName.slice(WKT.length) : null;
    const get = (snake: string): unknown => msg[fieldOf(type, snake)];
    switch (wkt) {
      case 'Timestamp': {
        const ns = BigInt(longText(get('seconds') ?? 0, false)) * 1000000000n + BigInt(Number(get('nanos') ?? 0));
        return stripFraction(formatTimestamp(ns, 1000000000n, true));
      }
      case 'Duration': {
        const secs = BigInt(longText(get('seconds') ?? 0, false));
        const nanos = BigInt(Number(get('nanos') ?? 0));
        const neg = secs < 0n || nanos < 0n;
        const abs = (n: bigint): bigint => (n < 0n ? -n : n);
        return stripFraction(`${neg ? '-' : ''}${abs(secs)}.${abs(nanos).toString().padStart(9, '0')}s`);
      }
      case 'Struct': {
        const fields = (get('fields') ?? {}) as Record<string, Record<string, unknown>>;
        const valueType = type.lookupType('Value');
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(fields))
          Object.defineProperty(out, k, {
            value: this.toJson(valueType, v, depth + 1),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        return out;
      }
      case 'ListValue': {
        const valueType = type.lookupType('Value');
        return ((get('values') ?? []) as Record<string, unknown>[]).map((v) => this.toJson(valueType, v, depth + 1));
      }
      case 'Value': {
        const kind = type.oneofs.kind?.oneof.find((n) => own(msg, n) && msg[n] != null);
        if (!kind) return null;
        const f = type.fields[kind]!;
        if (f.resolvedType instanceof protobuf.Type)
          return this.toJson(f.resolvedType, msg[kind] as Record<string, unknown>, depth + 1);
        if (f.resolvedType instanceof protobuf.Enum) return null;
        return this.scalarToJson(f, msg[kind]);
      }
      case 'FieldMask':
        return ((get('paths') ?? []) as string[]).join(',');
      case 'Any': {
        const url = String(get('type_url') ?? '');
        const bytes = (get('value') ?? Buffer.alloc(0)) as Uint8Array;
        const inner = this.anyType(url);
        if (!inner) return { '@type': url, value: Buffer.from(bytes).toString('base64') };
        let decoded: Record<string, unknown>;
        try {
          decoded = inner.decode(new protobuf.Reader(Uint8Array.from(bytes))) as unknown as Record<string, unknown>;
        } catch (e) {
          throw new SchemaDecodeError(`The Any value of type ${url} could not be read: ${(e as Error).message}.`);
        }
        const v = this.toJson(inner, decoded, depth + 1);
        return isPlainObject(v) && !inner.fullName.startsWith(WKT)
          ? { '@type': url, ...v }
          : { '@type': url, value: v };
      }
    }
    if (wkt && WRAPPERS[wkt]) {
      const f = type.fields.value!;
      return this.scalarToJson(f, own(msg, 'value') ? msg.value : f.typeDefault);
    }
    const out: Record<string, unknown> = {};
    for (const f of type.fieldsArray) {
      const has = own(msg, f.name) && msg[f.name] != null;
      const v = msg[f.name];
      if (f.map) {
        const entries: Record<string, unknown> = {};
        for (const [k, x] of Object.entries((has ? v : {}) as Record<string, unknown>)) {
          // protobufjs keys a 64-bit map key by an 8-character hash of its bits
          const key =
            LONG_TYPES.has(keyTypeOf(f)) && protobuf.util.Long && k.length === 8
              ? protobuf.util.longFromHash(k, UNSIGNED.has(keyTypeOf(f))).toString()
              : k;
          Object.defineProperty(entries, key, {
            value: this.fieldValueToJson(f, x, depth),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        out[f.name] = entries;
      } else if (f.repeated) out[f.name] = ((has ? v : []) as unknown[]).map((x) => this.fieldValueToJson(f, x, depth));
      else if (has) out[f.name] = this.fieldValueToJson(f, v, depth);
      else if (f.partOf && !isOptional(f))
        continue; // an unset member of a oneof
      // a message field or a proto3 `optional` that is not set is left out, as proto3's JSON mapping (and
      // Confluent's deserializer through MessageToDict) shows it: only fields without presence show their default
      else if (f.resolvedType instanceof protobuf.Type || isOptional(f)) continue;
      else out[f.name] = this.fieldValueToJson(f, f.typeDefault, depth);
    }
    return out;
  }

  private anyType(url: string): PType | null {
    const name = url.slice(url.lastIndexOf('/') + 1);
    try {
      return name ? this.root.lookupType(name) : null;
    } catch {
      return null;
    }
  }

  private fieldValueToJson(f: PField, v: unknown, depth: number): unknown {
    const rt = f.resolvedType;
    if (rt instanceof protobuf.Type) return this.toJson(rt, v as Record<string, unknown>, depth + 1);
    if (rt instanceof protobuf.Enum) {
      if (rt.fullName === '.google.protobuf.NullValue') return null;
      return rt.valuesById[v as number] ?? v;
    }
    return this.scalarToJson(f, v);
  }

  private scalarToJson(f: PField, v: unknown): unknown {
    if (f.type === 'double' || f.type === 'float') return floatToJson(Number(v), f.type === 'float');
    if (LONG_TYPES.has(f.type)) return longText(v ?? 0, UNSIGNED.has(f.type));
    if (f.type === 'bytes') return Buffer.from((v ?? []) as Uint8Array).toString('base64');
    return v;
  }

  // --- encode

  encode(value: unknown, messageName?: string): { bytes: Buffer; messageIndexes: number[] } {
    const { type, indexes } = this.typeNamed(messageName);
    const obj = this.fromJson(type, value, '', 0);
    let bytes: Uint8Array;
    try {
      bytes = type.encode(obj as protobuf.Message).finish();
    } catch (e) {
      throw new SchemaEncodeError('value', `could not be written: ${(e as Error).message}`);
    }
    return { bytes: Buffer.from(bytes), messageIndexes: indexes };
  }

  /** The JSON-ready form → the plain object protobufjs's encoder takes (every value checked). */
  private fromJson(type: PType, v: unknown, path: string, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new SchemaEncodeError(shownPath(path), `nested deeper than ${MAX_DEPTH} levels`);
    const p = shownPath(path);
    const wkt = type.fullName.startsWith(WKT) ? type.fullName.slice(WKT.length) : null;
    const f = (snake: string): string => fieldOf(type, snake);
    switch (wkt) {
      case 'Timestamp': {
        if (typeof v !== 'string' || parseTimestamp(v, 'required') === null)
          throw new SchemaEncodeError(
            p,
            `expected an RFC 3339 timestamp like "2024-05-01T12:00:00.123Z", got ${describeValue(v)}`,
          );
        const ns = parseTimestamp(v, 'required')!;
        const secs = ns >= 0n ? ns / 1000000000n : -((-ns + 999999999n) / 1000000000n);
        return { [f('seconds')]: secs.toString(), [f('nanos')]: Number(ns - secs * 1000000000n) };
      }
      case 'Duration': {
        const m = typeof v === 'string' ? /^(-)?(\d{1,12})(?:\.(\d{1,9}))?s$/.exec(v) : null;
        if (!m) throw new SchemaEncodeError(p, `expected a duration like "1.5s", got ${describeValue(v)}`);
        const sign = m[1] ? -1 : 1;
        return {
          [f('seconds')]: String(sign * Number(m[2])),
          [f('nanos')]: sign * Number((m[3] ?? '').padEnd(9, '0')),
        };
      }
      case 'Struct': {
        if (!isPlainObject(v)) throw new SchemaEncodeError(p, `expected an object, got ${describeValue(v)}`);
        const valueType = type.lookupType('Value');
        const fields: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) fields[k] = this.fromJson(valueType, x, childPath(path, k), depth + 1);
        return { [f('fields')]: fields };
      }
      case 'ListValue': {
        if (!Array.isArray(v)) throw new SchemaEncodeError(p, `expected an array, got ${describeValue(v)}`);
        const valueType = type.lookupType('Value');
        return { [f('values')]: v.map((x, i) => this.fromJson(valueType, x, indexPath(path, i), depth + 1)) };
      }
      case 'Value': {
        if (v === null) return { [f('null_value')]: 0 };
        if (typeof v === 'number') return { [f('number_value')]: v };
        if (typeof v === 'string') return { [f('string_value')]: v };
        if (typeof v === 'boolean') return { [f('bool_value')]: v };
        if (Array.isArray(v))
          return { [f('list_value')]: this.fromJson(type.lookupType('ListValue'), v, path, depth + 1) };
        if (isPlainObject(v))
          return { [f('struct_value')]: this.fromJson(type.lookupType('Struct'), v, path, depth + 1) };
        throw new SchemaEncodeError(p, `expected a JSON value, got ${describeValue(v)}`);
      }
      case 'FieldMask':
        if (typeof v !== 'string')
          throw new SchemaEncodeError(p, `expected paths like "a.b,c", got ${describeValue(v)}`);
        return { [f('paths')]: v === '' ? [] : v.split(',') };
      case 'Any': {
        if (!isPlainObject(v) || typeof v['@type'] !== 'string')
          throw new SchemaEncodeError(p, `expected an object with "@type", got ${describeValue(v)}`);
        const url = v['@type'];
        const inner = this.anyType(url);
        let bytes: Uint8Array;
        if (!inner) {
          const raw = typeof v.value === 'string' ? base64ToBytes(v.value) : null;
          if (!raw)
            throw new SchemaEncodeError(
              childPath(path, '@type'),
              `the type ${url} is not in the schema (give its bytes as base64 in "value")`,
            );
          bytes = raw;
        } else {
          const rest = inner.fullName.startsWith(WKT)
            ? v.value
            : Object.fromEntries(Object.entries(v).filter(([k]) => k !== '@type'));
          bytes = inner.encode(this.fromJson(inner, rest, path, depth + 1) as protobuf.Message).finish();
        }
        return { [f('type_url')]: url, [f('value')]: bytes };
      }
    }
    if (wkt && WRAPPERS[wkt]) return { value: this.scalarFromJson(type.fields.value!, v, p) };
    if (!isPlainObject(v))
      throw new SchemaEncodeError(p, `expected an object (message ${type.fullName.slice(1)}), got ${describeValue(v)}`);
    const out: Record<string, unknown> = {};
    const setOneofs = new Map<string, string>();
    for (const [k, x] of Object.entries(v)) {
      const field = type.fields[k] ?? type.fieldsArray.find((fl) => protobuf.util.camelCase(fl.name) === k);
      const fp = childPath(path, k);
      if (!field)
        throw new SchemaEncodeError(
          fp,
          `not a field of ${type.fullName.slice(1)} (its fields: ${type.fieldsArray.map((fl) => fl.name).join(', ') || 'none'})`,
        );
      // null leaves a field unset, except where proto3's JSON mapping gives null a value of its own
      if (x === null && !nullIsAValue(field)) continue;
      if (field.partOf && !isOptional(field)) {
        const other = setOneofs.get(field.partOf.name);
        if (other)
          throw new SchemaEncodeError(
            fp,
            `only one field of the oneof ${field.partOf.name} can be set (${other} is too)`,
          );
        setOneofs.set(field.partOf.name, field.name);
      }
      const converted = this.fieldFromJson(field, x, fp, depth);
      if (converted !== undefined) out[field.name] = converted;
    }
    for (const field of type.fieldsArray)
      if (field.required && !own(out, field.name))
        throw new SchemaEncodeError(childPath(path, field.name), 'missing (a required field)');
    return out;
  }

  /** undefined: leave unset (a proto3 field at its default is not written, as protoc does). */
  private fieldFromJson(field: PField, x: unknown, fp: string, depth: number): unknown {
    if (field.map) {
      if (!isPlainObject(x)) throw new SchemaEncodeError(fp, `expected an object (a map), got ${describeValue(x)}`);
      const out: Record<string, unknown> = {};
      for (const [k, mv] of Object.entries(x)) {
        const kp = childPath(fp, k);
        let key = k;
        if (keyTypeOf(field) === 'bool') {
          if (k !== 'true' && k !== 'false') throw new SchemaEncodeError(kp, `a map key here is "true" or "false"`);
          key = k === 'true' ? 'true' : ''; // the encoder writes the key's truthiness
        } else if (keyTypeOf(field) !== 'string')
          this.scalarFromJson({ type: keyTypeOf(field) } as PField, k, `${kp} (key)`, true);
        out[key] = this.valueFromJson(field, mv, kp, depth);
      }
      return out;
    }
    if (field.repeated) {
      if (!Array.isArray(x)) throw new SchemaEncodeError(fp, `expected an array, got ${describeValue(x)}`);
      return x.map((item, i) => this.valueFromJson(field, item, indexPath(fp, i), depth));
    }
    const value = this.valueFromJson(field, x, fp, depth);
    if (!field.hasPresence && !(field.resolvedType instanceof protobuf.Type) && isDefault(value)) return undefined;
    return value;
  }

  private valueFromJson(field: PField, x: unknown, fp: string, depth: number): unknown {
    const rt = field.resolvedType;
    if (rt instanceof protobuf.Type) return this.fromJson(rt, x, fp, depth + 1);
    if (rt instanceof protobuf.Enum) {
      if (rt.fullName === '.google.protobuf.NullValue') return 0;
      if (typeof x === 'string' && own(rt.values, x)) return rt.values[x];
      if (typeof x === 'number' && Number.isInteger(x) && (own(rt.valuesById, String(x)) || isOpenEnum(field)))
        return x;
      const names = Object.keys(rt.values);
      throw new SchemaEncodeError(
        fp,
        `expected one of ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}, got ${describeValue(x)}`,
      );
    }
    return this.scalarFromJson(field, x, fp);
  }

  private scalarFromJson(field: PField, x: unknown, fp: string, keyText = false): unknown {
    const t = field.type;
    const fail = (what: string): never => {
      throw new SchemaEncodeError(fp, `expected ${what}, got ${describeValue(x)}`);
    };
    if (t === 'double' || t === 'float') {
      const n = floatFromJson(x);
      return n === null ? fail('a number') : n;
    }
    const range = INT32_RANGE[t];
    if (range || LONG_TYPES.has(t)) {
      const unsigned = UNSIGNED.has(t);
      const what = unsigned ? 'a non-negative integer' : 'an integer';
      let n: bigint | null = null;
      if (typeof x === 'number' && Number.isSafeInteger(x)) n = BigInt(x);
      else if (typeof x === 'string' && /^-?\d{1,20}$/.test(x)) n = BigInt(x);
      if (n === null) return fail(what);
      const [lo, hi] = range
        ? [BigInt(range[0]), BigInt(range[1])]
        : unsigned
          ? [0n, 2n ** 64n - 1n]
          : [-(2n ** 63n), 2n ** 63n - 1n];
      if (n < lo || n > hi) throw new SchemaEncodeError(fp, `${n} is out of range for ${t} (${lo} to ${hi})`);
      if (keyText) return x;
      return range ? Number(n) : n.toString();
    }
    if (t === 'bool') return typeof x === 'boolean' ? x : fail('a boolean');
    if (t === 'string') return typeof x === 'string' ? x : fail('a string');
    if (t === 'bytes') {
      const b = typeof x === 'string' ? base64ToBytes(x) : null;
      return b ?? fail('bytes as a base64 string');
    }
    return fail(t);
  }

  // --- sample and JSON Schema

  sample(messageName?: string): unknown {
    return this.sampleOf(this.typeNamed(messageName).type, 0);
  }

  private sampleOf(type: PType, depth: number): unknown {
    const wkt = type.fullName.startsWith(WKT) ? type.fullName.slice(WKT.length) : null;
    switch (wkt) {
      case 'Timestamp':
        return `${new Date().toISOString().slice(0, 19)}Z`;
      case 'Duration':
        return '0s';
      case 'Struct':
        return {};
      case 'Value':
        return null;
      case 'ListValue':
        return [];
      case 'FieldMask':
        return '';
      case 'Any':
        return { '@type': 'type.googleapis.com/google.protobuf.Empty', value: {} };
    }
    if (wkt && WRAPPERS[wkt]) return this.scalarSample(type.fields.value!);
    const out: Record<string, unknown> = {};
    const oneofsDone = new Set<string>();
    for (const f of type.fieldsArray) {
      if (f.partOf && !isOptional(f)) {
        if (oneofsDone.has(f.partOf.name)) continue;
        oneofsDone.add(f.partOf.name);
      }
      const rt = f.resolvedType;
      // undefined: a message left unset (and so out, as a decoded value shows it) past the sample's depth
      const one = (): unknown =>
        rt instanceof protobuf.Type
          ? depth < SAMPLE_DEPTH || f.required
            ? this.sampleOf(rt, depth + 1)
            : undefined
          : this.scalarSample(f);
      if (f.map) out[f.name] = depth < SAMPLE_DEPTH ? { [mapKeySample(keyTypeOf(f))]: one() } : {};
      else if (f.repeated) out[f.name] = depth < SAMPLE_DEPTH && !(rt instanceof protobuf.Type) ? [one()] : [];
      else {
        const v = one();
        if (v !== undefined) out[f.name] = v;
        else if (f.partOf && !isOptional(f)) oneofsDone.delete(f.partOf.name);
      }
    }
    return out;
  }

  private scalarSample(f: PField): unknown {
    const rt = f.resolvedType;
    if (rt instanceof protobuf.Enum)
      return rt.fullName === '.google.protobuf.NullValue' ? null : (Object.keys(rt.values)[0] ?? 0);
    const d = f.typeDefault;
    return this.scalarToJson(f, d);
  }

  jsonSchema(messageName?: string): object {
    const definitions: Record<string, object> = {};
    const root = this.schemaOfType(this.typeNamed(messageName).type, definitions);
    return { $schema: 'http://json-schema.org/draft-07/schema#', ...root, definitions };
  }

  private schemaOfType(type: PType, defs: Record<string, object>): object {
    const name = type.fullName.slice(1);
    if (!(name in defs)) {
      defs[name] = {};
      defs[name] = this.definition(type, defs);
    }
    return { $ref: `#/definitions/${encodeURIComponent(name)}` };
  }

  private definition(type: PType, defs: Record<string, object>): object {
    const wkt = type.fullName.startsWith(WKT) ? type.fullName.slice(WKT.length) : null;
    switch (wkt) {
      case 'Timestamp':
        return { type: 'string', format: 'date-time', description: 'an RFC 3339 timestamp' };
      case 'Duration':
        return { type: 'string', pattern: '^-?\\d+(\\.\\d{1,9})?s$', description: 'a duration like "1.5s"' };
      case 'Struct':
        return { type: 'object' };
      case 'Value':
        return {};
      case 'ListValue':
        return { type: 'array' };
      case 'FieldMask':
        return { type: 'string' };
      case 'Any':
        return { type: 'object', required: ['@type'], properties: { '@type': { type: 'string' } } };
    }
    // a wrapper is its scalar: null (unset) is allowed by the field that holds one, not in a list or map of them
    if (wkt && WRAPPERS[wkt]) return this.scalarSchema(type.fields.value!, defs);
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const f of type.fieldsArray) {
      const one = this.scalarSchema(f, defs);
      let s: Record<string, unknown>;
      if (f.map) s = { type: 'object', additionalProperties: one };
      else if (f.repeated) s = { type: 'array', items: one };
      // a decoded value leaves an unset message or `optional` field out; null is still taken as "unset"
      else
        s = f.resolvedType instanceof protobuf.Type || f.hasPresence ? { anyOf: [one, { type: 'null' }] } : { ...one };
      if (f.comment) s.description = f.comment;
      properties[f.name] = s;
      if (f.required) required.push(f.name);
    }
    return {
      type: 'object',
      title: type.fullName.slice(1),
      ...(type.comment ? { description: type.comment } : {}),
      properties,
      ...(required.length ? { required } : {}),
    };
  }

  private scalarSchema(f: PField, defs: Record<string, object>): object {
    const rt = f.resolvedType;
    if (rt instanceof protobuf.Type) return this.schemaOfType(rt, defs);
    if (rt instanceof protobuf.Enum)
      return rt.fullName === '.google.protobuf.NullValue' ? { type: 'null' } : { enum: Object.keys(rt.values) };
    const t = f.type;
    if (t === 'double' || t === 'float')
      return { anyOf: [{ type: 'number' }, { enum: ['NaN', 'Infinity', '-Infinity'] }] };
    if (LONG_TYPES.has(t))
      return { anyOf: [{ type: 'string', pattern: UNSIGNED.has(t) ? '^\\d+$' : '^-?\\d+$' }, { type: 'integer' }] };
    const range = INT32_RANGE[t];
    if (range) return { type: 'integer', minimum: range[0], maximum: range[1] };
    if (t === 'bool') return { type: 'boolean' };
    if (t === 'bytes') return { type: 'string', contentEncoding: 'base64' };
    return { type: 'string' };
  }
}

/** A google.protobuf.Value field set to null holds NULL_VALUE, and a NullValue field's only value is null. */
function nullIsAValue(f: PField): boolean {
  const name = f.resolvedType?.fullName;
  return !f.map && !f.repeated && (name === '.google.protobuf.Value' || name === '.google.protobuf.NullValue');
}

function isDefault(v: unknown): boolean {
  return v === 0 || v === '0' || v === '' || v === false || (v instanceof Uint8Array && v.length === 0);
}

/** proto3 enums accept numbers they do not name (they are open); proto2 enums do not. */
function isOpenEnum(f: PField): boolean {
  const e = f.resolvedType as protobuf.Enum & { _features?: { enum_type?: string } };
  return e._features?.enum_type === 'OPEN';
}

function mapKeySample(keyType: string): string {
  if (keyType === 'string') return 'key';
  if (keyType === 'bool') return 'true';
  return '0';
}

/**
 * Compiles a .proto file; its imports come from `references` by import path, or are the well-known
 * files (google/protobuf/*.proto, confluent/meta.proto) every registry knows.
 */
export function compileProtobuf(src: SchemaSource): ProtobufCodec {
  const root = new protobuf.Root();
  const loaded = new Set<string>();
  const addText = (file: string, text: string): void => {
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(text, root, { keepCase: true, alternateCommentMode: true });
    } catch (e) {
      throw new SchemaParseError(
        `${file === '' ? 'The Protobuf schema' : `The imported file ${file}`} is not valid: ${(e as Error).message}`,
      );
    }
    for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) addImport(imp);
  };
  const addImport = (file: string): void => {
    if (loaded.has(file)) return;
    loaded.add(file);
    if (own(src.references, file)) return addText(file, src.references[file]!);
    const json = builtinJson(file);
    if (json) {
      root.addJSON(json.nested ?? {});
      return;
    }
    if (own(CONFLUENT_FILES, file)) return addText(file, CONFLUENT_FILES[file]!);
    throw new SchemaParseError(`The Protobuf schema imports "${file}", which is not among its references.`);
  };
  try {
    addText('', src.schema);
    root.resolveAll();
  } catch (e) {
    if (e instanceof SchemaParseError) throw e;
    throw new SchemaParseError(`The Protobuf schema is not valid: ${(e as Error).message}`);
  }
  const messages = scanMessageIndexes(src.schema);
  for (const m of messages) {
    try {
      root.lookupType(m.name);
    } catch {
      throw new SchemaParseError(`The Protobuf schema's message ${m.name} could not be located.`);
    }
  }
  if (!messages.length) throw new SchemaParseError('The Protobuf schema declares no message.');
  return new ProtobufCodec(root, messages);
}
