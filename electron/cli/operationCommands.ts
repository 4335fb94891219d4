import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import type { CommitResult, ConsumeResult, ProduceMessage, ProduceResult, StartPosition, WireBytes } from '../contract';
import type { ResolvedConnection } from '../core/connections/storedConnection';
import { CoreError } from '../core/coreError';
import type { Handlers } from '../core/handlers';
import { commitOffsets } from '../core/operations/commitOperation';
import { consume } from '../core/operations/consumeOperation';
import { produce } from '../core/operations/produceOperation';
import { callCore } from './callCore';
import { CliError } from './cliError';
import type { AdminCommandContext } from './adminCommands';

/** The same contract validation and handlers as the app, for the one connection the command line names. */
async function call<T>(ctx: AdminCommandContext, flags: object, channel: string, input: Record<string, unknown>): Promise<T> {
  const conn: ResolvedConnection = await ctx.resolveConnection(flags);
  const handlers: Partial<Handlers> = {
    'operations.produce': (i) => produce(conn, i),
    'operations.consume': (i) => consume(conn, i),
    'operations.commit': (i) => commitOffsets(conn, i),
  };
  return callCore<T>(handlers, channel, input);
}

const collect = (v: string, prev: string[]) => [...prev, v];
const int = (v: string) => Number.parseInt(v, 10);

/** `--from earliest | latest | -N | offset:N | timestamp:ISO` */
export function parseFrom(v: string, group?: string): StartPosition {
  if (group && (v === 'group' || v === '')) return { from: 'group', groupId: group };
  if (v === 'earliest' || v === 'beginning') return { from: 'earliest' };
  if (v === 'latest' || v === 'end') return { from: 'latest', minus: 0 };
  if (/^-\d+$/.test(v)) return { from: 'latest', minus: Number(v.slice(1)) };
  if (/^offset:\d+$/.test(v)) return { from: 'offset', offset: v.slice(7) };
  if (v.startsWith('timestamp:')) {
    const t = /^\d+$/.test(v.slice(10)) ? Number(v.slice(10)) : Date.parse(v.slice(10));
    if (Number.isNaN(t)) throw new CoreError('INVALID_INPUT', `--from ${v}: not a time; write timestamp:2026-11-23T10:00:00Z or timestamp:<epoch ms>.`);
    return { from: 'timestamp', timestamp: t };
  }
  throw new CoreError('INVALID_INPUT', `--from ${v}: use earliest, latest, -N (the last N), offset:N or timestamp:TIME.`);
}

function header(h: string): [string, WireBytes] {
  const i = h.indexOf('=');
  if (i < 1) throw new CoreError('INVALID_INPUT', `--header ${h}: write it as key=value.`);
  return [h.slice(0, i), h.slice(i + 1)];
}

/** Messages from a file: lines (each line a value), NDJSON in the --json shape of consume, or a JSON array of either. */
async function messagesFromFile(file: string, format: string): Promise<ProduceMessage[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CoreError('FILE_ERROR', `Cannot read ${file}: ${(e as Error).message}`);
  }
  const fromObject = (o: unknown, where: string): ProduceMessage => {
    if (typeof o === 'string') return { value: o };
    if (!o || typeof o !== 'object') throw new CoreError('INVALID_INPUT', `${where}: expected an object with key / value / headers, or a string.`);
    const m = o as { key?: WireBytes; value?: WireBytes; headers?: [string, WireBytes][]; partition?: number; timestamp?: string | number };
    const out: ProduceMessage = { key: m.key ?? null, value: m.value ?? null, headers: m.headers ?? [] };
    if (m.partition !== undefined) out.partition = m.partition;
    if (m.timestamp !== undefined) out.timestamp = Number(m.timestamp);
    return out;
  };
  switch (format) {
    case 'lines':
      return text.split(/\r?\n/).filter((l) => l.length > 0).map((value) => ({ value }));
    case 'ndjson':
      return text
        .split(/\r?\n/)
        .map((l, i) => [l, i] as const)
        .filter(([l]) => l.trim())
        .map(([l, i]) => {
          try {
            return fromObject(JSON.parse(l), `${file}:${i + 1}`);
          } catch (e) {
            if (e instanceof CoreError) throw e;
            throw new CoreError('INVALID_INPUT', `${file}:${i + 1} is not valid JSON: ${(e as Error).message}`);
          }
        });
    case 'json': {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new CoreError('INVALID_INPUT', `${file} is not valid JSON: ${(e as Error).message}`);
      }
      if (!Array.isArray(doc)) throw new CoreError('INVALID_INPUT', `${file}: expected a JSON array of messages.`);
      return doc.map((o, i) => fromObject(o, `${file}[${i}]`));
    }
    default:
      throw new CoreError('INVALID_INPUT', `--format ${format}: use lines, ndjson or json.`);
  }
}

