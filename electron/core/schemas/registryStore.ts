import type { SchemaRegistry, SchemaRegistryInput } from '../../contract';
import { EndpointStore, type EndpointView, type ResolvedEndpoint } from '../http/endpointStore';
import type { SecretBox } from '../secrets/secretBox';
import type { z } from 'zod';

type Input = z.output<typeof import('../../contract').SchemaRegistryInput>;

const view = (v: EndpointView): SchemaRegistry => ({
  connectionId: v.connectionId,
  urls: v.urls,
  username: v.username,
  passwordSet: v.passwordSet,
  bearerTokenSet: v.bearerTokenSet,
  ca: v.ca,
  clientCert: v.clientCert,
  clientKey: v.clientKey,
  verify: v.verify,
  timeoutMs: v.timeoutMs,
  allowPlainHttp: v.allowPlainHttp,
});

/**
 * A connection's Schema Registry: `<data>/schema-registries.json`, one per connection, with its password,
 * bearer token and client key sealed and bound to its URLs (EndpointStore, as Connect clusters are).
 */
export class RegistryStore {
  private readonly store: EndpointStore;

  constructor(dataDir: string, secrets: SecretBox) {
    this.store = new EndpointStore(dataDir, secrets, {
      file: 'schema-registries.json',
      label: 'Schema Registry',
      secretLabel: 'Schema Registry password or token',
    });
  }

  private async stored(connectionId: string): Promise<EndpointView | undefined> {
    return (await this.store.list(connectionId))[0];
  }

  async get(connectionId: string): Promise<SchemaRegistry | null> {
    const v = await this.stored(connectionId);
    return v ? view(v) : null;
  }

  async save(input: Input): Promise<SchemaRegistry> {
    const existing = await this.stored(input.connectionId);
    return view(
      await this.store.save({
        ...input,
        ...(existing ? { id: existing.id } : {}),
        name: 'Schema Registry',
      }),
    );
  }

  async delete(connectionId: string): Promise<boolean> {
    const existing = await this.stored(connectionId);
    return existing ? this.store.delete(existing.id) : false;
  }

  deleteForConnection(connectionId: string): Promise<void> {
    return this.store.deleteForConnection(connectionId);
  }

  /** Its URLs and secrets, opened; null when the connection has none. */
  async resolve(connectionId: string): Promise<ResolvedEndpoint | null> {
    const existing = await this.stored(connectionId);
    return existing ? this.store.resolve(existing.id) : null;
  }
}

export type { SchemaRegistryInput };
