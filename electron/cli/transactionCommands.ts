import type { Command } from 'commander';
import {
  durationText,
  heldBackSentence,
  openAgainstTimeout,
  TRANSACTION_STATES,
  type ChannelOutput,
  type PartitionProducers,
  type Transaction,
  type TransactionState,
} from '../contract';
import { CoreError } from '../core/coreError';
import type { AdminCommandContext } from './adminCommands';
import { printRows } from './output';
import { jsonText, showText } from './terminalText';

const collect = (v: string, prev: string[]) => [...prev, v];
const letters = (s: string) => s.replace(/[^a-z]/gi, '').toLowerCase();

/** `ongoing`, `Ongoing`, `prepare-commit`, `PREPARE_COMMIT` → Kafka's name of the state. */
export function stateOf(text: string): TransactionState {
  const found = TRANSACTION_STATES.find((s) => letters(s) === letters(text));
  if (!found)
    throw new CoreError(
      'INVALID_INPUT',
      `--state ${text}: not a transaction state; one of ${TRANSACTION_STATES.join(', ')}.`,
    );
  return found;
}

/** A whole number of milliseconds for `flag`, or a sentence naming the flag. */
function msOf(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,12}$/.test(text.trim())) throw new CoreError('INVALID_INPUT', `${flag} ${text}: whole milliseconds.`);
  return Number(text.trim());
}

function partitionOf(text: string): number {
  if (!/^\d{1,7}$/.test(text.trim())) throw new CoreError('INVALID_INPUT', `--partition ${text}: a partition number.`);
  return Number(text.trim());
}

const partitionsText = (t: Transaction) =>
  t.partitions.map((p) => p.partitions.map((n) => `${p.topic}-${n}`).join(',')).join(',') || '-';

function printTransactions(ctx: AdminCommandContext, list: Transaction[], hungAfterMs: number | null): void {
  printRows(
    list.map((t) => ({
      ...t,
      epoch: t.producerEpoch,
      timeout: t.timeoutMs === null ? null : durationText(t.timeoutMs),
      started: t.startedAt,
      open: t.openMs === null ? null : openAgainstTimeout(t, hungAfterMs),
      touches: partitionsText(t),
      flag: t.hung ? 'HUNG' : t.problem ? showText(t.problem) : '',
    })),
    [
      { key: 'transactionalId', title: 'TRANSACTIONAL ID' },
      { key: 'state', title: 'STATE' },
      { key: 'producerId', title: 'PRODUCER', align: 'right' },
      { key: 'epoch', title: 'EPOCH', align: 'right' },
      { key: 'timeout', title: 'TIMEOUT' },
      { key: 'started', title: 'STARTED' },
      { key: 'open', title: 'OPEN' },
      { key: 'touches', title: 'PARTITIONS' },
      { key: 'coordinator', title: 'COORDINATOR', align: 'right' },
      { key: 'flag', title: '' },
    ],
    false,
    ctx.out,
  );
}

function printProducers(ctx: AdminCommandContext, r: ChannelOutput<'transactions.producers'>): void {
  printRows(
    r.partitions.map((p: PartitionProducers) => ({
      ...p,
      producerCount: p.producers.length,
      held: p.heldBy ? (p.heldBy.transactionalId ?? p.heldBy.producerId ?? 'an open transaction') : '',
      kind: p.heldBy?.kind ?? (p.error ? showText(p.error) : ''),
    })),
    [
      { key: 'partition', title: 'PARTITION', align: 'right' },
      { key: 'leader', title: 'LEADER', align: 'right' },
      { key: 'highWatermark', title: 'HIGH WATERMARK', align: 'right', count: true },
      { key: 'lastStableOffset', title: 'LAST STABLE', align: 'right', count: true },
      { key: 'pending', title: 'PENDING', align: 'right', count: true },
      { key: 'producerCount', title: 'PRODUCERS', align: 'right' },
      { key: 'held', title: 'HELD BY' },
      { key: 'kind', title: '' },
    ],
    false,
    ctx.out,
  );
  const producers = r.partitions.flatMap((p) => p.producers.map((s) => ({ partition: p.partition, ...s })));
  if (producers.length) {
    ctx.out('\n');
    printRows(
      producers,
      [
        { key: 'partition', title: 'PARTITION', align: 'right' },
        { key: 'producerId', title: 'PRODUCER', align: 'right' },
        { key: 'producerEpoch', title: 'EPOCH', align: 'right' },
        { key: 'transactionalId', title: 'TRANSACTIONAL ID' },
        { key: 'lastSequence', title: 'LAST SEQUENCE', align: 'right' },
        { key: 'lastTimestamp', title: 'LAST WRITE' },
        { key: 'coordinatorEpoch', title: 'COORDINATOR EPOCH', align: 'right' },
        { key: 'currentTxnStartOffset', title: 'OPEN FROM', align: 'right' },
      ],
      false,
      ctx.out,
    );
  }
  const sentences = r.partitions.flatMap((p) => heldBackSentence(r.topic, p, r.hungAfterMs) ?? []);
  if (sentences.length) ctx.out(`\n${sentences.map(showText).join('\n')}\n`);
  for (const note of [r.producersUnavailable, r.transactionsUnavailable]) if (note) ctx.err(`${showText(note)}\n`);
}

