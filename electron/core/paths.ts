import { homedir } from 'node:os';
import path from 'node:path';

/** The data folder the desktop app uses (Electron's userData for "Kafka Desk"), shared by the CLI and browser mode. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KAFKA_DESK_DATA_DIR) return path.resolve(env.KAFKA_DESK_DATA_DIR);
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'Kafka Desk');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(homedir(), 'AppData', 'Roaming'), 'Kafka Desk');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config'), 'Kafka Desk');
}

/**
 * Joins segments under `root` and refuses any result outside it. Every path the core builds from
 * something that crossed a boundary (an id, a file kind) goes through here.
 */
export function insideDataDir(root: string, ...segments: string[]): string {
  const base = path.resolve(root);
  const full = path.resolve(base, ...segments);
  if (full !== base && !full.startsWith(base + path.sep)) {
    throw new PathEscapeError(full, base);
  }
  return full;
}

export class PathEscapeError extends Error {
  constructor(
    readonly attempted: string,
    readonly root: string,
  ) {
    super(`path ${attempted} is outside the data folder ${root}`);
  }
}
