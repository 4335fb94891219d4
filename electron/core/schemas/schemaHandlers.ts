import type { ConsumedMessage, SubjectSummary } from '../../contract';
import { schemaChannels } from '../../contract';
import { assertWritable } from '../admin/readOnly';
import { CoreError } from '../coreError';
import type { Handlers } from '../handlers';
import type { LocalSchemaStore } from './localSchemaStore';
import type { RegistryStore } from './registryStore';
import type { SchemaService } from './schemaService';

type SchemaChannel = keyof typeof schemaChannels;

/** Subjects are summarized this many at a time (a registry of thousands answers in waves, not all at once). */
const SUMMARY_CONCURRENCY = 8;

async function inWaves<T, R>(items: T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i] as T);
      }
    }),
  );
  return out;
}

export interface SchemaHandlerDeps {
  /** The newest messages of a topic, as read (bytes): what `schemas.topicSubjects` looks into. */
  newest: (connectionId: string, topic: string, max: number) => Promise<ConsumedMessage[]>;
  registries: RegistryStore;
  local: LocalSchemaStore;
  service: SchemaService;
  ownerOf: (connectionId: string) => Promise<{ name: string; readOnly: boolean }>;
}

/** The Schema Registry settings of a connection, its subjects, and local schema files. */
export function createSchemaHandlers({
  registries,
  local,
  service,
  ownerOf,
  newest,
}: SchemaHandlerDeps): Pick<Handlers, SchemaChannel> {
  const client = (id: string) => service.requireClient(id);
  /** The schema ids in the wire headers of the topic's newest messages, per part, most used first. */
  const sampleIds = async (
    id: string,
    topic: string,
    max: number,
  ): Promise<{
    ids: { part: 'key' | 'value'; schemaId: number; messages: number }[];
    sampled: number;
    sampleError?: string;
  }> => {
    let messages: ConsumedMessage[];
    try {
      messages = await newest(id, topic, max);
    } catch (e) {
      return { ids: [], sampled: 0, sampleError: e instanceof Error ? e.message : String(e) };
    }
    const counts = new Map<string, { part: 'key' | 'value'; schemaId: number; messages: number }>();
    for (const m of messages)
      for (const part of ['key', 'value'] as const) {
        const w = m[part];
        const bytes =
          w === null ? null : typeof w === 'string' ? Buffer.from(w, 'utf8') : Buffer.from(w.base64, 'base64');
        if (!bytes || bytes.length < 5 || bytes[0] !== 0) continue;
        const schemaId = bytes.readUInt32BE(1);
        const k = `${part}:${schemaId}`;
        const e = counts.get(k) ?? { part, schemaId, messages: 0 };
        e.messages++;
        counts.set(k, e);
      }
    return { ids: [...counts.values()].sort((a, b) => b.messages - a.messages).slice(0, 50), sampled: messages.length };
  };
  return {
    'registry.get': async ({ connectionId }) => registries.get(connectionId),
    'registry.save': async (input) => {
      await ownerOf(input.connectionId); // the connection exists
      const saved = await registries.save(input);
      service.forget(input.connectionId);
      return saved;
    },
    'registry.delete': async ({ connectionId }) => {
      service.forget(connectionId);
      return { deleted: await registries.delete(connectionId) };
    },
    'schemas.subjects': async ({ id, includeDeleted }) => {
      const c = await client(id);
      const live = await c.subjectNames(false);
      const all = includeDeleted ? await c.subjectNames(true) : live;
      const liveSet = new Set(live);
      const [summaries, defaultCompatibility, mode] = await Promise.all([
        inWaves(all, SUMMARY_CONCURRENCY, async (s): Promise<SubjectSummary | null> => {
          try {
            return await c.summary(s, !liveSet.has(s));
          } catch (e) {
            // a subject deleted between the list and its summary
            if (e instanceof CoreError && e.code === 'SCHEMA_UNAVAILABLE') return null;
            throw e;
          }
        }),
        c.defaultCompatibility().catch(() => null),
        c.mode(),
      ]);
      return {
        subjects: summaries
          .filter((x): x is SubjectSummary => x !== null)
          .sort((a, b) => a.subject.localeCompare(b.subject)),
        defaultCompatibility,
        mode,
      };
    },
    'schemas.versions': async ({ id, subject }) => ({ subject, versions: await (await client(id)).versions(subject) }),
    'schemas.get': async ({ id, subject, version }) => (await client(id)).version(subject, version),
    'schemas.byId': async ({ id, schemaId }) => {
      const c = await client(id);
      const [s, usedBy] = await Promise.all([c.byId(schemaId), c.usedBy(schemaId)]);
      return { schemaId, ...s, usedBy };
    },
    'schemas.register': async ({ id, subject, draft }) => {
      const c = await client(id);
      // checked here first: a draft that does not parse gets our sentence, not only the registry's
      const resolver = await service.resolver(id);
      await resolver.compileDraft(draft);
      return c.register(subject, draft);
    },
    'schemas.check': async ({ id, subject, draft, version }) => {
      const resolver = await service.resolver(id);
      await resolver.compileDraft(draft);
      return (await client(id)).check(subject, version, draft);
    },
    'schemas.setCompatibility': async ({ id, subject, level }) => ({
      level: await (await client(id)).setCompatibility(subject, level),
    }),
    'schemas.delete': async ({ id, subject, version, permanent }) => {
      const c = await client(id);
      const deleted =
        version === undefined
          ? await c.deleteSubject(subject, permanent)
          : await c.deleteVersion(subject, version, permanent);
      return { deleted };
    },
    'schemas.topicSubjects': async ({ id, topic, sample }) => {
      const c = await client(id);
      const names = await c.subjectNames(false);
      const summary = async (s: string) => (names.includes(s) ? c.summary(s, false).catch(() => null) : null);
      const [key, value, seen] = await Promise.all([
        summary(`${topic}-key`),
        summary(`${topic}-value`),
        sample > 0 ? sampleIds(id, topic, sample) : { ids: [], sampled: 0, sampleError: undefined },
      ]);
      const related = names
        .filter((s) => s !== `${topic}-key` && s !== `${topic}-value` && s.startsWith(`${topic}-`))
        .slice(0, 100);
      const carried = await Promise.all(
        seen.ids.map(async (x) => ({ ...x, subjects: await c.usedBy(x.schemaId).catch(() => []) })),
      );
      return {
        key,
        value,
        related,
        carried,
        sampled: seen.sampled,
        ...(seen.sampleError ? { sampleError: seen.sampleError } : {}),
      };
    },
    'schemas.resolve': async ({ id, choice }) => service.resolve(id, choice),
    'localSchemas.list': async ({ connectionId }) => local.list(connectionId),
    'localSchemas.add': async (input) => {
      await ownerOf(input.connectionId);
      return local.add(input);
    },
    'localSchemas.delete': async ({ connectionId, localSchemaId }) => ({
      deleted: await local.delete(connectionId, localSchemaId),
    }),
    'localSchemas.bind': async (input) => {
      // attaching a file to a topic changes only this desktop's view of it: allowed on a read-only connection
      return { bindings: await local.bind(input) };
    },
  };
}

export { assertWritable };
