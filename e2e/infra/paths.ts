/**
 * Where the test broker's files are: everything of a run in <repo>/.dev-kafka/ (git-ignored), and
 * the Java it runs on.
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

export function lockDir(): string {
  return path.join(dataDir(), '.lock');
}

export function javaBin(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}
