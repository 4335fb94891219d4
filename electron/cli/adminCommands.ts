import { Command, Option } from 'commander';
import type {
  ChannelName,
  ChannelOutput,
  ConsumerGroupDetail,
  ConsumerGroupSummary,
  GroupResetResult,
  ResetStrategy,
  TopicDetail,
  TopicSummary,
} from '../contract';
import { bytesText } from '../contract';
import { CoreError } from '../core/coreError';
import type { CliTarget } from './callCore';
import { printRows } from './output';
import { jsonText, showText } from './terminalText';

/** What the command line shares with its commands: writers, the connection flags, and the way into the core. */
export interface AdminCommandContext {
  out: (s: string) => void;
  err: (s: string) => void;
  addConnectionFlags: (cmd: Command) => Command;
  /** The core and the connection id the flags name (a saved connection, or one registered for this run). */
  target: (flags: object) => Promise<CliTarget>;
  /**
   * Runs a contract channel for the connection the flags name: the same validation and the same
   * handlers as the app, with the core's read-only check.
   */
  call: <T>(flags: object, channel: ChannelName, input: Record<string, unknown>) => Promise<T>;
}

const json = (flags: { json?: boolean }) => Boolean(flags.json);

function printTopic(ctx: AdminCommandContext, d: TopicDetail): void {
  ctx.out(
    `topic       ${showText(d.name)}${d.internal ? ' (internal)' : ''}\npartitions  ${d.partitions.length}\nreplicas    ${d.replicationFactor}\nmessages    ${BigInt(d.messages).toLocaleString('en-US')}\n\n`,
  );
  printRows(
    d.partitions.map((p) => ({ ...p, replicas: p.replicas.join(','), isr: p.isr.join(',') })),
    [
      { key: 'partition', title: 'PARTITION', align: 'right' },
      { key: 'leader', title: 'LEADER', align: 'right' },
      { key: 'replicas', title: 'REPLICAS' },
      { key: 'isr', title: 'ISR' },
      { key: 'startOffset', title: 'START', align: 'right' },
      { key: 'endOffset', title: 'END', align: 'right' },
      { key: 'messages', title: 'MESSAGES', align: 'right' },
    ],
    false,
    ctx.out,
  );
  const set = d.configs.filter((c) => !c.isDefault);
  if (set.length) {
    ctx.out('\n');
    printRows(
      set.map((c) => ({ ...c, value: c.sensitive ? '(sensitive)' : c.value })),
      [
        { key: 'name', title: 'CONFIG' },
        { key: 'value', title: 'VALUE' },
        { key: 'source', title: 'SOURCE' },
      ],
      false,
      ctx.out,
    );
  }
  if (d.consumerGroups.length) ctx.out(`\nconsumer groups: ${d.consumerGroups.map(showText).join(', ')}\n`);
  printLogDirs(ctx, d);
}

/** The topic on disk: its size, then each replica per broker and log dir; a broker that did not answer named. */
function printLogDirs(ctx: AdminCommandContext, d: TopicDetail): void {
  const ld = d.logDirs;
  if (!ld) return;
  ctx.out(
    `\nsize        ${bytesText(ld.size.leaderBytes)} (leaders), ${bytesText(ld.size.replicaBytes)} on all replicas${ld.size.partial ? ' — partial' : ''}\n\n`,
  );
  printRows(
    ld.replicas.map((r) => ({
      ...r,
      size: bytesText(r.bytes),
      role: r.future ? 'future' : r.leader ? 'leader' : 'follower',
    })),
    [
      { key: 'partition', title: 'PARTITION', align: 'right' },
      { key: 'broker', title: 'BROKER', align: 'right' },
      { key: 'role', title: 'REPLICA' },
      { key: 'logDir', title: 'LOG DIR' },
      { key: 'size', title: 'SIZE', align: 'right' },
      { key: 'bytes', title: 'BYTES', align: 'right', count: true },
      { key: 'offsetLag', title: 'LAG', align: 'right', count: true },
    ],
    false,
    ctx.out,
  );
  for (const f of ld.failures) ctx.err(`Sizes on broker ${f.broker} not shown: ${showText(f.message)}\n`);
  for (const dir of ld.dirs.filter((x) => x.error))
    ctx.err(`Log dir ${showText(dir.logDir)} on broker ${dir.broker} is offline: ${showText(dir.error ?? '')}\n`);
}

