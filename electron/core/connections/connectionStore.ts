import { X509Certificate, createHash, createPrivateKey, randomUUID } from 'node:crypto';
import { SerialQueue } from '../store/serialQueue';
import { displayName } from '../store/displayName';
import { createSecureContext } from 'node:tls';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { Connection, ConnectionInputParsed, FileInfo, PemUpload, Pkcs12Upload, SaslInputParsed, SaslView } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { insideDataDir } from '../paths';
import type { SecretBox } from '../secrets/secretBox';
import { AtomicJsonFile } from '../store/atomicJsonFile';
import { copyPrivateFile, privateDir, writePrivateFile } from '../store/privateFiles';
import { applyKerberosChange, kerberosSpecFor, removeKerberosFiles, unsavedKerberosSpec } from '../kerberos/kerberosFiles';
import { closeKerberosIdentities } from '../kerberos/kerberosIdentity';
import { assertPlainHttpAccepted, assertSecretsBound } from './secretBinding';
import {
  CONNECTIONS_SCHEMA_VERSION,
  ConnectionsDocument,
  StoredConnection,
  connectionMigrations,
  type ResolvedConnection,
  type ResolvedSasl,
  type StoredFile,
  type StoredKerberos,
  type StoredSasl,
} from './storedConnection';
import { assertSaslBlockGiven, mapSasl, saslKeepsPassword, saslUsername, type OwnBlock } from './sasl';

type FileSlot = 'ca' | 'clientCert' | 'clientKey';
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

/**
 * Saved connections: `<data>/connections.json` (atomic, versioned) plus each connection's files in
 * `<data>/connections/<id>/` (0600). Passwords and private keys are sealed by the host's SecretBox.
 */
export class ConnectionStore {
  private readonly doc: AtomicJsonFile<ConnectionsDocument>;
  private readonly queue = new SerialQueue();

  constructor(
    private readonly dataDir: string,
    private readonly secrets: SecretBox,
  ) {
    this.doc = new AtomicJsonFile<ConnectionsDocument>(
      insideDataDir(dataDir, 'connections.json'),
      CONNECTIONS_SCHEMA_VERSION,
      connectionMigrations,
      () => ({ schemaVersion: CONNECTIONS_SCHEMA_VERSION, connections: [] }),
      (d) => ConnectionsDocument.parse(d),
    );
  }

  private async load(): Promise<ConnectionsDocument> {
    try {
      return await this.doc.read();
    } catch (e) {
      throw new CoreError(
        'STORE_CORRUPT',
        'The saved connections file could not be read; it was left untouched.',
        describeCause(e),
      );
    }
  }

  async list(): Promise<Connection[]> {
    const d = await this.load();
    return d.connections.map(toView).sort((a, b) => a.name.localeCompare(b.name));
  }

  async getStored(id: string): Promise<StoredConnection> {
    const d = await this.load();
    const c = d.connections.find((x) => x.id === id);
    if (!c) throw new CoreError('NOT_FOUND', `There is no saved connection with id ${id}.`);
    return c;
  }

  async get(id: string): Promise<Connection> {
    return toView(await this.getStored(id));
  }

  async findByName(name: string): Promise<StoredConnection> {
    const d = await this.load();
    const exact = d.connections.find((c) => c.name === name);
    const folded = d.connections.filter((c) => c.name.toLowerCase() === name.toLowerCase());
    const c = exact ?? (folded.length === 1 ? folded[0] : undefined);
    if (!c) {
      const names = d.connections.map((x) => `'${x.name}'`).join(', ');
      throw new CoreError(
        'NOT_FOUND',
        `There is no saved connection named '${name}'.` + (names ? ` Saved: ${names}.` : ' None are saved yet.'),
      );
    }
    return c;
  }

