import { randomUUID } from 'node:crypto';
import { Command, Option } from 'commander';
import {
  parseTime,
  startPositionFromText,
  type ChannelName,
  type CommitResult,
  type ConsumedMessage,
  type ConsumeResult,
  type EventPayload,
  type ProduceMessage,
  type ProduceResult,
  type StartPosition,
} from '../contract';
import { CoreError } from '../core/coreError';
import { fileLines, header, inBatches, messagesFromFile } from './produceInput';
import { CliError } from './cliError';
import type { AdminCommandContext } from './adminCommands';
import type { Core } from '../core';
import { callCore } from './callCore';
import { captureTarget, recordCapture } from './captureCommands';
import { jsonText, messageLine, showText } from './terminalText';
import {
  addDecodeFlags,
  addProduceSchemaFlags,
  decodeInput,
  undecodableLine,
  withProduceSchemas,
  applyProduceFormats,
  type DecodeFlags,
  type ProduceSchemaFlags,
} from './schemaOptions';

/** The operation commands also record into captures (`consume --capture`), in the data folder's store. */
export interface OperationCommandContext extends AdminCommandContext {
  openCore: (flags: { dataDir?: string }) => Core;
  /** For text already escaped line by line (messageLine, jsonText): written without a second scan. */
  escaped?: (s: string) => void;
}

/** The same contract validation and handlers as the app, for the one connection the command line names. */
const call = <T>(
  ctx: AdminCommandContext,
  flags: object,
  channel: ChannelName,
  input: Record<string, unknown>,
): Promise<T> => ctx.call<T>(flags, channel, input);

const collect = (v: string, prev: string[]) => [...prev, v];
const int = (v: string) => Number.parseInt(v, 10);

/** `--from earliest | latest | -N | offset:N | timestamp:TIME | group`, parsed as the screens parse theirs. */
export function parseFrom(v: string, group?: string): StartPosition {
  const r = startPositionFromText(v, { ...(group ? { group } : {}), what: `--from ${v}` });
  if (!r.ok) throw new CoreError('INVALID_INPUT', r.message);
  return r.value;
}