const partitionsText = (a: ConsumerGroupDetail['members'][number]['assignment'] | undefined) =>
  (a ?? []).map((t) => `${t.topic}:${t.partitions.join(',')}`).join(' ');

function printGroup(ctx: AdminCommandContext, d: ConsumerGroupDetail): void {
  const epochs =
    d.groupEpoch !== undefined ? `epoch       group ${d.groupEpoch}, assignment ${d.assignmentEpoch ?? '-'}\n` : '';
  ctx.out(
    `group       ${showText(d.groupId)}\ntype        ${showText(d.type)}\nstate       ${showText(d.state)}\n` +
      (d.assignor ? `assignor    ${showText(d.assignor)}\n` : '') +
      epochs +
      `members     ${d.members.length}\n` +
      (d.type === 'share' ? '' : `total lag   ${BigInt(d.totalLag).toLocaleString('en-US')}\n`) +
      (d.unavailable ? `note        ${showText(d.unavailable)}\n` : '') +
      (d.type === 'share'
        ? "offsets     a share group keeps its place in Kafka's share-group state, not as committed offsets: not read yet (kafka-share-groups --describe shows it)\n"
        : '') +
      '\n',
  );
  if (d.type !== 'share')
    printRows(
      d.offsets,
      [
        { key: 'topic', title: 'TOPIC' },
        { key: 'partition', title: 'PARTITION', align: 'right' },
        { key: 'committed', title: 'COMMITTED', align: 'right' },
        { key: 'end', title: 'END', align: 'right' },
        { key: 'lag', title: 'LAG', align: 'right' },
      ],
      false,
      ctx.out,
    );
  if (!d.members.length) return;
  ctx.out('\n');
  const rows = d.members.map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.host,
    instanceId: m.instanceId ?? null,
    rack: m.rack ?? null,
    memberEpoch: m.memberEpoch ?? null,
    assignment: partitionsText(m.assignment),
    targetAssignment: partitionsText(m.targetAssignment),
  }));
  type Row = (typeof rows)[number];
  // a classic group as before; a consumer (KIP-848) or share group with its member ids and epochs
  const epoched = d.members.some((m) => m.memberEpoch !== undefined);
  const columns: { key: keyof Row; title: string; align?: 'right' }[] = [
    ...(epoched ? [{ key: 'memberId' as const, title: 'MEMBER ID' }] : []),
    { key: 'clientId', title: 'CLIENT ID' },
    { key: 'host', title: 'HOST' },
    ...(d.members.some((m) => m.instanceId) ? [{ key: 'instanceId' as const, title: 'INSTANCE' }] : []),
    ...(d.members.some((m) => m.rack) ? [{ key: 'rack' as const, title: 'RACK' }] : []),
    ...(epoched ? [{ key: 'memberEpoch' as const, title: 'EPOCH', align: 'right' as const }] : []),
    { key: 'assignment', title: 'ASSIGNMENT' },
    ...(d.members.some((m) => m.targetAssignment) ? [{ key: 'targetAssignment' as const, title: 'TARGET' }] : []),
  ];
  printRows(rows, columns, false, ctx.out);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `kafka-desk topics list|describe|create|delete` and `kafka-desk groups list|describe|reset-offsets|delete`. */
