import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { saslBlockOf, type SaslBlock } from '../contract';
import {
  ConnectionInput,
  type AppError,
  type ChannelName,
  type ClusterDescription,
  type Connection,
  type ConnectionInputParsed,
  type DoctorReport,
} from '../contract';
import { createCore, CoreError, defaultDataDir, KeyFileSecretBox, type Core } from '../core';
import { describeCause } from '../core/coreError';
import { zodToAppError } from '../core/dispatch';
import { registerAdminCommands } from './adminCommands';
import { callCore, type CliTarget } from './callCore';
import { registerCaptureCommands } from './captureCommands';
import { registerConnectCommands } from './connectCommands';
import { registerListenCommand } from './listenCommand';
import { registerOperationCommands } from './operationCommands';
import { registerPresetCommands } from './presetCommands';
import { CliError } from './cliError';
import { printRows } from './output';
import { jsonText, showText, terminalWriter } from './terminalText';

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

interface ConnectionFlags {
  connection?: string;
  bootstrap?: string;
  saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512' | 'gssapi' | 'oauthbearer' | 'aws-msk-iam';
  kerberosPrincipal?: string;
  kerberosServiceName?: string;
  keytab?: string;
  krb5Conf?: string;
  allowKrb5Modules?: boolean;
  kerberosTicketCache?: string;
  oauthTokenEndpoint?: string;
  oauthClientId?: string;
  oauthScope?: string;
  allowPlainHttp?: boolean;
  awsRegion?: string;
  awsProfile?: string;
  awsAccessKeyId?: string;
  username?: string;
  password?: string;
  tls?: boolean;
  ca?: string;
  cert?: string;
  certKey?: string;
  insecureSkipVerify?: boolean;
  dataDir?: string;
  json?: boolean;
}

function addConnectionFlags(cmd: Command): Command {
  return cmd
    .option('-c, --connection <name>', 'a saved connection, by name')
    .option('-b, --bootstrap <host:port,...>', 'bootstrap servers, for a connection not saved')
    .addOption(
      new Option('--sasl-mechanism <mechanism>', 'SASL mechanism').choices([
        'plain',
        'scram-sha-256',
        'scram-sha-512',
        'gssapi',
        'oauthbearer',
        'aws-msk-iam',
      ]),
    )
    .option('--username <user>', 'SASL user name')
    .option('--password <password>', 'SASL password, or the OAuth client secret (or set KAFKA_DESK_PASSWORD)')
    .option('--oauth-token-endpoint <url>', 'OAUTHBEARER: the OAuth token endpoint (client-credentials grant)')
    .option('--oauth-client-id <id>', 'OAUTHBEARER: the client id')
    .option('--oauth-scope <scope>', 'OAUTHBEARER: the scope to ask for')
    .option(
      '--allow-plain-http',
      'OAUTHBEARER: send the client secret to an http:// token endpoint, unencrypted (only on a network you trust)',
    )
    .option('--aws-region <region>', "AWS MSK IAM: the cluster's region")
    .option('--aws-profile <name>', 'AWS MSK IAM: a profile from ~/.aws (default: the AWS default chain)')
    .option('--aws-access-key-id <id>', 'AWS MSK IAM: an access key (its secret in --password)')
    .option('--kerberos-principal <principal>', 'GSSAPI: the client principal, e.g. app@EXAMPLE.COM')
    .option('--keytab <file>', "GSSAPI: the principal's keytab (else --password, else the ticket cache)")
    .option('--krb5-conf <file>', "GSSAPI: a krb5.conf (default: the system's)")
    .option(
      '--allow-krb5-modules',
      'GSSAPI: let the --krb5-conf file make the Kerberos library load code (module, [plugins], plugin_base_dir, PKCS#11)',
    )
    .option('--kerberos-service-name <name>', "GSSAPI: the brokers' service name", 'kafka')
    .option(
      '--kerberos-ticket-cache <name>',
      'GSSAPI: read tickets from this cache (FILE:/tmp/krb5cc_1000; default: the system default)',
    )
    .option('--tls', 'connect with TLS')
    .option('--ca <file>', 'CA certificate (PEM) to trust; implies --tls')
    .option('--cert <file>', 'client certificate (PEM) for mutual TLS; implies --tls')
    .option('--cert-key <file>', 'client private key (PEM) for mutual TLS')
    .option('--insecure-skip-verify', 'do not verify the broker certificate (never on production)')
    .option('--json', 'print NDJSON, one object per line')
    .option('--data-dir <dir>', 'data folder with saved connections');
}

export { CliError };