/** `kafka-desk produce`, `consume` and `commit`. */
export function registerOperationCommands(program: Command, ctx: OperationCommandContext): void {
  addProduceSchemaFlags(
    ctx.addConnectionFlags(
      program
        .command('produce')
        .description(
          'send messages: one from flags, or a file (lines, NDJSON as consume --json prints, JSON array, CSV)',
        ),
    ),
  )
    .requiredOption('-t, --topic <topic>', 'the topic')
    .option('-k, --key <key>', 'the key')
    .option('-v, --value <value>', 'the value')
    .option(
      '-f, --file <file>',
      'messages from a file (CSV: a header row naming key, value, partition, timestamp, header:NAME)',
    )
    .addOption(
      new Option('--format <format>', 'the file format').choices(['lines', 'ndjson', 'json', 'csv']).default('lines'),
    )
    .option('-H, --header <key=value>', 'a header (repeatable, order kept)', collect, [] as string[])
    .option('-p, --partition <n>', "the partition (default: the key's, as the Java client)", int)
    .option('--timestamp <ms>', 'the timestamp (epoch ms; default now)', int)
    .addOption(new Option('--acks <acks>', 'acknowledgements').choices(['all', '1', '0']).default('all'))
    .addOption(
      new Option('--compression <codec>', 'compression')
        .choices(['none', 'gzip', 'snappy', 'lz4', 'zstd'])
        .default('none'),
    )
    .option('--count <n>', 'send the message N times', int, 1)
    .option(
      '--max-message-bytes <n>',
      "refuse larger messages before sending (default: the connection's limit, 10 MiB unless changed)",
      int,
    )
    .option('--continue-on-error', 'send the rest when one message fails')
    .option('--template', 'render {{seq}} {{uuid}} {{now}} {{iso}} {{randomInt A B}} {{pick "a" "b"}} per message')
    .option('--rate <n>', 'at most N messages per second', int, 0)
    .action(
      async (
        flags: {
          topic: string;
          key?: string;
          value?: string;
          file?: string;
          format: string;
          header: string[];
          partition?: number;
          timestamp?: number;
          acks: string;
          compression: string;
          count: number;
          maxMessageBytes?: number;
          continueOnError?: boolean;
          template?: boolean;
          rate: number;
          json?: boolean;
          keyFormat?: string;
          valueFormat?: string;
        } & ProduceSchemaFlags,
      ) => {
        let total: number;
        let batches: () => AsyncIterable<ProduceMessage[]>;
        if (flags.file && (flags.format === 'lines' || flags.format === 'ndjson')) {
          // read twice, line by line: every line is checked before anything is sent, and a file of any size fits
          const file = flags.file;
          const format = flags.format;
          total = 0;
          for await (const batch of inBatches(fileLines(file, format))) total += batch.length;
          batches = () => inBatches(fileLines(file, format));
        } else {
          let messages: ProduceMessage[];
          if (flags.file) messages = await messagesFromFile(flags.file, flags.format);
          else {
            const one: ProduceMessage = {
              key: flags.key ?? null,
              value: flags.value ?? null,
              headers: flags.header.map(header),
            };
            if (flags.partition !== undefined) one.partition = flags.partition;
            if (flags.timestamp !== undefined) one.timestamp = flags.timestamp;
            messages = Array.from({ length: Math.max(1, flags.count) }, () => one);
          }
          total = messages.length;
          batches = () => inBatches(messages);
        }
        if (total === 0)
          throw new CoreError('INVALID_INPUT', `${flags.file ?? 'The input'} holds no messages to send.`);
        let delivered = 0;
        let failed = 0;
        let start = 0;
        const quiet = total > 1000 && !flags.json;
        // a schema file is the core's local schema for this run only (deleted when the produce ends)
        await withProduceSchemas(await ctx.target(flags), flags, async (schemas) => {
          for await (const batch of batches()) {
            const r = await call<ProduceResult>(ctx, flags, 'operations.produce', {
              ...schemas,
              topic: flags.topic,
              messages: applyProduceFormats(batch, flags, start),
              acks: flags.acks,
              compression: flags.compression,
              ...(flags.maxMessageBytes !== undefined ? { maxMessageBytes: flags.maxMessageBytes } : {}),
              continueOnError: Boolean(flags.continueOnError),
              template: Boolean(flags.template),
              ratePerSecond: flags.rate,
            });
            delivered += r.delivered;
            failed += r.failed;
            for (const x of r.results) {
              const index = x.index + start;
              if (flags.json) ctx.out(jsonText({ ...x, index }) + '\n');
              else if (x.status === 'delivered') {
                if (!quiet) ctx.out(`delivered  ${showText(flags.topic)}[${x.partition}] @ ${x.offset}\n`);
              } else ctx.out(`${x.status.padEnd(10)} message ${index + 1}: ${showText(x.message)}\n`);
            }
            start += batch.length;
            if (r.failed && !flags.continueOnError) {
              // the rest of the file is not sent: say so
              const notSent = total - start;
              if (notSent && !flags.json)
                ctx.out(`not-sent   messages ${start + 1}–${total}: an earlier message failed\n`);
              failed += notSent;
              break;
            }
          }
        });
        if (!flags.json) ctx.out(`${delivered} delivered, ${failed} not delivered.\n`);
        if (failed)
          throw new CliError({ code: 'KAFKA_ERROR', message: `${failed} of ${total} message(s) were not delivered.` });
      },
    );

  addDecodeFlags(
    ctx.addConnectionFlags(
      program
        .command('consume')
        .description('read a bounded range of messages, without leaving a consumer group behind (unless --group)'),
    ),
  )
    .option('-t, --topic <topic>', 'the topic (repeatable: several topics)', collect, [] as string[])
    .option('--topic-pattern <regex>', 'every topic whose whole name matches the regular expression')
    .option(
      '--from <position>',
      'earliest | latest | -N (the last N) | offset:N | timestamp:TIME | group (with --group)',
      'earliest',
    )
    .option(
      '-p, --partition <n>',
      'only this partition (repeatable)',
      (v, prev: number[]) => [...prev, int(v)],
      [] as number[],
    )
    .option('-m, --max <n>', 'stop after N messages', int, 100)
    .option('--until-end', 'stop at the end offsets seen at the start (the default)')
    .option('--stop-at <time>', 'stop each partition at the first message after TIME (ISO or epoch ms)')
    .option(
      '--group <group>',
      'read as this consumer group, from its committed offsets (refused while it has live members)',
    )
    .option('--commit', 'with --group: commit what was read (auto-commit); without it nothing is committed')
    .option('--join-live-group', 'with --group: join even if the group has live members (rebalances them)')
    .option('--max-message-bytes <n>', 'report messages larger than N bytes by topic, partition and offset', int)
    .addOption(
      new Option(
        '--on-oversize <action>',
        'skip such a message or stop there (default: skip with --commit, stop otherwise)',
      ).choices(['skip', 'stop']),
    )
    .option('--max-poll-records <n>', 'records handled per poll', int, 500)
    .option('--read-uncommitted', 'read messages of open or aborted transactions too')
    .option('--grep <text>', 'keep only messages whose key, value or a header contains TEXT (case-insensitive)')
    .option('--regex <re>', 'keep only messages whose key or value matches the regular expression')
    .option('--header-filter <key[=value]>', 'keep only messages with this header')
    .option('--json-path <path[=value]>', 'keep only messages whose JSON value has PATH (equal to VALUE)')
    .option('--capture <name>', 'also save what was read as a capture NAME (read offline later: kafka-desk captures)')
    .option('--append', 'with --capture: add to the capture NAME if it exists')
    .action(
      async (
        flags: {
          capture?: string;
          append?: boolean;
          dataDir?: string;
          connection?: string;
          topic: string[];
          topicPattern?: string;
          from: string;
          partition: number[];
          max: number;
          stopAt?: string;
          group?: string;
          commit?: boolean;
          joinLiveGroup?: boolean;
          maxMessageBytes?: number;
          onOversize?: string;
          maxPollRecords: number;
          json?: boolean;
          grep?: string;
          regex?: string;
          headerFilter?: string;
          jsonPath?: string;
          readUncommitted?: boolean;
        } & DecodeFlags,
      ) => {
        if (flags.commit && !flags.group) throw new CoreError('INVALID_INPUT', '--commit needs --group GROUP.');
        if (flags.joinLiveGroup && !flags.group)
          throw new CoreError('INVALID_INPUT', '--join-live-group needs --group GROUP.');
        if (!flags.topic.length && !flags.topicPattern)
          throw new CoreError('INVALID_INPUT', 'Name a topic with --topic T (repeatable) or --topic-pattern REGEX.');
        if (flags.append && !flags.capture) throw new CoreError('INVALID_INPUT', '--append needs --capture NAME.');
        const core = flags.capture ? ctx.openCore(flags) : null;
        const target = core && flags.capture ? captureTarget(core, flags.capture, Boolean(flags.append)) : null;
        if (flags.topic.length && flags.topicPattern)
          throw new CoreError('INVALID_INPUT', 'Use --topic or --topic-pattern, not both.');
        const start =
          flags.group && (flags.from === 'earliest' || flags.from === 'group')
            ? ({ from: 'group', groupId: flags.group } as const)
            : parseFrom(flags.from, flags.group);
        let stopAtTimestamp: number | undefined;
        if (flags.stopAt !== undefined) {
          const t = parseTime(flags.stopAt, `--stop-at ${flags.stopAt}`);
          if (!t.ok) throw new CoreError('INVALID_INPUT', t.message);
          stopAtTimestamp = t.value;
        }
        const split = (s: string) => {
          const i = s.indexOf('=');
          return i < 0 ? ([s, undefined] as const) : ([s.slice(0, i), s.slice(i + 1)] as const);
        };
        const filter: Record<string, unknown> = {};
        if (flags.grep) filter.text = flags.grep;
        if (flags.regex) filter.regex = flags.regex;
        if (flags.headerFilter) {
          const [key, value] = split(flags.headerFilter);
          filter.header = value === undefined ? { key } : { key, value };
        }
        if (flags.jsonPath) {
          const [path, equals] = split(flags.jsonPath);
          filter.jsonPath = equals === undefined ? { path } : { path, equals };
        }
        // written a few thousand lines at a time (not one write call per message)
        // every line escaped as it is built (jsonText, messageLine), so written as it is
        const write = ctx.escaped ?? ctx.out;
        let printed = 0;
        const print = (messages: ConsumedMessage[]) => {
          let lines: string[] = [];
          for (const m of messages) {
            if (flags.json) {
              const { size: _size, ...shape } = m;
              lines.push(jsonText(shape) + '\n');
            } else {
              lines.push(messageLine(m, { time: true, headers: true }));
            }
            if (lines.length >= 4096) {
              write(lines.join(''));
              lines = [];
            }
          }
          if (lines.length) write(lines.join(''));
          printed += messages.length;
        };
        // printed batch by batch as they are read (each partition in offset order), none kept: a read
        // of millions runs in constant memory; into a capture, they are kept and recorded at the end
        const { core: runCore, id } = await ctx.target(flags);
        const operationId = randomUUID();
        const unsubscribe = target
          ? () => undefined
          : runCore.events.onAny((event, payload) => {
              if (event !== 'operation.messages') return;
              const p = payload as EventPayload<'operation.messages'>;
              if (p.operationId === operationId) print(p.messages);
            });
        const r = await callCore<ConsumeResult>(runCore, 'operations.consume', {
          id,
          operationId,
          into: target ? 'reply' : 'events',
          ...(flags.topicPattern
            ? { topicPattern: flags.topicPattern }
            : flags.topic.length === 1
              ? { topic: flags.topic[0] }
              : { topics: flags.topic }),
          start,
          max: flags.max,
          readUncommitted: Boolean(flags.readUncommitted),
          maxRecordsPerPoll: flags.maxPollRecords,
          ...(stopAtTimestamp !== undefined ? { stopAtTimestamp } : {}),
          ...(flags.maxMessageBytes !== undefined ? { maxMessageBytes: flags.maxMessageBytes } : {}),
          ...(flags.onOversize ? { onOversize: flags.onOversize } : {}),
          ...(flags.group
            ? {
                group: {
                  groupId: flags.group,
                  commit: flags.commit ? 'auto' : 'manual',
                  joinLiveGroup: Boolean(flags.joinLiveGroup),
                },
              }
            : {}),
          ...(flags.partition.length ? { partitions: flags.partition } : {}),
          ...(Object.keys(filter).length ? { filter } : {}),
          ...decodeInput(flags),
        }).finally(unsubscribe);
        if (target) print(r.messages);
        if (core && target) {
          const saved = flags.connection ? await core.connections.findByName(flags.connection) : null;
          ctx.err(await recordCapture(core, target, r.messages, saved ? { id: saved.id, name: saved.name } : null, id));
        }
        for (const o of r.oversized) {
          const at = `${o.action === 'skipped' ? 'Skipped' : 'Stopped at'} ${showText(o.topic)}[${o.partition}]`;
          ctx.err(
            o.batch
              ? `${at} ${o.offset === o.batch.lastOffset ? `offset ${o.offset}` : `offsets ${o.offset}–${o.batch.lastOffset}`}: a ${showText(o.batch.codec)} batch of ${o.batch.records.toLocaleString('en')} message(s) that inflates to more than ${o.size.toLocaleString('en')} bytes (a decompression bomb, or messages over the connection's largest message).\n`
              : `${at} offset ${o.offset}: ${o.size.toLocaleString('en')} bytes, over --max-message-bytes.\n`,
          );
        }
        if (!flags.json)
          ctx.err(
            `${printed} message(s)${Object.keys(filter).length ? ` matched of ${r.scanned} scanned` : ''}${r.reachedEnd ? ', reached the end' : ''}.\n`,
          );
        if (r.group?.committed)
          ctx.err(
            `Committed for ${showText(r.group.groupId)}: ${r.group.offsets.map((a) => `${showText(a.topic)}[${a.partition}] ${a.offset}`).join(', ')}.\n`,
          );
        else if (r.group && r.group.offsets.length)
          ctx.err(
            `Not committed (no --commit); to commit what was read: ${r.group.offsets.map((a) => `kafka-desk commit --group ${showText(r.group!.groupId)} --topic ${showText(a.topic)} --partition ${a.partition} --offset ${a.offset}`).join(' ; ')}\n`,
          );
        if (r.stoppedBecause && r.oversized.some((o) => o.action === 'stopped'))
          throw new CliError({ code: 'PAYLOAD_TOO_LARGE', message: r.stoppedBecause });
        // stopped at a message not of the chosen format: the error names it; shown or skipped: counted here
        if (r.stoppedBecause && r.undecodable?.action === 'stop')
          throw new CliError({ code: 'SCHEMA_INVALID', message: r.stoppedBecause });
        const undecodable = undecodableLine(r.undecodable, flags);
        if (undecodable) ctx.err(undecodable);
        // stopped short of the end for another reason (the broker went quiet): said, and not a success
        if (r.stoppedBecause && !r.cancelled) throw new CliError({ code: 'TIMEOUT', message: r.stoppedBecause });
      },
    );

  ctx
    .addConnectionFlags(
      program.command('commit').description("commit an offset for a group (the group's next read starts there)"),
    )
    .requiredOption('-g, --group <group>', 'the consumer group')
    .requiredOption('-t, --topic <topic>', 'the topic')
    .requiredOption('-p, --partition <n>', 'the partition', int)
    .requiredOption('-o, --offset <offset>', 'the offset to commit')
    .action(async (flags: { group: string; topic: string; partition: number; offset: string; json?: boolean }) => {
      const r = await call<CommitResult>(ctx, flags, 'operations.commit', {
        groupId: flags.group,
        topic: flags.topic,
        offsets: [{ partition: flags.partition, offset: flags.offset }],
      });
      if (flags.json) ctx.out(jsonText(r) + '\n');
      else
        ctx.out(
          `Committed ${showText(r.groupId)} on ${showText(r.topic)}[${flags.partition}]: ${r.before[0]?.offset ?? '(none)'} → ${r.after[0]?.offset ?? '(none)'}.\n`,
        );
    });
}
