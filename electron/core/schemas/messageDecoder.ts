import type { ConsumedMessage, DecodedPart, MessageFormat, OnUndecodable, UndecodableSummary } from '../../contract';
import { readWireHeader, type Codec } from './codecs';
import type { SchemaResolver } from './schemaResolver';

/** A local schema standing for a topic's key / value (bare payloads) or a registry id. */
export interface LocalCodec {
  codec: Codec;
  name: string;
  messageName?: string;
}

export interface DecodeSettings {
  keyFormat: MessageFormat;
  valueFormat: MessageFormat;
  onUndecodable: OnUndecodable;
}

export interface DecodeContext {
  resolver: SchemaResolver;
  /** topic part → its attached local schema */
  local: (topic: string, part: 'key' | 'value') => LocalCodec | undefined;
  /** registry id → a local file standing for it */
  localForId: (schemaId: number) => LocalCodec | undefined;
}

const FORMAT_OF = { AVRO: 'avro', PROTOBUF: 'protobuf', JSON: 'json-schema' } as const;
/** The formats that are a schema's: with one chosen, a message not of it is undecodable. */
const SCHEMA_FORMATS = new Set<MessageFormat>(['avro', 'protobuf', 'json-schema']);
/** Formats that ask for nothing: bytes are shown as they are. */
const RAW_FORMATS = new Set<MessageFormat>(['string', 'bytes']);

type Part = { decoded?: DecodedPart; undecodable?: string };

/**
 * Decodes the keys and values of a Consume or Listen as they are read: Confluent's wire format (magic
 * byte 0, the schema id, Protobuf's message indexes) through the connection's registry, a local
 * schema attached to the topic, or a chosen format. A message that does not decode keeps its bytes
 * and says why; with a chosen format it counts as undecodable (shown marked, skipped or stopped at).
 * `prepare` fetches a batch's schemas first, so `decode` is synchronous per message.
 */
export class MessageDecoder {
  readonly summary: UndecodableSummary;

  constructor(
    private readonly ctx: DecodeContext,
    private readonly settings: DecodeSettings,
  ) {
    this.summary = { count: 0, action: settings.onUndecodable };
  }

  /** Nothing to decode: every part is read as bytes or text, and no schema could apply. */
  get idle(): boolean {
    return RAW_FORMATS.has(this.settings.keyFormat) && RAW_FORMATS.has(this.settings.valueFormat);
  }

  async prepare(buffers: Iterable<Buffer | null | undefined>): Promise<void> {
    const ids: number[] = [];
    for (const b of buffers) if (b && b.length >= 5 && b[0] === 0) ids.push(b.readUInt32BE(1));
    if (ids.length) await this.ctx.resolver.prepare(ids.filter((id) => !this.ctx.localForId(id)));
  }

  /**
   * The message with its decoded parts; `skip` when it is undecodable and the user chose to skip it,
   * `stop` (with the reason) when to stop there.
   */
  decode(
    m: ConsumedMessage,
    key: Buffer | null,
    value: Buffer | null,
  ): { message: ConsumedMessage; action: 'keep' | 'skip' | 'stop' } {
    const k = this.part(m.topic, 'key', key, this.settings.keyFormat);
    const v = this.part(m.topic, 'value', value, this.settings.valueFormat);
    const decoded = { ...(k.decoded ? { key: k.decoded } : {}), ...(v.decoded ? { value: v.decoded } : {}) };
    const message = k.decoded || v.decoded ? { ...m, decoded } : m;
    const bad =
      v.undecodable !== undefined
        ? { part: 'value' as const, reason: v.undecodable }
        : k.undecodable !== undefined
          ? { part: 'key' as const, reason: k.undecodable }
          : null;
    if (!bad) return { message, action: 'keep' };
    this.summary.count++;
    this.summary.first ??= {
      topic: m.topic,
      partition: m.partition,
      offset: m.offset,
      part: bad.part,
      reason: bad.reason,
    };
    const action = this.settings.onUndecodable;
    return { message, action: action === 'show' ? 'keep' : action };
  }

