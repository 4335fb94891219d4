/**
 * DescribeClientQuotas (API key 48) and AlterClientQuotas (API key 49), KIP-546, Kafka 2.6 on: v0 in
 * the classic types, v1 (Kafka 2.8) the same fields flexible. Hand-written because kafkajs 2.2.4 has
 * neither and no codec library we could load beside kafkajs has them over kafkajs' connections (see
 * ./flexible.ts). Layout from Kafka's DescribeClientQuotas* / AlterClientQuotas*.json; the broker's
 * side (the writers) is here too, for the tests.
 */
import type { FlexibleReader, FlexibleWriter } from './flexible';
import type { FlexibleCall } from './transport';

export const DESCRIBE_CLIENT_QUOTAS = { apiKey: 48, apiName: 'DescribeClientQuotas', min: 0, max: 1 } as const;
export const ALTER_CLIENT_QUOTAS = { apiKey: 49, apiName: 'AlterClientQuotas', min: 0, max: 1 } as const;

/** Kafka's match types for a filter component. */
export const MATCH_TYPE = { exact: 0, default: 1, any: 2 } as const;

export interface WireEntity {
  entityType: string;
  /** null: the default entity of the type. */
  entityName: string | null;
}

export interface DescribeQuotasRequest {
  components: { entityType: string; matchType: number; match: string | null }[];
  strict: boolean;
}

export interface DescribeQuotasResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  entries: { entity: WireEntity[]; values: { key: string; value: number }[] }[] | null;
}

export interface AlterQuotasRequest {
  entries: { entity: WireEntity[]; ops: { key: string; value: number; remove: boolean }[] }[];
  validateOnly: boolean;
}

export interface AlterQuotasResponse {
  throttleTimeMs: number;
  entries: { errorCode: number; errorMessage: string | null; entity: WireEntity[] }[];
}

/** The two dialects one layout is written in: v0's classic types, v1's compact ones with tagged fields. */
function dialect(version: number) {
  const flex = version >= 1;
  return {
    flex,
    /** Least bytes of a string, an array's length, a struct's tag buffer. */
    min: { string: flex ? 1 : 2, array: flex ? 1 : 4, tags: flex ? 1 : 0 },
    str: (r: FlexibleReader) => (flex ? r.compactString() : r.string()),
    nstr: (r: FlexibleReader) => (flex ? r.compactNullableString() : r.nullableString()),
    arr: <T>(r: FlexibleReader, read: (x: FlexibleReader) => T, minBytes: number) =>
      flex ? r.compactArray(read, minBytes) : r.array(read, minBytes),
    narr: <T>(r: FlexibleReader, read: (x: FlexibleReader) => T, minBytes: number) =>
      flex ? r.compactNullableArray(read, minBytes) : r.nullableArray(read, minBytes),
    tags: (r: FlexibleReader) => {
      if (flex) r.skipTaggedFields();
    },
    wstr: (w: FlexibleWriter, v: string) => (flex ? w.compactString(v) : w.string(v)),
    wnstr: (w: FlexibleWriter, v: string | null) => (flex ? w.compactNullableString(v) : w.nullableString(v)),
    warr: <T>(w: FlexibleWriter, items: readonly T[], write: (x: FlexibleWriter, item: T) => void) =>
      flex ? w.compactArray(items, write) : w.array(items, write),
    wnarr: <T>(w: FlexibleWriter, items: readonly T[] | null, write: (x: FlexibleWriter, item: T) => void) =>
      flex ? w.compactNullableArray(items, write) : w.nullableArray(items, write),
    wtags: (w: FlexibleWriter) => {
      if (flex) w.taggedFields();
    },
  };
}
type Dialect = ReturnType<typeof dialect>;

function readEntity(d: Dialect, r: FlexibleReader): WireEntity[] {
  return d.arr(
    r,
    (e) => {
      const entity = { entityType: d.str(e), entityName: d.nstr(e) };
      d.tags(e);
      return entity;
    },
    d.min.string * 2 + d.min.tags,
  );
}

function writeEntity(d: Dialect, w: FlexibleWriter, entity: readonly WireEntity[]): void {
  d.warr(w, entity, (x, e) => {
    d.wstr(x, e.entityType);
    d.wnstr(x, e.entityName);
    d.wtags(x);
  });
}

export function writeDescribeQuotasRequest(w: FlexibleWriter, version: number, req: DescribeQuotasRequest): void {
  const d = dialect(version);
  d.warr(w, req.components, (x, c) => {
    d.wstr(x, c.entityType);
    x.int8(c.matchType);
    d.wnstr(x, c.match);
    d.wtags(x);
  });
  w.boolean(req.strict);
  d.wtags(w);
}

