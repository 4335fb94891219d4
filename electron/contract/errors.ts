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
  'KAFKA_ERROR',
  'READ_ONLY',
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
  /** For INVALID_INPUT: which fields were wrong, as dotted paths. */
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
