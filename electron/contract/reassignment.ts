import { z } from 'zod';
import { BrokerId } from './configs';
import { ConnectionId } from './connection';
import { TopicName } from './topics';

/**
 * The partitions-and-replicas domain: where each partition's replicas live and which one leads.
 * A change is always a plan first — generated (a new replication factor, brokers to use or leave) or
 * given (moves, a file of Kafka's own reassignment JSON) — shown partition by partition, then carried
 * out with AlterPartitionReassignments (KIP-455), followed with ListPartitionReassignments until none
 * is left, and cancellable. Leaders are put back on their preferred replica with ElectLeaders. The
 * health list names under-replicated and offline partitions with the fix that exists, if one does.
 */

const INT32_MAX = 2_147_483_647;
export const PartitionIndex = z.number().int('a partition number').min(0, 'a partition number').max(INT32_MAX);
/** Kafka keeps a replication factor in an INT16; no real cluster gets near this. */
export const MAX_REPLICATION_FACTOR = 256;

const noDuplicates = (list: number[], ctx: z.RefinementCtx, what: string) => {
  const seen = new Set<number>();
  for (const [i, n] of list.entries()) {
    if (seen.has(n)) ctx.addIssue({ code: 'custom', path: [i], message: `${what} ${n} twice` });
    seen.add(n);
  }
};

/** One partition's replicas, in order: the first is the preferred leader. */
export const ReplicaList = z
  .array(BrokerId)
  .min(1, 'at least one replica (replication factor 1 or more)')
  .max(MAX_REPLICATION_FACTOR, `at most ${MAX_REPLICATION_FACTOR} replicas`)
  .superRefine((list, ctx) => noDuplicates(list, ctx, 'broker'));

/** One line of a reassignment: as Kafka's own reassignment JSON has it. */
export const ReplicaAssignment = z.strictObject({
  topic: TopicName,
  partition: PartitionIndex,
  replicas: ReplicaList,
});
export type ReplicaAssignment = z.infer<typeof ReplicaAssignment>;

export const MAX_PLAN_PARTITIONS = 100_000;

/** What `partitions.reassign` carries out: each partition once. */
export const ReassignmentInput = z.strictObject({
  partitions: z
    .array(ReplicaAssignment)
    .min(1, 'name at least one partition')
    .max(MAX_PLAN_PARTITIONS, `at most ${MAX_PLAN_PARTITIONS} partitions in one plan`)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((p, i) => {
        const k = `${p.topic}\u0000${p.partition}`;
        if (seen.has(k))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'partition'],
            message: `${p.topic} partition ${p.partition} twice: one line each`,
          });
        seen.add(k);
      });
    }),
});
export type ReassignmentInput = z.infer<typeof ReassignmentInput>;

/** One partition of a plan: where it is, where it goes, and what that moves. */
export const PlannedPartition = z.strictObject({
  topic: z.string(),
  partition: z.number().int(),
  current: z.array(z.number().int()),
  target: z.array(z.number().int()),
  /** Brokers that get a copy (data is copied to them). */
  adding: z.array(z.number().int()),
  /** Brokers whose copy is deleted once the new ones are in sync. */
  removing: z.array(z.number().int()),
  /** The first replica (the preferred leader) is another broker afterwards. */
  leaderChange: z.boolean(),
  /** Target and current are the same, in the same order: nothing is sent for it. */
  unchanged: z.boolean(),
});
export type PlannedPartition = z.infer<typeof PlannedPartition>;

/** A broker in a plan: its replicas and preferred leaderships (of the partitions planned) before and after. */
export const PlanBroker = z.strictObject({
  nodeId: z.number().int(),
  rack: z.string().nullable(),
  replicasBefore: z.number().int(),
  replicasAfter: z.number().int(),
  leadersBefore: z.number().int(),
  leadersAfter: z.number().int(),
});
export type PlanBroker = z.infer<typeof PlanBroker>;

