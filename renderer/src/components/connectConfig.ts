import { maskConnectorSecrets, type ConnectorState } from '../../../electron/contract';

/** Secret values masked on screen (the same rule that keeps them out of presets: electron/contract/connectorSecrets.ts). */
export const maskSecrets = maskConnectorSecrets;

/** The config JSON the user typed, as Connect takes it: an object of strings (numbers and booleans turned into text). */
export function parseConfig(text: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`The config is not valid JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('The config must be a JSON object of "key": "value" pairs.');
  return Object.fromEntries(
    Object.entries(doc as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v),
    ]),
  );
}

/** The line of `"key":` in pretty JSON text (1-based), for a marker; the first line when not found. */
export function lineOfKey(text: string, key: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(`${JSON.stringify(key)}:`));
  return i < 0 ? 1 : i + 1;
}

/**
 * Kafka Connect's own topics (configs, offsets, status of a worker group): the REST API does not name
 * them, so they are recognized by the names Connect deployments use (connect-configs,
 * my-cluster-connect-offsets, _connect-status, docker-connect-configs…).
 */
export function connectInternalTopic(name: string): 'configs' | 'offsets' | 'status' | null {
  const m = /(?:^|[-_.])connect(?:-cluster)?[-_.](configs?|offsets?|status(?:es)?)$/i.exec(name);
  if (!m) return null;
  const k = m[1]!.toLowerCase();
  return k.startsWith('config') ? 'configs' : k.startsWith('offset') ? 'offsets' : 'status';
}

/** The tag colour of a connector or task state. */
export const connectorStateType = (s: ConnectorState) =>
  (
    ({
      RUNNING: 'success',
      PAUSED: 'warning',
      STOPPED: 'default',
      FAILED: 'error',
      UNASSIGNED: 'info',
      RESTARTING: 'info',
      UNKNOWN: 'default',
    }) as const
  )[s];
