import { z } from 'zod';

/** Every error code the core can return. Closed: a new failure mode gets a new code here. */
export const ErrorCode = z.enum([
  'INVALID_INPUT',
  'PAYLOAD_TOO_LARGE',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNKNOWN_CHANNEL',
  'HOST_NOT_FOUND',
  'CONNECTION_REFUSED',
  'CONNECTION_CLOSED',
  'TIMEOUT',
  'AUTH_FAILED',
  'SASL_MECHANISM_UNSUPPORTED',
  'TLS_UNTRUSTED',
  'TLS_HOSTNAME_MISMATCH',
  'TLS_CLIENT_CERT_REQUIRED',
  'TLS_HANDSHAKE_FAILED',
  'TLS_NOT_TLS',
  'BAD_CERTIFICATE',
  'SECRET_UNAVAILABLE',
  /** A stored secret would go to endpoints other than the ones it was saved with: it must be entered again. */
  'SECRET_REQUIRED',
  /** A secret would cross the network unencrypted (a plain http:// token endpoint or Connect URL): refused until the user accepts it. */
  'INSECURE_ENDPOINT',
  /** A keytab that is not one, or that lacks the connection's principal. */
  'BAD_KEYTAB',
  /** A krb5.conf that does not parse. */
  'BAD_KRB5_CONF',
  /**
   * The input asks for something risky that needs the user's explicit yes, which it lacks (a krb5.conf
   * that makes the Kerberos library load code: `allowCodeLoading`). The fields name the switch.
   */
  'CONFIRMATION_REQUIRED',
  /** Kerberos: no GSSAPI library on this system, or no kinit for a password login. */
  'KERBEROS_UNAVAILABLE',
  'KERBEROS_CLOCK_SKEW',
  'KERBEROS_KDC_UNREACHABLE',
  /** The client principal is not in the KDC's database. */
  'KERBEROS_PRINCIPAL_UNKNOWN',
  /** A wrong password, or a keytab whose key (version) the KDC no longer accepts. */
  'KERBEROS_BAD_CREDENTIALS',
  /** The broker's service principal (service/host) is not in the KDC's database. */
  'KERBEROS_SERVICE_UNKNOWN',
  /** No ticket, or an expired one, in a ticket cache Kafka Desk only reads. */
  'KERBEROS_TICKET_EXPIRED',
  'KERBEROS_FAILED',
  'KAFKA_ERROR',
  /** The cluster has no authorizer (SECURITY_DISABLED): it keeps no ACLs, so there are none to list or change. */
  'AUTHORIZER_DISABLED',
  'READ_ONLY',
  /** A value does not fit its schema (the fields name where), or a schema does not parse. */
  'SCHEMA_INVALID',
  /** A connection has no Schema Registry set, or the registry does not have the schema asked for. */
  'SCHEMA_UNAVAILABLE',
  'FILE_ERROR',
  'STORE_CORRUPT',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppError = z.strictObject({
  code: ErrorCode,
  /** One sentence for a person: what failed and, when known, what to do. */
  message: z.string(),
  /** The raw cause (library message, errno, stack head) for the "details" disclosure. */
  detail: z.string().optional(),
  /**
   * For INVALID_INPUT: which fields were wrong, as dotted paths. Also on a KAFKA_ERROR whose broker
   * reason names a topic config: `configs.<config name>`, with the broker's sentence.
   */
  fields: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});
export type AppError = z.infer<typeof AppError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: AppError }),
  ]);
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, detail?: string): Result<never> => ({
  ok: false,
  error: detail === undefined ? { code, message } : { code, message, detail },
});
