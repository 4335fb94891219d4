import type { StartPosition } from '../../contract';
import { CoreError } from '../coreError';
import type { KafkaSession } from './gateway';
import type { PartitionBounds } from './types';

/**
 * Read planning, the same for Consume, Listen and a group's offset reset: the cluster's metadata →
 * the topics and partitions asked for (each must exist) → each partition's log bounds → where the
 * read (or the reset) begins, clamped to what the log still holds.
 */

/** Topic names (each must exist), or a chooser over the cluster's topic names. */
export type TopicChoice = string[] | ((existing: string[]) => string[]);

/**
 * Where to begin on each partition: a start position, or (for an offset reset) the group's
 * committed offset shifted by `by`, which needs a committed offset on every partition.
 */
export type StartRule = StartPosition | { from: 'shift'; groupId: string; by: number };

export interface ReadRequest {
  topics: TopicChoice;
  /** Absent: every partition of each topic. */
  partitions?: number[];
  start: StartRule;
  /** A group whose committed offset each planned partition reports (`committed`). */
  committedOf?: string;
}

export interface PlannedPartition {
  topic: string;
  partition: number;
  low: bigint;
  high: bigint;
  /** The first offset to read (or the offset to reset to). */
  start: bigint;
  /** The `committedOf` group's committed offset; null where it has none. */
  committed?: bigint | null;
}

export interface ReadPlan {
  topics: string[];
  partitions: PlannedPartition[];
}

/** Topics the cluster's metadata does not list: absent, or hidden by its ACLs (`explainUnlisted` tells which). */
export class UnlistedTopics extends CoreError {
  constructor(readonly topics: string[]) {
    super(
      'NOT_FOUND',
      topics.length === 1
        ? `There is no topic named '${topics[0]}' on this cluster.`
        : `There are no topics named ${topics.map((t) => `'${t}'`).join(', ')} on this cluster.`,
    );
  }
}

/** The names given, each of which must be a topic of the cluster. */
export function requireTopics(existing: string[], names: string[]): string[] {
  const missing = names.filter((t) => !existing.includes(t));
  if (missing.length) throw new UnlistedTopics(missing);
  return [...new Set(names)];
}

/**
 * A topic the metadata does not list may be one the cluster's ACLs hide from this connection's user:
 * asked by name, the broker says which (TOPIC_AUTHORIZATION_FAILED), so the user is not told a topic
 * they can see in another tool "does not exist".
 */
export async function explainUnlisted(session: KafkaSession, e: UnlistedTopics): Promise<CoreError> {
  const why = await session.whyUnlisted(e.topics).catch(() => new Map<string, 'absent' | 'denied'>());
  const denied = e.topics.filter((t) => why.get(t) === 'denied');
  if (!denied.length) return e;
  const one = denied.length === 1;
  const named = denied.map((t) => `'${t}'`).join(', ');
  return new CoreError(
    'FORBIDDEN',
    `${one ? 'Topic' : 'Topics'} ${named} ${one ? 'is' : 'are'} not shown to this connection's user: the cluster's ACLs do not let it describe ${one ? 'it' : 'them'} (TOPIC_AUTHORIZATION_FAILED), or there is no such topic — Kafka does not tell the two apart to a user who may not describe a topic. Reading takes DESCRIBE and READ on a topic, writing DESCRIBE and WRITE.`,
    `Kafka leaves a topic out of the metadata for a user who may not describe it; asked by name, it answered TOPIC_AUTHORIZATION_FAILED.`,
  );
}

const committedValue = (s: string | null | undefined): bigint | null =>
  s === null || s === undefined || s === '' || s === '-1' ? null : BigInt(s);

/**
 * Plans a read. Partitions asked for that a topic does not have are an error when the read names one
 * topic; across several topics, each reads the ones it has.
 */