export const ReassignmentPlan = z.strictObject({
  /** Every partition planned, changed or not, by topic and partition. */
  partitions: z.array(PlannedPartition),
  brokers: z.array(PlanBroker),
  /** Replicas were spread over racks (every broker has broker.rack, and there are two racks or more). */
  rackAware: z.boolean(),
  /** Copies to make (the sum of `adding`): what the cluster will replicate. */
  replicasAdded: z.number().int(),
  replicasRemoved: z.number().int(),
  /** Partitions whose preferred leader changes. */
  leaderChanges: z.number().int(),
  /** What the plan could not do as asked, or what to know before running it. */
  warnings: z.array(z.string()),
  /** The changed partitions only: what `partitions.reassign` takes, and what Kafka's reassignment JSON holds. */
  assignment: z.array(ReplicaAssignment),
});
export type ReassignmentPlan = z.infer<typeof ReassignmentPlan>;

/** A reassignment the cluster is carrying out (ListPartitionReassignments). */
export const OngoingReassignment = z.strictObject({
  topic: z.string(),
  partition: z.number().int(),
  /** Every replica during the move: the target's and those being removed. */
  replicas: z.array(z.number().int()),
  adding: z.array(z.number().int()),
  removing: z.array(z.number().int()),
  /** Where it ends: `replicas` without `removing`. */
  target: z.array(z.number().int()),
  /** Where a cancel puts it back: `replicas` without `adding`. */
  original: z.array(z.number().int()),
  /** The partition's in-sync replicas now (from metadata): an added replica joins them when it has caught up. */
  isr: z.array(z.number().int()),
});
export type OngoingReassignment = z.infer<typeof OngoingReassignment>;

export const ELECTION_TYPES = ['preferred', 'unclean'] as const;
export const ElectionType = z.enum(ELECTION_TYPES);
export type ElectionType = z.infer<typeof ElectionType>;

export const ElectionResult = z.strictObject({
  topic: z.string(),
  partition: z.number().int(),
  /** elected: the leader changed; not-needed: it already led (ELECTION_NOT_NEEDED); failed: see `message`. */
  outcome: z.enum(['elected', 'not-needed', 'failed']),
  message: z.string().nullable(),
});
export type ElectionResult = z.infer<typeof ElectionResult>;

export const PARTITION_PROBLEMS = ['offline', 'under-replicated', 'leader-not-preferred'] as const;

/** The fix offered for an unhealthy partition, if one exists. */
export const HealthFix = z.discriminatedUnion('kind', [
  /** The preferred replica is alive and in sync: a preferred election gives it the leadership back. */
  z.strictObject({ kind: z.literal('elect-preferred'), about: z.string() }),
  /** Replicas on brokers the cluster no longer has: move them to live brokers (a plan, reviewed first). */
  z.strictObject({ kind: z.literal('reassign-away'), brokers: z.array(z.number().int()), about: z.string() }),
  /** No in-sync replica is alive, but another is: an unclean election brings the partition back, losing what it lacks. */
  z.strictObject({ kind: z.literal('elect-unclean'), about: z.string() }),
]);
export type HealthFix = z.infer<typeof HealthFix>;

export const PartitionHealth = z.strictObject({
  topic: z.string(),
  partition: z.number().int(),
  leader: z.number().int(),
  replicas: z.array(z.number().int()),
  isr: z.array(z.number().int()),
  offlineReplicas: z.array(z.number().int()),
  /** Replicas on brokers that are not in the cluster's metadata (gone, or not registered). */
  goneReplicas: z.array(z.number().int()),
  problems: z.array(z.enum(PARTITION_PROBLEMS)),
  fix: HealthFix.nullable(),
});
export type PartitionHealth = z.infer<typeof PartitionHealth>;

const conn = { id: ConnectionId };
const Topics = z.array(TopicName).min(1, 'name at least one topic').max(1000, 'at most 1000 topics');

