import { z } from 'zod';
import { AppError } from './errors';

/**
 * The connection doctor: each step of reaching a cluster, in order. A step that cannot run because an
 * earlier one failed is `skipped`; `warning` is a step that passed with something to look at (a
 * certificate that expires soon, verification turned off).
 */
export const DoctorStepKind = z.enum([
  'dns',
  'tcp',
  'tls',
  /** SASL/GSSAPI: a Kerberos ticket for the principal and the broker's service ticket, before the SASL login */
  'kerberos',
  'sasl',
  'metadata',
  'broker-connect',
  'broker-roundtrip',
  /** each Kafka Connect cluster of a saved connection: reachable, version, same Kafka cluster */
  'connect',
  /** the connection's Schema Registry: reachable, the credentials accepted, subjects readable */
  'schema-registry',
]);
export type DoctorStepKind = z.infer<typeof DoctorStepKind>;

export const CertificateInfo = z.strictObject({
  subject: z.string(),
  issuer: z.string(),
  subjectAltNames: z.array(z.string()),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint256: z.string(),
});
export type CertificateInfo = z.infer<typeof CertificateInfo>;

export const DoctorStep = z.strictObject({
  kind: DoctorStepKind,
  /** "Resolve kafka-1.example.com", "Connect to broker 2 at 10.0.0.5:9092 (as advertised)" */
  title: z.string(),
  /** host:port (or host) the step was about */
  target: z.string(),
  status: z.enum(['ok', 'failed', 'skipped', 'warning']),
  elapsedMs: z.number().nonnegative(),
  /** One sentence: what was found, or why it failed (for a person). */
  summary: z.string(),
  /** Raw cause of a failure, or extra facts. */
  error: AppError.optional(),
  /** For TLS: the chain the broker presented, whether it is trusted and the host name matches. */
  tls: z
    .strictObject({
      protocol: z.string().nullable(),
      trusted: z.boolean(),
      hostnameMatches: z.boolean(),
      authorizationError: z.string().nullable(),
      chain: z.array(CertificateInfo),
    })
    .optional(),
});
export type DoctorStep = z.infer<typeof DoctorStep>;

export const DoctorReport = z.strictObject({
  ok: z.boolean(),
  steps: z.array(DoctorStep),
  /** The first failed step's sentence, or a success sentence. */
  verdict: z.string(),
  elapsedMs: z.number().nonnegative(),
});
export type DoctorReport = z.infer<typeof DoctorReport>;
