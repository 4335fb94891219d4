/**
 * AlterPartitionReassignments (API key 45, v0–v1) and ListPartitionReassignments (key 46, v0), both
 * flexible from their first version (KIP-455, Kafka 2.4). v1 of the first (Kafka 4.1, KIP-860) adds
 * AllowReplicationFactorChange, request and response. Layout from Kafka's
 * AlterPartitionReassignments{Request,Response}.json and ListPartitionReassignments*.json.
 *
 * Why hand-written: kafkajs 2.2.4 has both at v0, but its request cannot carry a null replica list
 * (how a reassignment is cancelled: it maps over the list), its answers drop the broker's error
 * messages, and its decoder trusts every length it reads (./flexible.ts says why that matters).
 */
import type { FlexibleReader, FlexibleWriter } from './flexible';
import type { FlexibleCall } from './transport';

export const ALTER_PARTITION_REASSIGNMENTS = {
  apiKey: 45,
  apiName: 'AlterPartitionReassignments',
  min: 0,
  max: 1,
} as const;
export const LIST_PARTITION_REASSIGNMENTS = {
  apiKey: 46,
  apiName: 'ListPartitionReassignments',
  min: 0,
  max: 0,
} as const;

export interface AlterReassignmentsRequest {
  timeoutMs: number;
  /** v1+: false makes the controller refuse a change of a partition's replica count. */
  allowReplicationFactorChange: boolean;
  topics: {
    name: string;
    /** `replicas` null cancels the partition's reassignment in progress. */
    partitions: { partitionIndex: number; replicas: number[] | null }[];
  }[];
}

export interface PartitionErrorEntry {
  partitionIndex: number;
  errorCode: number;
  errorMessage: string | null;
}

export interface AlterReassignmentsResponse {
  throttleTimeMs: number;
  /** v1+; null before. */
  allowReplicationFactorChange: boolean | null;
  errorCode: number;
  errorMessage: string | null;
  responses: { name: string; partitions: PartitionErrorEntry[] }[];
}

export function writeAlterReassignmentsRequest(
  w: FlexibleWriter,
  version: number,
  req: AlterReassignmentsRequest,
): void {
  w.int32(req.timeoutMs);
  if (version >= 1) w.boolean(req.allowReplicationFactorChange);
  w.compactArray(req.topics, (t, topic) => {
    t.compactString(topic.name);
    t.compactArray(topic.partitions, (p, part) => {
      p.int32(part.partitionIndex);
      p.compactNullableArray(part.replicas, (x, r) => x.int32(r));
      p.taggedFields();
    });
    t.taggedFields();
  });
  w.taggedFields();
}

export function readAlterReassignmentsResponse(r: FlexibleReader, version: number): AlterReassignmentsResponse {
  const throttleTimeMs = r.int32();
  const allowReplicationFactorChange = version >= 1 ? r.boolean() : null;
  const errorCode = r.int16();
  const errorMessage = r.compactNullableString();
  // a topic: name (1) + partitions (1) + tags (1); a partition: 4 + 2 + message (1) + tags (1)
  const responses = r.compactArray((t) => {
    const name = t.compactString();
    const partitions = t.compactArray((p) => {
      const entry = { partitionIndex: p.int32(), errorCode: p.int16(), errorMessage: p.compactNullableString() };
      p.skipTaggedFields();
      return entry;
    }, 8);
    t.skipTaggedFields();
    return { name, partitions };
  }, 3);
  r.skipTaggedFields();
  return { throttleTimeMs, allowReplicationFactorChange, errorCode, errorMessage, responses };
}

export function alterReassignmentsCall(
  version: number,
  req: AlterReassignmentsRequest,
): FlexibleCall<AlterReassignmentsResponse> {
  return {
    apiKey: ALTER_PARTITION_REASSIGNMENTS.apiKey,
    apiName: ALTER_PARTITION_REASSIGNMENTS.apiName,
    version,
    body: (w) => writeAlterReassignmentsRequest(w, version, req),
    read: (r) => readAlterReassignmentsResponse(r, version),
  };
}

export interface ListReassignmentsRequest {
  timeoutMs: number;
  /** null: every reassignment in progress. */
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

export interface OngoingPartitionEntry {
  partitionIndex: number;
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

export interface ListReassignmentsResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  topics: { name: string; partitions: OngoingPartitionEntry[] }[];
}

export function writeListReassignmentsRequest(w: FlexibleWriter, req: ListReassignmentsRequest): void {
  w.int32(req.timeoutMs);
  w.compactNullableArray(req.topics, (t, topic) => {
    t.compactString(topic.name);
    t.compactArray(topic.partitionIndexes, (x, i) => x.int32(i));
    t.taggedFields();
  });
  w.taggedFields();
}

export function readListReassignmentsResponse(r: FlexibleReader): ListReassignmentsResponse {
  const throttleTimeMs = r.int32();
  const errorCode = r.int16();
  const errorMessage = r.compactNullableString();
  const ints = (x: FlexibleReader) => x.compactArray((y) => y.int32(), 4);
  // a partition: 4 + three arrays (1 each) + tags (1)
  const topics = r.compactArray((t) => {
    const name = t.compactString();
    const partitions = t.compactArray((p) => {
      const entry = {
        partitionIndex: p.int32(),
        replicas: ints(p),
        addingReplicas: ints(p),
        removingReplicas: ints(p),
      };
      p.skipTaggedFields();
      return entry;
    }, 8);
    t.skipTaggedFields();
    return { name, partitions };
  }, 3);
  r.skipTaggedFields();
  return { throttleTimeMs, errorCode, errorMessage, topics };
}

export function listReassignmentsCall(req: ListReassignmentsRequest): FlexibleCall<ListReassignmentsResponse> {
  return {
    apiKey: LIST_PARTITION_REASSIGNMENTS.apiKey,
    apiName: LIST_PARTITION_REASSIGNMENTS.apiName,
    version: 0,
    body: (w) => writeListReassignmentsRequest(w, req),
    read: readListReassignmentsResponse,
  };
}

// --- the broker's side, the mirror of the readers: the tests play a broker with these

export function writeAlterReassignmentsResponse(
  w: FlexibleWriter,
  version: number,
  res: AlterReassignmentsResponse,
): void {
  w.int32(res.throttleTimeMs);
  if (version >= 1) w.boolean(res.allowReplicationFactorChange ?? true);
  w.int16(res.errorCode).compactNullableString(res.errorMessage);
  w.compactArray(res.responses, (t, topic) => {
    t.compactString(topic.name);
    t.compactArray(topic.partitions, (p, e) =>
      p.int32(e.partitionIndex).int16(e.errorCode).compactNullableString(e.errorMessage).taggedFields(),
    );
    t.taggedFields();
  });
  w.taggedFields();
}

export function writeListReassignmentsResponse(w: FlexibleWriter, res: ListReassignmentsResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode).compactNullableString(res.errorMessage);
  const ints = (x: FlexibleWriter, l: number[]) => x.compactArray(l, (y, i) => y.int32(i));
  w.compactArray(res.topics, (t, topic) => {
    t.compactString(topic.name);
    t.compactArray(topic.partitions, (p, e) => {
      p.int32(e.partitionIndex);
      ints(p, e.replicas);
      ints(p, e.addingReplicas);
      ints(p, e.removingReplicas);
      p.taggedFields();
    });
    t.taggedFields();
  });
  w.taggedFields();
}
