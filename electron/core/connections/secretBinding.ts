import { createHash } from 'node:crypto';
import type { ConnectionInputParsed, PemUpload, SaslInputParsed } from '../../contract';
import { CoreError } from '../coreError';
import { mapSasl, saslPasswordLabel, saslUsesPassword, type SaslOf } from './sasl';
import type { StoredConnection, StoredSasl } from './storedConnection';

/**
 * A stored secret is used only with the endpoints it was saved with. A caller that names a saved
 * connection and changes where it points (the bootstrap servers, TLS, the CA, the SASL mechanism, the
 * OAuth token endpoint, the krb5.conf that names the KDC) while leaving a stored password, key or
 * keytab "as saved" would otherwise have Kafka Desk send that secret to whatever it chose — a PLAIN
 * password in the clear to another host, a client secret to another token endpoint. Changing them
 * requires the secret again; the form asks for it (SECRET_REQUIRED, a field per secret).
 */

/** Where a connection's secrets go: what must stay the same for a stored secret to be used. */
interface Endpoints {
  servers: string[];
  tls: { enabled: boolean; verify: boolean; verifyHostname: boolean; ca: string | null };
}
interface PasswordEndpoints extends Endpoints {
  mechanism: string;
  tokenEndpoint: string | null;
  awsRegion: string | null;
  krb5Conf: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');
const normServers = (list: string[]) => [...new Set(list.map((s) => s.trim().toLowerCase()))].sort();

/** A file the form kept (undefined), removed (null) or uploaded: its fingerprint as the connection will use it. */
const fingerprint = (change: PemUpload | { content: string } | null | undefined, kept: string | null): string | null =>
  change === undefined ? kept : change === null ? null : sha256(change.content);

/** Where the SASL secret goes, per mechanism: its block's endpoint (null for the mechanisms without one). */
type SaslEndpoint = SaslOf<object, { oauth: string | null; aws: string | null; kerberos: string | null }>;

function storedEndpoints(s: StoredConnection): PasswordEndpoints {
  const own = mapSasl<StoredSasl, SaslEndpoint>(
    s.sasl,
    {},
    {
      oauth: (o) => o?.tokenEndpoint ?? null,
      aws: (a) => a?.region ?? null,
      kerberos: (k) => k?.krb5Conf?.sha256 ?? null,
    },
  );
  return {
    servers: normServers(s.bootstrapServers),
    tls: {
      enabled: s.tls.enabled,
      verify: s.tls.verify,
      verifyHostname: s.tls.verifyHostname,
      ca: s.tls.enabled ? (s.tls.ca?.sha256 ?? null) : null,
    },
    mechanism: s.sasl.mechanism,
    tokenEndpoint: own.oauth,
    awsRegion: own.aws,
    krb5Conf: own.kerberos,
  };
}

function inputEndpoints(i: ConnectionInputParsed, s: StoredConnection): PasswordEndpoints {
  // the form's block of its mechanism, else the stored one's (a test or doctor run may leave it out)
  const own = mapSasl<SaslInputParsed, SaslEndpoint>(
    i.sasl,
    {},
    {
      oauth: (o) => o?.tokenEndpoint ?? s.sasl.oauth?.tokenEndpoint ?? null,
      aws: (a) => a?.region ?? s.sasl.aws?.region ?? null,
      kerberos: (k) =>
        k
          ? fingerprint(k.krb5Conf, s.sasl.kerberos?.krb5Conf?.sha256 ?? null)
          : (s.sasl.kerberos?.krb5Conf?.sha256 ?? null),
    },
  );
  return {
    servers: normServers(i.bootstrapServers),
    tls: {
      enabled: i.tls.enabled,
      verify: i.tls.verify,
      verifyHostname: i.tls.verifyHostname,
      ca: i.tls.enabled ? fingerprint(i.tls.ca, s.tls.ca?.sha256 ?? null) : null,
    },
    mechanism: i.sasl.mechanism,
    tokenEndpoint: own.oauth,
    awsRegion: own.aws,
    krb5Conf: own.kerberos,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function describe(e: PasswordEndpoints, withSasl: boolean): string {
  const tls = !e.tls.enabled
    ? 'without TLS'
    : !e.tls.verify
      ? 'with TLS, the certificate not verified'
      : !e.tls.verifyHostname
        ? 'with TLS, the host name not verified'
        : e.tls.ca
          ? `with TLS, trusting the CA ${e.tls.ca.slice(0, 12)}…`
          : 'with TLS';
  const parts = [`${e.servers.join(', ')} ${tls}`];
  if (withSasl) {
    parts.push(`SASL ${e.mechanism.toUpperCase()}`);
    if (e.tokenEndpoint) parts.push(`token endpoint ${e.tokenEndpoint}`);
    if (e.awsRegion) parts.push(`region ${e.awsRegion}`);
    if (e.mechanism === 'gssapi')
      parts.push(e.krb5Conf ? `krb5.conf ${e.krb5Conf.slice(0, 12)}…` : "the system's krb5.conf");
  }
  return parts.join(', ');
}

/**
 * The stored secrets `input` would use with endpoints other than the ones they were saved with:
 * refused with SECRET_REQUIRED, one field per secret, so the form asks for each again.
 */
export function assertSecretsBound(stored: StoredConnection, input: ConnectionInputParsed): void {
  const was = storedEndpoints(stored);
  const now = inputEndpoints(input, stored);
  const tlsMoved = !same({ servers: was.servers, tls: was.tls }, { servers: now.servers, tls: now.tls });
  const fields: { path: string; message: string }[] = [];
  const what: string[] = [];
  const need = (path: string, label: string) => {
    fields.push({ path, message: `enter the ${label} again for the new servers or settings` });
    what.push(label);
  };
  if (
    input.sasl.password === undefined &&
    stored.sasl.password !== null &&
    saslUsesPassword(input.sasl) &&
    !same(was, now)
  ) {
    need('sasl.password', saslPasswordLabel(input.sasl.mechanism));
  }
  if (input.tls.enabled && tlsMoved) {
    if (input.tls.clientKey === undefined && stored.tls.clientKey) need('tls.clientKey', 'client private key');
    if (input.tls.pkcs12 === undefined && stored.tls.pkcs12) need('tls.pkcs12', 'PKCS#12 client certificate');
    else if (input.tls.pkcs12 && input.tls.pkcs12Password === undefined && stored.tls.pkcs12Password)
      need('tls.pkcs12Password', 'PKCS#12 password');
  }
  const k = input.sasl.kerberos;
  if (
    input.sasl.mechanism === 'gssapi' &&
    k?.credentials === 'keytab' &&
    k.keytab === undefined &&
    stored.sasl.kerberos?.keytab &&
    (tlsMoved || was.krb5Conf !== now.krb5Conf || stored.sasl.mechanism !== 'gssapi')
  ) {
    need('sasl.kerberos.keytab', 'keytab');
  }
  if (!fields.length) return;
  const list = what.length === 1 ? what[0]! : `${what.slice(0, -1).join(', ')} and ${what.at(-1)!}`;
  const withSasl = fields.some((f) => f.path === 'sasl.password');
  throw new CoreError(
    'SECRET_REQUIRED',
    `The saved ${list} of '${stored.name}' ${what.length === 1 ? 'was' : 'were'} entered for ${describe(was, withSasl)}. Enter ${what.length === 1 ? 'it' : 'them'} again to use ${what.length === 1 ? 'it' : 'them'} with ${describe(now, withSasl)}: Kafka Desk sends a stored secret only where it was saved for.`,
    undefined,
    fields,
  );
}

/**
 * The same rule for an HTTP service (a Kafka Connect cluster, a Schema Registry): its password, token
 * and client key go only to the URLs and TLS they were saved with. `label` names it in the sentence.
 */
export function assertConnectSecretsBound(
  stored: {
    name: string;
    urls: string[];
    verify: boolean;
    ca: { sha256: string } | null;
    password: unknown;
    clientKey: unknown;
    token?: unknown;
  },
  input: {
    urls: string[];
    verify: boolean;
    ca?: PemUpload | null | undefined;
    password?: string | undefined;
    clientKey?: PemUpload | null | undefined;
    bearerToken?: string | undefined;
  },
  label = `Connect cluster '${stored.name}'`,
): void {
  const norm = (urls: string[]) => [...new Set(urls.map((u) => u.trim().replace(/\/+$/, '').toLowerCase()))].sort();
  const was = { urls: norm(stored.urls), verify: stored.verify, ca: stored.ca?.sha256 ?? null };
  const now = { urls: norm(input.urls), verify: input.verify, ca: fingerprint(input.ca, stored.ca?.sha256 ?? null) };
  if (same(was, now)) return;
  const fields: { path: string; message: string }[] = [];
  if (input.password === undefined && stored.password)
    fields.push({ path: 'password', message: 'enter the password again for the new URLs or settings' });
  if (input.bearerToken === undefined && stored.token)
    fields.push({ path: 'bearerToken', message: 'enter the token again for the new URLs or settings' });
  if (input.clientKey === undefined && stored.clientKey)
    fields.push({ path: 'clientKey', message: 'choose the client key again for the new URLs or settings' });
  if (!fields.length) return;
  const names: Record<string, string> = {
    password: 'password',
    bearerToken: 'bearer token',
    clientKey: 'client private key',
  };
  const what = fields.map((f) => names[f.path]).join(' and ');
  throw new CoreError(
    'SECRET_REQUIRED',
    `The saved ${what} of ${label} ${fields.length === 1 ? 'was' : 'were'} entered for ${was.urls.join(', ')}${was.verify ? '' : ' (certificate not verified)'}. Enter ${fields.length === 1 ? 'it' : 'them'} again to use ${fields.length === 1 ? 'it' : 'them'} with ${now.urls.join(', ')}${now.verify ? '' : ' (certificate not verified)'}: Kafka Desk sends a stored secret only where it was saved for.`,
    undefined,
    fields,
  );
}

/**
 * A secret sent to a plain http:// endpoint crosses the network unencrypted: an OAuth client secret
 * (the token endpoint) or Connect's basic-auth password. Refused until the user accepts it
 * (INSECURE_ENDPOINT, naming the field that accepts).
 */
export function assertPlainHttpAccepted(url: string, accepted: boolean, what: string, field: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return; // not a URL: the schema says so
  }
  if (protocol !== 'http:' || accepted) return;
  throw new CoreError(
    'INSECURE_ENDPOINT',
    `${url} is plain HTTP: the ${what} would cross the network unencrypted, readable by anyone on the way. Use https, or accept sending it over plain HTTP (only on a network you trust).`,
    undefined,
    [{ path: field, message: `accept sending the ${what} over plain HTTP, or use https` }],
  );
}
