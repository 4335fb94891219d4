/**
 * SCRAM credentials over kafkajs' connections (./scramCodecs.ts): listed by any broker, changed
 * through the controller as Kafka's own admin client sends them (a ZooKeeper cluster's controller
 * writes them; on KRaft the broker the metadata names as controller forwards them to the quorum).
 * The salted password is computed here (RFC 5802's Hi: PBKDF2 with the mechanism's HMAC), so the
 * password itself never goes on the wire and never leaves this module.
 */
import { pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { SCRAM_MECHANISMS, type ScramCredential, type ScramMechanism, type ScramUser } from '../../../contract';
import { CoreError } from '../../coreError';
import type { RawBroker, RawCluster } from '../rawCluster';
import type { ScramChange } from '../types';
import {
  ALTER_USER_SCRAM_CREDENTIALS,
  alterScramCall,
  DESCRIBE_USER_SCRAM_CREDENTIALS,
  describeScramCall,
  SCRAM_MECHANISM_NUMBER,
  type ScramUpsertion,
} from './scramCodecs';
import { brokerError, negotiate, sendFlexible } from './transport';

const pbkdf2Async = promisify(pbkdf2);

/** The mechanism's hash, and its output length (the salted password's). */
const HASH: Record<ScramMechanism, { digest: 'sha256' | 'sha512'; bytes: number }> = {
  'SCRAM-SHA-256': { digest: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { digest: 'sha512', bytes: 64 },
};

/** SaltedPassword = Hi(password, salt, i): what the broker keeps (with the salt), as Kafka's ScramFormatter computes it. */
export function saltedPassword(
  password: string,
  salt: Buffer,
  iterations: number,
  mechanism: ScramMechanism,
): Promise<Buffer> {
  const { digest, bytes } = HASH[mechanism];
  // Kafka's formatter takes the password's UTF-8 bytes as they are (no SASLprep), and so do its clients
  return pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, bytes, digest);
}

const mechanismOf = (n: number): ScramMechanism | null =>
  SCRAM_MECHANISMS.find((m) => SCRAM_MECHANISM_NUMBER[m] === n) ?? null;

// Kafka's error codes these APIs answer with
const UNSUPPORTED_SASL_MECHANISM = 33;
const NOT_CONTROLLER = 41;
const RESOURCE_NOT_FOUND = 91;
const DUPLICATE_RESOURCE = 92;
const UNACCEPTABLE_CREDENTIAL = 93;

export const SCRAM_UNAVAILABLE =
  'needs Kafka 2.7 or later (KIP-554; on a KRaft cluster, 3.5 or later). On an older ZooKeeper cluster SCRAM users are managed with kafka-configs --zookeeper … --entity-type users';

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]+/g;
/** The broker's own sentence, one line, bounded: it goes to a terminal and the window. */
export const said = (m: string | null): string =>
  (m ?? '').replace(CONTROL, ' ').trim().slice(0, 300).replace(/\.$/, '');

/** One user's refusal as a sentence; authorization failures go on to the gateway's mapping (FORBIDDEN). */
function userError(code: number, message: string | null, user: string, change: boolean): Error {
  const why = said(message);
  const detail = `error ${code}${why ? `: ${why}` : ''}`;
  if (code === RESOURCE_NOT_FOUND)
    return new CoreError(
      'NOT_FOUND',
      change
        ? `User '${user}' has no SCRAM credential for that mechanism, so there was nothing to delete.`
        : `User '${user}' has no SCRAM credentials.`,
      detail,
    );
  if (code === UNACCEPTABLE_CREDENTIAL)
    return new CoreError(
      'INVALID_INPUT',
      `Kafka refused the credential for '${user}'${why ? `: ${why}` : ''}.`,
      detail,
      [{ path: 'iterations', message: why || 'refused by the broker' }],
    );
  if (code === UNSUPPORTED_SASL_MECHANISM)
    return new CoreError(
      'KAFKA_ERROR',
      `The broker does not know that SCRAM mechanism for '${user}'${why ? `: ${why}` : ''}.`,
      detail,
    );
  if (code === DUPLICATE_RESOURCE)
    return new CoreError(
      'KAFKA_ERROR',
      `Kafka refused the change for '${user}': the same mechanism twice in one request.`,
      detail,
    );
  return brokerError(code, message);
}

