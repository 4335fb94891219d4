import type { ConnectCluster } from '../../contract';
import type { SecretBox } from '../secrets/secretBox';
import { EndpointStore, type EndpointInput, type EndpointView, type ResolvedEndpoint } from '../http/endpointStore';

/** What the Connect REST client needs: URLs, auth and TLS material, opened. */
export type ResolvedConnectCluster = ResolvedEndpoint;

/** Connect's view has no token: a worker takes basic auth. */
const connectView = ({ bearerTokenSet: _token, ...view }: EndpointView): ConnectCluster => view;

/** Kafka Connect clusters per connection: `<data>/connect-clusters.json` (see EndpointStore). */
export class ConnectStore {
  private readonly store: EndpointStore;

  constructor(dataDir: string, secrets: SecretBox) {
    this.store = new EndpointStore(dataDir, secrets, {
      file: 'connect-clusters.json',
      label: 'Connect cluster',
      secretLabel: 'Connect password',
    });
  }

  async list(connectionId?: string): Promise<ConnectCluster[]> {
    return (await this.store.list(connectionId)).map(connectView);
  }

  async save(input: Omit<EndpointInput, 'bearerToken'>): Promise<ConnectCluster> {
    return connectView(await this.store.save(input));
  }

  delete(id: string): Promise<boolean> {
    return this.store.delete(id);
  }

  deleteForConnection(connectionId: string): Promise<void> {
    return this.store.deleteForConnection(connectionId);
  }

  resolve(id: string): Promise<ResolvedConnectCluster> {
    return this.store.resolve(id);
  }
}
