import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  fromKafkaReassignmentJson,
  toKafkaReassignmentJson,
  type ChannelOutput,
  type OngoingReassignment,
  type ReassignmentPlan,
} from '../contract';
import { CoreError } from '../core/coreError';
import type { AdminCommandContext } from './adminCommands';
import { printRows } from './output';
import { jsonText, showText } from './terminalText';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const ids = (l: number[]) => (l.length ? l.join(',') : '-');
const collect = (v: string, prev: string[]) => [...prev, v];
/** A plan file larger than this is not a reassignment plan (100,000 partitions fit in a few MiB). */
const MAX_PLAN_FILE_BYTES = 32 * 1024 * 1024;

/** `1,2,3` or `1 2` (repeatable) → [1, 2, 3]; anything else is refused with the flag named. */
export function brokerList(flag: string, values: string[]): number[] {
  const out: number[] = [];
  for (const part of values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean)) {
    if (!/^\d{1,10}$/.test(part) || Number(part) > 2_147_483_647)
      throw new CoreError('INVALID_INPUT', `${flag} ${part}: a broker id is a whole number, such as 1.`);
    out.push(Number(part));
  }
  return out;
}

function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,6}$/.test(text)) throw new CoreError('INVALID_INPUT', `${flag} ${text}: a whole number, such as 3.`);
  return Number(text);
}

function printPlan(ctx: AdminCommandContext, plan: ReassignmentPlan): void {
  printRows(
    plan.partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      current: ids(p.current),
      target: ids(p.target),
      adding: ids(p.adding),
      removing: ids(p.removing),
      change: p.unchanged ? 'none' : p.leaderChange ? `leader ${p.current[0] ?? '-'} → ${p.target[0]}` : 'replicas',
    })),
    [
      { key: 'topic', title: 'TOPIC' },
      { key: 'partition', title: 'PARTITION', align: 'right' },
      { key: 'current', title: 'CURRENT' },
      { key: 'target', title: 'NEW' },
      { key: 'adding', title: 'ADDING' },
      { key: 'removing', title: 'REMOVING' },
      { key: 'change', title: 'CHANGE' },
    ],
    false,
    ctx.out,
  );
  const changed = plan.assignment.length;
  ctx.out(
    `\n${changed ? `${plural(changed, 'partition')} to change` : 'Nothing to change'}: ${plural(plan.replicasAdded, 'replica')} to copy, ${plural(plan.replicasRemoved, 'replica')} to remove, ${plural(plan.leaderChanges, 'preferred leader')} to change${plan.rackAware ? '; replicas spread over racks' : ''}.\n`,
  );
  for (const w of plan.warnings) ctx.err(`warning: ${showText(w)}\n`);
}

function printOngoing(ctx: AdminCommandContext, list: OngoingReassignment[]): void {
  printRows(
    list.map((r) => ({
      topic: r.topic,
      partition: r.partition,
      original: ids(r.original),
      target: ids(r.target),
      adding: ids(r.adding),
      removing: ids(r.removing),
      isr: ids(r.isr),
    })),
    [
      { key: 'topic', title: 'TOPIC' },
      { key: 'partition', title: 'PARTITION', align: 'right' },
      { key: 'original', title: 'FROM' },
      { key: 'target', title: 'TO' },
      { key: 'adding', title: 'ADDING' },
      { key: 'removing', title: 'REMOVING' },
      { key: 'isr', title: 'IN SYNC' },
    ],
    false,
    ctx.out,
  );
}

