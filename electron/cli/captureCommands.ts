import { access } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import {
  CaptureName,
  type CaptureExportFormat,
  type CaptureSummary,
  type ChannelOutput,
  type ConsumedMessage,
} from '../contract';
import type { Core } from '../core';
import { exportChunks, exportToFileWithSchemas, importFile } from '../core/captures/captureFiles';
import {
  readSchemasFile,
  schemasFileName,
  schemasFileText,
  writeSchemasFile,
  type SchemaLookup,
} from '../core/captures/captureSchemas';
import { CoreError } from '../core/coreError';
import { zodToAppError } from '../core/dispatch';
import { CliError } from './cliError';
import { callCore, type CliTarget } from './callCore';
import { printRows } from './output';
import { jsonText, showText } from './terminalText';

export interface CaptureCommandContext {
  out: (s: string) => void;
  /** For `captures export` to standard output: the file's bytes as they are (made safe only on a terminal). */
  data: (s: string) => void;
  err: (s: string) => void;
  openCore: (flags: { dataDir?: string }) => Core;
  addConnectionFlags: (cmd: Command) => Command;
  /** The core and the connection id the flags name (a saved connection, or one registered for this run). */
  target: (flags: object) => Promise<CliTarget>;
}

function captureName(name: string, flag: string): string {
  const parsed = CaptureName.safeParse(name);
  if (!parsed.success) throw new CliError(zodToAppError(parsed.error, flag));
  return parsed.data;
}

/** Where `consume --capture NAME [--append]` will record: checked before reading, so a taken name fails fast. */
export function captureTarget(core: Core, name: string, append: boolean): { name: string; existingId: number | null } {
  const valid = captureName(name, '--capture');
  let existingId: number | null = null;
  try {
    existingId = core.captures.findByName(valid).id;
  } catch (e) {
    if (!(e instanceof CoreError && e.code === 'NOT_FOUND')) throw e;
  }
  if (existingId !== null && !append)
    throw new CoreError(
      'CONFLICT',
      `A capture named '${valid}' already exists; add --append to add to it, or choose another name.`,
    );
  return { name: valid, existingId };
}

/**
 * Records what `consume --capture NAME` read into a capture (a new one, or appended to NAME with
 * --append). Returns the sentence to print on standard error (standard output keeps consume's output).
 */
export async function recordCapture(
  core: Core,
  target: { name: string; existingId: number | null },
  messages: ConsumedMessage[],
  connection: { id: string; name: string } | null,
  /** The connection the messages were read with (saved or not): its schema cache has the schemas they name. */
  readWith?: string,
): Promise<string> {
  const store = core.captures;
  let schemas: SchemaLookup | undefined;
  if (readWith) {
    const cache = core.schemas.cache(readWith);
    await cache.load();
    schemas = (sid) => cache.get(sid);
  }
  if (target.existingId !== null) {
    const c = await store.append(target.existingId, messages, schemas);
    return `Added ${messages.length} message(s) to capture '${showText(c.name)}' (${c.messageCount} in all).\n`;
  }
  if (!messages.length) return `Nothing read; no capture '${showText(target.name)}' saved.\n`;
  const c = await store.create(
    {
      name: target.name,
      source: 'consume',
      connectionId: connection?.id ?? null,
      connectionName: connection?.name ?? null,
      ...(schemas ? { schemas } : {}),
    },
    messages,
  );
  return `Saved ${c.messageCount} message(s) as capture '${showText(c.name)}'.\n`;
}

