import { DEFAULT_RECONNECT, type ConnectionImportResult, type ImportFormat, type SaslMechanism } from '../../contract';

/**
 * Reads Java client `.properties` and kcat (librdkafka) configuration files into the connection form.
 * Every key is either mapped, or listed in `unmapped` with the reason; files named by path are listed
 * in `files` for the user to pick. Java's properties syntax (comments, `=`/`:`/space separators, line
 * continuations, escapes) is small enough to parse here; no maintained library covers both formats.
 */
export function parseProperties(text: string): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^\s+/, '');
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^\s+/, '');
    }
    const m = /^((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*)$/.exec(line);
    const key = unescape(m ? m[1]! : line);
    const value = m ? unescape(m[2]!) : '';
    out.push([key, value]);
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(Number.parseInt(c.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[c] ?? c;
  });
}

/** username / password out of a PlainLoginModule or ScramLoginModule JAAS line. */
function parseJaas(jaas: string): { module: string; options: Record<string, string> } | null {
  const m = /^\s*([\w.$]+)\s+(required|requisite|sufficient|optional)\s*(.*?);?\s*$/s.exec(jaas);
  if (!m) return null;
  const options: Record<string, string> = {};
  for (const o of m[3]!.matchAll(/([\w.]+)\s*=\s*(?:"((?:\\.|[^"\\])*)"|(\S+?))(?=\s|;|$)/g)) {
    options[o[1]!] = (o[2] ?? o[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { module: m[1]!, options };
}

const MECHANISMS: Record<string, SaslMechanism> = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
  OAUTHBEARER: 'oauthbearer',
  AWS_MSK_IAM: 'aws-msk-iam',
  GSSAPI: 'gssapi',
};
const LATER: Record<string, string> = {};
const STORE_HINT: Record<string, string> = {
  JKS: 'a Java keystore (JKS) cannot be read by Kafka Desk: convert it to PEM, e.g. `keytool -importkeystore -srckeystore store.jks -destkeystore store.p12 -deststoretype PKCS12` then `openssl pkcs12 -in store.p12 -nodes -out store.pem`',
  PKCS12:
    'a PKCS#12 file is not read yet: convert it to PEM with `openssl pkcs12 -in store.p12 -nodes -out store.pem` (certificates) and `-nocerts` (key)',
};
const IGNORED_BY_DESIGN = new Set([
  'key.serializer',
  'value.serializer',
  'key.deserializer',
  'value.deserializer',
  'group.id',
  'auto.offset.reset',
  'enable.auto.commit',
  'acks',
  'compression.type',
  'linger.ms',
  'batch.size',
]);

export function importConnection(format: ImportFormat, text: string, name?: string): ConnectionImportResult {
  const entries = parseProperties(text);
  const unmapped: ConnectionImportResult['unmapped'] = [];
  const files: ConnectionImportResult['files'] = [];
  const notes: string[] = [];
  const timeouts = { connectionMs: 10_000, requestMs: 30_000, authenticationMs: 10_000 };
  const input: ConnectionImportResult['connection'] = {
    name: name ?? 'imported',
    color: 'none',
    environment: 'none',
    readOnly: false,
    clientId: 'kafka-desk',
    bootstrapServers: [],
    sasl: { mechanism: 'none', username: '' },
    tls: { enabled: false, verify: true, verifyHostname: true },
    timeouts,
    reconnect: { ...DEFAULT_RECONNECT },
    maxMessageBytes: 10 * 1024 * 1024,
  };
  /** reconnect.backoff.* and retry.backoff.*: one backoff here; the reconnect.* keys win when both are given. */
  const backoff: { initial: Record<string, number>; max: Record<string, number> } = { initial: {}, max: {} };
  const oauth = { tokenEndpoint: '', clientId: '', scope: '', allowPlainHttp: false };
  const aws = { region: '', credentials: 'default' as 'default' | 'profile' | 'keys', profile: '', accessKeyId: '' };
  const kerberos = {
    principal: '',
    serviceName: 'kafka',
    credentials: 'ticket-cache' as 'keytab' | 'password' | 'ticket-cache',
    ticketCache: '',
  };
  let protocol = '';
  let mechanism = '';
  let truststoreType = 'JKS';
  let keystoreType = 'JKS';
  const kcat = format === 'kcat';

  for (const [rawKey, value] of entries) {
    const key = rawKey.trim();
    switch (key) {
      case 'bootstrap.servers':
      case 'metadata.broker.list':
        input.bootstrapServers = value
          .split(',')
          .map((s) => s.trim().replace(/^[a-z_]+:\/\//i, ''))
          .filter(Boolean);
        break;
      case 'client.id':
        input.clientId = value;
        break;
      case 'security.protocol':
        protocol = value.toUpperCase();
        break;
      case 'sasl.mechanism':
      case 'sasl.mechanisms':
        mechanism = value.toUpperCase();
        break;
      case 'sasl.username':
        input.sasl.username = value;
        break;
      case 'sasl.password':
        input.sasl.password = value;
        break;
      case 'sasl.jaas.config': {
        const jaas = parseJaas(value);
        if (jaas && /IAMLoginModule/.test(jaas.module)) {
          if (jaas.options.awsProfileName) aws.profile = jaas.options.awsProfileName;
          if (jaas.options.awsRoleArn)
            unmapped.push({
              key,
              reason: 'awsRoleArn: assuming a role is not supported yet; use a profile that assumes it',
            });
          break;
        }
        if (jaas && /Krb5LoginModule/.test(jaas.module)) {
          kerberos.principal = jaas.options.principal ?? kerberos.principal;
          if (jaas.options.useKeyTab === 'true') kerberos.credentials = 'keytab';
          if (jaas.options.keyTab) files.push({ slot: 'keytab', key: `${key} keyTab`, path: jaas.options.keyTab });
          if (jaas.options.ticketCache) kerberos.ticketCache = `FILE:${jaas.options.ticketCache}`;
          break;
        }
        if (jaas && /OAuthBearerLoginModule/.test(jaas.module)) {
          oauth.clientId = jaas.options.clientId ?? oauth.clientId;
          oauth.scope = jaas.options.scope ?? oauth.scope;
          if (jaas.options.clientSecret !== undefined) input.sasl.password = jaas.options.clientSecret;
          break;
        }
        if (!jaas || !/PlainLoginModule|ScramLoginModule/.test(jaas.module)) {
          unmapped.push({
            key,
            reason: jaas
              ? `login module ${jaas.module} is not supported; PLAIN, SCRAM and OAUTHBEARER are`
              : 'not a JAAS login line Kafka Desk can read',
          });
          break;
        }
        if (jaas.options.username !== undefined) input.sasl.username = jaas.options.username;
        if (jaas.options.password !== undefined) input.sasl.password = jaas.options.password;
        break;
      }
      case 'sasl.kerberos.service.name':
        kerberos.serviceName = value.trim() || 'kafka';
        break;
      case 'sasl.kerberos.principal':
        kerberos.principal = value.trim();
        break;
      case 'sasl.kerberos.keytab':
        kerberos.credentials = 'keytab';
        files.push({ slot: 'keytab', key, path: value });
        break;
      case 'sasl.kerberos.kinit.cmd':
        unmapped.push({
          key,
          reason: 'Kafka Desk logs in itself (keytab, password or ticket cache); no kinit command is run',
        });
        break;
      case 'sasl.oauthbearer.token.endpoint.url':
        oauth.tokenEndpoint = value;
        break;
      case 'sasl.oauthbearer.client.id':
        oauth.clientId = value;
        break;
      case 'sasl.oauthbearer.client.secret':
        input.sasl.password = value;
        break;
      case 'sasl.oauthbearer.scope':
        oauth.scope = value;
        break;
      case 'sasl.oauthbearer.method':
        if (value.toLowerCase() !== 'oidc')
          unmapped.push({ key, reason: `method ${value}: only the OIDC client-credentials flow is supported` });
        break;
      case 'sasl.client.callback.handler.class':
        if (!/IAMClientCallbackHandler/.test(value))
          unmapped.push({ key, reason: 'a custom client handler cannot be used by Kafka Desk' });
        break;
      case 'sasl.login.callback.handler.class':
        if (!/OAuthBearerLoginCallbackHandler|IAMOAuthBearerLoginCallbackHandler/.test(value))
          unmapped.push({ key, reason: 'a custom login handler cannot be used by Kafka Desk' });
        break;
      case 'ssl.truststore.type':
        truststoreType = value.toUpperCase();
        break;
      case 'ssl.keystore.type':
        keystoreType = value.toUpperCase();
        break;
      case 'ssl.truststore.certificates':
        input.tls.ca = { name: 'truststore.pem', content: value };
        break;
      case 'ssl.keystore.certificate.chain':
        input.tls.clientCert = { name: 'keystore-chain.pem', content: value };
        break;
      case 'ssl.keystore.key':
        input.tls.clientKey = { name: 'keystore-key.pem', content: value };
        break;
      case 'ssl.truststore.location':
        files.push({ slot: 'ca', key, path: value });
        break;
      case 'ssl.keystore.location':
        files.push({ slot: 'clientCert', key, path: value });
        break;
      case 'ssl.ca.location':
        files.push({ slot: 'ca', key, path: value });
        break;
      case 'ssl.certificate.location':
        files.push({ slot: 'clientCert', key, path: value });
        break;
      case 'ssl.key.location':
        files.push({ slot: 'clientKey', key, path: value });
        break;
      case 'ssl.endpoint.identification.algorithm':
        if (value.trim() === '') {
          input.tls.verifyHostname = false;
          notes.push(
            "ssl.endpoint.identification.algorithm is empty: the broker certificate's host name will not be checked (the chain still is).",
          );
        }
        break;
      case 'enable.ssl.certificate.verification':
        if (value.trim().toLowerCase() === 'false') {
          input.tls.verify = false;
          notes.push('enable.ssl.certificate.verification=false: the broker certificate will not be verified.');
        }
        break;
      case 'request.timeout.ms':
      case 'socket.timeout.ms':
        timeouts.requestMs = clampMs(value, timeouts.requestMs);
        break;
      case 'max.request.size':
      case 'message.max.bytes': {
        const n = Number(value.trim());
        if (Number.isInteger(n) && n >= 1024 && n <= 256 * 1024 * 1024) input.maxMessageBytes = n;
        else unmapped.push({ key, reason: 'not a size between 1 KiB and 256 MiB' });
        break;
      }
      case 'socket.connection.setup.timeout.ms':
        timeouts.connectionMs = clampMs(value, timeouts.connectionMs);
        break;
      case 'retries': {
        const n = Number(value.trim());
        if (!Number.isInteger(n) || n < 0) unmapped.push({ key, reason: 'not a whole number of retries' });
        else {
          input.reconnect.retries = Math.min(n, 100);
          if (n > 100)
            notes.push(
              `retries=${n}: Kafka Desk retries a failed request at most 100 times (an operation that waits forever is not useful by hand).`,
            );
        }
        break;
      }
      case 'reconnect.backoff.ms':
      case 'retry.backoff.ms':
      case 'reconnect.backoff.max.ms':
      case 'retry.backoff.max.ms': {
        const n = Number(value.trim());
        const max = key.endsWith('.max.ms');
        if (!Number.isInteger(n) || n < 0 || n > (max ? 600_000 : 60_000))
          unmapped.push({ key, reason: `not a wait between 0 and ${max ? '600,000' : '60,000'} ms` });
        else backoff[max ? 'max' : 'initial'][key.split('.')[0] as string] = Math.max(n, 10);
        break;
      }
      case 'ssl.truststore.password':
      case 'ssl.keystore.password':
      case 'ssl.key.password':
        unmapped.push({
          key,
          reason:
            kcat || key === 'ssl.key.password'
              ? 'encrypted private keys are not supported: decrypt it with `openssl pkcs8 -topk8 -nocrypt`'
              : 'keystore passwords are only needed for JKS / PKCS#12 files, which Kafka Desk reads as PEM',
        });
        break;
      default:
        unmapped.push({
          key,
          reason: IGNORED_BY_DESIGN.has(key)
            ? 'a producer / consumer setting, not part of a connection'
            : 'no equivalent in Kafka Desk',
        });
    }
  }

  const initial = backoff.initial.reconnect ?? backoff.initial.retry;
  const longest = backoff.max.reconnect ?? backoff.max.retry;
  if (initial !== undefined) input.reconnect.initialRetryMs = initial;
  if (longest !== undefined) input.reconnect.maxRetryMs = longest;
  if (input.reconnect.maxRetryMs < input.reconnect.initialRetryMs) {
    notes.push(
      `The longest wait between retries (${input.reconnect.maxRetryMs} ms) was shorter than the first (${input.reconnect.initialRetryMs} ms): it is raised to the first.`,
    );
    input.reconnect.maxRetryMs = input.reconnect.initialRetryMs;
  }
  if (protocol && !['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    unmapped.push({ key: 'security.protocol', reason: `unknown protocol ${protocol}` });
  }
  input.tls.enabled = protocol === 'SSL' || protocol === 'SASL_SSL';
  const wantsSasl = protocol.startsWith('SASL_');
  if (wantsSasl) {
    const m = MECHANISMS[mechanism || 'GSSAPI'];
    if (m) input.sasl.mechanism = m;
    if (m === 'aws-msk-iam') {
      if (aws.profile) aws.credentials = 'profile';
      aws.region = /\.kafka\.([a-z0-9-]+)\.amazonaws\.com/.exec(input.bootstrapServers[0] ?? '')?.[1] ?? '';
      input.sasl.aws = aws;
      if (!aws.region) notes.push('Fill in the AWS region of the MSK cluster.');
    } else if (m === 'gssapi') {
      input.sasl.kerberos = kerberos;
      if (!kerberos.principal) notes.push('No Kerberos principal in the file: fill it in (e.g. app@EXAMPLE.COM).');
      notes.push(
        "Choose the krb5.conf this client uses (the Java client's -Djava.security.krb5.conf), or leave it for the system's.",
      );
    } else if (m === 'oauthbearer') {
      input.sasl.oauth = oauth;
      if (!oauth.tokenEndpoint)
        notes.push('No token endpoint in the file (sasl.oauthbearer.token.endpoint.url): fill it in.');
    } else if (!m)
      unmapped.push({
        key: 'sasl.mechanism',
        reason: LATER[mechanism || 'GSSAPI'] ?? `unknown SASL mechanism ${mechanism}`,
      });
  } else if (mechanism) {
    notes.push(
      `sasl.mechanism ${mechanism} is ignored: security.protocol ${protocol || 'PLAINTEXT'} does not use SASL.`,
    );
  }
  if (input.tls.enabled) {
    for (const [type, slot] of [
      [truststoreType, 'ca'],
      [keystoreType, 'clientCert'],
    ] as const) {
      const ref = files.find((f) => f.slot === slot && f.key.startsWith('ssl.'));
      if (ref && !kcat && type !== 'PEM' && ref.key.includes('store')) {
        unmapped.push({ key: ref.key, reason: STORE_HINT[type] ?? `store type ${type} is not supported; use PEM` });
        files.splice(files.indexOf(ref), 1);
      }
    }
    if (keystoreType === 'PEM' && files.some((f) => f.key === 'ssl.keystore.location')) {
      notes.push(
        'ssl.keystore.location is a PEM file holding both the certificate chain and the key: choose it as the client certificate and as the client key.',
      );
    }
  }
  if (input.bootstrapServers.length === 0)
    notes.push('No bootstrap.servers in the file: fill in the bootstrap servers.');
  return { connection: input, files, unmapped, notes };
}

function clampMs(value: string, fallback: number): number {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 100 ? Math.min(n, 600_000) : fallback;
}