async function readPlanFile(file: string) {
  let text: string;
  try {
    if ((await stat(file)).size > MAX_PLAN_FILE_BYTES)
      throw new CoreError('FILE_ERROR', `${file} is larger than ${MAX_PLAN_FILE_BYTES / 1024 / 1024} MiB: not a plan.`);
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError('FILE_ERROR', `Cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = fromKafkaReassignmentJson(text);
  if (!parsed.ok)
    throw new CoreError('INVALID_INPUT', `${file} is not a reassignment plan Kafka Desk can run: ${parsed.error}.`);
  return parsed.value;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Flags = { json?: boolean };

/**
 * `kafka-desk reassign plan | execute | status | cancel`, `kafka-desk leaders elect` and
 * `kafka-desk partitions health`: replicas moved through a plan to review (Kafka's own reassignment
 * JSON in and out), preferred and unclean elections, and what is under-replicated or offline.
 */
export function registerReassignCommands(program: Command, ctx: AdminCommandContext): void {
  const reassign = program
    .command('reassign')
    .description('change replication factors or move partitions: a plan to review, then run, follow and cancel');

  ctx
    .addConnectionFlags(
      reassign
        .command('plan')
        .description('plan a new replication factor or a move off brokers (nothing changes); --out writes Kafka’s JSON')
        .option('--topic <name>', 'a topic to plan for (repeatable)', collect, [] as string[])
        .option('--replication-factor <n>', 'the new replication factor (default: each partition keeps its own)')
        .option('--brokers <ids>', 'only these brokers, e.g. 1,2,3 (default: every broker)', collect, [] as string[])
        .option('--exclude-broker <id>', 'move replicas off this broker (repeatable)', collect, [] as string[])
        .option('--out <file>', 'write the plan as kafka-reassign-partitions’ JSON (--execute / --verify take it)'),
    )
    .action(
      async (
        flags: Flags & {
          topic: string[];
          replicationFactor?: string;
          brokers: string[];
          excludeBroker: string[];
          out?: string;
        },
      ) => {
        if (!flags.topic.length) throw new CoreError('INVALID_INPUT', 'Name the topic to plan for: --topic NAME.');
        const brokers = brokerList('--brokers', flags.brokers);
        const exclude = brokerList('--exclude-broker', flags.excludeBroker);
        const plan = await ctx.call<ReassignmentPlan>(flags, 'partitions.plan', {
          topics: flags.topic,
          replicationFactor: wholeNumber('--replication-factor', flags.replicationFactor),
          ...(brokers.length ? { brokers } : {}),
          ...(exclude.length ? { excludeBrokers: exclude } : {}),
        });
        if (flags.out) {
          try {
            await writeFile(flags.out, toKafkaReassignmentJson(plan.assignment) + '\n');
          } catch (e) {
            throw new CoreError('FILE_ERROR', `Cannot write ${flags.out}: ${(e as Error).message}`);
          }
        }
        if (flags.json) ctx.out(jsonText(plan) + '\n');
        else {
          printPlan(ctx, plan);
          if (flags.out)
            ctx.out(
              `Wrote ${showText(flags.out)} (Kafka's reassignment JSON). Run it with: kafka-desk reassign execute ${showText(flags.out)} --yes\n`,
            );
        }
      },
    );

  ctx
    .addConnectionFlags(
      reassign
        .command('execute <file>')
        .description('run a plan (Kafka’s reassignment JSON, from plan --out or kafka-reassign-partitions --generate)')
        .option('--yes', 'confirm: start the reassignment shown')
        .option('--wait', 'then follow it until no partition is being moved'),
    )
    .action(async (file: string, flags: Flags & { yes?: boolean; wait?: boolean }) => {
      const plan = await readPlanFile(file);
      const preview = await ctx.call<ChannelOutput<'partitions.reassign'>>(flags, 'partitions.reassign', {
        plan,
        dryRun: true,
      });
      if (!flags.yes) {
        if (flags.json) ctx.out(jsonText(preview) + '\n');
        else printPlan(ctx, preview.plan);
        if (!preview.plan.assignment.length) return;
        throw new CoreError(
          'CONFIRMATION_REQUIRED',
          `Nothing was changed: add --yes to start moving ${plural(preview.plan.assignment.length, 'partition')}.`,
        );
      }
      const r = await ctx.call<ChannelOutput<'partitions.reassign'>>(flags, 'partitions.reassign', {
        plan,
        dryRun: false,
      });
      if (flags.json) ctx.out(jsonText(r) + '\n');
      else {
        printPlan(ctx, r.plan);
        const refused = r.results.filter((x) => !x.ok);
        for (const x of refused)
          ctx.err(`${showText(x.topic)} partition ${x.partition}: ${showText(x.message ?? '')}\n`);
        ctx.out(
          r.results.length
            ? `Started ${plural(r.results.length - refused.length, 'partition')}${refused.length ? `; ${refused.length} refused` : ''}. Follow with: kafka-desk reassign status\n`
            : 'Nothing to change: every partition is where the plan puts it.\n',
        );
      }
      if (r.results.some((x) => !x.ok))
        throw new CoreError('KAFKA_ERROR', 'Kafka refused part of the plan (see above); the rest was started.');
      if (flags.wait && r.results.length) {
        const topics = [...new Set(r.results.map((x) => x.topic))];
        for (;;) {
          const now = await ctx.call<ChannelOutput<'partitions.reassignments'>>(flags, 'partitions.reassignments', {
            topics,
          });
          if (!now.reassignments.length) break;
          if (!flags.json) ctx.err(`${plural(now.reassignments.length, 'partition')} still moving…\n`);
          await sleep(2000);
        }
        if (!flags.json) ctx.out('Done: no partition of the plan is being moved.\n');
      }
    });

  ctx
    .addConnectionFlags(
      reassign
        .command('status')
        .description('the reassignments in progress: from, to, adding, removing, in sync')
        .option('--topic <name>', 'of this topic only (repeatable)', collect, [] as string[]),
    )
    .action(async (flags: Flags & { topic: string[] }) => {
      const r = await ctx.call<ChannelOutput<'partitions.reassignments'>>(flags, 'partitions.reassignments', {
        ...(flags.topic.length ? { topics: flags.topic } : {}),
      });
      if (flags.json) {
        printRows(r.reassignments, [], true, ctx.out);
        return;
      }
      if (!r.reassignments.length) {
        ctx.out('No reassignment in progress.\n');
        return;
      }
      printOngoing(ctx, r.reassignments);
    });

  ctx
    .addConnectionFlags(
      reassign
        .command('cancel')
        .description('cancel reassignments in progress: the replicas go back where they were')
        .option('--topic <name>', 'the topic (default: every reassignment in progress)')
        .option('--partition <n>', 'only this partition (repeatable; needs --topic)', collect, [] as string[]),
    )
    .action(async (flags: Flags & { topic?: string; partition: string[] }) => {
      const partitions = flags.partition.map((p) => wholeNumber('--partition', p)!);
      const r = await ctx.call<ChannelOutput<'partitions.cancelReassignment'>>(flags, 'partitions.cancelReassignment', {
        ...(flags.topic ? { topic: flags.topic } : {}),
        ...(partitions.length ? { partitions } : {}),
      });
      if (flags.json) {
        ctx.out(jsonText(r) + '\n');
        return;
      }
      if (r.cancelled.length) {
        printOngoing(ctx, r.cancelled);
        ctx.out(`\nCancelled ${plural(r.cancelled.length, 'reassignment')}: the replicas go back to FROM.\n`);
      } else ctx.out('No reassignment in progress to cancel.\n');
      if (r.notInProgress.length)
        ctx.err(
          `Not moving (done, or never started): ${r.notInProgress.map((p) => `${showText(p.topic)}-${p.partition}`).join(', ')}\n`,
        );
    });

  const leaders = program.command('leaders').description('leader elections: preferred, or unclean');
  ctx
    .addConnectionFlags(
      leaders
        .command('elect')
        .description('give each partition’s leadership to its preferred (first) replica; --unclean for offline ones')
        .option(
          '--topic <name>',
          'this topic (repeatable; default: every partition of the cluster)',
          collect,
          [] as string[],
        )
        .option('--partition <n>', 'only this partition (repeatable; needs one --topic)', collect, [] as string[])
        .option('--preferred', 'a preferred election (the default)')
        .option('--unclean', 'an unclean election: a live replica out of sync may lead, and what it lacks is lost')
        .option('--yes', 'confirm an unclean election'),
    )
    .action(
      async (
        flags: Flags & { topic: string[]; partition: string[]; preferred?: boolean; unclean?: boolean; yes?: boolean },
      ) => {
        if (flags.preferred && flags.unclean)
          throw new CoreError('INVALID_INPUT', 'Use either --preferred or --unclean.');
        if (flags.partition.length && flags.topic.length !== 1)
          throw new CoreError('INVALID_INPUT', '--partition is of one topic: name exactly one --topic.');
        if (flags.unclean && !flags.yes)
          throw new CoreError(
            'CONFIRMATION_REQUIRED',
            'Nothing was elected: an unclean election can lose messages (the new leader lacks what it did not copy). Add --yes to run it.',
          );
        const partitions = flags.partition.map((p) => wholeNumber('--partition', p)!);
        const r = await ctx.call<ChannelOutput<'partitions.electLeaders'>>(flags, 'partitions.electLeaders', {
          type: flags.unclean ? 'unclean' : 'preferred',
          topics: flags.topic.length
            ? flags.topic.map((topic) => ({ topic, ...(partitions.length ? { partitions } : {}) }))
            : null,
        });
        if (flags.json) {
          ctx.out(jsonText(r) + '\n');
          return;
        }
        const shown = r.results.filter((x) => x.outcome !== 'not-needed');
        if (shown.length)
          printRows(
            shown.map((x) => ({ ...x, message: x.message ?? '' })),
            [
              { key: 'topic', title: 'TOPIC' },
              { key: 'partition', title: 'PARTITION', align: 'right' },
              { key: 'outcome', title: 'OUTCOME' },
              { key: 'message', title: 'WHY' },
            ],
            false,
            ctx.out,
          );
        ctx.out(
          `${r.type === 'unclean' ? 'Unclean' : 'Preferred'} election: ${plural(r.elected, 'leader')} changed, ${plural(r.notNeeded, 'partition')} already led by ${r.type === 'unclean' ? 'a replica' : 'its preferred replica'}${r.failed ? `, ${r.failed} failed` : ''}.\n`,
        );
        if (r.failed)
          throw new CoreError('KAFKA_ERROR', `${plural(r.failed, 'partition')} could not be elected (see above).`);
      },
    );

  const partitionsCmd = program.command('partitions').description('partition health across the cluster');
  ctx
    .addConnectionFlags(
      partitionsCmd
        .command('health')
        .description('offline, under-replicated and not-preferred-leader partitions, with the fix where one exists'),
    )
    .action(async (flags: Flags) => {
      const r = await ctx.call<ChannelOutput<'partitions.health'>>(flags, 'partitions.health', {});
      if (flags.json) {
        ctx.out(jsonText(r) + '\n');
        return;
      }
      if (!r.partitions.length) {
        ctx.out('Every partition is online, fully in sync and led by its preferred replica.\n');
        return;
      }
      printRows(
        r.partitions.map((p) => ({
          topic: p.topic,
          partition: p.partition,
          leader: p.leader < 0 ? 'none' : String(p.leader),
          replicas: ids(p.replicas),
          isr: ids(p.isr),
          problems: p.problems.join(', '),
          fix: p.fix
            ? p.fix.kind === 'elect-preferred'
              ? 'kafka-desk leaders elect'
              : p.fix.kind === 'elect-unclean'
                ? 'kafka-desk leaders elect --unclean --yes'
                : `kafka-desk reassign plan --topic ${p.topic} --out plan.json`
            : '-',
        })),
        [
          { key: 'topic', title: 'TOPIC' },
          { key: 'partition', title: 'PARTITION', align: 'right' },
          { key: 'leader', title: 'LEADER', align: 'right' },
          { key: 'replicas', title: 'REPLICAS' },
          { key: 'isr', title: 'IN SYNC' },
          { key: 'problems', title: 'PROBLEMS' },
          { key: 'fix', title: 'FIX' },
        ],
        false,
        ctx.out,
      );
      ctx.out(
        `\n${plural(r.offline, 'offline partition')}, ${plural(r.underReplicated, 'under-replicated partition')}, ${plural(r.leaderNotPreferred, 'partition')} not led by its preferred replica${r.goneBrokers.length ? `; replicas on brokers the cluster does not list: ${r.goneBrokers.join(', ')}` : ''}.\n`,
      );
    });
}
