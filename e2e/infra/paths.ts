/**
 * Where the test broker's files are: everything of a run in <repo>/.dev-kafka/ (git-ignored), the
 * three-broker cluster's in <repo>/.dev-kafka/three/, and the Java they run on.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  // this file is <repo>/e2e/infra/paths.ts
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function dataDir(): string {
  return path.join(repoRoot(), '.dev-kafka');
}

export function clusterFile(): string {
  return path.join(dataDir(), 'cluster.json');
}

export function pidFile(): string {
  return path.join(dataDir(), 'kafka.pid');
}

export function logFile(): string {
  return path.join(dataDir(), 'kafka.log');
}

/** The lock of the folder `dir` (the single broker's `.dev-kafka/` unless told). */
export function lockDir(dir = dataDir()): string {
  return path.join(dir, '.lock');
}

/** Folder of the three-broker cluster, inside `.dev-kafka/` (a fresh single broker leaves it alone). */
export const CLUSTER_DIR_NAME = 'three';

export function clusterDir(): string {
  return path.join(dataDir(), CLUSTER_DIR_NAME);
}

export function clusterInfoFile(): string {
  return path.join(clusterDir(), 'cluster.json');
}

export function javaBin(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}