/** `kafka-desk captures list | export NAME | import FILE --name NAME | delete NAME --yes`: captures kept in the data folder, no broker needed. */
export function registerCaptureCommands(program: Command, ctx: CaptureCommandContext): void {
  const captures = program
    .command('captures')
    .description('list, export, import and delete captures (saved messages, read offline)');
  const common = (c: Command) => c.option('--data-dir <dir>', 'data folder with saved connections and captures');

  common(captures.command('list', { isDefault: true }).description('list captures'))
    .option('--json', 'print NDJSON')
    .action(async (flags: { dataDir?: string; json?: boolean }) => {
      const list = await callCore<CaptureSummary[]>(ctx.openCore(flags), 'captures.list', {});
      if (flags.json) {
        printRows(list, [], true, ctx.out);
        return;
      }
      printRows(
        list.map((c) => ({
          name: c.name,
          messages: c.messageCount,
          topics: c.topics.join(','),
          connection: c.connectionName,
          tags: c.tags.join(','),
          created: c.createdAt,
        })),
        [
          { key: 'name', title: 'CAPTURE' },
          { key: 'messages', title: 'MESSAGES', align: 'right', count: true },
          { key: 'topics', title: 'TOPICS' },
          { key: 'connection', title: 'CONNECTION' },
          { key: 'tags', title: 'TAGS' },
          { key: 'created', title: 'SAVED' },
        ],
        false,
        ctx.out,
      );
    });

  common(
    captures
      .command('export')
      .argument('<name>')
      .description(
        "write a capture as NDJSON (consume --json's lines), JSON or CSV; with --out FILE, the registry schemas its messages name go beside it in FILE.schemas.json",
      ),
  )
    .addOption(new Option('--format <format>', 'the file format').choices(['ndjson', 'json', 'csv']).default('ndjson'))
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (name: string, flags: { dataDir?: string; format: CaptureExportFormat; out?: string }) => {
      const store = ctx.openCore(flags).captures;
      const c = store.findByName(name);
      if (flags.out) {
        const r = await exportToFileWithSchemas(store, c.id, flags.format, flags.out);
        ctx.err(`Exported ${r.count} message(s) of '${showText(c.name)}' to ${showText(flags.out)}.\n`);
        if (r.schemasFile) ctx.err(`Their schemas are in ${showText(r.schemasFile)}.\n`);
        return;
      }
      for (const chunk of exportChunks(store, c.id, flags.format)) ctx.data(chunk);
      if (store.schemas(c.id).length)
        ctx.err(
          `The messages name registry schemas: export with --out FILE to get them in FILE.schemas.json, or run: kafka-desk captures schemas '${showText(c.name)}'.\n`,
        );
    });

  common(
    captures
      .command('schemas')
      .argument('<name>')
      .description(
        'write the registry schemas a capture keeps, as the schemas file an export writes beside it ({"kafkaDeskSchemas": 1, "schemas": [...]})',
      ),
  )
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (name: string, flags: { dataDir?: string; out?: string }) => {
      const core = ctx.openCore(flags);
      const c = core.captures.findByName(name);
      const { schemas } = await callCore<ChannelOutput<'captures.schemas'>>(core, 'captures.schemas', { id: c.id });
      if (flags.out) {
        await writeSchemasFile(flags.out, schemas);
        ctx.err(`Wrote ${schemas.length} schema(s) of '${showText(c.name)}' to ${showText(flags.out)}.\n`);
      } else ctx.data(schemasFileText(schemas));
    });

  common(
    captures
      .command('import')
      .argument('<file>')
      .description(
        'import NDJSON written by Kafka Desk (consume --json, captures export) or kcat -J; the schemas in FILE.schemas.json (or --schemas) are kept with it and decode its messages offline',
      ),
  )
    .requiredOption('--name <name>', "the new capture's name")
    .option('--tag <tag>', 'a tag (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--schemas <file>', 'the schemas file (default: FILE.schemas.json when there is one)')
    .action(async (file: string, flags: { dataDir?: string; name: string; tag: string[]; schemas?: string }) => {
      const name = captureName(flags.name, '--name');
      let schemasFile = flags.schemas;
      if (schemasFile === undefined) {
        const beside = schemasFileName(file);
        if (
          await access(beside).then(
            () => true,
            () => false,
          )
        )
          schemasFile = beside;
      }
      const schemas = schemasFile === undefined ? [] : await readSchemasFile(schemasFile);
      const r = await importFile(ctx.openCore(flags).captures, { name, tags: flags.tag }, file, schemas);
      for (const w of r.warnings) ctx.err(`warning: ${showText(w)}\n`);
      if (schemasFile !== undefined) ctx.err(`Read ${schemas.length} schema(s) from ${showText(schemasFile)}.\n`);
      ctx.out(`Imported ${r.capture.messageCount} message(s) as capture '${showText(r.capture.name)}'.\n`);
    });

  common(captures.command('delete').argument('<name>').description('delete a capture'))
    .option('--yes', 'really delete it')
    .action(async (name: string, flags: { dataDir?: string; yes?: boolean }) => {
      const core = ctx.openCore(flags);
      const c = core.captures.findByName(name);
      if (!flags.yes)
        throw new CoreError(
          'INVALID_INPUT',
          `Deleting '${c.name}' (${c.messageCount} message(s)) cannot be undone; add --yes to do it.`,
        );
      await callCore(core, 'captures.delete', { id: c.id });
      ctx.out(`Deleted capture '${showText(c.name)}'.\n`);
    });

  ctx
    .addConnectionFlags(
      captures
        .command('replay')
        .argument('<name>')
        .description("send a capture's messages to a topic (keys, values and headers byte for byte)"),
    )
    .requiredOption('-t, --topic <topic>', 'the topic to send to')
    .option('--same-partitions', 'each message to the partition it was read from (default: the key decides)')
    .option('--keep-timestamps', 'the original timestamps (default: the time of sending)')
    .option('--rate <n>', 'at most N messages per second', (v) => Number.parseInt(v, 10), 0)
    .action(
      async (
        name: string,
        flags: {
          dataDir?: string;
          topic: string;
          samePartitions?: boolean;
          keepTimestamps?: boolean;
          rate: number;
          json?: boolean;
        },
      ) => {
        const { core, id } = await ctx.target(flags);
        const c = core.captures.findByName(name);
        const r = await callCore<ChannelOutput<'captures.replay'>>(core, 'captures.replay', {
          id: c.id,
          connectionId: id,
          topic: flags.topic,
          partitions: flags.samePartitions ? 'same' : 'default',
          timestamps: flags.keepTimestamps ? 'keep' : 'now',
          ratePerSecond: flags.rate,
        });
        for (const x of r.results) {
          const seq = r.seqs[x.index];
          if (flags.json) ctx.out(jsonText({ seq, ...x }) + '\n');
          else if (x.status !== 'delivered')
            ctx.out(`${x.status.padEnd(10)} message #${seq}: ${showText(x.message)}\n`);
        }
        if (!flags.json)
          ctx.out(
            `${r.delivered} of ${r.results.length} message(s) of '${showText(c.name)}' delivered to ${showText(flags.topic)}.\n`,
          );
        if (r.failed)
          throw new CliError({
            code: 'KAFKA_ERROR',
            message: `${r.failed} of ${r.results.length} message(s) were not delivered.`,
          });
      },
    );
}