  save(input: ConnectionInputParsed): Promise<Connection> {
    return this.queue.run(async () => {
      const d = await this.load();
      const now = new Date().toISOString();
      const existing = input.id ? d.connections.find((c) => c.id === input.id) : undefined;
      if (input.id && !existing) throw new CoreError('NOT_FOUND', `There is no saved connection with id ${input.id}.`);
      // a stored secret stays with the endpoints it was saved for: changing them needs it again
      if (existing) assertSecretsBound(existing, input);
      const clash = d.connections.find((c) => c.name.toLowerCase() === input.name.toLowerCase() && c.id !== input.id);
      if (clash) {
        throw new CoreError('CONFLICT', `A connection named '${clash.name}' already exists; choose another name.`, undefined, [
          { path: 'name', message: 'already used by another connection' },
        ]);
      }
      assertSaslBlockGiven(input.sasl);
      if (input.sasl.mechanism === 'oauthbearer' && input.sasl.oauth) assertPlainHttpAccepted(input.sasl.oauth.tokenEndpoint, input.sasl.oauth.allowPlainHttp, 'client secret', 'sasl.oauth.allowPlainHttp');
      const id = existing?.id ?? randomUUID();
      // Validate uploads before anything is written.
      for (const slot of ['ca', 'clientCert', 'clientKey'] as const) {
        const up = input.tls[slot];
        if (up) validatePem(slot, up);
      }
      let p12Password = existing?.tls.pkcs12Password ?? null;
      const p12PasswordText =
        input.tls.pkcs12Password !== undefined ? input.tls.pkcs12Password : p12Password ? await this.openSecret(p12Password, input.name) : '';
      if (input.tls.pkcs12) validatePkcs12(input.tls.pkcs12, p12PasswordText);
      const dir = insideDataDir(this.dataDir, 'connections', id);
      await privateDir(dir);

      // Kerberos first: its files are checked before any file of this connection is replaced
      let password = existing?.sasl.password ?? null;
      if (input.sasl.password !== undefined) {
        password = input.sasl.password === '' ? null : { box: this.secrets.kind, data: await this.secrets.seal(input.sasl.password) };
      }
      if (!saslKeepsPassword(input.sasl)) password = null;
      // the Kerberos helper of this connection (if any) holds the old settings' tickets
      closeKerberosIdentities(dir);
      const gssapi = input.sasl.mechanism === 'gssapi';
      const kerberos = gssapi ? await applyKerberosChange(dir, input.sasl.kerberos, existing?.sasl.kerberos ?? null, password !== null) : null;
      if (!gssapi && existing?.sasl.kerberos) await removeKerberosFiles(dir);

      const files = {} as Record<FileSlot, StoredFile | null>;
      for (const slot of ['ca', 'clientCert', 'clientKey'] as const) {
        files[slot] = await this.applyFileChange(dir, slot, input.tls[slot], existing?.tls[slot] ?? null);
      }

      const pkcs12 = await this.applyPkcs12Change(dir, input.tls.pkcs12, existing?.tls.pkcs12 ?? null);
      if (input.tls.pkcs12Password !== undefined) {
        p12Password = input.tls.pkcs12Password === '' ? null : { box: this.secrets.kind, data: await this.secrets.seal(input.tls.pkcs12Password) };
      }
      if (!pkcs12) p12Password = null;


      const stored: StoredConnection = {
        id,
        name: input.name,
        color: input.color,
        environment: input.environment,
        readOnly: input.readOnly,
        bootstrapServers: input.bootstrapServers,
        clientId: input.clientId,
        sasl: mapSasl<SaslInputParsed, StoredSasl>(
          input.sasl,
          { username: saslUsername(input.sasl.mechanism, input.sasl.username), password },
          { oauth: (o) => o ?? null, aws: (a) => a ?? null, kerberos: () => kerberos },
        ),
        tls: {
          enabled: input.tls.enabled,
          verify: input.tls.verify,
          verifyHostname: input.tls.verifyHostname,
          ca: files.ca,
          clientCert: files.clientCert,
          clientKey: files.clientKey,
          pkcs12,
          pkcs12Password: p12Password,
        },
        timeouts: input.timeouts,
        maxMessageBytes: input.maxMessageBytes,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      const connections = existing ? d.connections.map((c) => (c.id === id ? stored : c)) : [...d.connections, stored];
      await this.doc.write({ schemaVersion: CONNECTIONS_SCHEMA_VERSION, connections });
      return toView(stored);
    });
  }

  private async applyFileChange(
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
    const body = slot === 'clientKey' ? await this.secrets.seal(change.content) : change.content;
    await writePrivateFile(target, body);
    return {
      name: displayName(change.name, 'file.pem'),
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      file: FILE_NAMES[slot],
    };
  }

  /** A copy under a new name: same settings, the password re-sealed, the files copied. */
  duplicate(id: string, name?: string): Promise<Connection> {
    return this.queue.run(async () => {
      const d = await this.load();
      const src = d.connections.find((c) => c.id === id);
      if (!src) throw new CoreError('NOT_FOUND', `There is no saved connection with id ${id}.`);
      const taken = new Set(d.connections.map((c) => c.name.toLowerCase()));
      let newName = name ?? `${src.name} (copy)`;
      for (let n = 2; taken.has(newName.toLowerCase()); n++) {
        if (name) throw new CoreError('CONFLICT', `A connection named '${name}' already exists; choose another name.`, undefined, [{ path: 'name', message: 'already used by another connection' }]);
        newName = `${src.name} (copy ${n})`;
      }
      const newId = randomUUID();
      const from = insideDataDir(this.dataDir, 'connections', src.id);
      const to = insideDataDir(this.dataDir, 'connections', newId);
      await privateDir(to);
      const files = [src.tls.ca, src.tls.clientCert, src.tls.clientKey, src.tls.pkcs12, src.sasl.kerberos?.keytab, src.sasl.kerberos?.krb5Conf];
      for (const f of files) {
        if (f) await copyPrivateFile(insideDataDir(from, f.file), insideDataDir(to, f.file));
      }
      const now = new Date().toISOString();
      const copy: StoredConnection = { ...src, id: newId, name: newName, createdAt: now, updatedAt: now };
      await this.doc.write({ schemaVersion: CONNECTIONS_SCHEMA_VERSION, connections: [...d.connections, copy] });
      return toView(copy);
    });
  }

  /** Saved connections as shareable JSON: no passwords, no keys, no file contents (only their names). */
  async exportJson(ids?: string[]): Promise<{ json: string; count: number }> {
    const d = await this.load();
    const chosen = ids ? d.connections.filter((c) => ids.includes(c.id)) : d.connections;
    const missing = ids?.filter((i) => !d.connections.some((c) => c.id === i)) ?? [];
    if (missing.length) throw new CoreError('NOT_FOUND', `There is no saved connection with id ${missing.join(', ')}.`);
    const connections = chosen.map((c) => ({
      name: c.name,
      color: c.color,
      environment: c.environment,
      readOnly: c.readOnly,
      bootstrapServers: c.bootstrapServers,
      clientId: c.clientId,
      sasl: {
        mechanism: c.sasl.mechanism,
        username: c.sasl.username,
        ...(c.sasl.kerberos
          ? { kerberos: { principal: c.sasl.kerberos.principal, serviceName: c.sasl.kerberos.serviceName, credentials: c.sasl.kerberos.credentials, keytab: c.sasl.kerberos.keytab?.name ?? null, krb5Conf: c.sasl.kerberos.krb5Conf?.name ?? null } }
          : {}),
      },
      tls: { enabled: c.tls.enabled, verify: c.tls.verify, ca: c.tls.ca?.name ?? null, clientCert: c.tls.clientCert?.name ?? null, clientKey: c.tls.clientKey?.name ?? null },
      timeouts: c.timeouts,
      maxMessageBytes: c.maxMessageBytes,
    }));
    return { json: JSON.stringify({ kafkaDeskExport: 1, exportedAt: new Date().toISOString(), connections }, null, 2) + '\n', count: connections.length };
  }

  /** The PKCS#12 bundle holds a private key: it is sealed like one. */
  private async applyPkcs12Change(dir: string, change: Pkcs12Upload | null | undefined, current: StoredFile | null): Promise<StoredFile | null> {
    if (change === undefined) return current;
    const target = insideDataDir(dir, 'client.p12.sealed');
    if (change === null) {
      await rm(target, { force: true });
      return null;
    }
    const bytes = Buffer.from(change.base64, 'base64');
    await writePrivateFile(target, await this.secrets.seal(change.base64));
    return { name: displayName(change.name, 'file.pem'), size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), file: 'client.p12.sealed' };
  }