export function readDescribeQuotasResponse(r: FlexibleReader, version: number): DescribeQuotasResponse {
  const d = dialect(version);
  const throttleTimeMs = r.int32();
  const errorCode = r.int16();
  const errorMessage = d.nstr(r);
  const entries = d.narr(
    r,
    (e) => {
      const entry = {
        entity: readEntity(d, e),
        values: d.arr(
          e,
          (v) => {
            const value = { key: d.str(v), value: v.float64() };
            d.tags(v);
            return value;
          },
          d.min.string + 8 + d.min.tags,
        ),
      };
      d.tags(e);
      return entry;
    },
    d.min.array * 2 + d.min.tags,
  );
  d.tags(r);
  return { throttleTimeMs, errorCode, errorMessage, entries };
}

export function writeAlterQuotasRequest(w: FlexibleWriter, version: number, req: AlterQuotasRequest): void {
  const d = dialect(version);
  d.warr(w, req.entries, (x, e) => {
    writeEntity(d, x, e.entity);
    d.warr(x, e.ops, (y, op) => {
      d.wstr(y, op.key);
      // the value is ignored for a removal; Kafka's admin sends 0 there
      y.float64(op.remove ? 0 : op.value).boolean(op.remove);
      d.wtags(y);
    });
    d.wtags(x);
  });
  w.boolean(req.validateOnly);
  d.wtags(w);
}

export function readAlterQuotasResponse(r: FlexibleReader, version: number): AlterQuotasResponse {
  const d = dialect(version);
  const throttleTimeMs = r.int32();
  const entries = d.arr(
    r,
    (e) => {
      const entry = { errorCode: e.int16(), errorMessage: d.nstr(e), entity: readEntity(d, e) };
      d.tags(e);
      return entry;
    },
    2 + d.min.string + d.min.array + d.min.tags,
  );
  d.tags(r);
  return { throttleTimeMs, entries };
}

export function describeQuotasCall(version: number, req: DescribeQuotasRequest): FlexibleCall<DescribeQuotasResponse> {
  return {
    apiKey: DESCRIBE_CLIENT_QUOTAS.apiKey,
    apiName: DESCRIBE_CLIENT_QUOTAS.apiName,
    version,
    flexible: version >= 1,
    body: (w) => writeDescribeQuotasRequest(w, version, req),
    read: (r) => readDescribeQuotasResponse(r, version),
  };
}

export function alterQuotasCall(version: number, req: AlterQuotasRequest): FlexibleCall<AlterQuotasResponse> {
  return {
    apiKey: ALTER_CLIENT_QUOTAS.apiKey,
    apiName: ALTER_CLIENT_QUOTAS.apiName,
    version,
    flexible: version >= 1,
    body: (w) => writeAlterQuotasRequest(w, version, req),
    read: (r) => readAlterQuotasResponse(r, version),
  };
}

// --- the broker's side, for the tests (the mirror of the readers above)

export function writeDescribeQuotasResponse(w: FlexibleWriter, version: number, res: DescribeQuotasResponse): void {
  const d = dialect(version);
  w.int32(res.throttleTimeMs).int16(res.errorCode);
  d.wnstr(w, res.errorMessage);
  d.wnarr(w, res.entries, (x, e) => {
    writeEntity(d, x, e.entity);
    d.warr(x, e.values, (y, v) => {
      d.wstr(y, v.key);
      y.float64(v.value);
      d.wtags(y);
    });
    d.wtags(x);
  });
  d.wtags(w);
}

export function writeAlterQuotasResponse(w: FlexibleWriter, version: number, res: AlterQuotasResponse): void {
  const d = dialect(version);
  w.int32(res.throttleTimeMs);
  d.warr(w, res.entries, (x, e) => {
    x.int16(e.errorCode);
    d.wnstr(x, e.errorMessage);
    writeEntity(d, x, e.entity);
    d.wtags(x);
  });
  d.wtags(w);
}

export function readDescribeQuotasRequest(r: FlexibleReader, version: number): DescribeQuotasRequest {
  const d = dialect(version);
  const components = d.arr(
    r,
    (c) => {
      const component = { entityType: d.str(c), matchType: c.int8(), match: d.nstr(c) };
      d.tags(c);
      return component;
    },
    d.min.string * 2 + 1 + d.min.tags,
  );
  const strict = r.boolean();
  d.tags(r);
  return { components, strict };
}

export function readAlterQuotasRequest(r: FlexibleReader, version: number): AlterQuotasRequest {
  const d = dialect(version);
  const entries = d.arr(
    r,
    (e) => {
      const entry = {
        entity: readEntity(d, e),
        ops: d.arr(
          e,
          (o) => {
            const op = { key: d.str(o), value: o.float64(), remove: o.boolean() };
            d.tags(o);
            return op;
          },
          d.min.string + 9 + d.min.tags,
        ),
      };
      d.tags(e);
      return entry;
    },
    d.min.array * 2 + d.min.tags,
  );
  const validateOnly = r.boolean();
  d.tags(r);
  return { entries, validateOnly };
}
