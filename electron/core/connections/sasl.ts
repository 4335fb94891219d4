import {
  SASL_BLOCK_MECHANISM,
  SASL_USES_USERNAME,
  saslBlockOf,
  type SaslBlock,
  type SaslMechanism,
} from '../../contract';
import { CoreError } from '../coreError';

/**
 * The per-mechanism rules of the SASL settings that are behaviour rather than shape: which block a
 * mechanism needs (the contract's table, `SASL_BLOCK_MECHANISM`), whether it uses the user name and the
 * password, what the password is called, and how one shape becomes another. connectionStore,
 * secretBinding and the client factory ask here instead of listing mechanisms themselves.
 */

/** Any shape of the SASL settings (input, view, stored, resolved): a mechanism and up to one block per kind. */
interface AnySasl {
  mechanism: SaslMechanism;
  oauth?: unknown;
  aws?: unknown;
  kerberos?: unknown;
}

/** A SASL shape by mechanism: `Common` in every member, a mechanism's own block of `Blocks`, null for the others. */
export type SaslOf<Common, Blocks extends Record<SaslBlock, unknown>> = {
  [M in SaslMechanism]: { mechanism: M } & Common & {
      [B in SaslBlock]: M extends (typeof SASL_BLOCK_MECHANISM)[B] ? Blocks[B] : null;
    };
}[SaslMechanism];

/** In the union S, the type of block B in the member of the mechanism that owns it. */
export type OwnBlock<S extends AnySasl, B extends SaslBlock> = Extract<
  S,
  { mechanism: (typeof SASL_BLOCK_MECHANISM)[B] }
>[B];

/**
 * One SASL shape into another: the mechanism stays, the common fields are the caller's, the mechanism's
 * own block goes through its mapper and the other mechanisms' blocks become null. The one place that
 * moves blocks by mechanism.
 */
export function mapSasl<From extends AnySasl, To extends AnySasl>(
  from: From,
  common: Omit<To, 'mechanism' | SaslBlock>,
  map: { [B in SaslBlock]: (block: OwnBlock<From, B>) => OwnBlock<To, B> },
): To {
  const to: Record<string, unknown> = { mechanism: from.mechanism, ...common, oauth: null, aws: null, kerberos: null };
  const own = saslBlockOf(from.mechanism);
  if (own) to[own] = (map[own] as (block: unknown) => unknown)(from[own]);
  return to as To;
}

/** What is kept of a user name: only PLAIN and SCRAM log in with one. */
export const saslUsername = (mechanism: SaslMechanism, username: string): string =>
  SASL_USES_USERNAME.includes(mechanism) ? username : '';

interface PasswordRule {
  /** What the user calls the SASL password for this mechanism (in "enter the … again"). */
  label: string;
  /** Whether the login uses it, given the mechanism's block as the form describes it. */
  uses: (s: { aws?: { credentials?: string } | null; kerberos?: { credentials?: string } | null }) => boolean;
}
const PASSWORD: Record<SaslMechanism, PasswordRule> = {
  none: { label: 'password', uses: () => false },
  plain: { label: 'password', uses: () => true },
  'scram-sha-256': { label: 'password', uses: () => true },
  'scram-sha-512': { label: 'password', uses: () => true },
  oauthbearer: { label: 'client secret', uses: () => true },
  'aws-msk-iam': { label: 'AWS secret access key', uses: (s) => (s.aws?.credentials ?? 'default') === 'keys' },
  gssapi: { label: 'password', uses: (s) => s.kerberos?.credentials === 'password' },
};

/** Does the login use the SASL password (the client secret, the AWS secret key, the Kerberos password)? */
export const saslUsesPassword = (s: AnySasl & Parameters<PasswordRule['uses']>[0]): boolean =>
  PASSWORD[s.mechanism].uses(s);
export const saslPasswordLabel = (mechanism: SaslMechanism): string => PASSWORD[mechanism].label;
/**
 * Is a stored password kept when the connection is saved? When the login uses it — and for AWS also
 * while the default chain or a profile is chosen, so switching back to an access key finds its secret.
 */
export const saslKeepsPassword = (s: AnySasl & Parameters<PasswordRule['uses']>[0]): boolean =>
  s.mechanism === 'aws-msk-iam' || saslUsesPassword(s);

/** What each block is called when it is missing: on save (a field to fill in) and when a connection is used. */
const BLOCK_NEEDED: Record<
  SaslBlock,
  { mechanism: string; needs: string; lacks: string; path: string; message: string }
> = {
  oauth: {
    mechanism: 'SASL/OAUTHBEARER',
    needs: 'the token endpoint and the client id',
    lacks: 'no token endpoint and client id',
    path: 'sasl.oauth',
    message: 'token endpoint and client id are needed',
  },
  aws: {
    mechanism: 'AWS MSK IAM',
    needs: "the cluster's AWS region",
    lacks: 'no AWS region',
    path: 'sasl.aws.region',
    message: 'the AWS region is needed',
  },
  kerberos: {
    mechanism: 'SASL/GSSAPI',
    needs: 'the Kerberos principal and where its credentials come from',
    lacks: 'no Kerberos principal',
    path: 'sasl.kerberos.principal',
    message: 'the principal is needed',
  },
};

/** A connection being saved needs its mechanism's block (a test or doctor run may take the stored one instead). */
export function assertSaslBlockGiven(s: AnySasl): void {
  const own = saslBlockOf(s.mechanism);
  if (!own || s[own]) return;
  const b = BLOCK_NEEDED[own];
  throw new CoreError('INVALID_INPUT', `${b.mechanism} needs ${b.needs}.`, undefined, [
    { path: b.path, message: b.message },
  ]);
}

/** The block a connection's mechanism uses, or INVALID_INPUT naming the connection. */
export function requireSaslBlock<S extends AnySasl, B extends SaslBlock>(
  name: string,
  sasl: S,
  block: B,
): NonNullable<OwnBlock<S, B>> {
  const value = sasl[block] as OwnBlock<S, B> | null | undefined;
  if (value === null || value === undefined) {
    const b = BLOCK_NEEDED[block];
    throw new CoreError('INVALID_INPUT', `'${name}' uses ${b.mechanism} but has ${b.lacks}.`);
  }
  return value;
}
