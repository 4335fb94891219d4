import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { PemUpload, Pkcs12Upload } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { kerberosSpecFor } from '../kerberos/kerberosFiles';
import type { KerberosSpec } from '../kerberos/kerberosIdentity';
import { insideDataDir } from '../paths';
import { displayName } from '../store/displayName';
import { writePrivateFile } from '../store/privateFiles';
import type { ConnectionSecrets } from './connectionSecrets';
import type { StoredConnection, StoredFile } from './storedConnection';

/**
 * A connection's TLS files in its folder `<data>/connections/<id>/` (0600; the client key and the
 * PKCS#12 bundle sealed): an upload checked before anything is written, written or removed as the
 * form changed it, and read back for the client. The Kerberos files are core/kerberos'.
 */
export type FileSlot = 'ca' | 'clientCert' | 'clientKey';
export const FILE_SLOTS = ['ca', 'clientCert', 'clientKey'] as const;
const FILE_NAMES: Record<FileSlot, StoredFile['file']> = {
  ca: 'ca.pem',
  clientCert: 'client-cert.pem',
  clientKey: 'client-key.pem.sealed',
};
const SLOT_LABEL: Record<FileSlot, string> = {
  ca: 'CA certificate',
  clientCert: 'client certificate',
  clientKey: 'client key',
};

/** Writes (or removes) a PEM file as the form changed it; undefined keeps the current one. */
export async function applyFileChange(
  secrets: ConnectionSecrets,
  dir: string,
  slot: FileSlot,
  change: PemUpload | null | undefined,
  current: StoredFile | null,
): Promise<StoredFile | null> {
  if (change === undefined) return current;
  const target = insideDataDir(dir, FILE_NAMES[slot]);
  if (change === null) {
    await rm(target, { force: true });
    return null;
  }
  const bytes = Buffer.from(change.content, 'utf8');
  const body = slot === 'clientKey' ? await secrets.sealFile(change.content) : change.content;
  await writePrivateFile(target, body);
  return {
    name: displayName(change.name, 'file.pem'),
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    file: FILE_NAMES[slot],
  };
}

/** The PKCS#12 bundle holds a private key: it is sealed like one. */
export async function applyPkcs12Change(
  secrets: ConnectionSecrets,
  dir: string,
  change: Pkcs12Upload | null | undefined,
  current: StoredFile | null,
): Promise<StoredFile | null> {
  if (change === undefined) return current;
  const target = insideDataDir(dir, 'client.p12.sealed');
  if (change === null) {
    await rm(target, { force: true });
    return null;
  }
  const bytes = Buffer.from(change.base64, 'base64');
  await writePrivateFile(target, await secrets.sealFile(change.base64));
  return {
    name: displayName(change.name, 'file.pem'),
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    file: 'client.p12.sealed',
  };
}

/** A stored PEM file's content (the key opened), or FILE_ERROR when it is missing. */
export async function readTlsFile(
  secrets: ConnectionSecrets,
  stored: StoredConnection,
  dir: string,
  slot: FileSlot,
): Promise<string | undefined> {
  const f = stored.tls[slot];
  if (!f) return undefined;
  try {
    const text = await readFile(insideDataDir(dir, f.file), 'utf8');
    return slot === 'clientKey' ? await secrets.openFile(text, stored.name) : text;
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw new CoreError(
      'FILE_ERROR',
      `The ${SLOT_LABEL[slot]} of '${stored.name}' is missing from the data folder; choose the file again.`,
      describeCause(e),
    );
  }
}

/** The stored PKCS#12 bundle and its password, opened. */
export async function readPkcs12(
  secrets: ConnectionSecrets,
  stored: StoredConnection,
  dir: string,
): Promise<{ pfx?: Buffer; passphrase?: string }> {
  const f = stored.tls.pkcs12;
  if (!f) return {};
  let sealed: string;
  try {
    sealed = await readFile(insideDataDir(dir, f.file), 'utf8');
  } catch (e) {
    throw new CoreError(
      'FILE_ERROR',
      `The PKCS#12 client certificate of '${stored.name}' is missing from the data folder; choose the file again.`,
      describeCause(e),
    );
  }
  const pfx = Buffer.from(await secrets.openFile(sealed, stored.name), 'base64');
  const passphrase = stored.tls.pkcs12Password ? await secrets.open(stored.tls.pkcs12Password, stored.name) : undefined;
  return passphrase === undefined ? { pfx } : { pfx, passphrase };
}

/** The stored Kerberos setup's files, or FILE_ERROR naming the one missing from the data folder. */
export async function kerberosFilesPresent(stored: StoredConnection, dir: string): Promise<KerberosSpec> {
  const spec = kerberosSpecFor(dir, stored.sasl.kerberos!);
  for (const f of [spec.keytab, spec.krb5Conf]) {
    if (f && !existsSync(f.path)) {
      throw new CoreError(
        'FILE_ERROR',
        `The ${f === spec.keytab ? 'keytab' : 'krb5.conf'} '${f.name}' of '${stored.name}' is missing from the data folder; choose the file again.`,
      );
    }
  }
  return spec;
}

/** Opens the bundle as Node's TLS will: a wrong password or a file that is not PKCS#12 is said so, before saving. */
export function validatePkcs12(up: Pkcs12Upload, passphrase: string): void {
  try {
    createSecureContext({ pfx: Buffer.from(up.base64, 'base64'), passphrase });
  } catch (e) {
    const text = describeCause(e);
    const wrongPassword = /mac verify failure|bad decrypt|invalid password/i.test(text);
    throw new CoreError(
      'BAD_CERTIFICATE',
      wrongPassword
        ? `The password does not open '${displayName(up.name, 'file.pem')}'.`
        : `'${displayName(up.name, 'file.pem')}' is not a PKCS#12 file (.p12 / .pfx) holding a certificate and key.`,
      text,
      [
        {
          path: wrongPassword ? 'tls.pkcs12Password' : 'tls.pkcs12',
          message: wrongPassword ? 'wrong password' : 'not a PKCS#12 file',
        },
      ],
    );
  }
}

/** A PEM upload parsed as Node will (a certificate, or an unencrypted private key), before saving. */
export function validatePem(slot: FileSlot, up: PemUpload): void {
  const path = `tls.${slot}`;
  try {
    if (slot === 'clientKey') {
      const key = createPrivateKey({ key: up.content, format: 'pem' });
      if (key.type !== 'private') throw new Error('not a private key');
    } else {
      new X509Certificate(up.content);
    }
  } catch (e) {
    const encrypted = /ENCRYPTED/.test(up.content);
    throw new CoreError(
      'BAD_CERTIFICATE',
      encrypted
        ? `'${displayName(up.name, 'file.pem')}' is an encrypted private key; Kafka Desk needs it unencrypted (openssl pkcs8 -topk8 -nocrypt -in key.pem).`
        : `'${displayName(up.name, 'file.pem')}' is not a valid PEM ${SLOT_LABEL[slot]}.`,
      describeCause(e),
      [{ path, message: `not a valid PEM ${SLOT_LABEL[slot]}` }],
    );
  }
}
