import { createHash, createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import { SerialQueue } from '../store/serialQueue';
import { z } from 'zod';
import type { ConnectCluster, FileInfo, PemUpload } from '../../contract';
import type { RestEndpoint } from './restClient';
import { CoreError, describeCause } from '../coreError';
import { insideDataDir } from '../paths';
import type { SecretBox, SecretBoxKind } from '../secrets/secretBox';
import { AtomicJsonFile } from '../store/atomicJsonFile';
import { assertConnectSecretsBound, assertPlainHttpAccepted } from '../connections/secretBinding';

const Sealed = z.object({ box: z.enum(['safeStorage', 'keyfile']), data: z.string() });
const StoredPem = z.object({
  name: z.string(),
  size: z.number(),
  sha256: z.string(),
  content: z.string().optional(),
  sealed: Sealed.optional(),
});
type StoredPem = z.infer<typeof StoredPem>;

const StoredCluster = z.object({
  id: z.string(),
  connectionId: z.string(),
  name: z.string(),
  urls: z.array(z.string()),
  username: z.string(),
  password: Sealed.nullable(),
  ca: StoredPem.nullable(),
  clientCert: StoredPem.nullable(),
  clientKey: StoredPem.nullable(),
  verify: z.boolean(),
  timeoutMs: z.number(),
  allowPlainHttp: z.boolean().default(false),
  /** A bearer token (a Schema Registry's), sealed; absent in older files. */
  token: Sealed.nullable().default(null),
});
type StoredCluster = z.infer<typeof StoredCluster>;

const SCHEMA_VERSION = 1;
const Doc = z.object({ schemaVersion: z.literal(SCHEMA_VERSION), clusters: z.array(StoredCluster) });
type Doc = z.infer<typeof Doc>;

/** What the REST client needs: URLs, auth and TLS material, opened. */
export interface ResolvedEndpoint extends RestEndpoint {
  id: string;
  connectionId: string;
}

export type EndpointInput = z.output<typeof import('../../contract').ConnectClusterInput> & {
  /** absent: keep the stored token; empty string: clear it. */
  bearerToken?: string | undefined;
};
export type EndpointView = ConnectCluster & { bearerTokenSet: boolean };

/** What an endpoint is, in the store's sentences: 'Kafka Connect cluster', 'Schema Registry'. */
export interface EndpointKind {
  file: string;
  /** "That {label} is no longer saved." */
  label: string;
  /** The password's name in the plain-HTTP refusal. */
  secretLabel: string;
}

/**
 * HTTP services per connection — Kafka Connect clusters, Schema Registries: `<data>/<file>` (atomic,
 * versioned). The basic-auth password, a bearer token and a client private key are sealed by the
 * host's SecretBox; the renderer sees "set / not set" and file name, size and fingerprint only.
 */
export class EndpointStore {
  private readonly doc: AtomicJsonFile<Doc>;
  private readonly queue = new SerialQueue();

  constructor(
    dataDir: string,
    private readonly secrets: SecretBox,
    private readonly kind: EndpointKind,
  ) {
    this.doc = new AtomicJsonFile<Doc>(
      insideDataDir(dataDir, kind.file),
      SCHEMA_VERSION,
      {},
      () => ({ schemaVersion: SCHEMA_VERSION, clusters: [] }),
      (d) => Doc.parse(d),
    );
  }

  private async load(): Promise<Doc> {
    try {
      return await this.doc.read();
    } catch (e) {
      throw new CoreError(
        'STORE_CORRUPT',
        `The saved ${this.kind.label} settings could not be read; the file was left untouched.`,
        describeCause(e),
      );
    }
  }

  async list(connectionId?: string): Promise<EndpointView[]> {
    const d = await this.load();
    return d.clusters.filter((c) => !connectionId || c.connectionId === connectionId).map(toView);
  }

  async get(id: string): Promise<StoredCluster> {
    const c = (await this.load()).clusters.find((x) => x.id === id);
    if (!c) throw new CoreError('NOT_FOUND', `That ${this.kind.label} is no longer saved.`);
    return c;
  }

  save(input: EndpointInput): Promise<EndpointView> {
    return this.queue.run(async () => {
      const d = await this.load();
      const existing = input.id ? d.clusters.find((c) => c.id === input.id) : undefined;
      if (input.id && !existing) throw new CoreError('NOT_FOUND', `That ${this.kind.label} is no longer saved.`);
      const clash = d.clusters.find(
        (c) =>
          c.connectionId === input.connectionId &&
          c.name.toLowerCase() === input.name.toLowerCase() &&
          c.id !== input.id,
      );
      if (clash)
        throw new CoreError(
          'CONFLICT',
          `This connection already has a ${this.kind.label} named '${clash.name}'.`,
          undefined,
          [{ path: 'name', message: 'already used' }],
        );
      // its password and key go only where they were saved for; basic auth over plain HTTP only when accepted
      if (existing) assertConnectSecretsBound(existing, input, `${this.kind.label} '${existing.name}'`);
      const withPassword = input.password !== undefined ? input.password !== '' : existing?.password != null;
      const withToken = input.bearerToken !== undefined ? input.bearerToken !== '' : existing?.token != null;
      if ((input.username && withPassword) || withToken)
        for (const u of input.urls)
          assertPlainHttpAccepted(u, input.allowPlainHttp, this.kind.secretLabel, 'allowPlainHttp');
      const pem = async (
        slot: 'ca' | 'clientCert' | 'clientKey',
        change: PemUpload | null | undefined,
        kept: StoredPem | null,
      ): Promise<StoredPem | null> => {
        if (change === undefined) return kept;
        if (change === null) return null;
        validatePem(slot, change);
        const info = {
          name: change.name.replace(/[\\/]/g, '_').slice(0, 255),
          size: Buffer.byteLength(change.content),
          sha256: createHash('sha256').update(change.content).digest('hex'),
        };
        return slot === 'clientKey'
          ? { ...info, sealed: await this.seal(change.content) }
          : { ...info, content: change.content };
      };
      const stored: StoredCluster = {
        id: existing?.id ?? randomUUID(),
        connectionId: input.connectionId,
        name: input.name,
        urls: input.urls.map((u) => u.replace(/\/+$/, '')),
        username: input.username,
        password:
          input.password === undefined
            ? (existing?.password ?? null)
            : input.password === ''
              ? null
              : await this.seal(input.password),
        ca: await pem('ca', input.ca, existing?.ca ?? null),
        clientCert: await pem('clientCert', input.clientCert, existing?.clientCert ?? null),
        clientKey: await pem('clientKey', input.clientKey, existing?.clientKey ?? null),
        verify: input.verify,
        timeoutMs: input.timeoutMs,
        allowPlainHttp: input.allowPlainHttp,
        token:
          input.bearerToken === undefined
            ? (existing?.token ?? null)
            : input.bearerToken === ''
              ? null
              : await this.seal(input.bearerToken),
      };
      if (Boolean(stored.clientCert) !== Boolean(stored.clientKey)) {
        throw new CoreError(
          'INVALID_INPUT',
          'A client certificate needs its private key, and the other way round.',
          undefined,
          [{ path: stored.clientCert ? 'clientKey' : 'clientCert', message: 'missing' }],
        );
      }
      await this.doc.write({
        schemaVersion: SCHEMA_VERSION,
        clusters: existing ? d.clusters.map((c) => (c.id === stored.id ? stored : c)) : [...d.clusters, stored],
      });
      return toView(stored);
    });
  }

  delete(id: string): Promise<boolean> {
    return this.queue.run(async () => {
      const d = await this.load();
      if (!d.clusters.some((c) => c.id === id)) return false;
      await this.doc.write({ schemaVersion: SCHEMA_VERSION, clusters: d.clusters.filter((c) => c.id !== id) });
      return true;
    });
  }

  /** A deleted connection takes its Connect clusters with it. */
  deleteForConnection(connectionId: string): Promise<void> {
    return this.queue.run(async () => {
      const d = await this.load();
      if (d.clusters.some((c) => c.connectionId === connectionId))
        await this.doc.write({
          schemaVersion: SCHEMA_VERSION,
          clusters: d.clusters.filter((c) => c.connectionId !== connectionId),
        });
    });
  }

  async resolve(id: string): Promise<ResolvedEndpoint> {
    const c = await this.get(id);
    const open = async (s: { box: SecretBoxKind; data: string } | null | undefined) => {
      if (!s) return '';
      if (s.box !== this.secrets.kind)
        throw new CoreError(
          'SECRET_UNAVAILABLE',
          `The saved secret of ${this.kind.label} '${c.name}' was sealed by ${s.box === 'safeStorage' ? 'the desktop app' : 'a key file'}; enter it again here.`,
        );
      try {
        return await this.secrets.open(s.data);
      } catch (e) {
        throw new CoreError(
          'SECRET_UNAVAILABLE',
          `The saved secret of ${this.kind.label} '${c.name}' could not be decrypted; enter it again.`,
          describeCause(e),
        );
      }
    };
    return {
      id: c.id,
      connectionId: c.connectionId,
      name: c.name,
      urls: c.urls,
      username: c.username,
      password: await open(c.password),
      ...(c.token ? { bearerToken: await open(c.token) } : {}),
      ...(c.ca?.content ? { ca: c.ca.content } : {}),
      ...(c.clientCert?.content ? { cert: c.clientCert.content } : {}),
      ...(c.clientKey?.sealed ? { key: await open(c.clientKey.sealed) } : {}),
      verify: c.verify,
      timeoutMs: c.timeoutMs,
      allowPlainHttp: c.allowPlainHttp,
    };
  }

  private async seal(plain: string) {
    return { box: this.secrets.kind, data: await this.secrets.seal(plain) };
  }
}

function toView(c: StoredCluster): EndpointView {
  const info = (f: StoredPem | null): FileInfo | null => (f ? { name: f.name, size: f.size, sha256: f.sha256 } : null);
  return {
    id: c.id,
    connectionId: c.connectionId,
    name: c.name,
    urls: c.urls,
    username: c.username,
    passwordSet: c.password !== null,
    ca: info(c.ca),
    clientCert: info(c.clientCert),
    clientKey: info(c.clientKey),
    verify: c.verify,
    timeoutMs: c.timeoutMs,
    allowPlainHttp: c.allowPlainHttp,
    bearerTokenSet: c.token !== null,
  };
}

function validatePem(slot: 'ca' | 'clientCert' | 'clientKey', up: PemUpload): void {
  try {
    if (slot === 'clientKey') {
      if (createPrivateKey({ key: up.content, format: 'pem' }).type !== 'private') throw new Error('not a private key');
    } else new X509Certificate(up.content);
  } catch (e) {
    const what = slot === 'clientKey' ? 'private key' : 'certificate';
    throw new CoreError('BAD_CERTIFICATE', `'${up.name}' is not a valid PEM ${what}.`, describeCause(e), [
      { path: slot, message: `not a valid PEM ${what}` },
    ]);
  }
}
