import type { ConnectionInputParsed, PemUpload, SaslInputParsed } from '../../contract';
import { unsavedKerberosSpec } from '../kerberos/kerberosFiles';
import { insideDataDir } from '../paths';
import {
  FILE_SLOTS,
  kerberosFilesPresent,
  readPkcs12,
  readTlsFile,
  validatePem,
  validatePkcs12,
} from './connectionFiles';
import type { ConnectionSecrets } from './connectionSecrets';
import { mapSasl } from './sasl';
import type { ResolvedConnection, ResolvedSasl, StoredConnection, StoredSasl } from './storedConnection';

/**
 * A connection as the Kafka client takes it, secrets opened: a saved one, or a form's unsaved values
 * over the saved one. Never leaves the main process.
 */

/** Opens the secrets of a saved connection for the Kafka client. */
export async function resolveStored(
  dataDir: string,
  secrets: ConnectionSecrets,
  stored: StoredConnection,
): Promise<ResolvedConnection> {
  const dir = insideDataDir(dataDir, 'connections', stored.id);
  const password = stored.sasl.password ? await secrets.open(stored.sasl.password, stored.name) : '';
  const kerberos = stored.sasl.kerberos ? await kerberosFilesPresent(stored, dir) : null;
  return {
    name: stored.name,
    readOnly: stored.readOnly,
    environment: stored.environment,
    bootstrapServers: stored.bootstrapServers,
    clientId: stored.clientId,
    sasl: mapSasl<StoredSasl, ResolvedSasl>(
      stored.sasl,
      { username: stored.sasl.username, password },
      { oauth: (o) => o, aws: (a) => a, kerberos: () => kerberos },
    ),
    tls: {
      enabled: stored.tls.enabled,
      verify: stored.tls.verify,
      verifyHostname: stored.tls.verifyHostname,
      ca: await readTlsFile(secrets, stored, dir, 'ca'),
      cert: await readTlsFile(secrets, stored, dir, 'clientCert'),
      key: await readTlsFile(secrets, stored, dir, 'clientKey'),
      ...(await readPkcs12(secrets, stored, dir)),
    },
    timeouts: stored.timeouts,
    reconnect: stored.reconnect,
    maxMessageBytes: stored.maxMessageBytes,
  };
}

/**
 * The form's unsaved values, with the secrets and files the form left untouched taken from `base`
 * (the saved connection, resolved; the caller checks they may be used with the form's endpoints).
 */
export async function resolveUnsaved(
  dataDir: string,
  input: ConnectionInputParsed,
  base: ResolvedConnection | undefined,
): Promise<ResolvedConnection> {
  for (const slot of FILE_SLOTS) {
    const up = input.tls[slot];
    if (up) validatePem(slot, up);
  }
  const pick = (change: PemUpload | null | undefined, kept: string | undefined) =>
    change === undefined ? kept : change === null ? undefined : change.content;
  const passphrase = input.tls.pkcs12Password ?? base?.tls.passphrase;
  const pfx =
    input.tls.pkcs12 === undefined
      ? base?.tls.pfx
      : input.tls.pkcs12 === null
        ? undefined
        : Buffer.from(input.tls.pkcs12.base64, 'base64');
  if (input.tls.pkcs12) validatePkcs12(input.tls.pkcs12, passphrase ?? '');
  // the form's Kerberos settings with the stored files it kept (used only if the mechanism is GSSAPI)
  const kerberosInput = input.sasl.kerberos;
  const kerberos = kerberosInput
    ? await unsavedKerberosSpec(dataDir, kerberosInput, base?.sasl.kerberos ?? null)
    : (base?.sasl.kerberos ?? null);
  return {
    maxMessageBytes: input.maxMessageBytes,
    name: input.name,
    readOnly: input.readOnly,
    environment: input.environment,
    bootstrapServers: input.bootstrapServers,
    clientId: input.clientId,
    // a block the form left out: the stored one (if the stored connection has this mechanism)
    sasl: mapSasl<SaslInputParsed, ResolvedSasl>(
      input.sasl,
      { username: input.sasl.username, password: input.sasl.password ?? base?.sasl.password ?? '' },
      {
        oauth: (o) => o ?? base?.sasl.oauth ?? null,
        aws: (a) => a ?? base?.sasl.aws ?? null,
        kerberos: () => kerberos,
      },
    ),
    tls: {
      enabled: input.tls.enabled,
      verify: input.tls.verify,
      verifyHostname: input.tls.verifyHostname,
      ca: pick(input.tls.ca, base?.tls.ca),
      cert: pick(input.tls.clientCert, base?.tls.cert),
      key: pick(input.tls.clientKey, base?.tls.key),
      ...(pfx ? { pfx, ...(passphrase ? { passphrase } : {}) } : {}),
    },
    timeouts: input.timeouts,
    reconnect: input.reconnect,
  };
}
