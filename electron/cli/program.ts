import path from 'node:path';
import { Command } from 'commander';
import type { AppError, ChannelName, ClusterDescription, Connection, DoctorReport } from '../contract';
import { createCore, CoreError, defaultDataDir, KeyFileSecretBox, type Core } from '../core';
import { describeCause } from '../core/coreError';
import { registerAclCommands } from './aclCommands';
import { registerAdminCommands } from './adminCommands';
import { registerConfigCommands } from './configCommands';
import { callCore, type CliTarget } from './callCore';
import { registerCaptureCommands } from './captureCommands';
import { registerConnectCommands } from './connectCommands';
import {
  addConnectionFlags,
  connectionId,
  reconnectFromFlags,
  registryOnlyConnection,
  type ConnectionFlags,
} from './connectionFlags';
import { registerListenCommand } from './listenCommand';
import { registerOperationCommands } from './operationCommands';
import { registerPresetCommands } from './presetCommands';
import { registerQuotaCommands } from './quotaCommands';
import { registerReassignCommands } from './reassignCommands';
import { registerTransactionCommands } from './transactionCommands';
import { CliError } from './cliError';
import { printRows } from './output';
import { registerSchemaCommands } from './schemaCommands';
import { registryFromFlags } from './schemaOptions';
import { jsonText, showText, terminalWriter } from './terminalText';
import { firstLine, registerUserCommands } from './userCommands';

/**
 * Where the CLI writes. Everything it writes through `out` and `err` is made safe for a terminal
 * (control and bidi characters escaped, newline and tab kept: see terminalText.ts); only a file's
 * bytes sent to standard output (`captures export`, `presets export` without --out) go out as they
 * are, and then only when standard output is not a terminal.
 */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Standard output is a terminal (exported files are then shown made safe too). */
  outIsTerminal?: boolean;
}

/**
 * The writers the commands use: `out` and `err` neutralise control sequences; `data` is for a file's
 * bytes; `escaped` for text every character of which came out of showText / messageLine / jsonText
 * (the bulk of a consume: one scan per line instead of two).
 */
function writers(io: CliIo) {
  const out = terminalWriter(io.out);
  return { out, err: terminalWriter(io.err), data: io.outIsTerminal ? out : io.out, escaped: io.out };
}

export { CliError };

/**
 * The command line's way into the core, the same as the app's: one core per data folder for the
 * whole command (`createCore`), every request through `dispatch`. The connection the flags name is
 * a saved one's id, or a connection registered with the core for this run (never saved).
 */
function cliCores(env: NodeJS.ProcessEnv) {
  const cores = new Map<string, Core>();
  const targets = new WeakMap<object, Promise<CliTarget>>();
  const open = (flags: { dataDir?: string }): Core => {
    const dataDir = flags.dataDir ? path.resolve(flags.dataDir) : defaultDataDir(env);
    let core = cores.get(dataDir);
    if (!core) {
      core = createCore({
        host: 'cli',
        dataDir,
        version: VERSION,
        secrets: new KeyFileSecretBox(dataDir),
        secretStorage: { kind: 'key-file', detail: 'a key file in the data folder (secret.key, 0600)' },
        listenSessions: false,
      });
      cores.set(dataDir, core);
    }
    return core;
  };
  /**
   * Once per command (a produce of a large file calls the core batch by batch). `registryOnly`: a
   * command that needs the Schema Registry and no broker (`schemas …`) may name only --schema-registry.
   */
  const target = (flags: object, options: { registryOnly?: boolean } = {}): Promise<CliTarget> => {
    let t = targets.get(flags);
    if (!t) {
      const f = flags as ConnectionFlags;
      const core = open(f);
      t = (async () => {
        const registry = await registryFromFlags(f, env);
        const id =
          options.registryOnly && registry && !f.connection && !f.bootstrap
            ? await registryOnlyConnection(core)
            : await connectionId(core, f, env);
        // the flags' registry for this run, in place of a saved one (nothing written)
        if (registry) core.registerTransientSchemaRegistry(id, registry);
        // and its reconnection settings, over the connection's own (nothing written either)
        const reconnect = reconnectFromFlags(f);
        if (reconnect) await core.overrideReconnect(id, reconnect);
        return { core, id };
      })();
      targets.set(flags, t);
    }
    return t;
  };
  /** A channel that takes the connection as `id`, for the connection the flags name. */
  const call = async <T>(flags: object, channel: ChannelName, input: Record<string, unknown>): Promise<T> => {
    const { core, id } = await target(flags);
    return callCore<T>(core, channel, { ...input, id });
  };
  return { open, target, call };
}

declare const __KAFKA_DESK_VERSION__: string | undefined;
const VERSION = typeof __KAFKA_DESK_VERSION__ === 'string' ? __KAFKA_DESK_VERSION__ : '0.0.0-dev';