function unavailable(broker: RawBroker, api: string): CoreError {
  return new CoreError(
    'KAFKA_ERROR',
    `Broker ${String(broker.nodeId)} does not offer ${api}: managing SCRAM users ${SCRAM_UNAVAILABLE}.`,
    `ApiVersions of broker ${String(broker.nodeId)} has no ${api}`,
  );
}

/** kafkajs' cluster finds the broker the metadata names as controller (kafkajs 2.2.4, pinned). */
type WithController = RawCluster & { findControllerBroker?: () => Promise<RawBroker> };

async function controllerBroker(cluster: RawCluster): Promise<RawBroker> {
  await cluster.refreshMetadata();
  const find = (cluster as WithController).findControllerBroker;
  if (typeof find !== 'function') throw new Error('kafkajs internals changed: findControllerBroker not found');
  return find.call(cluster);
}

/** Any broker answers a describe from what it knows of the cluster's credentials (the first known). */
export async function anyBroker(cluster: RawCluster): Promise<RawBroker> {
  await cluster.refreshMetadata();
  const ids = Object.keys(cluster.brokerPool.brokers).sort((a, b) => Number(a) - Number(b));
  if (!ids.length) throw new Error('no broker in the metadata');
  return cluster.findBroker({ nodeId: ids[0]! });
}

/**
 * The users named (null: every user with a credential) with their credentials, sorted. A named user
 * with none is left out; a newer broker's mechanism this app does not know is left out too.
 */
export async function describeScramUsers(cluster: RawCluster, names: string[] | null): Promise<ScramUser[]> {
  const broker = await anyBroker(cluster);
  if (negotiate(broker, DESCRIBE_USER_SCRAM_CREDENTIALS.apiKey, DESCRIBE_USER_SCRAM_CREDENTIALS) === null)
    throw unavailable(broker, DESCRIBE_USER_SCRAM_CREDENTIALS.apiName);
  // an empty list asks for every user too: an empty selection answers nothing instead
  if (names && names.length === 0) return [];
  // a name asked twice is refused by the broker (DUPLICATE_RESOURCE): each once
  const res = await sendFlexible(broker, describeScramCall(names && [...new Set(names)]));
  if (res.errorCode === RESOURCE_NOT_FOUND && names) return [];
  if (res.errorCode !== 0) throw brokerError(res.errorCode, res.errorMessage);
  const users: ScramUser[] = [];
  for (const r of res.results) {
    if (r.errorCode === RESOURCE_NOT_FOUND) continue;
    if (r.errorCode !== 0) throw userError(r.errorCode, r.errorMessage, r.user, false);
    const credentials = r.credentials
      .map((c) => ({ mechanism: mechanismOf(c.mechanism), iterations: c.iterations }))
      .filter((c): c is ScramCredential => c.mechanism !== null)
      .sort((a, b) => a.mechanism.localeCompare(b.mechanism));
    if (credentials.length) users.push({ name: r.user, credentials });
  }
  return users.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Sends one AlterUserScramCredentials through the controller; each user's refusal becomes a sentence. */
export async function alterScramCredentials(cluster: RawCluster, change: ScramChange): Promise<void> {
  const upsertions: ScramUpsertion[] = await Promise.all(
    change.upsertions.map(async (u) => {
      // a fresh random salt for every credential, as Kafka's admin client makes one
      const salt = randomBytes(32);
      return {
        name: u.name,
        mechanism: SCRAM_MECHANISM_NUMBER[u.mechanism],
        iterations: u.iterations,
        salt,
        saltedPassword: await saltedPassword(u.password, salt, u.iterations, u.mechanism),
      };
    }),
  );
  const deletions = change.deletions.map((d) => ({ name: d.name, mechanism: SCRAM_MECHANISM_NUMBER[d.mechanism] }));
  for (let attempt = 1; ; attempt++) {
    const broker = await controllerBroker(cluster);
    if (negotiate(broker, ALTER_USER_SCRAM_CREDENTIALS.apiKey, ALTER_USER_SCRAM_CREDENTIALS) === null)
      throw unavailable(broker, ALTER_USER_SCRAM_CREDENTIALS.apiName);
    const res = await sendFlexible(broker, alterScramCall({ deletions, upsertions }));
    // the controller moved since the metadata was read: ask the new one (a few times)
    if (res.results.some((r) => r.errorCode === NOT_CONTROLLER) && attempt < 3) continue;
    const failed = res.results.find((r) => r.errorCode !== 0);
    if (failed) throw userError(failed.errorCode, failed.errorMessage, failed.user, true);
    return;
  }
}
