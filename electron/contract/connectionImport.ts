import { z } from 'zod';
import {
  AwsIamSettings,
  ConnectionInput,
  KerberosSettings,
  OAuthSettings,
  SASL_INPUT_COMMON,
  SASL_INPUT_OTHER,
  saslUnion,
} from './connection';

export const ImportFormat = z.enum(['java-properties', 'kcat']);
export type ImportFormat = z.infer<typeof ImportFormat>;

export const ConnectionImportInput = z.strictObject({
  format: ImportFormat,
  text: z.string().max(256 * 1024, 'a client configuration larger than 256 KiB is not a properties file'),
  name: z.string().trim().min(1).max(100).optional(),
});

const draftText = z.string().max(64 * 1024);

/**
 * The form's values as an import found them: a connection still to be completed, so what the file
 * left out or got wrong (no bootstrap servers, no token endpoint, a principal to fill in) is kept for
 * the form to show, and checked when the connection is saved or tested.
 */
export const ConnectionDraft = ConnectionInput.extend({
  bootstrapServers: z.array(draftText).max(100),
  sasl: saslUnion(
    true,
    SASL_INPUT_COMMON,
    {
      oauth: OAuthSettings.extend({ tokenEndpoint: draftText, clientId: draftText }).optional(),
      aws: AwsIamSettings.extend({ region: draftText }).optional(),
      kerberos: KerberosSettings.extend({ principal: draftText }).optional(),
    },
    SASL_INPUT_OTHER,
  ),
});

/**
 * What an import produced: the form's values, the files the configuration names by path (the user
 * picks them: the core does not read arbitrary paths for the renderer), and every setting that was not
 * mapped, with the reason — nothing is dropped silently.
 */
export const ConnectionImportResult = z.strictObject({
  connection: ConnectionDraft,
  files: z.array(
    z.strictObject({ slot: z.enum(['ca', 'clientCert', 'clientKey', 'keytab']), key: z.string(), path: z.string() }),
  ),
  unmapped: z.array(z.strictObject({ key: z.string(), reason: z.string() })),
  notes: z.array(z.string()),
});
export type ConnectionImportResult = z.infer<typeof ConnectionImportResult>;