export function buildProgram(cliIo: CliIo): Command {
  const { out, err, data, escaped } = writers(cliIo);
  const io = { ...cliIo, out, err };
  const program = new Command('kafka-desk')
    .description('Kafka Desk on the command line: the same operations and saved connections as the app.')
    .version(VERSION, '-V, --version')
    // -V / --version only before a command: after one, --version is the command's (schemas get --version 2)
    .enablePositionalOptions()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run kafka-desk --help for usage)')
    .exitOverride();

  const cores = cliCores(io.env);
  const ctx = {
    out: io.out,
    err: io.err,
    escaped,
    addConnectionFlags,
    openCore: cores.open,
    target: cores.target,
    call: cores.call,
  };
  registerAdminCommands(program, ctx);
  registerConfigCommands(program, ctx);
  registerAclCommands(program, ctx);
  registerUserCommands(program, ctx, { env: io.env, stdinLine: () => firstLine(process.stdin) });
  registerQuotaCommands(program, ctx);
  registerReassignCommands(program, ctx);
  registerTransactionCommands(program, ctx);
  registerOperationCommands(program, ctx);
  registerListenCommand(program, ctx);
  registerSchemaCommands(program, ctx);
  registerCaptureCommands(program, { ...ctx, data });
  registerPresetCommands(program, { out: io.out, data, openCore: cores.open });
  registerConnectCommands(program, { out: io.out, err: io.err, env: io.env, openCore: cores.open });

  addConnectionFlags(program.command('cluster').description('describe a cluster: id, controller, brokers')).action(
    async (flags: ConnectionFlags) => {
      const d = await cores.call<ClusterDescription>(flags, 'cluster.describe', {});
      if (flags.json) {
        io.out(jsonText(d) + '\n');
        return;
      }
      io.out(`cluster id  ${showText(d.clusterId ?? '-')}\ncontroller  ${d.controllerId ?? '-'}\n\n`);
      printRows(
        d.brokers,
        [
          { key: 'nodeId', title: 'BROKER', align: 'right' },
          { key: 'host', title: 'HOST' },
          { key: 'port', title: 'PORT', align: 'right' },
          { key: 'rack', title: 'RACK' },
        ],
        false,
        io.out,
      );
    },
  );

  addConnectionFlags(
    program
      .command('doctor')
      .description('check every step of reaching a cluster: DNS, TCP, TLS, SASL, metadata, each advertised broker'),
  ).action(async (flags: ConnectionFlags) => {
    const report = await cores.call<DoctorReport>(flags, 'connections.doctor', {});
    if (flags.json) io.out(jsonText(report) + '\n');
    else {
      // titles, summaries, certificate fields and causes hold what the server sent: shown escaped
      const mark = { ok: 'ok  ', failed: 'FAIL', skipped: 'skip', warning: 'warn' } as const;
      for (const st of report.steps) {
        io.out(
          `${mark[st.status]}  ${showText(st.title).padEnd(58)} ${String(st.elapsedMs).padStart(5)} ms\n      ${showText(st.summary)}\n`,
        );
        for (const c of st.tls?.chain ?? [])
          io.out(`      · ${showText(c.subject)}  (issuer ${showText(c.issuer)}; valid to ${showText(c.validTo)})\n`);
        if (st.status === 'failed' && st.error?.detail)
          io.out(`      cause: ${st.error.detail.split('\n').map(showText).join('\n      ')}\n`);
      }
      io.out(`\n${report.ok ? 'OK' : 'FAILED'}: ${showText(report.verdict)}\n`);
    }
    if (!report.ok) throw new DoctorFailed();
  });

  program
    .command('connections')
    .description('list saved connections')
    .option('--json', 'print NDJSON')
    .option('--data-dir <dir>', 'data folder with saved connections')
    .action(async (flags: { json?: boolean; dataDir?: string }) => {
      const list = await callCore<Connection[]>(cores.open(flags), 'connections.list', {});
      printRows(
        list.map((c) => ({
          name: c.name,
          bootstrap: c.bootstrapServers.join(','),
          security: `${c.tls.enabled ? 'TLS' : 'plain'}${c.sasl.mechanism === 'none' ? '' : ' + SASL/' + c.sasl.mechanism.toUpperCase()}`,
          color: c.color,
          id: c.id,
        })),
        [
          { key: 'name', title: 'NAME' },
          { key: 'bootstrap', title: 'BOOTSTRAP' },
          { key: 'security', title: 'SECURITY' },
          { key: 'color', title: 'TAG' },
        ],
        Boolean(flags.json),
        io.out,
      );
    });

  return program;
}

/** The doctor printed its report; the process only needs a non-zero exit code. */
class DoctorFailed extends Error {}

/** Runs the CLI; returns the process exit code. Errors become one readable line on stderr (cause below it). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  const { err: write } = writers(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
    if (typeof code === 'string' && code.startsWith('commander.')) return 2;
    if (e instanceof DoctorFailed) return 1;
    const err: AppError =
      e instanceof CliError
        ? e.error
        : e instanceof CoreError
          ? e.toAppError()
          : { code: 'INTERNAL', message: 'kafka-desk failed unexpectedly.', detail: describeCause(e) };
    // the sentence and its cause may quote names, file names and what a server said: shown escaped, line by line
    write(`kafka-desk: ${showText(err.message)}\n`);
    for (const f of err.fields ?? []) write(`  ${showText(f.path)}: ${showText(f.message)}\n`);
    if (err.detail) write(`  cause: ${err.detail.trimEnd().split('\n').map(showText).join('\n  ')}\n`);
    return 1;
  }
}