export const PlanRequest = z
  .strictObject({
    ...conn,
    /** Generate a plan for these topics … */
    topics: Topics.optional(),
    /** … with this replication factor (default: each partition keeps its own) … */
    replicationFactor: z
      .number()
      .int('a whole number')
      .min(1, 'at least 1')
      .max(MAX_REPLICATION_FACTOR, `at most ${MAX_REPLICATION_FACTOR}`)
      .optional(),
    /** … on these brokers only (default: every broker in the metadata) … */
    brokers: z
      .array(BrokerId)
      .min(1, 'at least one broker')
      .max(10_000)
      .superRefine((l, ctx) => noDuplicates(l, ctx, 'broker'))
      .optional(),
    /** … and none on these (moving replicas away from a broker). */
    excludeBrokers: z
      .array(BrokerId)
      .min(1)
      .max(10_000)
      .superRefine((l, ctx) => noDuplicates(l, ctx, 'broker'))
      .optional(),
    /** Or: the moves as given, checked and described (a plan of one's own, or one from Kafka's tool). */
    moves: ReassignmentInput.shape.partitions.optional(),
  })
  .superRefine((r, ctx) => {
    if (!r.topics && !r.moves)
      ctx.addIssue({ code: 'custom', path: ['topics'], message: 'name the topics to plan for, or give the moves' });
    if (r.topics && r.moves)
      ctx.addIssue({ code: 'custom', path: ['moves'], message: 'either topics to plan for or moves, not both' });
    if (r.moves)
      for (const k of ['replicationFactor', 'brokers', 'excludeBrokers'] as const)
        if (r[k] !== undefined)
          ctx.addIssue({ code: 'custom', path: [k], message: 'applies to a generated plan, not to moves given' });
    const excluded = new Set(r.excludeBrokers ?? []);
    const both = (r.brokers ?? []).find((b) => excluded.has(b));
    if (both !== undefined)
      ctx.addIssue({ code: 'custom', path: ['excludeBrokers'], message: `broker ${both} is both to use and to leave` });
  });