/**
 * `kafka-desk transactions list | describe | producers`: what Kafka's kafka-transactions shows (list,
 * describe, describe-producers), and which transaction holds a partition's last stable offset back.
 * Read only: aborting a hanging transaction is left to Kafka's own tool, whose command is printed.
 */
export function registerTransactionCommands(program: Command, ctx: AdminCommandContext): void {
  const tx = program
    .command('transactions')
    .description("transactions (state, producer, timeout, how long open, partitions) and a topic's producers");

  ctx
    .addConnectionFlags(
      tx
        .command('list', { isDefault: true })
        .description('the transactions every coordinator keeps, each described')
        .option('--state <state>', 'only this state: Ongoing, PrepareCommit, … (repeatable)', collect, [] as string[])
        .option('--producer-id <id>', 'only this producer id (repeatable)', collect, [] as string[])
        .option('--min-duration <ms>', 'only transactions running longer than this')
        .option('--hung-after <ms>', 'flag a transaction open longer than this as hung (default: its own timeout)'),
    )
    .action(
      async (flags: {
        state: string[];
        producerId: string[];
        minDuration?: string;
        hungAfter?: string;
        json?: boolean;
      }) => {
        const minOpenMs = msOf('--min-duration', flags.minDuration);
        const hungAfterMs = msOf('--hung-after', flags.hungAfter);
        const r = await ctx.call<ChannelOutput<'transactions.list'>>(flags, 'transactions.list', {
          ...(flags.state.length ? { states: [...new Set(flags.state.map(stateOf))] } : {}),
          ...(flags.producerId.length ? { producerIds: flags.producerId } : {}),
          ...(minOpenMs !== undefined ? { minOpenMs } : {}),
          ...(hungAfterMs !== undefined ? { hungAfterMs } : {}),
        });
        if (flags.json) {
          printRows(r.transactions, [], true, ctx.out);
          return;
        }
        printTransactions(ctx, r.transactions, r.hungAfterMs);
        if (!r.transactions.length) ctx.err('No transactions match.\n');
      },
    );

  ctx
    .addConnectionFlags(
      tx
        .command('describe')
        .argument('<transactional-id...>')
        .description('transactions by transactional id, each from its coordinator')
        .option('--hung-after <ms>', 'flag a transaction open longer than this as hung (default: its own timeout)'),
    )
    .action(async (ids: string[], flags: { hungAfter?: string; json?: boolean }) => {
      const hungAfterMs = msOf('--hung-after', flags.hungAfter);
      const r = await ctx.call<ChannelOutput<'transactions.describe'>>(flags, 'transactions.describe', {
        transactionalIds: ids,
        ...(hungAfterMs !== undefined ? { hungAfterMs } : {}),
      });
      if (flags.json) ctx.out(jsonText(r) + '\n');
      else if (r.transactions.length) printTransactions(ctx, r.transactions, r.hungAfterMs);
      if (r.notFound.length)
        throw new CoreError(
          'NOT_FOUND',
          `No transaction coordinator knows ${r.notFound.map((id) => `'${id}'`).join(', ')} (never used, or expired).`,
        );
    });

  ctx
    .addConnectionFlags(
      tx
        .command('producers')
        .description(
          "a topic's partitions: high watermark, last stable offset, the active producers, and which transaction holds an LSO back",
        )
        .requiredOption('--topic <topic>', 'the topic')
        .option('--partition <n>', 'only this partition (repeatable)', collect, [] as string[])
        .option('--hung-after <ms>', 'flag a transaction open longer than this as hung (default: its own timeout)'),
    )
    .action(async (flags: { topic: string; partition: string[]; hungAfter?: string; json?: boolean }) => {
      const hungAfterMs = msOf('--hung-after', flags.hungAfter);
      const r = await ctx.call<ChannelOutput<'transactions.producers'>>(flags, 'transactions.producers', {
        topic: flags.topic,
        ...(flags.partition.length ? { partitions: flags.partition.map(partitionOf) } : {}),
        ...(hungAfterMs !== undefined ? { hungAfterMs } : {}),
      });
      if (flags.json) ctx.out(jsonText(r) + '\n');
      else printProducers(ctx, r);
    });
}
