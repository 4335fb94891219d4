import type { ErrorCode } from '../../contract';
import type { ResolvedConnection } from '../connections/storedConnection';
import { CoreError, describeCause } from '../coreError';

interface Chained {
  name?: string;
  message?: string;
  code?: string;
  type?: string;
  cause?: unknown;
  originalError?: unknown;
  retriedException?: unknown;
  errors?: unknown[];
  /** The broker's own sentence for a refused topic or config (kept by our kafkajs patch). */
  brokerMessage?: string | null;
  host?: string;
  hostname?: string;
  address?: string;
  port?: number;
}

function chain(e: unknown): Chained[] {
  const out: Chained[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [e];
  while (queue.length && out.length < 10) {
    const x = queue.shift();
    if (!x || typeof x !== 'object' || seen.has(x)) continue;
    seen.add(x);
    const c = x as Chained;
    out.push(c);
    queue.push(c.originalError, c.cause, c.retriedException, ...(Array.isArray(c.errors) ? c.errors : []));
  }
  return out;
}

const mechName: Record<string, string> = {
  oauthbearer: 'OAUTHBEARER',
  'aws-msk-iam': 'OAUTHBEARER (AWS MSK IAM)',
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
  gssapi: 'GSSAPI (Kerberos)',
};

/** The topic config a broker's sentence is about, when it names one. */
export function configNamedIn(brokerMessage: string): string | null {
  const m =
    /\bfor configuration ([A-Za-z0-9._-]+)/.exec(brokerMessage) ??
    /\bUnknown (?:topic )?config(?:uration)? name:? '?([A-Za-z0-9._-]+)'?/i.exec(brokerMessage) ??
    /\bconfig(?:uration)? '([A-Za-z0-9._-]+)'/i.exec(brokerMessage);
  return m ? m[1]!.replace(/[.:]$/, '') : null;
}

/**
 * A broker that refused a topic or a config says why in its own words (CreateTopics v1+, AlterConfigs):
 * "Invalid value abc for configuration retention.ms: Not a number of type LONG". That sentence is the
 * message, with the config it names as a field (`configs.<name>`).
 */
function brokerReason(links: Chained[], detail: string): CoreError | null {
  const said = links.find((l) => typeof l.brokerMessage === 'string' && l.brokerMessage.trim() !== '');
  if (!said) return null;
  // a broker's text goes to a terminal and the window: one line, bounded
  const reason = said
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .brokerMessage!.replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 500)
    .replace(/\.$/, '');
  const type = said.type ?? links.find((l) => l.type)?.type;
  const config = configNamedIn(reason);
  return new CoreError(
    'KAFKA_ERROR',
    `Kafka refused the request: ${reason}${type ? ` (${type})` : ''}.`,
    detail,
    config ? [{ path: `configs.${config}`, message: reason }] : undefined,
  );
}

/** What an authorization failure means, and which ACL would allow it (Kafka's own names for the operations). */
function deniedSentence(type: string, c: Pick<ResolvedConnection, 'sasl'>): string {
  const who = c.sasl.mechanism === 'none' ? "this connection's user (ANONYMOUS)" : `this connection's user`;
  const named = 'username' in c.sasl && c.sasl.username ? `${who} (${c.sasl.username})` : who;
  const what: Record<string, string> = {
    TOPIC_AUTHORIZATION_FAILED:
      'use this topic: reading takes DESCRIBE and READ on it, writing DESCRIBE and WRITE, creating CREATE',
    GROUP_AUTHORIZATION_FAILED:
      'use this consumer group: reading as it and committing its offsets take READ on the group, deleting it DELETE',
    CLUSTER_AUTHORIZATION_FAILED:
      'do this on the cluster: it takes an ACL on the cluster resource (kafka-cluster), such as DESCRIBE, ALTER or IDEMPOTENT_WRITE',
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'use this transactional id: it takes DESCRIBE and WRITE on it',
    DELEGATION_TOKEN_AUTHORIZATION_FAILED: 'use delegation tokens',
  };
  return `The cluster's ACLs do not let ${named} ${what[type] ?? 'do this'} (${type}).`;
}