/** `kafka-desk produce`, `consume` and `commit`. */
export function registerOperationCommands(program: Command, ctx: AdminCommandContext): void {
  ctx.addConnectionFlags(program.command('produce').description('send messages: one from flags, or a file (lines, NDJSON as consume --json prints, JSON array)'))
    .requiredOption('-t, --topic <topic>', 'the topic')
    .option('-k, --key <key>', 'the key')
    .option('-v, --value <value>', 'the value')
    .option('-f, --file <file>', 'messages from a file')
    .addOption(new Option('--format <format>', 'the file format').choices(['lines', 'ndjson', 'json']).default('lines'))
    .option('-H, --header <key=value>', 'a header (repeatable, order kept)', collect, [] as string[])
    .option('-p, --partition <n>', 'the partition (default: the key\'s, as the Java client)', int)
    .option('--timestamp <ms>', 'the timestamp (epoch ms; default now)', int)
    .addOption(new Option('--acks <acks>', 'acknowledgements').choices(['all', '1', '0']).default('all'))
    .addOption(new Option('--compression <codec>', 'compression').choices(['none', 'gzip', 'snappy', 'lz4', 'zstd']).default('none'))
    .option('--count <n>', 'send the message N times', int, 1)
    .option('--max-message-bytes <n>', 'refuse larger messages before sending', int, 10 * 1024 * 1024)
    .option('--continue-on-error', 'send the rest when one message fails')
    .option('--template', 'render {{seq}} {{uuid}} {{now}} {{iso}} {{randomInt A B}} {{pick "a" "b"}} per message')
    .option('--rate <n>', 'at most N messages per second', int, 0)
    .action(async (flags: { topic: string; key?: string; value?: string; file?: string; format: string; header: string[]; partition?: number; timestamp?: number; acks: string; compression: string; count: number; maxMessageBytes: number; continueOnError?: boolean; template?: boolean; rate: number; json?: boolean }) => {
      let messages: ProduceMessage[];
      if (flags.file) messages = await messagesFromFile(flags.file, flags.format);
      else {
        const one: ProduceMessage = { key: flags.key ?? null, value: flags.value ?? null, headers: flags.header.map(header) };
        if (flags.partition !== undefined) one.partition = flags.partition;
        if (flags.timestamp !== undefined) one.timestamp = flags.timestamp;
        messages = Array.from({ length: Math.max(1, flags.count) }, () => one);
      }
      const r = await call<ProduceResult>(ctx, flags, 'operations.produce', {
        topic: flags.topic,
        messages,
        acks: flags.acks,
        compression: flags.compression,
        maxMessageBytes: flags.maxMessageBytes,
        continueOnError: Boolean(flags.continueOnError),
        template: Boolean(flags.template),
        ratePerSecond: flags.rate,
      });
      if (flags.json) for (const x of r.results) ctx.out(JSON.stringify(x) + '\n');
      else {
        for (const x of r.results) {
          ctx.out(x.status === 'delivered' ? `delivered  ${flags.topic}[${x.partition}] @ ${x.offset}\n` : `${x.status.padEnd(10)} message ${x.index + 1}: ${x.message}\n`);
        }
        ctx.out(`${r.delivered} delivered, ${r.failed} not delivered.\n`);
      }
      if (r.failed) throw new CliError({ code: 'KAFKA_ERROR', message: `${r.failed} of ${r.results.length} message(s) were not delivered.` });
    });

  ctx.addConnectionFlags(program.command('consume').description('read a bounded range of messages, without leaving a consumer group behind'))
    .requiredOption('-t, --topic <topic>', 'the topic')
    .option('--from <position>', 'earliest | latest | -N (the last N) | offset:N | timestamp:TIME', 'earliest')
    .option('-p, --partition <n>', 'only this partition (repeatable)', (v, prev: number[]) => [...prev, int(v)], [] as number[])
    .option('-m, --max <n>', 'stop after N messages', int, 100)
    .option('--until-end', 'stop at the end offsets seen at the start (the default)')
    .option('--group <group>', 'start from this group\'s committed offsets')
    .option('--commit', 'with --group: commit what was read to the group')
    .option('--read-uncommitted', 'read messages of open or aborted transactions too')
    .option('--grep <text>', 'keep only messages whose key, value or a header contains TEXT (case-insensitive)')
    .option('--regex <re>', 'keep only messages whose key or value matches the regular expression')
    .option('--header-filter <key[=value]>', 'keep only messages with this header')
    .option('--json-path <path[=value]>', 'keep only messages whose JSON value has PATH (equal to VALUE)')
    .action(async (flags: { topic: string; from: string; partition: number[]; max: number; group?: string; commit?: boolean; json?: boolean; grep?: string; regex?: string; headerFilter?: string; jsonPath?: string; readUncommitted?: boolean }) => {
      if (flags.commit && !flags.group) throw new CoreError('INVALID_INPUT', '--commit needs --group GROUP.');
      const start = flags.group && flags.from === 'earliest' ? ({ from: 'group', groupId: flags.group } as const) : parseFrom(flags.from, flags.group);
      const split = (s: string) => {
        const i = s.indexOf('=');
        return i < 0 ? [s, undefined] as const : [s.slice(0, i), s.slice(i + 1)] as const;
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
      const r = await call<ConsumeResult>(ctx, flags, 'operations.consume', {
        topic: flags.topic,
        start,
        max: flags.max,
        readUncommitted: Boolean(flags.readUncommitted),
        ...(flags.partition.length ? { partitions: flags.partition } : {}),
        ...(Object.keys(filter).length ? { filter } : {}),
      });
      for (const m of r.messages) {
        if (flags.json) {
          const { size: _size, ...shape } = m;
          ctx.out(JSON.stringify(shape) + '\n');
        } else {
          const show = (w: WireBytes) => (w === null ? '(null)' : typeof w === 'string' ? w : `base64:${w.base64}`);
          ctx.out(`${m.topic}[${m.partition}] @ ${m.offset}  ${new Date(Number(m.timestamp)).toISOString()}  key=${show(m.key)}  ${show(m.value)}${m.headers.length ? `  headers=${m.headers.map(([k, v]) => `${k}=${show(v)}`).join(',')}` : ''}\n`);
        }
      }
      if (!flags.json) process.stderr.write(`${r.messages.length} message(s)${Object.keys(filter).length ? ` matched of ${r.scanned} scanned` : ''}${r.reachedEnd ? ', reached the end' : ''}.\n`);
      if (flags.commit && flags.group && r.messages.length) {
        const next = new Map<number, bigint>();
        for (const m of r.messages) next.set(m.partition, BigInt(m.offset) + 1n);
        const c = await call<CommitResult>(ctx, flags, 'operations.commit', { groupId: flags.group, topic: flags.topic, offsets: [...next].map(([partition, offset]) => ({ partition, offset: offset.toString() })) });
        process.stderr.write(`Committed for ${c.groupId}: ${c.after.map((a) => `[${a.partition}] ${a.offset}`).join(', ')}.\n`);
      }
    });

  ctx.addConnectionFlags(program.command('commit').description("commit an offset for a group (the group's next read starts there)"))
    .requiredOption('-g, --group <group>', 'the consumer group')
    .requiredOption('-t, --topic <topic>', 'the topic')
    .requiredOption('-p, --partition <n>', 'the partition', int)
    .requiredOption('-o, --offset <offset>', 'the offset to commit')
    .action(async (flags: { group: string; topic: string; partition: number; offset: string; json?: boolean }) => {
      const r = await call<CommitResult>(ctx, flags, 'operations.commit', { groupId: flags.group, topic: flags.topic, offsets: [{ partition: flags.partition, offset: flags.offset }] });
      if (flags.json) ctx.out(JSON.stringify(r) + '\n');
      else ctx.out(`Committed ${r.groupId} on ${r.topic}[${flags.partition}]: ${r.before[0]?.offset ?? '(none)'} → ${r.after[0]?.offset ?? '(none)'}.\n`);
    });
}
