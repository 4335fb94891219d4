import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type {
  ChannelOutput,
  ConnectorDetail,
  ConsumeResult,
  Preset,
  PresetOperation,
  ProduceResult,
} from '../contract';
import type { Core } from '../core';
import { CoreError } from '../core/coreError';
import { callCore } from './callCore';
import { CliError } from './cliError';
import { printRows } from './output';
import { jsonText, messageLine, showText } from './terminalText';

export interface PresetCommandContext {
  out: (s: string) => void;
  /** For `presets export` to standard output: the file's bytes as they are (made safe only on a terminal). */
  data: (s: string) => void;
  openCore: (flags: { dataDir?: string }) => Core;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** What a preset works on: its topic(s), a pattern, or a connector. */
function subjectOf(op: PresetOperation): string {
  if (op.kind === 'connector') return `connector ${op.input.name}`;
  if (op.kind === 'consume')
    return op.input.topicPattern ? `/${op.input.topicPattern}/` : (op.input.topics?.join(',') ?? op.input.topic ?? '');
  return op.input.topic;
}

/** `kafka-desk presets list | run NAME [--var K=V]... | export [--out FILE] | import FILE`: the app's presets, from the terminal. */
export function registerPresetCommands(program: Command, ctx: PresetCommandContext): void {
  const presets = program.command('presets').description('list, run, export and import saved presets');
  const common = (c: Command) =>
    c.option('--data-dir <dir>', 'data folder with saved connections and presets').option('--json', 'print JSON');

  common(presets.command('list', { isDefault: true }).description('list presets')).action(
    async (flags: { dataDir?: string; json?: boolean }) => {
      const list = await callCore<Preset[]>(ctx.openCore(flags), 'presets.list', {});
      printRows(
        list.map((p) => ({
          name: p.name,
          kind: p.operation.kind,
          topic: subjectOf(p.operation),
          connection: p.connectionName,
          folder: p.folder,
          variables: p.variables.join(','),
        })),
        [
          { key: 'name', title: 'PRESET' },
          { key: 'kind', title: 'OPERATION' },
          { key: 'topic', title: 'TOPIC' },
          { key: 'connection', title: 'CONNECTION' },
          { key: 'folder', title: 'FOLDER' },
          { key: 'variables', title: 'VARIABLES' },
        ],
        Boolean(flags.json),
        ctx.out,
      );
    },
  );

  common(presets.command('run').argument('<name>').description('run a preset on its saved connection'))
    .option('--var <name=value>', 'a value for a {{variable}} (repeatable)', collect, [] as string[])
    .option('--connect-cluster <name>', "for a connector preset: which of the connection's Connect clusters")
    .action(
      async (name: string, flags: { dataDir?: string; json?: boolean; var: string[]; connectCluster?: string }) => {
        const core = ctx.openCore(flags);
        const preset = await core.presets.findByName(name);
        const values: Record<string, string> = {};
        for (const v of flags.var) {
          const i = v.indexOf('=');
          if (i < 1) throw new CoreError('INVALID_INPUT', `--var ${v}: write it as name=value.`);
          values[v.slice(0, i)] = v.slice(i + 1);
        }
        const { operation } = await callCore<ChannelOutput<'presets.resolve'>>(core, 'presets.resolve', {
          id: preset.id,
          values,
        });
        const conn = await core.connections.findByName(preset.connectionName);
        if (operation.kind === 'connector') {
          // a connector preset is created on the connection's Connect cluster (the only one, or --connect-cluster)
          const clusters = await core.connect.list(conn.id);
          const chosen = flags.connectCluster
            ? clusters.find((c) => c.name.toLowerCase() === flags.connectCluster!.toLowerCase())
            : clusters.length === 1
              ? clusters[0]
              : undefined;
          if (!chosen)
            throw new CoreError(
              'NOT_FOUND',
              clusters.length
                ? `Choose the Connect cluster with --connect-cluster (${clusters.map((c) => `'${c.name}'`).join(', ')}).`
                : `'${conn.name}' has no Kafka Connect cluster saved.`,
            );
          const d = await callCore<ConnectorDetail>(core, 'connect.create', {
            clusterId: chosen.id,
            ...operation.input,
          });
          ctx.out(
            flags.json
              ? jsonText(d) + '\n'
              : `Created ${showText(d.name)} on ${showText(chosen.name)}: ${showText(d.state)}.\n`,
          );
          return;
        }
        const channel = operation.kind === 'produce' ? 'operations.produce' : 'operations.consume';
        const value = await callCore<ProduceResult | ConsumeResult>(core, channel, { ...operation.input, id: conn.id });
        if (operation.kind === 'produce') {
          const p = value as ProduceResult;
          if (flags.json) for (const x of p.results) ctx.out(jsonText(x) + '\n');
          else ctx.out(`${p.delivered} delivered, ${p.failed} not delivered.\n`);
          if (p.failed)
            throw new CliError({ code: 'KAFKA_ERROR', message: `${p.failed} message(s) were not delivered.` });
        } else {
          for (const m of (value as ConsumeResult).messages) {
            const { size: _size, ...shape } = m;
            ctx.out(flags.json ? jsonText(shape) + '\n' : messageLine(m));
          }
        }
      },
    );

  common(presets.command('export').description('export presets as JSON (no secrets)'))
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (flags: { dataDir?: string; out?: string }) => {
      const { json, count } = await callCore<ChannelOutput<'presets.export'>>(
        ctx.openCore(flags),
        'presets.export',
        {},
      );
      if (flags.out) {
        await writeFile(flags.out, json);
        ctx.out(`Exported ${count} preset(s) to ${showText(flags.out)}.\n`);
      } else ctx.data(json);
    });

  common(presets.command('import').argument('<file>').description('import presets exported by Kafka Desk'))
    .option('--connection-name <name>', 'run them on this saved connection (default: the names in the file)')
    .action(async (file: string, flags: { dataDir?: string; connectionName?: string }) => {
      let json: string;
      try {
        json = await readFile(file, 'utf8');
      } catch (e) {
        throw new CoreError('FILE_ERROR', `Cannot read ${file}: ${(e as Error).message}`);
      }
      const r = await callCore<ChannelOutput<'presets.import'>>(ctx.openCore(flags), 'presets.import', {
        json,
        ...(flags.connectionName ? { connectionName: flags.connectionName } : {}),
      });
      ctx.out(`Imported ${r.imported.length}: ${r.imported.map(showText).join(', ') || '-'}\n`);
      for (const s of r.skipped) ctx.out(`Skipped '${showText(s.name)}': ${showText(s.reason)}\n`);
    });
}
