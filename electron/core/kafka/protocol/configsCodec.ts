/**
 * DescribeConfigs (key 32, v1–v4; flexible from v4), IncrementalAlterConfigs (key 44, v0–v1; flexible
 * from v1) and AlterConfigs (key 33, v0–v2; flexible from v2). Layouts from Kafka's
 * DescribeConfigs* / IncrementalAlterConfigs* / AlterConfigs*.json.
 *
 * Why hand-written: kafkajs has no IncrementalAlterConfigs at all (its alterConfigs is AlterConfigs,
 * which replaces a resource's whole set of overrides), and its describeConfigs and alterConfigs refuse
 * an empty resource name — the name of the cluster-wide broker default — and stop at DescribeConfigs
 * v2 (no type, no documentation). The requests go over kafkajs' own connections (./versionedWire.ts).
 */
import type { VersionedCall, WireReader, WireWriter } from './versionedWire';

export const DESCRIBE_CONFIGS = { apiKey: 32, apiName: 'DescribeConfigs', min: 1, max: 4, flexibleFrom: 4 } as const;
export const INCREMENTAL_ALTER_CONFIGS = {
  apiKey: 44,
  apiName: 'IncrementalAlterConfigs',
  min: 0,
  max: 1,
  flexibleFrom: 1,
} as const;
export const ALTER_CONFIGS = { apiKey: 33, apiName: 'AlterConfigs', min: 0, max: 2, flexibleFrom: 2 } as const;

/** Kafka's ConfigResource.Type codes. */
export const RESOURCE_TYPE = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;
/** IncrementalAlterConfigs' operations. */
export const CONFIG_OP = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
export type ConfigOp = (typeof CONFIG_OP)[keyof typeof CONFIG_OP];

export interface ConfigResourceKey {
  resourceType: number;
  /** A topic's name, a broker's id as text, or '' for the cluster-wide broker default. */
  resourceName: string;
}

export interface DescribeConfigsRequest {
  resources: (ConfigResourceKey & { configNames: string[] | null })[];
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

export interface DescribedSynonym {
  name: string;
  value: string | null;
  source: number;
}

export interface DescribedEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
  isSensitive: boolean;
  synonyms: DescribedSynonym[];
  /** v3+; null before */
  configType: number | null;
  documentation: string | null;
}

export interface DescribedResource extends ConfigResourceKey {
  errorCode: number;
  errorMessage: string | null;
  configs: DescribedEntry[];
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribedResource[];
}

export interface AlterConfigsResource extends ConfigResourceKey {
  configs: { name: string; op: ConfigOp; value: string | null }[];
}

export interface AlterRequest {
  resources: AlterConfigsResource[];
  validateOnly: boolean;
}

/** The answer of both alter APIs: per resource, an error code and the broker's sentence. */
export interface AlterResponse {
  throttleTimeMs: number;
  responses: (ConfigResourceKey & { errorCode: number; errorMessage: string | null })[];
}

const flexibleAt = (api: { flexibleFrom: number }, version: number) => version >= api.flexibleFrom;

export function writeDescribeConfigsRequest(w: WireWriter, version: number, req: DescribeConfigsRequest): void {
  w.array(req.resources, (x, r) => {
    x.int8(r.resourceType)
      .string(r.resourceName)
      .nullableArray(r.configNames, (y, n) => y.string(n))
      .tags();
  });
  w.boolean(req.includeSynonyms);
  if (version >= 3) w.boolean(req.includeDocumentation);
  w.tags();
}

export function readDescribeConfigsResponse(r: WireReader, version: number): DescribeConfigsResponse {
  const throttleTimeMs = r.int32();
  const results = r.array((x): DescribedResource => {
    const res: DescribedResource = {
      errorCode: x.int16(),
      errorMessage: x.nullableString(),
      resourceType: x.int8(),
      resourceName: x.string(),
      configs: x.array((c): DescribedEntry => {
        const name = c.string();
        const value = c.nullableString();
        const readOnly = c.boolean();
        const source = c.int8();
        const isSensitive = c.boolean();
        const synonyms = c.array((s): DescribedSynonym => {
          const syn = { name: s.string(), value: s.nullableString(), source: s.int8() };
          s.tags();
          return syn;
        }, 4);
        const configType = version >= 3 ? c.int8() : null;
        const documentation = version >= 3 ? c.nullableString() : null;
        c.tags();
        return { name, value, readOnly, source, isSensitive, synonyms, configType, documentation };
      }, 6),
    };
    x.tags();
    return res;
  }, 7);
  r.tags();
  return { throttleTimeMs, results };
}