  delete(id: string): Promise<boolean> {
    return this.queue.run(async () => {
      const d = await this.load();
      if (!d.connections.some((c) => c.id === id)) return false;
      await this.doc.write({ schemaVersion: CONNECTIONS_SCHEMA_VERSION, connections: d.connections.filter((c) => c.id !== id) });
      closeKerberosIdentities(insideDataDir(this.dataDir, 'connections', id));
      await rm(insideDataDir(this.dataDir, 'connections', id), { recursive: true, force: true });
      return true;
    });
  }

  /** Opens the secrets of a saved connection for the Kafka client. Never leaves the main process. */
  async resolve(stored: StoredConnection): Promise<ResolvedConnection> {
    const dir = insideDataDir(this.dataDir, 'connections', stored.id);
    const readSlot = async (slot: FileSlot): Promise<string | undefined> => {
      const f = stored.tls[slot];
      if (!f) return undefined;
      try {
        const text = await readFile(insideDataDir(dir, f.file), 'utf8');
        return slot === 'clientKey' ? await this.openSecret({ box: this.secrets.kind, data: text }, stored.name) : text;
      } catch (e) {
        if (e instanceof CoreError) throw e;
        throw new CoreError('FILE_ERROR', `The ${SLOT_LABEL[slot]} of '${stored.name}' is missing from the data folder; choose the file again.`, describeCause(e));
      }
    };
    const password = stored.sasl.password ? await this.openSecret(stored.sasl.password, stored.name) : '';
    const kerberos = stored.sasl.kerberos ? await this.kerberosFilesPresent(stored, dir) : null;
    return {
      name: stored.name,
      readOnly: stored.readOnly,
      environment: stored.environment,
      bootstrapServers: stored.bootstrapServers,
      clientId: stored.clientId,
      sasl: mapSasl<StoredSasl, ResolvedSasl>(stored.sasl, { username: stored.sasl.username, password }, { oauth: (o) => o, aws: (a) => a, kerberos: () => kerberos }),
      tls: {
        enabled: stored.tls.enabled,
        verify: stored.tls.verify,
        verifyHostname: stored.tls.verifyHostname,
        ca: await readSlot('ca'),
        cert: await readSlot('clientCert'),
        key: await readSlot('clientKey'),
        ...(await this.readPkcs12(stored, dir)),
      },
      timeouts: stored.timeouts,
      maxMessageBytes: stored.maxMessageBytes,
    };
  }