async function binaryFile(file: string | undefined) {
  if (!file) return undefined;
  try {
    return { name: path.basename(file), base64: (await readFile(file)).toString('base64') };
  } catch (e) {
    throw new CoreError('FILE_ERROR', `Cannot read ${file}: ${(e as Error).message}`);
  }
}

async function pem(file: string | undefined) {
  if (!file) return undefined;
  try {
    return { name: path.basename(file), content: await readFile(file, 'utf8') };
  } catch (e) {
    throw new CoreError('FILE_ERROR', `Cannot read ${file}: ${(e as Error).message}`);
  }
}

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
  /** Once per command (a produce of a large file calls the core batch by batch). */
  const target = (flags: object): Promise<CliTarget> => {
    let t = targets.get(flags);
    if (!t) {
      const core = open(flags as ConnectionFlags);
      t = connectionId(core, flags as ConnectionFlags, env).then((id) => ({ core, id }));
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

/** A saved connection by name, or one described by flags (registered with the core for this run). */
async function connectionId(core: Core, flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<string> {
  if (flags.connection && flags.bootstrap) {
    throw new CoreError('INVALID_INPUT', 'Use either --connection NAME or --bootstrap HOST:PORT, not both.');
  }
  if (flags.connection) return (await core.connections.findByName(flags.connection)).id;
  if (!flags.bootstrap) {
    throw new CoreError(
      'INVALID_INPUT',
      'Say which cluster: --bootstrap HOST:PORT, or --connection NAME for a saved connection.',
    );
  }
  const tlsOn = Boolean(flags.tls || flags.ca || flags.cert);
  const raw = {
    name: 'command line',
    bootstrapServers: flags.bootstrap
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    // the block the chosen mechanism needs (the contract's table says which); its files are read only then
    sasl: await (async () => {
      const mechanism = flags.saslMechanism ?? 'none';
      const blocks: Record<SaslBlock, () => Promise<object>> = {
        oauth: async () => ({
          tokenEndpoint: flags.oauthTokenEndpoint ?? '',
          clientId: flags.oauthClientId ?? '',
          scope: flags.oauthScope ?? '',
          allowPlainHttp: flags.allowPlainHttp === true,
        }),
        kerberos: async () => ({
          principal: flags.kerberosPrincipal ?? '',
          serviceName: flags.kerberosServiceName ?? 'kafka',
          credentials: flags.keytab
            ? 'keytab'
            : flags.password || env.KAFKA_DESK_PASSWORD
              ? 'password'
              : 'ticket-cache',
          keytab: await binaryFile(flags.keytab),
          // a krb5.conf that loads code is refused unless the user said they trust it
          krb5Conf: await pem(flags.krb5Conf).then(
            (f) => f && { ...f, allowCodeLoading: flags.allowKrb5Modules === true },
          ),
          ticketCache: flags.kerberosTicketCache ?? '',
        }),
        aws: async () => ({
          region: flags.awsRegion ?? '',
          credentials: flags.awsAccessKeyId ? 'keys' : flags.awsProfile ? 'profile' : 'default',
          profile: flags.awsProfile ?? '',
          accessKeyId: flags.awsAccessKeyId ?? '',
        }),
      };
      const own = saslBlockOf(mechanism);
      return {
        mechanism,
        username: flags.username ?? '',
        password: flags.password ?? env.KAFKA_DESK_PASSWORD ?? '',
        ...(own ? { [own]: await blocks[own]() } : {}),
      };
    })(),
    tls: {
      enabled: tlsOn,
      verify: !flags.insecureSkipVerify,
      ca: await pem(flags.ca),
      clientCert: await pem(flags.cert),
      clientKey: await pem(flags.certKey),
    },
  };
  const parsed = ConnectionInput.safeParse(raw);
  if (!parsed.success) throw new CliError(zodToAppError(parsed.error, 'the connection options'));
  return core.registerTransientConnection(parsed.data as ConnectionInputParsed);
}

declare const __KAFKA_DESK_VERSION__: string | undefined;
const VERSION = typeof __KAFKA_DESK_VERSION__ === 'string' ? __KAFKA_DESK_VERSION__ : '0.0.0-dev';

export function buildProgram(cliIo: CliIo): Command {
  const { out, err, data, escaped } = writers(cliIo);
  const io = { ...cliIo, out, err };
  const program = new Command('kafka-desk')
    .description('Kafka Desk on the command line: the same operations and saved connections as the app.')
    .version(VERSION, '-V, --version')
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
  registerOperationCommands(program, ctx);
  registerListenCommand(program, ctx);
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
    if (err.detail) write(`  cause: ${err.detail.split('\n').map(showText).join('\n  ')}\n`);
    return 1;
  }
}