  private part(topic: string, part: 'key' | 'value', buf: Buffer | null, format: MessageFormat): Part {
    if (buf === null || RAW_FORMATS.has(format)) return {};
    if (format === 'json') return json(buf);
    const chosen = SCHEMA_FORMATS.has(format);
    const header = buf.length >= 5 && buf[0] === 0 ? readWireHeader(buf, false) : null;
    let result: Part;
    if (header) {
      result = this.byId(header.schemaId, buf, `${topic}-${part}`);
      // a registry id no registry knows, on a topic with a local schema: a bare payload that starts with 0
      if (result.decoded?.error && !this.ctx.resolver.hasRegistry && this.ctx.local(topic, part))
        result = this.byLocal(topic, part, buf);
      else if (!this.ctx.resolver.hasRegistry && !this.ctx.localForId(header.schemaId) && !chosen) result = {};
    } else if (this.ctx.local(topic, part)) result = this.byLocal(topic, part, buf);
    else if (chosen)
      return {
        undecodable: `no schema id (Confluent's wire format starts with byte 0) and no local schema attached to ${topic}'s ${part}`,
      };
    else return {};
    if (!chosen) return result;
    const d = result.decoded;
    if (!d || d.error) return { ...result, undecodable: d?.error ?? 'did not decode' };
    if (d.format !== format) return { ...result, undecodable: `it is ${d.format}, not ${format}` };
    return result;
  }

  /** `subject`: the one TopicNameStrategy names, preferred among those holding the id. */
  private byId(schemaId: number, buf: Buffer, subject: string): Part {
    const local = this.ctx.localForId(schemaId);
    const compiled = local ? { codec: local.codec, schema: null } : this.ctx.resolver.compiled(schemaId);
    if ('error' in compiled) return { decoded: { schemaId, error: compiled.error } };
    const { codec } = compiled;
    const format = FORMAT_OF[codec.schemaType];
    const header = readWireHeader(buf, codec.schemaType === 'PROTOBUF');
    const usedBy = compiled.schema?.usedBy ?? [];
    const holder = usedBy.find((u) => u.subject === subject) ?? usedBy[0];
    const meta: DecodedPart = {
      format,
      schemaId,
      ...(holder ? { subject: holder.subject, version: holder.version } : {}),
      ...(local ? { localSchema: local.name } : {}),
    };
    if (!header)
      return {
        decoded: { ...meta, error: 'the Protobuf message-index list after the schema id is cut short or malformed' },
      };
    return decodeWith(codec, buf.subarray(header.payloadOffset), header.messageIndexes, meta);
  }

  private byLocal(topic: string, part: 'key' | 'value', buf: Buffer): Part {
    const local = this.ctx.local(topic, part) as LocalCodec;
    const format = FORMAT_OF[local.codec.schemaType];
    const indexes = local.messageName ? indexesOf(local.codec, local.messageName) : undefined;
    return decodeWith(local.codec, buf, indexes, { format, localSchema: local.name });
  }
}

/** Protobuf: Confluent's index path of a message type, when the codec can say. */
function indexesOf(codec: Codec, messageName: string): number[] | undefined {
  const names = codec.messageNames?.() ?? [];
  return names.includes(messageName) ? codec.indexesOf?.(messageName) : undefined;
}

function decodeWith(codec: Codec, payload: Buffer, indexes: number[] | undefined, meta: DecodedPart): Part {
  try {
    const r = codec.decode(payload, indexes);
    return {
      decoded: {
        ...meta,
        ...(r.messageName ? { messageName: r.messageName } : {}),
        json: JSON.stringify(r.value),
        ...(r.invalid ? { invalid: r.invalid } : {}),
      },
    };
  } catch (e) {
    return {
      decoded: {
        ...meta,
        error: `does not decode with ${describeSchema(meta)}: ${e instanceof Error ? e.message : String(e)}`,
      },
    };
  }
}

const describeSchema = (m: DecodedPart) =>
  m.schemaId !== undefined
    ? `schema id ${m.schemaId}${m.subject ? ` (${m.subject} v${m.version ?? '?'})` : ''}`
    : `local schema ${m.localSchema ?? ''}`;

function json(buf: Buffer): Part {
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf));
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      return { undecodable: 'it is JSON but not a JSON object' };
    return {};
  } catch (e) {
    return { undecodable: `not a JSON object: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A message as the filters see it: its decoded key and value as their JSON text, in place of the bytes. */
export function filterView(m: ConsumedMessage): ConsumedMessage {
  const k = m.decoded?.key?.json;
  const v = m.decoded?.value?.json;
  return k === undefined && v === undefined ? m : { ...m, key: k ?? m.key, value: v ?? m.value };
}