  private async kerberosFilesPresent(stored: StoredConnection, dir: string) {
    const spec = kerberosSpecFor(dir, stored.sasl.kerberos!);
    for (const f of [spec.keytab, spec.krb5Conf]) {
      if (f && !existsSync(f.path)) {
        throw new CoreError('FILE_ERROR', `The ${f === spec.keytab ? 'keytab' : 'krb5.conf'} '${f.name}' of '${stored.name}' is missing from the data folder; choose the file again.`);
      }
    }
    return spec;
  }

  private async readPkcs12(stored: StoredConnection, dir: string): Promise<{ pfx?: Buffer; passphrase?: string }> {
    const f = stored.tls.pkcs12;
    if (!f) return {};
    let sealed: string;
    try {
      sealed = await readFile(insideDataDir(dir, f.file), 'utf8');
    } catch (e) {
      throw new CoreError('FILE_ERROR', `The PKCS#12 client certificate of '${stored.name}' is missing from the data folder; choose the file again.`, describeCause(e));
    }
    const pfx = Buffer.from(await this.openSecret({ box: this.secrets.kind, data: sealed }, stored.name), 'base64');
    const passphrase = stored.tls.pkcs12Password ? await this.openSecret(stored.tls.pkcs12Password, stored.name) : undefined;
    return passphrase === undefined ? { pfx } : { pfx, passphrase };
  }