export async function planRead(session: KafkaSession, req: ReadRequest): Promise<ReadPlan> {
  await session.connect();
  const md = await session.metadata(null);
  const existing = md.topicMetadata.map((t) => t.topic);
  let topics: string[];
  try {
    topics = typeof req.topics === 'function' ? req.topics(existing) : requireTopics(existing, req.topics);
  } catch (e) {
    throw e instanceof UnlistedTopics ? await explainUnlisted(session, e) : e;
  }
  const partitions: PlannedPartition[] = [];
  // a reset shifting from the group's offsets also reports them: asked once
  const asked = new Map<string, Promise<Map<number, bigint | null>>>();
  const committedOn = (groupId: string, topic: string) => {
    const key = `${groupId}\u0000${topic}`;
    if (!asked.has(key)) asked.set(key, fetchCommitted(session, groupId, topic));
    return asked.get(key)!;
  };
  for (const topic of topics) {
    const t = md.topicMetadata.find((x) => x.topic === topic)!;
    const all = t.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b);
    const wanted = req.partitions ?? all;
    const missing = wanted.filter((p) => !all.includes(p));
    if (missing.length && topics.length === 1)
      throw new CoreError(
        'NOT_FOUND',
        `Topic '${topic}' has no partition ${missing.join(', ')} (it has ${all.length}).`,
      );
    const chosen = wanted.filter((p) => all.includes(p));
    const bounds = await session.topicOffsets(topic);
    const starts = await startOffsets(session, topic, req.start, chosen, bounds, committedOn);
    const committed = req.committedOf === undefined ? null : await committedOn(req.committedOf, topic);
    for (const p of chosen) {
      const { low, high } = bounds.get(p)!;
      partitions.push({
        topic,
        partition: p,
        low,
        high,
        start: starts.get(p)!,
        ...(committed ? { committed: committed.get(p) ?? null } : {}),
      });
    }
  }
  return { topics, partitions };
}

async function fetchCommitted(
  session: KafkaSession,
  groupId: string,
  topic: string,
): Promise<Map<number, bigint | null>> {
  const rows = await session.committedOffsets(groupId, [topic]);
  return new Map((rows[0]?.partitions ?? []).map((p) => [p.partition, committedValue(p.offset)]));
}

async function startOffsets(
  session: KafkaSession,
  topic: string,
  s: StartRule,
  partitions: number[],
  bounds: Map<number, PartitionBounds>,
  committedOn: (groupId: string, topic: string) => Promise<Map<number, bigint | null>>,
): Promise<Map<number, bigint>> {
  const clamp = (p: number, v: bigint) => {
    const { low, high } = bounds.get(p)!;
    return v < low ? low : v > high ? high : v;
  };
  const out = new Map<number, bigint>();
  if (s.from === 'timestamp') {
    const byTime = await session.offsetsAtTime(topic, s.timestamp);
    for (const p of partitions) {
      const t = byTime.get(p) ?? -1n;
      out.set(p, t < 0n ? bounds.get(p)!.high : clamp(p, t));
    }
  } else if (s.from === 'group') {
    const committed = await committedOn(s.groupId, topic);
    for (const p of partitions) {
      const c = committed.get(p) ?? null;
      out.set(p, c === null || c < 0n ? bounds.get(p)!.low : clamp(p, c));
    }
  } else if (s.from === 'shift') {
    const committed = await committedOn(s.groupId, topic);
    for (const p of partitions) {
      const c = committed.get(p) ?? null;
      if (c === null) {
        throw new CoreError(
          'INVALID_INPUT',
          `Group '${s.groupId}' has no committed offset on ${topic}[${p}] to shift from; reset it to earliest, latest, a time or an offset.`,
        );
      }
      out.set(p, clamp(p, c + BigInt(s.by)));
    }
  } else {
    for (const p of partitions) {
      const { low, high } = bounds.get(p)!;
      out.set(
        p,
        s.from === 'earliest'
          ? low
          : s.from === 'latest'
            ? clamp(p, high - BigInt(s.minus))
            : clamp(p, BigInt(s.offset)),
      );
    }
  }
  return out;
}
