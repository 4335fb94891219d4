import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ChannelName, ConnectorDetail, ConnectorSummary, Validation } from '../contract';
import type { Core } from '../core';
import { CoreError } from '../core/coreError';
import { callCore } from './callCore';
import { CliError } from './cliError';
import { printRows } from './output';
import { jsonText, showLines, showText } from './terminalText';

export interface ConnectCommandContext {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  openCore: (flags: { dataDir?: string }) => Core;
}

interface ConnectFlags {
  connectUrl: string[];
  connectUser?: string;
  connectPassword?: string;
  connectCa?: string;
  insecureSkipVerify?: boolean;
  allowPlainHttp?: boolean;
  connection?: string;
  connectCluster?: string;
  dataDir?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** The Connect cluster the flags name: --connect-url (ad hoc), or a saved connection's (--connection, --connect-cluster). */
async function target(ctx: ConnectCommandContext, flags: ConnectFlags): Promise<{ core: Core; clusterId: string }> {
  const core = ctx.openCore(flags);
  const stored = flags.connection ? await core.connections.findByName(flags.connection) : null;
  if (flags.connectUrl.length) {
    let ca: string | undefined;
    if (flags.connectCa) {
      try {
        ca = await readFile(flags.connectCa, 'utf8');
      } catch (e) {
        throw new CoreError('FILE_ERROR', `Cannot read ${flags.connectCa}: ${(e as Error).message}`);
      }
    }
    // registered with the core for this run; read-only and the Kafka cluster check follow --connection when given
    const clusterId = core.registerTransientConnectCluster({
      connectionId: stored?.id ?? '',
      name: 'command line',
      urls: flags.connectUrl.map((u) => u.replace(/\/+$/, '')),
      username: flags.connectUser ?? '',
      password: flags.connectPassword ?? ctx.env.KAFKA_DESK_CONNECT_PASSWORD ?? '',
      ...(ca ? { ca } : {}),
      verify: !flags.insecureSkipVerify,
      timeoutMs: 30_000,
      allowPlainHttp: Boolean(flags.allowPlainHttp),
    });
    return { core, clusterId };
  }
  if (!stored)
    throw new CoreError(
      'INVALID_INPUT',
      'Say which Connect cluster: --connect-url URL, or --connection NAME (with --connect-cluster NAME when it has several).',
    );
  const list = await core.connect.list(stored.id);
  const chosen = flags.connectCluster
    ? list.find((c) => c.name.toLowerCase() === flags.connectCluster!.toLowerCase())
    : list.length === 1
      ? list[0]
      : undefined;
  if (!chosen) {
    throw new CoreError(
      'NOT_FOUND',
      list.length
        ? `'${stored.name}' has several Connect clusters (${list.map((c) => `'${c.name}'`).join(', ')}): choose one with --connect-cluster NAME.`
        : `'${stored.name}' has no Kafka Connect cluster saved; add one in the app, or use --connect-url URL.`,
    );
  }
  return { core, clusterId: chosen.id };
}

async function run<T>(
  ctx: ConnectCommandContext,
  flags: ConnectFlags,
  channel: ChannelName,
  input: Record<string, unknown>,
): Promise<T> {
  const { core, clusterId } = await target(ctx, flags);
  return callCore<T>(core, channel, { ...input, clusterId });
}

async function configFile(file: string): Promise<{ name?: string; config: Record<string, string> }> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new CoreError(
      e instanceof SyntaxError ? 'INVALID_INPUT' : 'FILE_ERROR',
      e instanceof SyntaxError
        ? `${file} is not valid JSON: ${e.message}`
        : `Cannot read ${file}: ${(e as Error).message}`,
    );
  }
  const o = doc as { name?: unknown; config?: unknown };
  const raw =
    o && typeof o === 'object' && o.config && typeof o.config === 'object'
      ? (o.config as Record<string, unknown>)
      : (o as Record<string, unknown>);
  const config = Object.fromEntries(
    Object.entries(raw)
      .filter(([k]) => k !== 'config')
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  const name = typeof o.name === 'string' ? o.name : typeof config.name === 'string' ? config.name : undefined;
  return { ...(name ? { name } : {}), config };
}

