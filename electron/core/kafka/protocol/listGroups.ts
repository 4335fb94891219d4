/**
 * ListGroups (API key 16) in its flexible versions, which kafkajs lacks (it stops at v2, before group
 * states and types): v3 (Kafka 2.4, flexible), v4 (2.6, GroupState), v5 (3.7, GroupType: classic,
 * consumer, share, streams). Layout from Kafka's ListGroupsRequest / ListGroupsResponse.json.
 */
import type { FlexibleReader, FlexibleWriter } from './flexible';
import type { FlexibleCall } from './transport';

export const LIST_GROUPS = { apiKey: 16, apiName: 'ListGroups', min: 3, max: 5 } as const;

export interface ListGroupsRequest {
  /** v4+: only groups in these states (empty: all). */
  statesFilter: string[];
  /** v5+: only groups of these types (empty: all). */
  typesFilter: string[];
}

export interface ListedGroupEntry {
  groupId: string;
  protocolType: string;
  /** v4+; null before. */
  groupState: string | null;
  /** v5+; null before. */
  groupType: string | null;
}

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: ListedGroupEntry[];
}

export function writeListGroupsRequest(w: FlexibleWriter, version: number, req: ListGroupsRequest): void {
  if (version >= 4) w.compactArray(req.statesFilter, (x, s) => x.compactString(s));
  if (version >= 5) w.compactArray(req.typesFilter, (x, s) => x.compactString(s));
  w.taggedFields();
}

export function readListGroupsResponse(r: FlexibleReader, version: number): ListGroupsResponse {
  const throttleTimeMs = r.int32();
  const errorCode = r.int16();
  const minGroupBytes = 3 + (version >= 4 ? 1 : 0) + (version >= 5 ? 1 : 0);
  const groups = r.compactArray((g) => {
    const entry: ListedGroupEntry = {
      groupId: g.compactString(),
      protocolType: g.compactString(),
      groupState: version >= 4 ? g.compactString() : null,
      groupType: version >= 5 ? g.compactString() : null,
    };
    g.skipTaggedFields();
    return entry;
  }, minGroupBytes);
  r.skipTaggedFields();
  return { throttleTimeMs, errorCode, groups };
}

export function listGroupsCall(version: number, req: ListGroupsRequest): FlexibleCall<ListGroupsResponse> {
  return {
    apiKey: LIST_GROUPS.apiKey,
    apiName: LIST_GROUPS.apiName,
    version,
    body: (w) => writeListGroupsRequest(w, version, req),
    read: (r) => readListGroupsResponse(r, version),
  };
}
