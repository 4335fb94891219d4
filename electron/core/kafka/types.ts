/**
 * What the rest of the core sees of a Kafka cluster: our own shapes, never the client library's.
 * The gateway (gateway.ts), the consumer factory and the producer map kafkajs' objects onto these,
 * so a change of client (or of its version) stays inside electron/core/kafka.
 */

/** One partition as the Metadata response describes it. */
export interface PartitionInfo {
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas?: number[];
}

/** The full Metadata response (rack and isInternal included, which kafkajs' Admin drops). */
export interface ClusterMetadata {
  clusterId?: string | null;
  controllerId?: number | null;
  brokers: { nodeId: number; host: string; port: number; rack?: string | null }[];
  topicMetadata: {
    topic: string;
    topicErrorCode?: number;
    isInternal?: boolean;
    partitionMetadata: PartitionInfo[];
  }[];
}

/** A partition's log start (low) and end (high) offsets. */
export interface PartitionBounds {
  low: bigint;
  high: bigint;
}

/** A group's committed offsets on one topic; '-1' where it has none. */
export interface CommittedTopicOffsets {
  topic: string;
  partitions: { partition: number; offset: string; metadata: string | null }[];
}

/** Offsets to commit (or committed): the next offset to read per partition. */
export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/** Partitions of one topic assigned to a member; `topicId` where the broker names topics by id (KIP-848). */
export interface AssignedPartitions {
  topic: string;
  partitions: number[];
  topicId?: string;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  /** The partitions assigned to the member (consumer groups only; empty for other protocols). */
  assignment: AssignedPartitions[];
  /** Consumer and share groups (ConsumerGroupDescribe, ShareGroupDescribe): */
  instanceId?: string | null;
  rack?: string | null;
  memberEpoch?: number;
  /** In a consumer group: the protocol the member's client speaks (a classic one joins during an upgrade). */
  memberType?: 'classic' | 'consumer' | null;
  subscribedTopics?: string[];
  subscribedTopicRegex?: string | null;
  /** What the coordinator is moving the member to (consumer groups). */
  targetAssignment?: AssignedPartitions[];
}

/** A group as ListGroups names it: its type ('classic' on brokers before ListGroups v5), its state (null before v4). */
export interface ListedGroup {
  groupId: string;
  protocolType: string;
  /** classic | consumer | share | streams, or what a newer broker names. */
  type: string;
  state: string | null;
}

export interface GroupInfo {
  groupId: string;
  type: string;
  state: string;
  /** Classic: the assignment strategy the members agreed on; consumer and share groups: the assignor. */
  protocol: string;
  protocolType: string;
  members: GroupMember[];
  groupEpoch?: number;
  assignmentEpoch?: number;
  assignor?: string;
  /** Why the members could not be read (the broker lacks the API for this type of group). */
  unavailable?: string;
}

/**
 * SCRAM credentials to create or change (the password salted in the gateway, never sent) and to
 * delete, in one AlterUserScramCredentials request.
 */
export interface ScramChange {
  upsertions: { name: string; mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; iterations: number; password: string }[];
  deletions: { name: string; mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512' }[];
}

/** A topic's configuration entry as DescribeConfigs reports it, its source named. */
export interface TopicConfig {
  name: string;
  value: string;
  isDefault: boolean;
  source: string;
  readOnly: boolean;
  sensitive: boolean;
}

/** What the patched kafkajs puts in place of a batch a codec refused to inflate (patches/kafkajs+2.2.4.patch). */
export interface InflatePlaceholder {
  firstOffset: string;
  records: number;
  compressedBytes: number;
  limit: number;
  codec: string;
}

/** A record as read from a partition: bytes as they came, headers with repeated keys as arrays. */
export interface KafkaRecord {
  offset: string;
  timestamp: string;
  /** Bit 3 set: the broker stamped the time (LogAppendTime). */
  attributes?: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  /** Set instead of the bytes when the batch inflates past the connection's cap. */
  inflateLimit?: InflatePlaceholder;
}

/** A record to send. Headers: each value is sent once, in order, under its key. */
export interface OutgoingRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer[]>;
  partition?: number;
  timestamp?: string;
}

/** What the broker answered for the records of one partition in a produce request. */
export interface ProduceAck {
  partition: number;
  baseOffset?: string;
  logAppendTime?: string;
}

/** One SASL round trip: our token to the broker (framed as Kafka BYTES), the broker's token back. */
export type SaslSend = (token: Buffer) => Promise<Buffer>;

/** A SASL mechanism kafkajs lacks, written as a token exchange with the broker at `host`. */
export interface SaslTokenExchange {
  mechanism: string;
  authenticate(host: string, send: SaslSend): Promise<void>;
}

/** A partition's new replicas for AlterPartitionReassignments; null cancels its reassignment in progress. */
export interface PartitionReplicas {
  topic: string;
  partition: number;
  replicas: number[] | null;
}

/** What the controller said of one partition of an AlterPartitionReassignments. */
export interface ReassignmentOutcome {
  topic: string;
  partition: number;
  errorCode: number;
  /** NO_REASSIGNMENT_IN_PROGRESS: a cancel found nothing to cancel. */
  notInProgress: boolean;
  message: string | null;
}

/** A reassignment in progress, as ListPartitionReassignments lists it. */
export interface OngoingPartitionReassignment {
  topic: string;
  partition: number;
  replicas: number[];
  adding: number[];
  removing: number[];
}

/** One partition of a leader election. */
export interface ElectionOutcome {
  topic: string;
  partition: number;
  outcome: 'elected' | 'not-needed' | 'failed';
  errorCode: number;
  message: string | null;
}
