/**
 * Sends a request kafkajs has no codec for over one of kafkajs' own broker connections, so the
 * connection's TLS, SASL login (every mechanism, re-authentication included) and request queue are
 * the ones every other call uses. The broker's ApiVersions, which kafkajs asks once per broker and
 * keeps on it, choose the version.
 */
import kafkaErrors from 'kafkajs/src/protocol/error.js';
import { CoreError } from '../../coreError';
import { FlexibleReader, FlexibleWriter, ProtocolDecodeError } from './flexible';

/** What this code needs of a kafkajs broker (kafkajs 2.2.4, pinned): its node id and the versions it offers. */
export interface ProtocolBroker {
  nodeId: number | string | null;
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
}

/** The version both sides speak: the highest of ours the broker offers, or null when none is. */
export function negotiate(broker: ProtocolBroker, apiKey: number, ours: { min: number; max: number }): number | null {
  const theirs = broker.versions?.[apiKey];
  if (!theirs) return null;
  const v = Math.min(ours.max, theirs.maxVersion);
  return v >= Math.max(ours.min, theirs.minVersion) ? v : null;
}

/** One flexible request: header v2 is v1 plus tagged fields, the response header v1 likewise. */
export interface FlexibleCall<T> {
  apiKey: number;
  apiName: string;
  version: number;
  body: (w: FlexibleWriter) => void;
  read: (r: FlexibleReader) => T;
  /**
   * false: a version from before KIP-482 (DescribeClientQuotas v0): request header v1 and response
   * header v0, neither with tagged fields; the body in the classic types.
   */
  flexible?: boolean;
}

/**
 * The bytes kafkajs sends after the header v1 it writes itself (size, key, version, correlation id,
 * client id): the header's empty tagged-field buffer, then the body.
 */
export function encodeFlexibleRequest(call: Pick<FlexibleCall<unknown>, 'body' | 'flexible'>): FlexibleWriter {
  const w = new FlexibleWriter();
  if (call.flexible !== false) w.taggedFields();
  call.body(w);
  return w;
}

/** What kafkajs hands a decoder (the bytes after the correlation id): the header's tagged fields, then the body. */
export function decodeFlexibleResponse<T>(payload: Buffer, read: (r: FlexibleReader) => T, flexible = true): T {
  const r = new FlexibleReader(payload);
  if (flexible) r.skipTaggedFields();
  const body = read(r);
  r.end();
  return body;
}

type KafkajsSend = (protocolRequest: {
  request: { apiKey: number; apiVersion: number; apiName: string; encode: () => Promise<unknown> };
  response: { decode: (payload: Buffer) => Promise<unknown>; parse: (data: unknown) => Promise<unknown> };
}) => Promise<unknown>;

/** kafkajs' Broker sends through a private symbol-keyed method that also drops a connection the broker closed. */
export function sendOf(broker: object): KafkajsSend {
  const proto = Object.getPrototypeOf(broker) as object | null;
  const sym = proto && Object.getOwnPropertySymbols(proto).find((s) => s.description === 'private:Broker:sendRequest');
  const fn = sym ? (broker as Record<symbol, unknown>)[sym] : undefined;
  if (typeof fn !== 'function') throw new Error('kafkajs internals changed: private:Broker:sendRequest not found');
  return (fn as KafkajsSend).bind(broker);
}

export async function sendFlexible<T>(broker: ProtocolBroker, call: FlexibleCall<T>): Promise<T> {
  const send = sendOf(broker);
  try {
    return (await send({
      request: {
        apiKey: call.apiKey,
        apiVersion: call.version,
        apiName: call.apiName,
        encode: async () => encodeFlexibleRequest(call).encoder,
      },
      response: {
        decode: async (payload: Buffer) => decodeFlexibleResponse(payload, call.read, call.flexible !== false),
        parse: async (data: unknown) => data,
      },
    })) as T;
  } catch (e) {
    if (e instanceof ProtocolDecodeError)
      throw new CoreError(
        'KAFKA_ERROR',
        `Broker ${String(broker.nodeId)} answered ${call.apiName} v${call.version} with bytes that do not fit that version (${e.message}).`,
        e.message,
      );
    throw e;
  }
}

/**
 * A group's error code and the broker's own sentence as kafkajs' error for that code, so the gateway's
 * error mapping names the code and quotes the broker (errorMapping.ts reads `brokerMessage`).
 */
export function brokerError(code: number, message: string | null): Error {
  const e = kafkaErrors.createErrorFromCode(code) as Error & { brokerMessage?: string | null };
  e.brokerMessage = message;
  return e;
}

export const GROUP_ID_NOT_FOUND = 69;
export const UNSUPPORTED_VERSION = 35;
/** The coordinator moved, is loading or is not there yet: asked again after a moment. */
export const COORDINATOR_RETRIABLE = new Set([14, 15, 16]);
