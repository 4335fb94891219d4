/**
 * DescribeLogDirs (key 35): v0–v1 classic, v2+ flexible (Kafka 2.4), v3 adds a top-level error code
 * (Kafka 3.1: before it, a user who may not describe the cluster got an empty answer), v4 each log
 * dir's volume total and usable bytes (Kafka 3.3, KIP-827). Layout from Kafka's DescribeLogDirs*.json.
 *
 * Why hand-written: kafkajs has no DescribeLogDirs.
 */
import type { VersionedCall, WireReader, WireWriter } from './versionedWire';

export const DESCRIBE_LOG_DIRS = { apiKey: 35, apiName: 'DescribeLogDirs', min: 0, max: 4, flexibleFrom: 2 } as const;

export interface DescribeLogDirsRequest {
  /** null: every partition the broker holds. */
  topics: { topic: string; partitions: number[] }[] | null;
}

export interface LogDirPartition {
  partition: number;
  size: bigint;
  offsetLag: bigint;
  isFuture: boolean;
}

export interface LogDirResult {
  errorCode: number;
  logDir: string;
  topics: { name: string; partitions: LogDirPartition[] }[];
  /** v4+; -1 when the broker could not tell; null before v4 */
  totalBytes: bigint | null;
  usableBytes: bigint | null;
}

export interface DescribeLogDirsResponse {
  throttleTimeMs: number;
  /** v3+; 0 before */
  errorCode: number;
  results: LogDirResult[];
}

export function writeDescribeLogDirsRequest(w: WireWriter, req: DescribeLogDirsRequest): void {
  w.nullableArray(req.topics, (x, t) => {
    x.string(t.topic)
      .array(t.partitions, (y, p) => y.int32(p))
      .tags();
  });
  w.tags();
}

export function readDescribeLogDirsResponse(r: WireReader, version: number): DescribeLogDirsResponse {
  const throttleTimeMs = r.int32();
  const errorCode = version >= 3 ? r.int16() : 0;
  const results = r.array((d): LogDirResult => {
    const errorCode = d.int16();
    const logDir = d.string();
    const topics = d.array((t) => {
      const name = t.string();
      const partitions = t.array((p): LogDirPartition => {
        const entry = { partition: p.int32(), size: p.int64(), offsetLag: p.int64(), isFuture: p.boolean() };
        p.tags();
        return entry;
        // 21 bytes in a classic version, 22 in a flexible one
      }, 21);
      t.tags();
      return { name, partitions };
    }, 3);
    const totalBytes = version >= 4 ? d.int64() : null;
    const usableBytes = version >= 4 ? d.int64() : null;
    d.tags();
    return { errorCode, logDir, topics, totalBytes, usableBytes };
  }, 5);
  r.tags();
  return { throttleTimeMs, errorCode, results };
}

export function describeLogDirsCall(
  version: number,
  req: DescribeLogDirsRequest,
): VersionedCall<DescribeLogDirsResponse> {
  return {
    apiKey: DESCRIBE_LOG_DIRS.apiKey,
    apiName: DESCRIBE_LOG_DIRS.apiName,
    version,
    flexible: version >= DESCRIBE_LOG_DIRS.flexibleFrom,
    body: (w) => writeDescribeLogDirsRequest(w, req),
    read: (r) => readDescribeLogDirsResponse(r, version),
  };
}

// --- the broker's side, for the tests

export function readDescribeLogDirsRequest(r: WireReader): DescribeLogDirsRequest {
  const topics = r.nullableArray((t) => {
    const topic = { topic: t.string(), partitions: t.array((p) => p.int32(), 4) };
    t.tags();
    return topic;
  }, 3);
  r.tags();
  return { topics };
}

export function writeDescribeLogDirsResponse(w: WireWriter, version: number, res: DescribeLogDirsResponse): void {
  w.int32(res.throttleTimeMs);
  if (version >= 3) w.int16(res.errorCode);
  w.array(res.results, (d, dir) => {
    d.int16(dir.errorCode).string(dir.logDir);
    d.array(dir.topics, (t, topic) => {
      t.string(topic.name);
      t.array(topic.partitions, (p, x) => {
        p.int32(x.partition).int64(x.size).int64(x.offsetLag).boolean(x.isFuture).tags();
      });
      t.tags();
    });
    if (version >= 4) d.int64(dir.totalBytes ?? -1n).int64(dir.usableBytes ?? -1n);
    d.tags();
  });
  w.tags();
}
