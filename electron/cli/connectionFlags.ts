import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import {
  ConnectionInput,
  ReconnectFields,
  saslBlockOf,
  type ConnectionInputParsed,
  type Reconnect,
  type SaslBlock,
} from '../contract';
import { CoreError, type Core } from '../core';
import { zodToAppError } from '../core/dispatch';
import { CliError } from './cliError';
import { addRegistryFlags, type RegistryFlags } from './schemaOptions';

/**
 * The flags every command that reaches a cluster takes (a saved connection, or bootstrap servers with
 * their security, and a Schema Registry), and the connection they describe, registered with the core
 * for the run.
 */

export interface ConnectionFlags extends RegistryFlags {
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
  retries?: string;
  retryBackoffMs?: string;
  retryBackoffMaxMs?: string;
  retryMultiplier?: string;
  listenRestarts?: string;
  dataDir?: string;
  json?: boolean;
}

export function addConnectionFlags(cmd: Command): Command {
  return addRegistryFlags(cmd)
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
    .option('--retries <n>', "retry a failed connection or request N times (0-100; default: the connection's, else 2)")
    .option('--retry-backoff-ms <ms>', 'wait this long before the first retry (default 200)')
    .option('--retry-backoff-max-ms <ms>', 'wait at most this long between retries (default 2000)')
    .option('--retry-multiplier <x>', 'each wait this many times the one before (1-10, default 2)')
    .option('--listen-restarts <n>', 'listen: start again this many times after the cluster went away (default 10)')
    .option('--json', 'print NDJSON, one object per line')
    .option('--data-dir <dir>', 'data folder with saved connections');
}

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
 * The reconnection flags given, checked (each a number in its range); null when none is. Over a
 * saved connection they apply for this run only.
 */
export function reconnectFromFlags(flags: ConnectionFlags): Partial<Reconnect> | null {
  const given = {
    retries: flags.retries,
    initialRetryMs: flags.retryBackoffMs,
    maxRetryMs: flags.retryBackoffMaxMs,
    multiplier: flags.retryMultiplier,
    listenRestarts: flags.listenRestarts,
  };
  const entries = Object.entries(given).filter(([, v]) => v !== undefined);
  if (!entries.length) return null;
  // a flag's text is a number or it is refused (Number('') is 0, so blank is refused too)
  const numbers = Object.fromEntries(entries.map(([k, v]) => [k, String(v).trim() === '' ? NaN : Number(v)]));
  const parsed = ReconnectFields.partial().safeParse(numbers);
  if (!parsed.success) throw new CliError(zodToAppError(parsed.error, 'the reconnection options'));
  return Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in numbers)) as Partial<Reconnect>;
}

/**
 * For `schemas …` with only --schema-registry: a connection for this run that no command contacts
 * (the registry needs an owner; its address is never dialled, `.invalid` cannot resolve).
 */
export function registryOnlyConnection(core: Core): Promise<string> {
  const parsed = ConnectionInput.parse({
    name: 'command line',
    bootstrapServers: ['no-kafka-cluster.invalid:9092'],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  return core.registerTransientConnection(parsed as ConnectionInputParsed);
}

/** A saved connection by name, or one described by flags (registered with the core for this run). */
export async function connectionId(core: Core, flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<string> {
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
