import { RestClient, type RestService } from '../http/restClient';
import type { ResolvedConnectCluster } from './connectStore';

export type { RestResponse } from '../http/restClient';

const KAFKA_CONNECT: RestService = {
  name: 'Kafka Connect',
  refusedHint: 'is the worker running, and is that its REST port (often 8083)?',
  secretLabel: 'Connect password',
  changeLabel: 'change Kafka Connect',
  // every request but a read (GET, and validating a config) changes the worker
  isRead: (method, path) =>
    method === 'GET' || (method === 'PUT' && /^\/connector-plugins\/[^/]+\/config\/validate$/.test(path)),
  conflictMessage: 'Kafka Connect is rebalancing; try again in a moment.',
};

/** Kafka Connect's REST API (see RestClient): its sentences and its read-only gate. */
export class ConnectRest extends RestClient {
  /** `owner`: the Kafka connection the Connect cluster belongs to; a read-only one sends nothing but reads. */
  constructor(c: ResolvedConnectCluster, owner?: { name: string; readOnly: boolean }) {
    super(c, KAFKA_CONNECT, owner);
  }
}