export function registerAdminCommands(program: Command, ctx: AdminCommandContext): void {
  const topics = program.command('topics').description('list, describe, create and delete topics');

  ctx
    .addConnectionFlags(topics.command('list', { isDefault: true }).description('list the topics of a cluster'))
    .option('--include-internal', 'include internal topics (__consumer_offsets, ...)')
    .option('--counts', 'add an estimate of the messages in each topic (end − start offsets)')
    .option('--no-sizes', "leave out each topic's size on disk (DescribeLogDirs, asked of every broker)")
    .action(async (flags: { includeInternal?: boolean; counts?: boolean; sizes: boolean; json?: boolean }) => {
      const r = await ctx.call<ChannelOutput<'topics.list'>>(flags, 'topics.list', {
        includeInternal: Boolean(flags.includeInternal),
        withCounts: Boolean(flags.counts),
        withSizes: flags.sizes,
      });
      const list: TopicSummary[] = r.topics;
      // a saved connection whose cluster cannot be reached: the last list fetched, said so
      if (r.fromCache)
        ctx.err(`${showText(r.fromCache.reason)}\nShowing the topics as of ${showText(r.fromCache.asOf)}.\n`);
      // a broker that did not tell its sizes is named; the others' are shown
      for (const f of r.sizeFailures ?? []) ctx.err(`Sizes on broker ${f.broker} not shown: ${showText(f.message)}\n`);
      const rows = list.map((t) => ({
        ...t,
        sizeText: t.size ? `${bytesText(t.size.leaderBytes)}${t.size.partial ? ' (partial)' : ''}` : null,
        disk: t.size ? bytesText(t.size.replicaBytes) : null,
      }));
      if (json(flags)) printRows(list, [], true, ctx.out);
      else
        printRows(
          rows,
          [
            { key: 'name', title: 'TOPIC' },
            { key: 'partitions', title: 'PARTITIONS', align: 'right', count: true },
            { key: 'replicationFactor', title: 'REPLICAS', align: 'right' },
            { key: 'internal', title: 'INTERNAL' },
            ...(flags.counts
              ? [{ key: 'messages' as const, title: 'MESSAGES', align: 'right' as const, count: true }]
              : []),
            // the leaders' bytes (the data once), then every replica's (what it takes on all disks)
            ...(flags.sizes
              ? [
                  { key: 'sizeText' as const, title: 'SIZE', align: 'right' as const },
                  { key: 'disk' as const, title: 'ALL REPLICAS', align: 'right' as const },
                ]
              : []),
          ],
          false,
          ctx.out,
        );
      if (!flags.json && list.length === 0)
        ctx.err(
          'No topics' +
            (flags.includeInternal ? '.' : ' (internal topics hidden; --include-internal shows them).') +
            '\n',
        );
    });

  ctx
    .addConnectionFlags(
      topics
        .command('describe')
        .argument('<topic>')
        .description('partitions with offsets, configs that are set, consumer groups'),
    )
    .action(async (name: string, flags: { json?: boolean }) => {
      const d = await ctx.call<TopicDetail>(flags, 'topics.describe', { name });
      if (json(flags)) ctx.out(jsonText(d) + '\n');
      else printTopic(ctx, d);
    });

  ctx
    .addConnectionFlags(topics.command('create').argument('<topic>').description('create a topic'))
    .option('-p, --partitions <n>', 'number of partitions', (v) => Number.parseInt(v, 10), 1)
    .option('-r, --replication-factor <n>', 'replication factor', (v) => Number.parseInt(v, 10), 1)
    .option('--config <name=value>', 'a topic config (repeatable)', collect, [] as string[])
    .action(
      async (
        name: string,
        flags: { partitions: number; replicationFactor: number; config: string[]; json?: boolean },
      ) => {
        const configs = flags.config.map((c) => {
          const i = c.indexOf('=');
          if (i < 1)
            throw new CoreError(
              'INVALID_INPUT',
              `--config ${c}: write it as name=value, e.g. --config retention.ms=86400000`,
            );
          return { name: c.slice(0, i), value: c.slice(i + 1) };
        });
        const d = await ctx.call<TopicDetail>(flags, 'topics.create', {
          name,
          partitions: flags.partitions,
          replicationFactor: flags.replicationFactor,
          configs,
        });
        if (json(flags)) ctx.out(jsonText(d) + '\n');
        else
          ctx.out(
            `Created topic ${showText(d.name)} with ${d.partitions.length} partition${d.partitions.length === 1 ? '' : 's'}.\n`,
          );
      },
    );

  ctx
    .addConnectionFlags(topics.command('delete').argument('<topic>').description('delete a topic and all its messages'))
    .requiredOption('--yes', 'confirm: the topic and its messages are deleted')
    .action(async (name: string, flags: object) => {
      await ctx.call(flags, 'topics.delete', { name, confirmName: name });
      ctx.out(`Deleted topic ${showText(name)}.\n`);
    });

  const groups = program
    .command('groups')
    .description('list, describe (with lag), reset offsets of, and delete consumer groups');

  ctx
    .addConnectionFlags(groups.command('list', { isDefault: true }).description('list consumer groups'))
    .action(async (flags: { json?: boolean }) => {
      const list = await ctx.call<ConsumerGroupSummary[]>(flags, 'groups.list', {});
      printRows(
        list,
        [
          { key: 'groupId', title: 'GROUP' },
          { key: 'type', title: 'TYPE' },
          { key: 'state', title: 'STATE' },
          { key: 'members', title: 'MEMBERS', align: 'right' },
          { key: 'protocolType', title: 'PROTOCOL' },
        ],
        json(flags),
        ctx.out,
      );
    });

  ctx
    .addConnectionFlags(
      groups
        .command('describe')
        .argument('<group>')
        .description(
          'committed offsets, end offsets and lag per partition; members (KIP-848: epochs, assignment and target)',
        ),
    )
    .action(async (groupId: string, flags: { json?: boolean }) => {
      const d = await ctx.call<ConsumerGroupDetail>(flags, 'groups.describe', { groupId });
      if (json(flags)) ctx.out(jsonText(d) + '\n');
      else printGroup(ctx, d);
    });

  ctx
    .addConnectionFlags(
      groups
        .command('reset-offsets')
        .argument('<group>')
        .description('move a stopped group; prints the plan, applies it only with --execute'),
    )
    .requiredOption('-t, --topic <topic>', 'the topic whose offsets move')
    .option('--partitions <list>', 'only these partitions, e.g. 0,2')
    .addOption(
      new Option('--to-earliest', 'to the earliest offset').conflicts([
        'toLatest',
        'toOffset',
        'shiftBy',
        'toDatetime',
      ]),
    )
    .addOption(new Option('--to-latest', 'to the end (skip everything)'))
    .addOption(new Option('--to-offset <n>', 'to this offset (moved into the log if outside it)'))
    .addOption(new Option('--shift-by <n>', 'by N from the committed offset (negative re-reads)'))
    .addOption(
      new Option('--to-datetime <iso>', 'to the first offset at or after this time, e.g. 2026-11-23T10:00:00Z'),
    )
    .option('--dry-run', 'only print the plan (the default)')
    .option('--execute', 'apply the plan')
    .action(
      async (
        groupId: string,
        flags: {
          topic: string;
          partitions?: string;
          toEarliest?: boolean;
          toLatest?: boolean;
          toOffset?: string;
          shiftBy?: string;
          toDatetime?: string;
          dryRun?: boolean;
          execute?: boolean;
          json?: boolean;
        },
      ) => {
        const chosen = [flags.toEarliest, flags.toLatest, flags.toOffset, flags.shiftBy, flags.toDatetime].filter(
          (v) => v !== undefined,
        );
        if (chosen.length !== 1)
          throw new CoreError(
            'INVALID_INPUT',
            'Choose exactly one of --to-earliest, --to-latest, --to-offset N, --shift-by N, --to-datetime TIME.',
          );
        if (flags.execute && flags.dryRun) throw new CoreError('INVALID_INPUT', 'Use either --dry-run or --execute.');
        let strategy: ResetStrategy;
        if (flags.toEarliest) strategy = { to: 'earliest' };
        else if (flags.toLatest) strategy = { to: 'latest' };
        else if (flags.toOffset !== undefined) strategy = { to: 'offset', offset: flags.toOffset };
        else if (flags.shiftBy !== undefined) strategy = { to: 'shift', by: Number.parseInt(flags.shiftBy, 10) };
        else {
          const t = Date.parse(flags.toDatetime!);
          if (Number.isNaN(t))
            throw new CoreError(
              'INVALID_INPUT',
              `--to-datetime ${flags.toDatetime}: not a date and time; write it like 2026-11-23T10:00:00Z.`,
            );
          strategy = { to: 'timestamp', timestamp: t };
        }
        const partitions = flags.partitions?.split(',').map((p) => Number.parseInt(p.trim(), 10));
        const r = await ctx.call<GroupResetResult>(flags, 'groups.resetOffsets', {
          groupId,
          topic: flags.topic,
          partitions,
          strategy,
          dryRun: !flags.execute,
        });
        if (json(flags)) {
          ctx.out(jsonText(r) + '\n');
          return;
        }
        printRows(
          r.changes,
          [
            { key: 'topic', title: 'TOPIC' },
            { key: 'partition', title: 'PARTITION', align: 'right' },
            { key: 'from', title: 'FROM', align: 'right' },
            { key: 'to', title: 'TO', align: 'right' },
          ],
          false,
          ctx.out,
        );
        ctx.out(
          r.applied
            ? `Applied: group ${showText(groupId)} moved on ${showText(flags.topic)}.\n`
            : 'Dry run: nothing changed. Add --execute to apply.\n',
        );
      },
    );

  ctx
    .addConnectionFlags(
      groups.command('delete').argument('<group>').description('delete a consumer group with no active members'),
    )
    .requiredOption('--yes', 'confirm: the group and its committed offsets are deleted')
    .action(async (groupId: string, flags: object) => {
      await ctx.call(flags, 'groups.delete', { groupId });
      ctx.out(`Deleted consumer group ${showText(groupId)}.\n`);
    });
}
