/**
 * ElectLeaders (API key 43): v0 (Kafka 2.2, KIP-183: preferred elections only, no top-level error),
 * v1 (2.4, KIP-460: the election type, PREFERRED = 0 or UNCLEAN = 1, and a top-level error code),
 * v2 (2.4, flexible). Layout from Kafka's ElectLeadersRequest.json / ElectLeadersResponse.json.
 *
 * Why hand-written: kafkajs 2.2.4 has no ElectLeaders at all. The versions span both encodings, so
 * the codec is written once on ./versionedWire.ts.
 */
import type { VersionedCall, WireReader, WireWriter } from './versionedWire';

export const ELECT_LEADERS = { apiKey: 43, apiName: 'ElectLeaders', min: 0, max: 2 } as const;
/** The first flexible version. */
const FLEXIBLE_FROM = 2;

export const ELECTION_TYPE = { preferred: 0, unclean: 1 } as const;

export interface ElectLeadersRequest {
  /** v1+; v0 elects the preferred replica only. */
  electionType: number;
  /** null: every partition of the cluster. */
  topicPartitions: { topic: string; partitions: number[] }[] | null;
  timeoutMs: number;
}

export interface ElectionPartitionEntry {
  partitionId: number;
  errorCode: number;
  errorMessage: string | null;
}

export interface ElectLeadersResponse {
  throttleTimeMs: number;
  /** v1+; 0 for v0, which has none. */
  errorCode: number;
  replicaElectionResults: { topic: string; partitionResult: ElectionPartitionEntry[] }[];
}

export function writeElectLeadersRequest(w: WireWriter, version: number, req: ElectLeadersRequest): void {
  if (version >= 1) w.int8(req.electionType);
  w.nullableArray(req.topicPartitions, (t, tp) => {
    t.string(tp.topic);
    t.array(tp.partitions, (x, p) => x.int32(p));
    t.tags();
  });
  w.int32(req.timeoutMs);
  w.tags();
}

export function readElectLeadersResponse(r: WireReader, version: number): ElectLeadersResponse {
  const throttleTimeMs = r.int32();
  const errorCode = version >= 1 ? r.int16() : 0;
  // a topic: name + array (flexible 1 + 1 + tags 1; classic 2 + 4); a partition: 4 + 2 + message (1 or 2)
  const replicaElectionResults = r.array((t) => {
    const topic = t.string();
    const partitionResult = t.array((p) => {
      const entry = { partitionId: p.int32(), errorCode: p.int16(), errorMessage: p.nullableString() };
      p.tags();
      return entry;
    }, 7);
    t.tags();
    return { topic, partitionResult };
  }, 3);
  r.tags();
  return { throttleTimeMs, errorCode, replicaElectionResults };
}

export function electLeadersCall(version: number, req: ElectLeadersRequest): VersionedCall<ElectLeadersResponse> {
  return {
    apiKey: ELECT_LEADERS.apiKey,
    apiName: ELECT_LEADERS.apiName,
    version,
    flexible: version >= FLEXIBLE_FROM,
    body: (w) => writeElectLeadersRequest(w, version, req),
    read: (r) => readElectLeadersResponse(r, version),
  };
}

// --- the broker's side, the mirror of the reader: the tests play a broker with it

export function writeElectLeadersResponse(w: WireWriter, version: number, res: ElectLeadersResponse): void {
  w.int32(res.throttleTimeMs);
  if (version >= 1) w.int16(res.errorCode);
  w.array(res.replicaElectionResults, (t, e) => {
    t.string(e.topic);
    t.array(e.partitionResult, (p, x) => {
      p.int32(x.partitionId).int16(x.errorCode).nullableString(x.errorMessage);
      p.tags();
    });
    t.tags();
  });
  w.tags();
}
