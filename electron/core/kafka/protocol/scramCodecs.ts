/**
 * DescribeUserScramCredentials (API key 50) and AlterUserScramCredentials (API key 51), KIP-554:
 * Kafka 2.7 on ZooKeeper clusters, 3.5 on KRaft (KIP-900). Hand-written because kafkajs 2.2.4 has
 * neither (its admin stops before them) and no codec library we could load beside kafkajs has them
 * over kafkajs' connections (see ./flexible.ts). v0 is the only version, flexible. Layout from Kafka's
 * DescribeUserScramCredentials* / AlterUserScramCredentials*.json; the broker's side (the writers)
 * is here too, for the tests.
 */
import type { FlexibleReader, FlexibleWriter } from './flexible';
import type { FlexibleCall } from './transport';

export const DESCRIBE_USER_SCRAM_CREDENTIALS = {
  apiKey: 50,
  apiName: 'DescribeUserScramCredentials',
  min: 0,
  max: 0,
} as const;
export const ALTER_USER_SCRAM_CREDENTIALS = {
  apiKey: 51,
  apiName: 'AlterUserScramCredentials',
  min: 0,
  max: 0,
} as const;

/** Kafka's ScramMechanism numbers (org.apache.kafka.clients.admin.ScramMechanism): fixed on the wire. */
export const SCRAM_MECHANISM_NUMBER = { 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 } as const;

export interface DescribeScramResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  results: {
    user: string;
    errorCode: number;
    errorMessage: string | null;
    credentials: { mechanism: number; iterations: number }[];
  }[];
}

export interface ScramDeletion {
  name: string;
  mechanism: number;
}

export interface ScramUpsertion {
  name: string;
  mechanism: number;
  iterations: number;
  salt: Buffer;
  saltedPassword: Buffer;
}

export interface AlterScramRequest {
  deletions: ScramDeletion[];
  upsertions: ScramUpsertion[];
}

export interface AlterScramResponse {
  throttleTimeMs: number;
  results: { user: string; errorCode: number; errorMessage: string | null }[];
}

/** users null: every user with a credential. */
export function writeDescribeScramRequest(w: FlexibleWriter, users: readonly string[] | null): void {
  w.compactNullableArray(users, (x, name) => x.compactString(name).taggedFields());
  w.taggedFields();
}

export function readDescribeScramResponse(r: FlexibleReader): DescribeScramResponse {
  const throttleTimeMs = r.int32();
  const errorCode = r.int16();
  const errorMessage = r.compactNullableString();
  // a result: user 1, error code 2, message 1, credentials 1, tags 1
  const results = r.compactArray((u) => {
    const result = {
      user: u.compactString(),
      errorCode: u.int16(),
      errorMessage: u.compactNullableString(),
      // a credential: mechanism 1, iterations 4, tags 1
      credentials: u.compactArray((c) => {
        const credential = { mechanism: c.int8(), iterations: c.int32() };
        c.skipTaggedFields();
        return credential;
      }, 6),
    };
    u.skipTaggedFields();
    return result;
  }, 6);
  r.skipTaggedFields();
  return { throttleTimeMs, errorCode, errorMessage, results };
}

export function writeAlterScramRequest(w: FlexibleWriter, req: AlterScramRequest): void {
  w.compactArray(req.deletions, (x, d) => x.compactString(d.name).int8(d.mechanism).taggedFields());
  w.compactArray(req.upsertions, (x, u) =>
    x
      .compactString(u.name)
      .int8(u.mechanism)
      .int32(u.iterations)
      .compactBytes(u.salt)
      .compactBytes(u.saltedPassword)
      .taggedFields(),
  );
  w.taggedFields();
}

export function readAlterScramResponse(r: FlexibleReader): AlterScramResponse {
  const throttleTimeMs = r.int32();
  const results = r.compactArray((u) => {
    const result = { user: u.compactString(), errorCode: u.int16(), errorMessage: u.compactNullableString() };
    u.skipTaggedFields();
    return result;
  }, 5);
  r.skipTaggedFields();
  return { throttleTimeMs, results };
}

export function describeScramCall(users: readonly string[] | null): FlexibleCall<DescribeScramResponse> {
  return {
    apiKey: DESCRIBE_USER_SCRAM_CREDENTIALS.apiKey,
    apiName: DESCRIBE_USER_SCRAM_CREDENTIALS.apiName,
    version: 0,
    body: (w) => writeDescribeScramRequest(w, users),
    read: readDescribeScramResponse,
  };
}

export function alterScramCall(req: AlterScramRequest): FlexibleCall<AlterScramResponse> {
  return {
    apiKey: ALTER_USER_SCRAM_CREDENTIALS.apiKey,
    apiName: ALTER_USER_SCRAM_CREDENTIALS.apiName,
    version: 0,
    body: (w) => writeAlterScramRequest(w, req),
    read: readAlterScramResponse,
  };
}

// --- the broker's side, for the tests (the mirror of the readers above)

export function writeDescribeScramResponse(w: FlexibleWriter, res: DescribeScramResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode).compactNullableString(res.errorMessage);
  w.compactArray(res.results, (x, u) => {
    x.compactString(u.user).int16(u.errorCode).compactNullableString(u.errorMessage);
    x.compactArray(u.credentials, (y, c) => y.int8(c.mechanism).int32(c.iterations).taggedFields());
    x.taggedFields();
  });
  w.taggedFields();
}

export function writeAlterScramResponse(w: FlexibleWriter, res: AlterScramResponse): void {
  w.int32(res.throttleTimeMs);
  w.compactArray(res.results, (x, u) =>
    x.compactString(u.user).int16(u.errorCode).compactNullableString(u.errorMessage).taggedFields(),
  );
  w.taggedFields();
}

/** What a broker reads of a request (the tests' broker): the mirror of the request writers. */
export function readDescribeScramRequest(r: FlexibleReader): string[] | null {
  const users = r.compactNullableArray((u) => {
    const name = u.compactString();
    u.skipTaggedFields();
    return name;
  }, 2);
  r.skipTaggedFields();
  return users;
}

export function readAlterScramRequest(r: FlexibleReader): AlterScramRequest {
  const deletions = r.compactArray((d) => {
    const x = { name: d.compactString(), mechanism: d.int8() };
    d.skipTaggedFields();
    return x;
  }, 3);
  const upsertions = r.compactArray((u) => {
    const x = {
      name: u.compactString(),
      mechanism: u.int8(),
      iterations: u.int32(),
      salt: u.compactBytes(),
      saltedPassword: u.compactBytes(),
    };
    u.skipTaggedFields();
    return x;
  }, 9);
  r.skipTaggedFields();
  return { deletions, upsertions };
}