function printDetail(ctx: ConnectCommandContext, d: ConnectorDetail, json?: boolean) {
  if (json) {
    ctx.out(jsonText(d) + '\n');
    return;
  }
  // names and states on one line each; a trace keeps its lines (indented) and tabs, nothing else raw
  const indented = (trace: string) => showLines(trace).replace(/^/gm, '    ');
  ctx.out(
    `${showText(d.name)}  ${showText(d.type)}  ${showText(d.state)}  on ${showText(d.workerId) || '-'}  (${showText(d.className)})\n`,
  );
  if (d.trace) ctx.out(`  connector trace:\n${indented(d.trace)}\n`);
  for (const t of d.tasks) {
    ctx.out(`  task ${t.id}  ${showText(t.state)}  on ${showText(t.workerId)}\n`);
    if (t.trace) ctx.out(`${indented(t.trace)}\n`);
  }
  if (d.topics.length) ctx.out(`  topics: ${d.topics.map(showText).join(', ')}\n`);
}

/** `kafka-desk connect list | status | plugins | validate | create | update | pause | resume | stop | restart | delete | offsets`. */
export function registerConnectCommands(program: Command, ctx: ConnectCommandContext): void {
  const connect = program.command('connect').description('manage Kafka Connect connectors through the REST API');
  const common = (c: Command) =>
    c
      .option('--connect-url <url>', 'a Connect worker REST URL (repeatable: tried in order)', collect, [] as string[])
      .option('--connect-user <user>', 'basic-auth user')
      .option('--connect-password <password>', 'basic-auth password (or set KAFKA_DESK_CONNECT_PASSWORD)')
      .option('--connect-ca <file>', 'CA certificate (PEM) of an https REST endpoint')
      .option('--insecure-skip-verify', 'do not verify the REST endpoint certificate')
      .option(
        '--allow-plain-http',
        'send --connect-password to an http:// URL, unencrypted (only on a network you trust)',
      )
      .option(
        '-c, --connection <name>',
        'a saved connection (its Connect cluster; read-only connections refuse changes)',
      )
      .option('--connect-cluster <name>', "which of the connection's Connect clusters")
      .option('--data-dir <dir>', 'data folder with saved connections')
      .option('--json', 'print JSON');

  common(connect.command('list', { isDefault: true }).description('connectors with their state and tasks')).action(
    async (flags: ConnectFlags) => {
      const list = await run<ConnectorSummary[]>(ctx, flags, 'connect.connectors', {});
      printRows(
        list.map((c) => ({
          ...c,
          tasks: `${c.tasksRunning}/${c.tasksTotal}${c.tasksFailed ? ` (${c.tasksFailed} failed)` : ''}`,
        })),
        [
          { key: 'name', title: 'CONNECTOR' },
          { key: 'type', title: 'TYPE' },
          { key: 'state', title: 'STATE' },
          { key: 'tasks', title: 'TASKS' },
          { key: 'workerId', title: 'WORKER' },
          { key: 'className', title: 'CLASS' },
        ],
        Boolean(flags.json),
        ctx.out,
      );
    },
  );

  common(connect.command('status').argument('<name>').description('state, tasks (with failure traces), topics')).action(
    async (name: string, flags: ConnectFlags) => {
      printDetail(ctx, await run<ConnectorDetail>(ctx, flags, 'connect.connector', { name }), flags.json);
    },
  );

  common(connect.command('plugins').description('the connector plugins the workers have')).action(
    async (flags: ConnectFlags) => {
      printRows(
        await run<{ className: string; type: string; version: string }[]>(ctx, flags, 'connect.plugins', {}),
        [
          { key: 'className', title: 'CLASS' },
          { key: 'type', title: 'TYPE' },
          { key: 'version', title: 'VERSION' },
        ],
        Boolean(flags.json),
        ctx.out,
      );
    },
  );

  common(
    connect.command('validate').argument('<file>').description('validate a connector config (JSON) without saving it'),
  ).action(async (file: string, flags: ConnectFlags) => {
    const { config } = await configFile(file);
    const v = await run<Validation>(ctx, flags, 'connect.validate', { config });
    if (flags.json) ctx.out(jsonText(v) + '\n');
    else
      for (const f of v.fields.filter((x) => x.errors.length))
        ctx.out(`${showText(f.name)}: ${f.errors.map(showText).join(' ')}\n`);
    if (v.errorCount) throw new CliError({ code: 'INVALID_INPUT', message: `${v.errorCount} error(s) in the config.` });
    if (!flags.json) ctx.out('The config is valid.\n');
  });

  common(
    connect
      .command('create')
      .argument('<file>')
      .description(
        'create a connector from a JSON file ({"name", "config"} or a flat config with "name"); validated first',
      ),
  ).action(async (file: string, flags: ConnectFlags) => {
    const { name, config } = await configFile(file);
    if (!name) throw new CoreError('INVALID_INPUT', `${file} names no connector: give "name".`);
    printDetail(ctx, await run<ConnectorDetail>(ctx, flags, 'connect.create', { name, config }), flags.json);
  });

  common(
    connect
      .command('update')
      .argument('<name>')
      .argument('<file>')
      .description("replace a connector's config (validated first)"),
  ).action(async (name: string, file: string, flags: ConnectFlags) => {
    const { config } = await configFile(file);
    printDetail(ctx, await run<ConnectorDetail>(ctx, flags, 'connect.update', { name, config }), flags.json);
  });

  for (const action of ['pause', 'resume', 'stop'] as const) {
    common(
      connect.command(action).argument('<name>').description(`${action} a connector; prints the state it reached`),
    ).action(async (name: string, flags: ConnectFlags) => {
      printDetail(ctx, await run<ConnectorDetail>(ctx, flags, 'connect.action', { name, action }), flags.json);
    });
  }

  common(connect.command('restart').argument('<name>').description('restart a connector (and its tasks)'))
    .option('--include-tasks', 'restart its tasks too')
    .option('--only-failed', 'only what has failed')
    .option('--task <n>', 'restart only this task', (v) => Number.parseInt(v, 10))
    .action(
      async (name: string, flags: ConnectFlags & { includeTasks?: boolean; onlyFailed?: boolean; task?: number }) => {
        const d =
          flags.task !== undefined
            ? await run<ConnectorDetail>(ctx, flags, 'connect.restartTask', { name, task: flags.task })
            : await run<ConnectorDetail>(ctx, flags, 'connect.action', {
                name,
                action: 'restart',
                includeTasks: Boolean(flags.includeTasks),
                onlyFailed: Boolean(flags.onlyFailed),
              });
        printDetail(ctx, d, flags.json);
      },
    );

  common(connect.command('delete').argument('<name>').description('delete a connector'))
    .option('--yes', 'do not ask (required)')
    .action(async (name: string, flags: ConnectFlags & { yes?: boolean }) => {
      if (!flags.yes) throw new CoreError('INVALID_INPUT', `Deleting '${name}' cannot be undone: add --yes.`);
      const r = await run<{ deleted: boolean }>(ctx, flags, 'connect.delete', { name });
      ctx.out(
        flags.json
          ? jsonText(r) + '\n'
          : r.deleted
            ? `Deleted ${showText(name)}.\n`
            : `There was no connector named ${showText(name)}.\n`,
      );
    });

  common(
    connect
      .command('offsets')
      .argument('<name>')
      .description('the offsets of a connector; --reset or --set FILE on a stopped one (Kafka 3.6+)'),
  )
    .option('--reset', 'reset all its offsets (the connector must be stopped)')
    .option('--set <file>', 'set offsets from a JSON file ({"offsets": [{"partition": {...}, "offset": {...}}]})')
    .action(async (name: string, flags: ConnectFlags & { reset?: boolean; set?: string }) => {
      let d: ConnectorDetail;
      if (flags.reset) d = await run<ConnectorDetail>(ctx, flags, 'connect.resetOffsets', { name });
      else if (flags.set) {
        const doc = JSON.parse(await readFile(flags.set, 'utf8')) as { offsets?: unknown };
        d = await run<ConnectorDetail>(ctx, flags, 'connect.alterOffsets', { name, offsets: doc.offsets });
      } else d = await run<ConnectorDetail>(ctx, flags, 'connect.connector', { name });
      if (flags.json) ctx.out(jsonText(d.offsets ?? { offsets: null, unavailable: d.offsetsUnavailable }) + '\n');
      else if (!d.offsets) ctx.out(`${showText(d.offsetsUnavailable ?? '')}\n`);
      else if (!d.offsets.offsets.length) ctx.out('No offsets.\n');
      else for (const o of d.offsets.offsets) ctx.out(`${jsonText(o.partition)}  →  ${jsonText(o.offset)}\n`);
    });
}
