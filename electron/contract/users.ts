import { z } from 'zod';
import { ConnectionId } from './connection';

/**
 * The SCRAM users domain: the SCRAM credentials a cluster keeps for SASL/SCRAM logins (KIP-554),
 * listed with their mechanism and iterations, created or given a new password, and deleted — one
 * mechanism or the whole user. The password is a secret: it is turned into a salted password in the
 * core and never leaves it, never goes on the wire, and is never in an answer, an error or a log.
 */

export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export const ScramMechanism = z.enum(SCRAM_MECHANISMS);
export type ScramMechanism = z.infer<typeof ScramMechanism>;

/** Kafka's own bounds: fewer than 4096 iterations it refuses (RFC 5802's minimum), more than 16384 too. */
export const SCRAM_ITERATIONS = { min: 4096, default: 4096, max: 16384 } as const;

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A SCRAM user name: shown in a terminal and a table, so no control or bidi characters. */
export const ScramUserName = z
  .string()
  .min(1, 'cannot be empty')
  .max(256, 'at most 256 characters')
  .refine((s) => !CONTROL.test(s), 'no control or bidi characters')
  .refine((s) => s.trim() === s, 'no spaces at the start or the end');

/** A password for a SCRAM credential. Its checks never quote it back. */
export const ScramPassword = z.string().min(1, 'cannot be empty').max(1024, 'at most 1024 characters');

export const ScramIterations = z
  .number()
  .int('a whole number')
  .min(SCRAM_ITERATIONS.min, `at least ${SCRAM_ITERATIONS.min} (Kafka's minimum)`)
  .max(SCRAM_ITERATIONS.max, `at most ${SCRAM_ITERATIONS.max} (Kafka's maximum)`);

export const ScramCredential = z.strictObject({ mechanism: ScramMechanism, iterations: z.number().int() });
export type ScramCredential = z.infer<typeof ScramCredential>;

/** A user and the SCRAM credentials the cluster keeps for it (one per mechanism), sorted by mechanism. */
export const ScramUser = z.strictObject({ name: z.string(), credentials: z.array(ScramCredential) });
export type ScramUser = z.infer<typeof ScramUser>;

const conn = { id: ConnectionId };

export const userChannels = {
  /** Every user with SCRAM credentials (or the ones named: a name with none is left out), sorted by name. */
  'users.list': {
    input: z.strictObject({ ...conn, names: z.array(ScramUserName).max(1000).optional() }),
    output: z.strictObject({ users: z.array(ScramUser), fetchedAt: z.string() }),
  },
  /**
   * Creates a user's credential for a mechanism or gives it a new password (the salted password is
   * computed here, as Kafka's own admin client does). `mode`: create refuses a user that already has
   * a credential for the mechanism, change one that has none, upsert does either.
   */
  'users.upsert': {
    input: z.strictObject({
      ...conn,
      name: ScramUserName,
      mechanism: ScramMechanism,
      iterations: ScramIterations.default(SCRAM_ITERATIONS.default),
      password: ScramPassword,
      mode: z.enum(['create', 'change', 'upsert']).default('upsert'),
    }),
    output: z.strictObject({
      name: z.string(),
      mechanism: ScramMechanism,
      iterations: z.number().int(),
      /** false: the user had a credential for the mechanism, and its password was changed. */
      created: z.boolean(),
      /** The user's credentials afterwards, as the cluster lists them. */
      user: ScramUser,
    }),
  },
  /** Deletes one mechanism's credential of a user, or (no mechanism) every one it has: the user is gone. */
  'users.delete': {
    input: z.strictObject({ ...conn, name: ScramUserName, mechanism: ScramMechanism.optional() }),
    output: z.strictObject({ name: z.string(), deleted: z.array(ScramMechanism), remaining: z.array(ScramCredential) }),
  },
} as const;