export function describeConfigsCall(
  version: number,
  req: DescribeConfigsRequest,
): VersionedCall<DescribeConfigsResponse> {
  return {
    apiKey: DESCRIBE_CONFIGS.apiKey,
    apiName: DESCRIBE_CONFIGS.apiName,
    version,
    flexible: flexibleAt(DESCRIBE_CONFIGS, version),
    body: (w) => writeDescribeConfigsRequest(w, version, req),
    read: (r) => readDescribeConfigsResponse(r, version),
  };
}

export function writeIncrementalAlterConfigsRequest(w: WireWriter, req: AlterRequest): void {
  w.array(req.resources, (x, r) => {
    x.int8(r.resourceType)
      .string(r.resourceName)
      .array(r.configs, (y, c) => {
        y.string(c.name).int8(c.op).nullableString(c.value).tags();
      })
      .tags();
  });
  w.boolean(req.validateOnly);
  w.tags();
}

/** AlterConfigs has no operation: every key given is the resource's value from now on, and every other key is dropped. */
export function writeAlterConfigsRequest(w: WireWriter, req: AlterRequest): void {
  w.array(req.resources, (x, r) => {
    x.int8(r.resourceType)
      .string(r.resourceName)
      .array(r.configs, (y, c) => {
        if (c.op !== CONFIG_OP.SET) throw new RangeError('AlterConfigs only sets values');
        y.string(c.name).nullableString(c.value).tags();
      })
      .tags();
  });
  w.boolean(req.validateOnly);
  w.tags();
}

export function readAlterResponse(r: WireReader): AlterResponse {
  const throttleTimeMs = r.int32();
  const responses = r.array((x) => {
    const res = {
      errorCode: x.int16(),
      errorMessage: x.nullableString(),
      resourceType: x.int8(),
      resourceName: x.string(),
    };
    x.tags();
    return res;
  }, 5);
  r.tags();
  return { throttleTimeMs, responses };
}

export function incrementalAlterConfigsCall(version: number, req: AlterRequest): VersionedCall<AlterResponse> {
  return {
    apiKey: INCREMENTAL_ALTER_CONFIGS.apiKey,
    apiName: INCREMENTAL_ALTER_CONFIGS.apiName,
    version,
    flexible: flexibleAt(INCREMENTAL_ALTER_CONFIGS, version),
    body: (w) => writeIncrementalAlterConfigsRequest(w, req),
    read: readAlterResponse,
  };
}

export function alterConfigsCall(version: number, req: AlterRequest): VersionedCall<AlterResponse> {
  return {
    apiKey: ALTER_CONFIGS.apiKey,
    apiName: ALTER_CONFIGS.apiName,
    version,
    flexible: flexibleAt(ALTER_CONFIGS, version),
    body: (w) => writeAlterConfigsRequest(w, req),
    read: readAlterResponse,
  };
}

// --- the broker's side, for the tests: requests read back, answers written (the mirror of the above)

export function readDescribeConfigsRequest(r: WireReader, version: number): DescribeConfigsRequest {
  const resources = r.array((x) => {
    const res = {
      resourceType: x.int8(),
      resourceName: x.string(),
      configNames: x.nullableArray((y) => y.string(), 1),
    };
    x.tags();
    return res;
  }, 3);
  const includeSynonyms = r.boolean();
  const includeDocumentation = version >= 3 ? r.boolean() : false;
  r.tags();
  return { resources, includeSynonyms, includeDocumentation };
}

export function writeDescribeConfigsResponse(w: WireWriter, version: number, res: DescribeConfigsResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.results, (x, r) => {
    x.int16(r.errorCode).nullableString(r.errorMessage).int8(r.resourceType).string(r.resourceName);
    x.array(r.configs, (c, e) => {
      c.string(e.name).nullableString(e.value).boolean(e.readOnly).int8(e.source).boolean(e.isSensitive);
      c.array(e.synonyms, (s, syn) => {
        s.string(syn.name).nullableString(syn.value).int8(syn.source).tags();
      });
      if (version >= 3) c.int8(e.configType ?? 0).nullableString(e.documentation);
      c.tags();
    });
    x.tags();
  });
  w.tags();
}

export function readAlterRequest(r: WireReader, incremental: boolean): AlterRequest {
  const resources = r.array((x): AlterConfigsResource => {
    const res: AlterConfigsResource = {
      resourceType: x.int8(),
      resourceName: x.string(),
      configs: x.array((y) => {
        const name = y.string();
        const op = (incremental ? y.int8() : CONFIG_OP.SET) as ConfigOp;
        const c = { name, op, value: y.nullableString() };
        y.tags();
        return c;
      }, 3),
    };
    x.tags();
    return res;
  }, 3);
  const validateOnly = r.boolean();
  r.tags();
  return { resources, validateOnly };
}

export function writeAlterResponse(w: WireWriter, res: AlterResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.responses, (x, r) => {
    x.int16(r.errorCode).nullableString(r.errorMessage).int8(r.resourceType).string(r.resourceName).tags();
  });
  w.tags();
}
