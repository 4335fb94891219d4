import { readFile } from 'node:fs/promises';
import { writePrivateFile } from './privateFiles';

/**
 * A JSON document with a schema version, written atomically (temp file, fsync, rename: a crash leaves
 * the previous file intact), 0600, and migrated forward on read.
 */
export interface Versioned {
  schemaVersion: number;
}

export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

export class AtomicJsonFile<T extends Versioned> {
  constructor(
    private readonly file: string,
    private readonly currentVersion: number,
    /** migrations[n] turns a version-n document into version n+1 */
    private readonly migrations: Record<number, Migration>,
    private readonly empty: () => T,
    private readonly parse: (doc: unknown) => T,
  ) {}

  async read(): Promise<T> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw e;
    }
    let doc = JSON.parse(text) as Record<string, unknown>;
    let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 1;
    if (version > this.currentVersion) {
      throw new Error(
        `${this.file} was written by a newer Kafka Desk (schema ${version}, this one reads up to ${this.currentVersion})`,
      );
    }
    while (version < this.currentVersion) {
      const step = this.migrations[version];
      if (!step) throw new Error(`no migration from schema ${version} in ${this.file}`);
      doc = { ...step(doc), schemaVersion: version + 1 };
      version += 1;
    }
    return this.parse(doc);
  }

  async write(value: T): Promise<void> {
    await writePrivateFile(this.file, JSON.stringify({ ...value, schemaVersion: this.currentVersion }, null, 2) + '\n');
  }
}
