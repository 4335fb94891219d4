import type { Command } from 'commander';
import type { ConsumedMessage, ListenStatus } from '../contract';
import { CoreError } from '../core/coreError';
import { callCore } from './callCore';
import { parseFrom } from './operationCommands';
import type { AdminCommandContext } from './adminCommands';
import { CliError } from './cliError';
import { addDecodeFlags, decodeInput, undecodableLine, type DecodeFlags } from './schemaOptions';
import { jsonText, messageLine, showText } from './terminalText';

const int = (v: string) => Number.parseInt(v, 10);

/** `kafka-desk listen --topic T [--from …] [--max N] [--timeout S]`: a live tail until N messages, S seconds, or Ctrl+C. */
export function registerListenCommand(program: Command, ctx: AdminCommandContext): void {
  addDecodeFlags(
    ctx.addConnectionFlags(
      program.command('listen').description('follow a topic live (from now, unless --from says otherwise)'),
    ),
  )
    .requiredOption('-t, --topic <topic>', 'the topic')
    .option('--from <position>', 'latest (default) | earliest | -N | offset:N', 'latest')
    .option(
      '-p, --partition <n>',
      'only this partition (repeatable)',
      (v, prev: number[]) => [...prev, int(v)],
      [] as number[],
    )
    .option('-m, --max <n>', 'stop after N messages', int)
    .option('--timeout <seconds>', 'stop after S seconds', int)
    .action(
      async (
        flags: {
          topic: string;
          from: string;
          partition: number[];
          max?: number;
          timeout?: number;
          json?: boolean;
        } & DecodeFlags,
      ) => {
        const start = parseFrom(flags.from);
        if (start.from === 'timestamp' || start.from === 'group')
          throw new CoreError(
            'INVALID_INPUT',
            `--from ${flags.from}: listen starts at latest, earliest, -N (the last N) or offset:N.`,
          );
        const { core, id } = await ctx.target(flags);
        let seen = 0;
        let last: ListenStatus | undefined;
        let finish!: () => void;
        const done = new Promise<void>((r) => (finish = r));
        core.events.onAny((event, payload) => {
          if (event !== 'listen.batch') return;
          const b = payload as { status: ListenStatus; messages: ConsumedMessage[] };
          last = b.status;
          for (const m of b.messages) {
            if (flags.max !== undefined && seen >= flags.max) break;
            seen++;
            const { size: _size, ...shape } = m;
            ctx.out(flags.json ? jsonText(shape) + '\n' : messageLine(m));
          }
          if (b.status.state === 'reconnecting')
            ctx.err(`reconnecting: ${showText(b.status.error ?? 'the broker went away')}\n`);
          if (flags.max !== undefined && seen >= flags.max) finish();
          // the core ended it (--on-undecodable stop, or a failure)
          if (b.status.state === 'stopped' || b.status.state === 'failed') finish();
        });
        const status = await callCore<ListenStatus>(core, 'listen.start', {
          id,
          topic: flags.topic,
          start,
          ...(flags.partition.length ? { partitions: flags.partition } : {}),
          ...decodeInput(flags),
        });
        ctx.err(
          `listening to ${showText(flags.topic)}${flags.max ? ` for ${flags.max} message(s)` : ''}${flags.timeout ? `, at most ${flags.timeout} s` : ''} (Ctrl+C stops)\n`,
        );
        const timer = flags.timeout ? setTimeout(finish, flags.timeout * 1000) : undefined;
        process.once('SIGINT', finish);
        await done;
        if (timer) clearTimeout(timer);
        const endedByCore = last?.state === 'stopped' || last?.state === 'failed';
        // a Listen the core already ended is no longer there to stop
        await callCore(core, 'listen.stop', { listenId: status.listenId }).catch((e: unknown) => {
          if (!endedByCore) throw e;
        });
        ctx.err(`${seen} message(s).\n`);
        if (endedByCore && last?.error)
          throw new CliError({
            code: last.undecodable?.action === 'stop' ? 'SCHEMA_INVALID' : 'KAFKA_ERROR',
            message: last.error,
          });
        const undecodable = undecodableLine(last?.undecodable, flags);
        if (undecodable) ctx.err(undecodable);
      },
    );
}
