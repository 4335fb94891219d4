import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Connection, ConnectionInputParsed, SaslInputParsed } from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { applyKerberosChange, removeKerberosFiles } from '../kerberos/kerberosFiles';
import { closeKerberosIdentities } from '../kerberos/kerberosIdentity';
import { insideDataDir } from '../paths';
import type { SecretBox } from '../secrets/secretBox';
import { AtomicJsonFile } from '../store/atomicJsonFile';
import { copyPrivateFile, privateDir } from '../store/privateFiles';
import { SerialQueue } from '../store/serialQueue';
import {
  FILE_SLOTS,
  applyFileChange,
  applyPkcs12Change,
  validatePem,
  validatePkcs12,
  type FileSlot,
} from './connectionFiles';
import { resolveStored, resolveUnsaved } from './connectionResolve';
import { ConnectionSecrets } from './connectionSecrets';
import { toExported, toView } from './connectionView';
import { assertSaslBlockGiven, mapSasl, saslKeepsPassword, saslUsername } from './sasl';
import { assertPlainHttpAccepted, assertSecretsBound } from './secretBinding';
import {
  CONNECTIONS_SCHEMA_VERSION,
  ConnectionsDocument,
  StoredConnection,
  connectionMigrations,
  type ResolvedConnection,
  type StoredFile,
  type StoredSasl,
} from './storedConnection';

/**
 * Saved connections: `<data>/connections.json` (atomic, versioned) plus each connection's files in
 * `<data>/connections/<id>/` (0600, connectionFiles). Passwords and private keys are sealed by the
 * host's SecretBox (connectionSecrets). The renderer's view and the export are connectionView's;
 * opening a connection for the client is connectionResolve's.
 */
export class ConnectionStore {
  private readonly doc: AtomicJsonFile<ConnectionsDocument>;
  private readonly queue = new SerialQueue();
  private readonly secrets: ConnectionSecrets;

  constructor(
    private readonly dataDir: string,
    secrets: SecretBox,
  ) {
    this.secrets = new ConnectionSecrets(secrets);
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

  /** Saves the form's values: a new connection, or changes to one (secrets and files it left out are kept). */
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
        throw new CoreError(
          'CONFLICT',
          `A connection named '${clash.name}' already exists; choose another name.`,
          undefined,
          [{ path: 'name', message: 'already used by another connection' }],
        );
      }
      assertSaslBlockGiven(input.sasl);
      if (input.sasl.mechanism === 'oauthbearer' && input.sasl.oauth)
        assertPlainHttpAccepted(
          input.sasl.oauth.tokenEndpoint,
          input.sasl.oauth.allowPlainHttp,
          'client secret',
          'sasl.oauth.allowPlainHttp',
        );
      const id = existing?.id ?? randomUUID();
      // Validate uploads before anything is written.
      for (const slot of FILE_SLOTS) {
        const up = input.tls[slot];
        if (up) validatePem(slot, up);
      }
      let p12Password = existing?.tls.pkcs12Password ?? null;
      const p12PasswordText =
        input.tls.pkcs12Password !== undefined
          ? input.tls.pkcs12Password
          : p12Password
            ? await this.secrets.open(p12Password, input.name)
            : '';
      if (input.tls.pkcs12) validatePkcs12(input.tls.pkcs12, p12PasswordText);
      const dir = insideDataDir(this.dataDir, 'connections', id);
      await privateDir(dir);

      // Kerberos first: its files are checked before any file of this connection is replaced
      let password = existing?.sasl.password ?? null;
      if (input.sasl.password !== undefined) {
        password = await this.secrets.sealPassword(input.sasl.password);
      }
      if (!saslKeepsPassword(input.sasl)) password = null;
      // the Kerberos helper of this connection (if any) holds the old settings' tickets
      closeKerberosIdentities(dir);
      const gssapi = input.sasl.mechanism === 'gssapi';
      const kerberos = gssapi
        ? await applyKerberosChange(dir, input.sasl.kerberos, existing?.sasl.kerberos ?? null, password !== null)
        : null;
      if (!gssapi && existing?.sasl.kerberos) await removeKerberosFiles(dir);

      const files = {} as Record<FileSlot, StoredFile | null>;
      for (const slot of FILE_SLOTS) {
        files[slot] = await applyFileChange(this.secrets, dir, slot, input.tls[slot], existing?.tls[slot] ?? null);
      }

      const pkcs12 = await applyPkcs12Change(this.secrets, dir, input.tls.pkcs12, existing?.tls.pkcs12 ?? null);
      if (input.tls.pkcs12Password !== undefined) {
        p12Password = await this.secrets.sealPassword(input.tls.pkcs12Password);
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
        reconnect: input.reconnect,
        maxMessageBytes: input.maxMessageBytes,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      const connections = existing ? d.connections.map((c) => (c.id === id ? stored : c)) : [...d.connections, stored];
      await this.doc.write({ schemaVersion: CONNECTIONS_SCHEMA_VERSION, connections });
      return toView(stored);
    });
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
        if (name)
          throw new CoreError(
            'CONFLICT',
            `A connection named '${name}' already exists; choose another name.`,
            undefined,
            [{ path: 'name', message: 'already used by another connection' }],
          );
        newName = `${src.name} (copy ${n})`;
      }
      const newId = randomUUID();
      const from = insideDataDir(this.dataDir, 'connections', src.id);
      const to = insideDataDir(this.dataDir, 'connections', newId);
      await privateDir(to);
      const files = [
        src.tls.ca,
        src.tls.clientCert,
        src.tls.clientKey,
        src.tls.pkcs12,
        src.sasl.kerberos?.keytab,
        src.sasl.kerberos?.krb5Conf,
      ];
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
    const connections = chosen.map(toExported);
    return {
      json: JSON.stringify({ kafkaDeskExport: 1, exportedAt: new Date().toISOString(), connections }, null, 2) + '\n',
      count: connections.length,
    };
  }

  delete(id: string): Promise<boolean> {
    return this.queue.run(async () => {
      const d = await this.load();
      if (!d.connections.some((c) => c.id === id)) return false;
      await this.doc.write({
        schemaVersion: CONNECTIONS_SCHEMA_VERSION,
        connections: d.connections.filter((c) => c.id !== id),
      });
      closeKerberosIdentities(insideDataDir(this.dataDir, 'connections', id));
      await rm(insideDataDir(this.dataDir, 'connections', id), { recursive: true, force: true });
      return true;
    });
  }

  /** Opens the secrets of a saved connection for the Kafka client. Never leaves the main process. */
  async resolve(stored: StoredConnection): Promise<ResolvedConnection> {
    return resolveStored(this.dataDir, this.secrets, stored);
  }

  /** The form's unsaved values, with secrets and files the form left untouched taken from the saved connection. */
  async resolveInput(input: ConnectionInputParsed): Promise<ResolvedConnection> {
    const stored = input.id ? await this.getStored(input.id) : undefined;
    // "test" / "doctor" of the form's values: stored secrets only with the endpoints they were saved for
    if (stored) assertSecretsBound(stored, input);
    const base = stored ? await this.resolve(stored) : undefined;
    return resolveUnsaved(this.dataDir, input, base);
  }
}