  /** The form's unsaved values, with secrets and files the form left untouched taken from the saved connection. */
  async resolveInput(input: ConnectionInputParsed): Promise<ResolvedConnection> {
    const stored = input.id ? await this.getStored(input.id) : undefined;
    // "test" / "doctor" of the form's values: stored secrets only with the endpoints they were saved for
    if (stored) assertSecretsBound(stored, input);
    const base = stored ? await this.resolve(stored) : undefined;
    for (const slot of ['ca', 'clientCert', 'clientKey'] as const) {
      const up = input.tls[slot];
      if (up) validatePem(slot, up);
    }
    const pick = (change: PemUpload | null | undefined, kept: string | undefined) =>
      change === undefined ? kept : change === null ? undefined : change.content;
    const passphrase = input.tls.pkcs12Password ?? base?.tls.passphrase;
    const pfx = input.tls.pkcs12 === undefined ? base?.tls.pfx : input.tls.pkcs12 === null ? undefined : Buffer.from(input.tls.pkcs12.base64, 'base64');
    if (input.tls.pkcs12) validatePkcs12(input.tls.pkcs12, passphrase ?? '');
    // the form's Kerberos settings with the stored files it kept (used only if the mechanism is GSSAPI)
    const kerberosInput = input.sasl.kerberos;
    const kerberos = kerberosInput ? await unsavedKerberosSpec(this.dataDir, kerberosInput, base?.sasl.kerberos ?? null) : (base?.sasl.kerberos ?? null);
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
        { oauth: (o) => o ?? base?.sasl.oauth ?? null, aws: (a) => a ?? base?.sasl.aws ?? null, kerberos: () => kerberos },
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
    };
  }

  private async openSecret(s: { box: string; data: string }, name: string): Promise<string> {
    if (s.box !== this.secrets.kind) {
      throw new CoreError(
        'SECRET_UNAVAILABLE',
        s.box === 'safeStorage'
          ? `The secrets of '${name}' were sealed by the desktop app with the system keychain, which Kafka Desk cannot use here (the command line, browser mode, or a Linux desktop without a keyring). Enter the password again here, or use the desktop app where the keychain is.`
          : `The secrets of '${name}' were sealed with the data folder's key file, which the desktop app does not use. Enter the password again.`,
      );
    }
    try {
      return await this.secrets.open(s.data);
    } catch (e) {
      throw new CoreError('SECRET_UNAVAILABLE', `The saved password of '${name}' could not be decrypted (was secret.key replaced?). Enter it again.`, describeCause(e));
    }
  }
}

function toView(c: StoredConnection): Connection {
  const info = (f: StoredFile | null): FileInfo | null => (f ? { name: f.name, size: f.size, sha256: f.sha256 } : null);
  return {
    id: c.id,
    maxMessageBytes: c.maxMessageBytes,
    name: c.name,
    color: c.color,
    environment: c.environment,
    readOnly: c.readOnly,
    bootstrapServers: c.bootstrapServers,
    clientId: c.clientId,
    sasl: mapSasl<StoredSasl, SaslView>(
      c.sasl,
      { username: c.sasl.username, passwordSet: c.sasl.password !== null },
      { oauth: (o) => o, aws: (a) => a, kerberos: (k) => k && kerberosView(k) },
    ),
    tls: {
      enabled: c.tls.enabled,
      verify: c.tls.verify,
      verifyHostname: c.tls.verifyHostname,
      ca: info(c.tls.ca),
      clientCert: info(c.tls.clientCert),
      clientKey: info(c.tls.clientKey),
      pkcs12: info(c.tls.pkcs12),
      pkcs12PasswordSet: c.tls.pkcs12Password !== null,
    },
    timeouts: c.timeouts,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A stored Kerberos setup as the renderer sees it: the keytab's principals and the krb5.conf's realms, never the files' places. */
function kerberosView(k: StoredKerberos): NonNullable<OwnBlock<SaslView, 'kerberos'>> {
  return {
    principal: k.principal,
    serviceName: k.serviceName,
    credentials: k.credentials,
    keytab: k.keytab ? { name: k.keytab.name, size: k.keytab.size, sha256: k.keytab.sha256, principals: k.keytab.principals } : null,
    krb5Conf: k.krb5Conf
      ? {
          name: k.krb5Conf.name,
          size: k.krb5Conf.size,
          sha256: k.krb5Conf.sha256,
          defaultRealm: k.krb5Conf.defaultRealm,
          realms: k.krb5Conf.realms,
          includes: k.krb5Conf.includes.map((l) => ({ line: l.line, text: l.text })),
          loadsCode: k.krb5Conf.loadsCode.map((l) => ({ line: l.line, text: l.text })),
        }
      : null,
    ticketCache: k.ticketCache,
  };
}

/** Opens the bundle as Node's TLS will: a wrong password or a file that is not PKCS#12 is said so, before saving. */
function validatePkcs12(up: Pkcs12Upload, passphrase: string): void {
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
      [{ path: wrongPassword ? 'tls.pkcs12Password' : 'tls.pkcs12', message: wrongPassword ? 'wrong password' : 'not a PKCS#12 file' }],
    );
  }
}

function validatePem(slot: FileSlot, up: PemUpload): void {
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
