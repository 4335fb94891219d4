import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type KafkaConfig, type Mechanism, type SASLOptions } from 'kafkajs';
import type { ResolvedConnection } from '../connections/storedConnection';
import './compressionCodecs';
import { mskIamTokenProvider } from './awsMskIam';
import { oauthBearerMechanism } from './oauthBearerAuthenticator';
import { clientCredentialsProvider } from './oauthToken';
import { gssapiMechanism } from './saslTokenMechanism';
import { kerberosIdentity } from '../kerberos/kerberosIdentity';
import { gatedKafka } from './writeGate';
import { assertPlainHttpAccepted } from '../connections/secretBinding';
import { requireSaslBlock } from '../connections/sasl';

export interface ClientOptions {
  /**
   * Retries for the initial connection and each request, in place of the connection's own
   * (`reconnect.retries`): only for probes that must answer for one address at once (the doctor's
   * steps, "Test connection").
   */
  retries?: number;
}

/** The connection's reconnection settings as kafkajs' retry options (its randomisation factor kept at ±20 %). */
export function retryFor(c: Pick<ResolvedConnection, 'reconnect'>, retries = c.reconnect.retries) {
  const r = c.reconnect;
  return {
    retries,
    initialRetryTime: r.initialRetryMs,
    maxRetryTime: Math.max(r.maxRetryMs, r.initialRetryMs),
    multiplier: r.multiplier,
    factor: 0.2,
  };
}

/** Maps a connection onto kafkajs' options: TLS and SASL exactly as the user set them. */
export function kafkaConfigFor(c: ResolvedConnection, opts: ClientOptions = {}): KafkaConfig {
  let ssl: KafkaConfig['ssl'] = false;
  if (c.tls.enabled) {
    const tls: ConnectionOptions = { rejectUnauthorized: c.tls.verify };
    if (c.tls.ca) tls.ca = [c.tls.ca];
    if (c.tls.cert) tls.cert = c.tls.cert;
    if (c.tls.key) tls.key = c.tls.key;
    if (c.tls.pfx) tls.pfx = c.tls.pfx;
    if (c.tls.passphrase) tls.passphrase = c.tls.passphrase;
    // "skip hostname verification": the chain is still checked unless verification is off altogether
    if (!c.tls.verify || !c.tls.verifyHostname) tls.checkServerIdentity = () => undefined;
    ssl = tls;
  }
  let sasl: SASLOptions | Mechanism | undefined;
  switch (c.sasl.mechanism) {
    case 'none':
      break;
    case 'plain':
      sasl = { mechanism: 'plain', username: c.sasl.username, password: c.sasl.password };
      break;
    case 'scram-sha-256':
      sasl = { mechanism: 'scram-sha-256', username: c.sasl.username, password: c.sasl.password };
      break;
    case 'scram-sha-512':
      sasl = { mechanism: 'scram-sha-512', username: c.sasl.username, password: c.sasl.password };
      break;
    case 'gssapi': {
      const k = requireSaslBlock(c.name, c.sasl, 'kerberos');
      sasl = gssapiMechanism(kerberosIdentity(k, c.sasl.password), k.serviceName);
      break;
    }
    case 'oauthbearer': {
      const o = requireSaslBlock(c.name, c.sasl, 'oauth');
      // whatever the caller: a client secret goes over plain HTTP only when the user accepted it
      assertPlainHttpAccepted(o.tokenEndpoint, o.allowPlainHttp, 'client secret', 'sasl.oauth.allowPlainHttp');
      sasl = oauthBearerMechanism(
        clientCredentialsProvider({ ...o, clientSecret: c.sasl.password }, c.timeouts.authenticationMs),
        (status) =>
          `The broker at ${c.bootstrapServers.join(', ')} refused the OAUTHBEARER token from ${o.tokenEndpoint} (${status}): check the audience, scope and issuer the cluster expects.`,
      );
      break;
    }
    case 'aws-msk-iam': {
      const a = requireSaslBlock(c.name, c.sasl, 'aws');
      sasl = oauthBearerMechanism(
        mskIamTokenProvider({ ...a, secretAccessKey: c.sasl.password }),
        (status) =>
          `The broker at ${c.bootstrapServers.join(', ')} refused the AWS MSK IAM token (${status}): check that the cluster has IAM authentication on this port (9098 / 9198), the region, and that the identity may kafka-cluster:Connect.`,
      );
      break;
    }
  }
  const config: KafkaConfig = {
    clientId: c.clientId,
    brokers: c.bootstrapServers,
    ssl,
    connectionTimeout: c.timeouts.connectionMs,
    requestTimeout: c.timeouts.requestMs,
    authenticationTimeout: c.timeouts.authenticationMs,
    enforceRequestTimeout: true,
    retry: retryFor(c, opts.retries),
    logLevel: logLevel.NOTHING,
  };
  if (sasl) config.sasl = sasl;
  return config;
}

/** A kafkajs client whose every write passes the read-only gate (writeGate.ts). */
export function createKafka(c: ResolvedConnection, opts?: ClientOptions): Kafka {
  return gatedKafka(c, new Kafka(kafkaConfigFor(c, opts)));
}
