import { z } from 'zod';
import {
  AwsIamSettings,
  ColorTag,
  ConnectionId,
  DEFAULT_MAX_MESSAGE_BYTES,
  Environment,
  KerberosCredentials,
  MaxMessageBytes,
  OAuthSettings,
  Timeouts,
  Reconnect,
  DEFAULT_RECONNECT,
  saslUnion,
} from '../../contract';
import type { KerberosSpec } from '../kerberos/kerberosIdentity';

/** A file the core owns under `<data>/connections/<id>/`. `file` is one of the fixed names below. */
export const StoredFile = z.object({
  name: z.string(),
  size: z.number(),
  sha256: z.string(),
  file: z.enum(['ca.pem', 'client-cert.pem', 'client-key.pem.sealed', 'client.p12.sealed']),
});
export type StoredFile = z.infer<typeof StoredFile>;

/** A line of a stored krb5.conf (its number and text as shown). */
const StoredKrb5ConfLine = z.object({ line: z.number(), text: z.string() });

/**
 * The Kerberos files of a connection, in its folder: plain files (krb5 reads them itself), 0600.
 * krb5.conf: its include lines and the lines that load code (allowed when it was chosen); connections
 * saved before these were kept read as none.
 */
export const StoredKerberos = z.object({
  principal: z.string(),
  serviceName: z.string(),
  credentials: KerberosCredentials,
  keytab: z
    .object({
      name: z.string(),
      size: z.number(),
      sha256: z.string(),
      file: z.literal('client.keytab'),
      principals: z.array(z.string()),
    })
    .nullable(),
  krb5Conf: z
    .object({
      name: z.string(),
      size: z.number(),
      sha256: z.string(),
      file: z.literal('krb5.conf'),
      defaultRealm: z.string(),
      realms: z.array(z.string()),
      includes: z.array(StoredKrb5ConfLine).default([]),
      loadsCode: z.array(StoredKrb5ConfLine).default([]),
    })
    .nullable(),
  ticketCache: z.string(),
});
export type StoredKerberos = z.infer<typeof StoredKerberos>;

export const SealedSecret = z.object({ box: z.enum(['safeStorage', 'keyfile']), data: z.string() });

/**
 * The SASL settings as stored: the password sealed. Read leniently, as files already saved were
 * written: a block missing from an older file reads as null, and another mechanism's block (which the
 * core has never written, but a hand-edited file may hold) is dropped rather than refusing the file.
 */
export const StoredSasl = saslUnion(
  false,
  { username: z.string(), password: SealedSecret.nullable() },
  {
    oauth: z
      .object({
        tokenEndpoint: z.string(),
        clientId: z.string(),
        scope: z.string(),
        allowPlainHttp: z.boolean().default(false),
      })
      .nullable()
      .default(null),
    aws: z
      .object({
        region: z.string(),
        credentials: z.enum(['default', 'profile', 'keys']),
        profile: z.string(),
        accessKeyId: z.string(),
      })
      .nullable()
      .default(null),
    kerberos: StoredKerberos.nullable().default(null),
  },
  z
    .unknown()
    .optional()
    .transform(() => null),
);
export type StoredSasl = z.infer<typeof StoredSasl>;

export const StoredConnection = z.object({
  id: ConnectionId,
  name: z.string(),
  color: ColorTag,
  environment: Environment,
  readOnly: z.boolean(),
  bootstrapServers: z.array(z.string()),
  clientId: z.string(),
  sasl: StoredSasl,
  tls: z.object({
    enabled: z.boolean(),
    verify: z.boolean(),
    ca: StoredFile.nullable(),
    clientCert: StoredFile.nullable(),
    clientKey: StoredFile.nullable(),
    pkcs12: StoredFile.nullable(),
    pkcs12Password: SealedSecret.nullable(),
    verifyHostname: z.boolean(),
  }),
  timeouts: Timeouts,
  /** absent in files saved before reconnection settings existed: the defaults */
  reconnect: Reconnect.default(DEFAULT_RECONNECT),
  maxMessageBytes: MaxMessageBytes.default(DEFAULT_MAX_MESSAGE_BYTES),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredConnection = z.infer<typeof StoredConnection>;

export const CONNECTIONS_SCHEMA_VERSION = 4;

export const ConnectionsDocument = z.object({
  schemaVersion: z.literal(CONNECTIONS_SCHEMA_VERSION),
  connections: z.array(StoredConnection),
});
export type ConnectionsDocument = z.infer<typeof ConnectionsDocument>;

/**
 * Schema 1 (the first preview) kept bootstrap servers as one comma-separated string, had no
 * timeouts and no TLS verification switch.
 */
export const connectionMigrations = {
  1: (doc: Record<string, unknown>) => {
    const list = Array.isArray(doc.connections) ? (doc.connections as Record<string, unknown>[]) : [];
    return {
      connections: list.map((c) => {
        const { bootstrap, tls, ...rest } = c as { bootstrap?: string; tls?: Record<string, unknown> };
        return {
          ...rest,
          bootstrapServers: String(bootstrap ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          tls: { verify: true, ...(tls ?? {}) },
          timeouts: { connectionMs: 10_000, requestMs: 30_000, authenticationMs: 10_000 },
        };
      }),
    };
  },
  /** Schema 3 added the environment tag and read-only connections. */
  2: (doc: Record<string, unknown>) => ({
    connections: (Array.isArray(doc.connections) ? (doc.connections as Record<string, unknown>[]) : []).map((c) => ({
      environment: 'none',
      readOnly: false,
      ...c,
    })),
  }),
  /** Schema 4 added PKCS#12 client certificates and a separate host-name verification switch. */
  3: (doc: Record<string, unknown>) => ({
    connections: (Array.isArray(doc.connections) ? (doc.connections as Record<string, unknown>[]) : []).map((c) => ({
      ...c,
      tls: { pkcs12: null, pkcs12Password: null, verifyHostname: true, ...(c.tls as Record<string, unknown>) },
    })),
  }),
};

/** The SASL settings with the password opened (the core builds them from the stored ones; nothing parses them). */
export const ResolvedSasl = saslUnion(
  false,
  { username: z.string(), password: z.string() },
  { oauth: OAuthSettings.nullable(), aws: AwsIamSettings.nullable(), kerberos: z.custom<KerberosSpec>().nullable() },
  z.null(),
);
export type ResolvedSasl = z.output<typeof ResolvedSasl>;

/** A connection with its secrets opened: only ever held in the main process, handed to the client factory. */
export interface ResolvedConnection {
  name: string;
  readOnly: boolean;
  environment: z.infer<typeof Environment>;
  bootstrapServers: string[];
  clientId: string;
  sasl: ResolvedSasl;
  tls: {
    enabled: boolean;
    verify: boolean;
    verifyHostname: boolean;
    ca?: string;
    cert?: string;
    key?: string;
    pfx?: Buffer;
    passphrase?: string;
  };
  timeouts: z.infer<typeof Timeouts>;
  reconnect: Reconnect;
  maxMessageBytes: number;
}
