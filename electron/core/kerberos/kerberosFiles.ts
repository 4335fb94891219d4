import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KeytabUpload, Krb5ConfUpload } from '../../contract';
import type { ConnectionInputParsed } from '../../contract';
import { CoreError } from '../coreError';
import { insideDataDir } from '../paths';
import { displayName } from '../store/displayName';
import { privateDir, writePrivateFile } from '../store/privateFiles';
import type { StoredKerberos } from '../connections/storedConnection';
import type { KerberosSpec } from './kerberosIdentity';
import { keytabPrincipals, parseKeytab } from './keytab';
import { parseKrb5Conf, type Krb5ConfSummary } from './krb5Conf';

type KerberosInput = NonNullable<ConnectionInputParsed['sasl']['kerberos']>;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Reads an uploaded keytab: its bytes and principals, or a sentence saying why it is not a keytab. */
export function checkKeytab(up: KeytabUpload): { bytes: Buffer; principals: string[] } {
  const bytes = Buffer.from(up.base64, 'base64');
  try {
    return { bytes, principals: keytabPrincipals(parseKeytab(bytes)) };
  } catch (e) {
    throw new CoreError(
      'BAD_KEYTAB',
      `'${displayName(up.name, 'keytab')}' is not a Kerberos keytab (${(e as Error).message}). Export one with ktutil, kadmin's ktadd, or ktpass.`,
      (e as Error).message,
      [{ path: 'sasl.kerberos.keytab', message: 'not a keytab' }],
    );
  }
}

/**
 * Reads an uploaded krb5.conf: its realms, the other files it makes krb5 read, and the lines that make
 * the Kerberos library load a shared library — refused unless the user allowed that for this upload.
 */
export function checkKrb5Conf(up: Krb5ConfUpload): Krb5ConfSummary {
  let summary: Krb5ConfSummary;
  try {
    summary = parseKrb5Conf(up.content);
  } catch (e) {
    throw new CoreError(
      'BAD_KRB5_CONF',
      `'${displayName(up.name, 'krb5.conf')}' is not a krb5.conf that Kerberos can read: ${(e as Error).message}.`,
      (e as Error).message,
      [{ path: 'sasl.kerberos.krb5Conf', message: 'does not parse' }],
    );
  }
  if (summary.loadsCode.length > 0 && up.allowCodeLoading !== true) {
    const lines = summary.loadsCode.map((l) => `line ${l.line} \`${l.text}\``).join(', ');
    throw new CoreError(
      'CONFIRMATION_REQUIRED',
      `'${displayName(up.name, 'krb5.conf')}' makes the Kerberos library load code: ${lines}. Kafka Desk refuses it unless you confirm that you trust that code ("Let the Kerberos library load this code" in the form, --allow-krb5-modules on the command line), or choose a krb5.conf without those lines.`,
      undefined,
      [{ path: 'sasl.kerberos.krb5Conf.allowCodeLoading', message: `loads code: ${lines}` }],
    );
  }
  return summary;
}

/** The keytab must hold the principal the connection logs in as (a principal without realm: the default realm, or any realm). */
export function checkPrincipalInKeytab(
  principal: string,
  principals: string[],
  keytabName: string,
  defaultRealm: string,
): void {
  const wanted = principal.includes('@')
    ? [principal]
    : defaultRealm
      ? [`${principal}@${defaultRealm}`]
      : principals.filter((p) => p.startsWith(`${principal}@`));
  if (wanted.some((w) => principals.includes(w))) return;
  throw new CoreError(
    'BAD_KEYTAB',
    `The keytab '${keytabName}' has no key for ${principal}; it holds ${principals.join(', ')}. Choose that principal, or the keytab made for ${principal}.`,
    undefined,
    [{ path: 'sasl.kerberos.principal', message: `not in the keytab (it holds ${principals.join(', ')})` }],
  );
}

