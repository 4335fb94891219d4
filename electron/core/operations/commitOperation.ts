import type { z } from 'zod';
import type { CommitInput, CommitResult } from '../../contract';
import { assertWritable } from '../admin/readOnly';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError } from '../coreError';
import { withKafka, type KafkaSession } from '../kafka/gateway';

type Input = z.output<typeof CommitInput>;

async function committed(s: KafkaSession, groupId: string, topic: string, partitions: number[]) {
  const rows = await s.committedOffsets(groupId, [topic]);
  const byPartition = new Map(
    (rows[0]?.partitions ?? []).map((p) => [p.partition, p.offset === '-1' ? null : p.offset]),
  );
  return partitions.map((partition) => ({ partition, offset: byPartition.get(partition) ?? null }));
}

/**
 * Commit Offset: writes chosen offsets for a group from outside it, as Kafka's tools do, and returns
 * the group's committed offsets before and after. Refused while the group has active members (their
 * next commit would overwrite it) and on read-only connections.
 */
export async function commitOffsets(conn: ResolvedConnection, input: Input): Promise<CommitResult> {
  assertWritable(conn, `commit offsets for group '${input.groupId}'`);
  return withKafka(conn, async (s) => {
    await s.connect();
    const md = await s.metadata(null);
    const t = md.topicMetadata.find((x) => x.topic === input.topic);
    if (!t) throw new CoreError('NOT_FOUND', `There is no topic named '${input.topic}' on this cluster.`);
    const missing = input.offsets
      .map((o) => o.partition)
      .filter((p) => !t.partitionMetadata.some((x) => x.partitionId === p));
    if (missing.length)
      throw new CoreError('NOT_FOUND', `Topic '${input.topic}' has no partition ${missing.join(', ')}.`);
    const groups = await s.describeGroups([input.groupId]);
    const members = groups[0]?.members ?? [];
    if (members.length) {
      throw new CoreError(
        'CONFLICT',
        `Consumer group '${input.groupId}' has ${members.length} active member(s) (${members
          .map((m) => `${m.clientId} on ${m.clientHost}`)
          .slice(0, 5)
          .join(', ')}); their next commit would overwrite this one. Stop them first.`,
      );
    }
    const partitions = input.offsets.map((o) => o.partition);
    const before = await committed(s, input.groupId, input.topic, partitions);
    await s.commitGroupOffsets(input.groupId, [{ topic: input.topic, partitions: input.offsets }]);
    return {
      groupId: input.groupId,
      topic: input.topic,
      before,
      after: await committed(s, input.groupId, input.topic, partitions),
    };
  });
}