/** Turns whatever kafkajs, Node's net/tls or DNS threw into one sentence a person can act on. */
export function kafkaErrorToCore(
  e: unknown,
  c: Pick<ResolvedConnection, 'bootstrapServers' | 'sasl' | 'tls'>,
): CoreError {
  if (e instanceof CoreError) return e;
  const links = chain(e);
  // our own error, thrown inside kafkajs (the OAUTHBEARER token provider) and wrapped by it
  const own = links.find((l): l is CoreError => l instanceof CoreError);
  if (own) return own;
  const denied = links.find((l) => typeof l.type === 'string' && /_AUTHORIZATION_FAILED$/.test(l.type))?.type;
  if (denied) return new CoreError('FORBIDDEN', deniedSentence(denied, c), describeCause(e));
  const reason = brokerReason(links, describeCause(e));
  if (reason) return reason;
  const text = links.map((l) => `${l.name ?? ''} ${l.code ?? ''} ${l.type ?? ''} ${l.message ?? ''}`).join(' | ');
  const detail = describeCause(e);
  const where = c.bootstrapServers.join(', ');
  const mech = mechName[c.sasl.mechanism] ?? c.sasl.mechanism;
  const hostOf = (): string => {
    const withHost = links.find((l) => l.hostname || l.host);
    const fromText = /(?:ENOTFOUND|EAI_AGAIN|EAI_NONAME) (\S+)/.exec(text)?.[1];
    return withHost?.hostname ?? withHost?.host ?? fromText ?? where;
  };
  const make = (code: ErrorCode, message: string) => new CoreError(code, message, detail);
  const has = (re: RegExp) => re.test(text);

  if (has(/ENOTFOUND|EAI_AGAIN|EAI_NONAME|getaddrinfo/)) {
    return make(
      'HOST_NOT_FOUND',
      `The host name '${hostOf()}' could not be resolved. Check the spelling of the bootstrap server, or your DNS / VPN.`,
    );
  }
  if (has(/ECONNREFUSED/)) {
    return make(
      'CONNECTION_REFUSED',
      `Nothing accepted the connection at ${where} (connection refused). Check the host and port, and that the broker is running.`,
    );
  }
  if (
    has(/UNSUPPORTED_SASL_MECHANISM|mechanism is not supported|not supported by the server|Unsupported SASL mechanism/i)
  ) {
    return make(
      'SASL_MECHANISM_UNSUPPORTED',
      `The broker at ${where} does not accept SASL/${mech} on this listener. Choose the mechanism the cluster uses (ask its operator), or check the port.`,
    );
  }
  if (has(/ILLEGAL_SASL_STATE|not valid given the current SASL state/i)) {
    return make(
      'SASL_MECHANISM_UNSUPPORTED',
      `The listener at ${where} does not take a SASL login. Set the SASL mechanism to None, or use the cluster's SASL port.`,
    );
  }
  if (
    c.sasl.mechanism === 'aws-msk-iam' &&
    has(/SASL_AUTHENTICATION_FAILED|SASLAuthenticationError|Authentication failed|authentication failed|invalid_token/i)
  ) {
    return make(
      'AUTH_FAILED',
      `The broker at ${where} refused the AWS MSK IAM token: check that the cluster has IAM authentication on this port (9098 / 9198), the region, and that the identity may kafka-cluster:Connect.`,
    );
  }
  if (
    c.sasl.mechanism === 'oauthbearer' &&
    has(/SASL_AUTHENTICATION_FAILED|SASLAuthenticationError|Authentication failed|authentication failed|invalid_token/i)
  ) {
    return make(
      'AUTH_FAILED',
      `The broker at ${where} refused the OAUTHBEARER token: the token endpoint issued one, but the broker does not accept it (audience, scope, issuer or signature).`,
    );
  }
  if (
    c.sasl.mechanism === 'gssapi' &&
    has(/SASL_AUTHENTICATION_FAILED|SASLAuthenticationError|Authentication failed|authentication failed/i)
  ) {
    const k = c.sasl.kerberos;
    return make(
      'AUTH_FAILED',
      `The broker at ${where} refused the Kerberos login of ${k?.principal ?? 'this principal'} although the KDC issued a ticket for ${k?.serviceName ?? 'kafka'}/<broker host>: the broker's own keytab may be out of date, its clock may be off, or ${k?.principal ?? 'the principal'} is not allowed on this listener.`,
    );
  }
  if (has(/SASL_AUTHENTICATION_FAILED|SASLAuthenticationError|Authentication failed|authentication failed/i)) {
    return make(
      'AUTH_FAILED',
      `The broker at ${where} refused the SASL/${mech} login for user '${c.sasl.username}': the user name or password is wrong, or the user has no ${mech} credentials.`,
    );
  }
  if (has(/certificate required|alert number 116|CERTIFICATE_REQUIRED|alert certificate required/i)) {
    return make(
      'TLS_CLIENT_CERT_REQUIRED',
      `The broker at ${where} requires a client certificate (mutual TLS) and none was accepted. Choose a client certificate and key signed by the cluster's CA.`,
    );
  }
  if (has(/ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match/i)) {
    return make(
      'TLS_HOSTNAME_MISMATCH',
      `The broker's TLS certificate does not name the host ${hostOf()}. Connect with the host name the certificate was issued for.`,
    );
  }
  if (
    has(
      /SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|self[- ]signed certificate|unable to verify|unable to get local issuer/i,
    )
  ) {
    return make(
      'TLS_UNTRUSTED',
      `The broker's TLS certificate at ${where} is not signed by a CA this connection trusts. Choose the cluster's CA certificate (PEM).`,
    );
  }
  if (has(/CERT_HAS_EXPIRED|certificate has expired/i)) {
    return make('TLS_UNTRUSTED', `The broker's TLS certificate at ${where} has expired.`);
  }
  if (!c.tls.cert && has(/alert bad certificate|alert number 42|handshake failure|alert number 40/i)) {
    return make(
      'TLS_CLIENT_CERT_REQUIRED',
      `The broker at ${where} requires a client certificate (mutual TLS). Choose a client certificate and key signed by the cluster's CA.`,
    );
  }
  if (has(/alert bad certificate|alert number 42|unknown ca|alert number 48|alert number 46/i)) {
    return make(
      'TLS_HANDSHAKE_FAILED',
      `The broker at ${where} rejected this connection's client certificate (not signed by a CA it trusts, or expired).`,
    );
  }
  if (
    has(
      /wrong version number|packet length too long|unknown protocol|ERR_SSL_WRONG_VERSION_NUMBER|disconnected before secure TLS connection/i,
    )
  ) {
    return make(
      'TLS_NOT_TLS',
      `The port at ${where} does not speak TLS. Turn TLS off for this connection, or use the broker's SSL / SASL_SSL port.`,
    );
  }
  if (has(/ssl|tls|handshake/i) && has(/alert|handshake/i)) {
    return make('TLS_HANDSHAKE_FAILED', `The TLS handshake with ${where} failed.`);
  }
  if (has(/ETIMEDOUT|Connection timeout|timed out|Request timed out|KafkaJSRequestTimeoutError/i)) {
    return make(
      'TIMEOUT',
      `${where} did not answer in time. Check the address, firewall or VPN, and the connection's timeouts.`,
    );
  }
  if (has(/ECONNRESET|Connection closed|EPIPE|socket hang up|Closed connection/i)) {
    const hint =
      c.sasl.mechanism === 'none' && !c.tls.enabled
        ? ' The listener may expect TLS or a SASL login.'
        : c.tls.enabled
          ? ' The listener may not speak TLS, or it wants a client certificate.'
          : ' The listener may expect TLS, or no SASL login.';
    return make('CONNECTION_CLOSED', `The broker at ${where} closed the connection.${hint}`);
  }
  if (has(/KafkaJS/)) {
    // The most specific message: a broker error (it has a type) rather than an aggregate or retry wrapper.
    const specific = [...links].reverse().find((l) => l.type && l.message) ?? links[0];
    const message = (specific?.message ?? 'unknown error').replace(/\.$/, '');
    return make('KAFKA_ERROR', `Kafka refused the request: ${message}${specific?.type ? ` (${specific.type})` : ''}.`);
  }
  return make('INTERNAL', `Something unexpected failed while talking to ${where}: ${links[0]?.message ?? String(e)}`);
}