/**
 * Checks the Kerberos part of a connection being saved and writes its files into the connection's
 * folder (0600): `client.keytab` and `krb5.conf`, which krb5 reads itself. Files the form left
 * untouched stay; null removes. Everything is checked before anything is written.
 */
export async function applyKerberosChange(
  dir: string,
  input: KerberosInput | undefined,
  existing: StoredKerberos | null,
  passwordSet: boolean,
): Promise<StoredKerberos> {
  if (!input) {
    throw new CoreError(
      'INVALID_INPUT',
      'SASL/GSSAPI needs the Kerberos principal and where its credentials come from.',
      undefined,
      [{ path: 'sasl.kerberos.principal', message: 'the principal is needed' }],
    );
  }
  const keytabUp = input.keytab;
  const confUp = input.krb5Conf;
  const newKeytab = keytabUp ? { up: keytabUp, ...checkKeytab(keytabUp) } : null;
  const newConf = confUp ? { up: confUp, summary: checkKrb5Conf(confUp) } : null;
  const keepKeytab = keytabUp === undefined && input.credentials === 'keytab' ? (existing?.keytab ?? null) : null;
  const keepConf = confUp === undefined ? (existing?.krb5Conf ?? null) : null;
  const defaultRealm = newConf?.summary.defaultRealm ?? keepConf?.defaultRealm ?? '';
  if (input.credentials === 'keytab') {
    const principals = newKeytab?.principals ?? keepKeytab?.principals;
    if (!principals) {
      throw new CoreError('INVALID_INPUT', 'A keytab login needs the keytab file.', undefined, [
        { path: 'sasl.kerberos.keytab', message: 'choose the keytab' },
      ]);
    }
    checkPrincipalInKeytab(
      input.principal,
      principals,
      newKeytab ? displayName(newKeytab.up.name, 'keytab') : keepKeytab!.name,
      defaultRealm,
    );
  }
  if (input.credentials === 'password' && !passwordSet) {
    throw new CoreError('INVALID_INPUT', `A password login needs the password of ${input.principal}.`, undefined, [
      { path: 'sasl.password', message: 'the password is needed' },
    ]);
  }
  await privateDir(dir);
  let keytab = keepKeytab;
  if (newKeytab) {
    await writeSecretFile(insideDataDir(dir, 'client.keytab'), newKeytab.bytes);
    keytab = {
      name: displayName(newKeytab.up.name, 'client.keytab'),
      size: newKeytab.bytes.length,
      sha256: sha256(newKeytab.bytes),
      file: 'client.keytab',
      principals: newKeytab.principals,
    };
  } else if (!keytab) {
    await rm(insideDataDir(dir, 'client.keytab'), { force: true });
  }
  let krb5Conf = keepConf;
  if (newConf) {
    const bytes = Buffer.from(newConf.up.content, 'utf8');
    await writeSecretFile(insideDataDir(dir, 'krb5.conf'), bytes);
    const { summary } = newConf;
    krb5Conf = {
      name: displayName(newConf.up.name, 'krb5.conf'),
      size: bytes.length,
      sha256: sha256(bytes),
      file: 'krb5.conf',
      defaultRealm: summary.defaultRealm,
      realms: summary.realms,
      includes: summary.includes,
      loadsCode: summary.loadsCode,
    };
  } else if (!krb5Conf) {
    await rm(insideDataDir(dir, 'krb5.conf'), { force: true });
  }
  // tickets got with the previous settings are not reused
  await rm(insideDataDir(dir, 'krb5cc'), { force: true });
  return {
    principal: input.principal,
    serviceName: input.serviceName,
    credentials: input.credentials,
    keytab,
    krb5Conf,
    ticketCache: input.credentials === 'ticket-cache' ? input.ticketCache : '',
  };
}

/** A connection that stops using Kerberos: its files and tickets go. */
export async function removeKerberosFiles(dir: string): Promise<void> {
  for (const f of ['client.keytab', 'krb5.conf', 'krb5cc']) await rm(insideDataDir(dir, f), { force: true });
}

