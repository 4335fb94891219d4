import { readFile } from 'node:fs/promises';
import type { ClusterOverview, TopicSummary } from '../../contract';
import { CoreError } from '../coreError';
import { insideDataDir } from '../paths';
import { privateDir, writePrivateFile } from '../store/privateFiles';
import { SerialQueue } from '../store/serialQueue';

/** Failures that mean "the cluster cannot be reached from here", as opposed to a refusal or a bug. */
const UNREACHABLE = new Set(['HOST_NOT_FOUND', 'CONNECTION_REFUSED', 'CONNECTION_CLOSED', 'TIMEOUT']);

interface CachedMetadata {
  overview?: ClusterOverview;
  topics?: { topics: TopicSummary[]; fetchedAt: string };
}

/**
 * The last metadata fetched for each saved connection, kept in its folder, so that its cluster
 * browser still opens (read-only, "as of <time>") when the cluster cannot be reached: on a train,
 * off the VPN, after the test cluster went away.
 */
export class MetadataCache {
  /** `keeps(id)` false: that connection's metadata is never written or read here (one the command line named for one run). */
  constructor(
    private readonly dataDir: string,
    private readonly keeps: (id: string) => boolean = () => true,
  ) {}

  private file(id: string): string {
    return insideDataDir(this.dataDir, 'connections', id, 'metadata-cache.json');
  }

  private async read(id: string): Promise<CachedMetadata> {
    try {
      return JSON.parse(await readFile(this.file(id), 'utf8')) as CachedMetadata;
    } catch {
      return {};
    }
  }

  /** Updates of one connection's cache run one after another: two at once (the overview and the topic
   * list load together) would each read the old file and the second write would drop the first's part. */
  private readonly queues = new Map<string, SerialQueue>();

  private update(id: string, change: CachedMetadata): Promise<void> {
    let q = this.queues.get(id);
    if (!q) this.queues.set(id, (q = new SerialQueue()));
    return q.run(() => this.write(id, change));
  }

  private async write(id: string, change: CachedMetadata): Promise<void> {
    try {
      await privateDir(insideDataDir(this.dataDir, 'connections', id));
      await writePrivateFile(this.file(id), JSON.stringify({ ...(await this.read(id)), ...change }));
    } catch {
      // A cache that cannot be written only costs the offline view; the live answer still goes back.
    }
  }

  /**
   * Runs the live fetch; keeps its result; when the cluster is unreachable and something was kept,
   * answers with that instead, marked with when it was fetched and why it is shown.
   */
  async overview(id: string, live: () => Promise<Omit<ClusterOverview, 'fromCache'>>): Promise<ClusterOverview> {
    if (!this.keeps(id)) return { ...(await live()), fromCache: null };
    try {
      const fresh = { ...(await live()), fromCache: null };
      await this.update(id, { overview: fresh });
      return fresh;
    } catch (e) {
      const kept = e instanceof CoreError && UNREACHABLE.has(e.code) ? (await this.read(id)).overview : undefined;
      if (!kept) throw e;
      return { ...kept, fromCache: { asOf: kept.fetchedAt, reason: (e as CoreError).message } };
    }
  }

  async topics(
    id: string,
    live: () => Promise<TopicSummary[]>,
  ): Promise<{ topics: TopicSummary[]; fetchedAt: string; fromCache: { asOf: string; reason: string } | null }> {
    if (!this.keeps(id)) return { topics: await live(), fetchedAt: new Date().toISOString(), fromCache: null };
    try {
      const fresh = { topics: await live(), fetchedAt: new Date().toISOString() };
      await this.update(id, { topics: fresh });
      return { ...fresh, fromCache: null };
    } catch (e) {
      const kept = e instanceof CoreError && UNREACHABLE.has(e.code) ? (await this.read(id)).topics : undefined;
      if (!kept) throw e;
      return { ...kept, fromCache: { asOf: kept.fetchedAt, reason: (e as CoreError).message } };
    }
  }
}