export const reassignmentChannels = {
  /**
   * A plan, nothing changed: for `topics`, the partitions' new replicas — current ones kept where they
   * may stay, new ones on the least-loaded brokers, spread over racks, preferred leaders balanced; for
   * `moves`, those moves checked against the cluster and described.
   */
  'partitions.plan': { input: PlanRequest, output: ReassignmentPlan },
  /**
   * Carries out a plan (its `assignment`, or Kafka's reassignment JSON read in). The plan is checked
   * again against the cluster first (topics, partitions and brokers exist); with `dryRun` (the default)
   * that is all, and the answer is what it would do.
   */
  'partitions.reassign': {
    input: z.strictObject({ ...conn, plan: ReassignmentInput, dryRun: z.boolean().default(true) }),
    output: z.strictObject({
      dryRun: z.boolean(),
      plan: ReassignmentPlan,
      /** Each partition sent, and whether the controller took it (its sentence when not). */
      results: z.array(
        z.strictObject({
          topic: z.string(),
          partition: z.number().int(),
          ok: z.boolean(),
          message: z.string().nullable(),
        }),
      ),
    }),
  },
  /** The reassignments in progress (of these topics, or all); none listed: every one is done. */
  'partitions.reassignments': {
    input: z.strictObject({ ...conn, topics: Topics.optional() }),
    output: z.strictObject({ reassignments: z.array(OngoingReassignment), fetchedAt: z.string() }),
  },
  /**
   * Cancels reassignments in progress — of a topic (all its partitions, or those named), or every one
   * of the cluster — and the replicas go back to where they were (`original`).
   */
  'partitions.cancelReassignment': {
    input: z
      .strictObject({
        ...conn,
        topic: TopicName.optional(),
        partitions: z.array(PartitionIndex).min(1).max(MAX_PLAN_PARTITIONS).optional(),
      })
      .superRefine((r, ctx) => {
        if (r.partitions && !r.topic)
          ctx.addIssue({ code: 'custom', path: ['topic'], message: 'partitions are of a topic: name it' });
      }),
    output: z.strictObject({
      cancelled: z.array(OngoingReassignment),
      /** Asked for, but no longer moving (done meanwhile, or never started). */
      notInProgress: z.array(z.strictObject({ topic: z.string(), partition: z.number().int() })),
    }),
  },
  /**
   * Leader election: `preferred` gives each partition's leadership to its first replica where that one
   * is in sync; `unclean` elects any live replica where no in-sync one is (what it lacks is lost).
   * `topics` null: every partition of the cluster.
   */
  'partitions.electLeaders': {
    input: z.strictObject({
      ...conn,
      type: ElectionType.default('preferred'),
      topics: z
        .array(
          z.strictObject({
            topic: TopicName,
            /** Default: every partition of the topic. */
            partitions: z.array(PartitionIndex).min(1).max(MAX_PLAN_PARTITIONS).optional(),
          }),
        )
        .min(1)
        .max(1000)
        .nullable()
        .default(null),
    }),
    output: z.strictObject({
      type: ElectionType,
      results: z.array(ElectionResult),
      elected: z.number().int(),
      notNeeded: z.number().int(),
      failed: z.number().int(),
    }),
  },
  /** Every partition of the cluster that is offline, under-replicated or not led by its preferred replica, with its fix. */
  'partitions.health': {
    input: z.strictObject({ ...conn }),
    output: z.strictObject({
      partitions: z.array(PartitionHealth),
      offline: z.number().int(),
      underReplicated: z.number().int(),
      leaderNotPreferred: z.number().int(),
      /** Brokers some replicas are on but the metadata does not list. */
      goneBrokers: z.array(z.number().int()),
      fetchedAt: z.string(),
    }),
  },
} as const;

// --- pure helpers every host shares

/**
 * Kafka's own reassignment file (`kafka-reassign-partitions --generate` prints it, `--execute` and
 * `--verify` read it): `{"version":1,"partitions":[{"topic","partition","replicas","log_dirs"?}]}`.
 */
export function toKafkaReassignmentJson(assignment: ReplicaAssignment[]): string {
  return JSON.stringify({
    version: 1,
    partitions: assignment.map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas })),
  });
}

const KafkaFile = z.looseObject({
  version: z.literal(1, 'version 1 (the only one Kafka writes)'),
  partitions: z.array(
    z.looseObject({
      topic: z.unknown(),
      partition: z.unknown(),
      replicas: z.unknown(),
      /** Kafka's tool writes "any" for each replica; another value names a log dir, which this plan cannot move to. */
      log_dirs: z.array(z.string()).optional(),
    }),
  ),
});

/**
 * Reads Kafka's reassignment JSON into what `partitions.reassign` takes (which checks it again).
 * Answers the assignment, or the sentence saying what in the file is wrong.
 */
export function fromKafkaReassignmentJson(
  text: string,
): { ok: true; value: ReassignmentInput } | { ok: false; error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const file = KafkaFile.safeParse(doc);
  if (!file.success) {
    const i = file.error.issues[0]!;
    return { ok: false, error: `not a reassignment file: ${i.path.join('.') || '(top)'}: ${i.message}` };
  }
  const dirs = file.data.partitions.findIndex((p) => p.log_dirs?.some((d) => d !== 'any'));
  if (dirs >= 0)
    return {
      ok: false,
      error: `partitions.${dirs}.log_dirs names a log dir: moving replicas between log dirs is not done here (only "any")`,
    };
  const parsed = ReassignmentInput.safeParse({
    partitions: file.data.partitions.map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas })),
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { ok: false, error: `${i.path.join('.')}: ${i.message}` };
  }
  return { ok: true, value: parsed.data };
}