async function writeSecretFile(file: string, bytes: Buffer): Promise<void> {
  await writePrivateFile(file, bytes);
}

/** A saved connection's Kerberos settings, pointing at the core's own copies. */
export function kerberosSpecFor(dir: string, k: StoredKerberos): KerberosSpec {
  return {
    principal: k.principal,
    serviceName: k.serviceName,
    credentials: k.credentials,
    keytab: k.keytab
      ? { path: insideDataDir(dir, 'client.keytab'), name: k.keytab.name, sha256: k.keytab.sha256 }
      : null,
    krb5Conf: k.krb5Conf
      ? { path: insideDataDir(dir, 'krb5.conf'), name: k.krb5Conf.name, sha256: k.krb5Conf.sha256 }
      : null,
    ticketCache: k.ticketCache,
    ownCache: insideDataDir(dir, 'krb5cc'),
  };
}

let scratchSwept = false;

/**
 * The form's unsaved Kerberos settings for "Test connection": uploaded files go to a scratch folder
 * (named by their content, 0600) so krb5 can read them; files the form left untouched come from the
 * saved connection. Scratch files older than a day are swept.
 */
export async function unsavedKerberosSpec(
  dataDir: string,
  input: KerberosInput,
  saved: KerberosSpec | null,
): Promise<KerberosSpec> {
  const scratch = insideDataDir(dataDir, 'kerberos-scratch');
  await privateDir(scratch);
  if (!scratchSwept) {
    scratchSwept = true;
    for (const f of await readdir(scratch).catch(() => [])) {
      const p = path.join(scratch, f);
      const s = await stat(p).catch(() => null);
      if (s && Date.now() - s.mtimeMs > 86_400_000) await rm(p, { recursive: true, force: true });
    }
  }
  const put = async (bytes: Buffer, ext: string) => {
    const hash = sha256(bytes);
    const file = insideDataDir(scratch, `${hash}.${ext}`);
    // whole or not at all (krb5 in the helper process reads it), 0600 even when it was there already
    await writePrivateFile(file, bytes);
    return { path: file, sha256: hash };
  };
  let keytab = input.keytab === undefined ? (saved?.keytab ?? null) : null;
  let uploadedPrincipals: string[] | null = null;
  if (input.keytab) {
    const k = checkKeytab(input.keytab);
    uploadedPrincipals = k.principals;
    keytab = { ...(await put(k.bytes, 'keytab')), name: displayName(input.keytab.name, 'keytab') };
  }
  let krb5Conf = input.krb5Conf === undefined ? (saved?.krb5Conf ?? null) : null;
  let defaultRealm = '';
  if (input.krb5Conf) {
    defaultRealm = checkKrb5Conf(input.krb5Conf).defaultRealm;
    krb5Conf = {
      ...(await put(Buffer.from(input.krb5Conf.content, 'utf8'), 'conf')),
      name: displayName(input.krb5Conf.name, 'krb5.conf'),
    };
  }
  if (input.credentials === 'keytab' && uploadedPrincipals)
    checkPrincipalInKeytab(input.principal, uploadedPrincipals, keytab!.name, defaultRealm);
  if (input.credentials === 'keytab' && !keytab) {
    throw new CoreError('INVALID_INPUT', 'A keytab login needs the keytab file.', undefined, [
      { path: 'sasl.kerberos.keytab', message: 'choose the keytab' },
    ]);
  }
  const identity = sha256(
    Buffer.from(JSON.stringify([input.principal, input.credentials, keytab?.sha256, krb5Conf?.sha256])),
  );
  return {
    principal: input.principal,
    serviceName: input.serviceName,
    credentials: input.credentials,
    keytab,
    krb5Conf,
    ticketCache: input.credentials === 'ticket-cache' ? input.ticketCache : '',
    ownCache: insideDataDir(scratch, `${identity.slice(0, 32)}.krb5cc`),
  };
}
