import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  MAX_CAPTURE_EXPORT_BYTES,
  SAMPLE_CAPTURE_NAME,
  type CaptureReplayOptions,
  type ChannelName,
  type ProduceResult,
} from '../../contract';
import { CoreError, describeCause } from '../coreError';
import type { Handler } from '../handlers';
import { exportFileName, exportMimeType, exportToText, importLines } from './captureFiles';
import { parseSchemasFile, schemasFileName } from './captureSchemas';
import type { CaptureStore } from './captureStore';
import { plain, type MessageSessions } from '../sessions/messageSessions';

type CaptureChannel = Extract<ChannelName, `captures.${string}`>;

export interface CaptureSources {
  /** The session a Listen keeps its messages in. */
  listenSession(listenId: string): number;
  /** A saved connection's name (throws NOT_FOUND for an unknown id). */
  connectionName(id: string): Promise<string>;
  /** The sample capture (NDJSON) that ships in the app's resources. */
  sampleFile: string;
  /** Replays into a saved connection's topic, as a Produce operation (progress, cancel). */
  replay(
    connectionId: string,
    id: number,
    options: CaptureReplayOptions,
    operationId?: string,
  ): Promise<ProduceResult & { seqs: number[] }>;
}

/** The `captures.*` channels over the capture store. */
export function createCaptureHandlers(
  store: CaptureStore,
  sessions: MessageSessions,
  sources: CaptureSources,
): { [C in CaptureChannel]: Handler<C> } {
  /**
   * A session (all of it, or the messages `seqs` names) copied into a new capture in main, batch by
   * batch, in one transaction: if a named message is no longer kept, nothing is saved.
   */
  const fromSession = (meta: { name: string; tags: string[]; note: string }, sessionId: number, seqs?: number[]) => {
    const s = sessions.info(sessionId);
    async function* batches() {
      let copied = 0;
      for (const b of sessions.messages(sessionId, seqs)) {
        copied += b.length;
        yield b.map(plain);
      }
      const wanted = seqs ? new Set(seqs).size : copied;
      if (copied < wanted)
        throw new CoreError(
          'NOT_FOUND',
          `Those messages are not all kept any more (${wanted - copied} missing); read them again.`,
        );
    }
    return store.createStreaming(
      { ...meta, source: s.source, connectionId: s.connectionId, connectionName: s.connectionName },
      batches(),
    );
  };
  return {
    'captures.list': async () => store.list(),
    'captures.replay': async ({ id, connectionId, operationId, ...options }) => {
      store.get(id); // NOT_FOUND before anything connects
      return sources.replay(connectionId, id, options, operationId);
    },
    'captures.openSample': async () => {
      const existing = store.list().find((c) => c.name === SAMPLE_CAPTURE_NAME);
      if (existing) return existing;
      try {
        await access(sources.sampleFile);
      } catch (e) {
        throw new CoreError('FILE_ERROR', 'The sample capture is missing from this installation.', describeCause(e));
      }
      const note =
        'Orders as a checkout service might write them: JSON values with headers, a plain-text value, a value of bytes in the Schema Registry wire format (magic byte 0, schema id 42, in no registry here, so shown as bytes), and a tombstone. Everything here works with no network.';
      return (
        await importLines(
          store,
          { name: SAMPLE_CAPTURE_NAME, tags: ['sample'], note },
          createReadStream(sources.sampleFile),
          'sample-capture.ndjson',
        )
      ).capture;
    },
    'captures.get': async ({ id }) => store.get(id),
    'captures.save': async (input) => {
      const meta = { name: input.name, tags: input.tags, note: input.note };
      switch (input.from) {
        case 'messages': {
          const connectionName = input.connectionId ? await sources.connectionName(input.connectionId) : null;
          return store.create(
            { ...meta, source: input.source, connectionId: input.connectionId ?? null, connectionName },
            input.messages,
          );
        }
        case 'listen': {
          // copied from the session store in main: the messages never cross to the window and back
          const sessionId = sources.listenSession(input.listenId);
          if (input.indexes) {
            // positions count from the oldest message kept
            const count = sessions.count(sessionId);
            const missing = input.indexes.filter((i) => i >= count);
            if (missing.length)
              throw new CoreError(
                'NOT_FOUND',
                `That Listen keeps ${count} message(s); there is none at position ${missing.slice(0, 5).join(', ')}.`,
              );
            const first =
              sessions.rows(sessionId, { offset: 0, limit: 1, sort: { field: 'seq', direction: 'asc' }, search: {} })
                .rows[0]?.seq ?? 1;
            return fromSession(
              meta,
              sessionId,
              input.indexes.map((i) => first + i),
            );
          }
          return fromSession(meta, sessionId);
        }
        case 'session':
          return fromSession(meta, input.sessionId, input.seqs);
        case 'capture':
          return store.copySelection({ ...meta, source: 'selection' }, input.captureId, input.seqs);
      }
    },
    'captures.rename': ({ id, name }) => store.rename(id, name),
    'captures.tag': ({ id, tags }) => store.setTags(id, tags),
    'captures.annotate': ({ id, note }) => store.setNote(id, note),
    'captures.annotateMessage': ({ id, seq, note }) => store.setMessageNote(id, seq, note),
    'captures.delete': async ({ id }) => ({ deleted: await store.delete(id) }),
    'captures.rows': async ({ id, ...query }) => store.rows(id, query),
    'captures.export': async ({ id, format, seqs, search }) => {
      const capture = store.get(id);
      let chosen = seqs;
      if (search && Object.values(search).some((v) => v !== undefined)) {
        const matching = store.matchingSeqs(id, search);
        const named = seqs ? new Set(seqs) : null;
        chosen = named ? matching.filter((s) => named.has(s)) : matching;
      }
      const { text, count, schemas } = exportToText(store, id, format, MAX_CAPTURE_EXPORT_BYTES, chosen);
      const fileName = exportFileName(capture, format);
      return {
        fileName,
        mimeType: exportMimeType[format],
        text,
        count,
        ...(schemas ? { schemas: { fileName: schemasFileName(fileName), text: schemas } } : {}),
      };
    },
    'captures.schemas': async ({ id }) => ({ schemas: store.schemas(id) }),
    'captures.import': async ({ name, fileName, text, tags, schemas }) =>
      importLines(
        store,
        { name, tags },
        Readable.from([Buffer.from(text, 'utf8')]),
        fileName,
        schemas === undefined ? [] : parseSchemasFile(schemas, `The schemas file for ${fileName}`),
      ),
  };
}
