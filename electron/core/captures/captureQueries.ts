import type Database from 'better-sqlite3';
import type {
  CaptureRowsPage,
  CaptureRowsQueryParsed,
  CaptureSearch,
  CaptureSummary,
  CapturedMessage,
  WireBytes,
} from '../../contract';
import { CoreError, describeCause } from '../coreError';
import { describeFilter, toSql } from '../filters/messageFilter';
import { MESSAGE_COLUMNS, summary, toMessage, type CaptureRow, type MessageRow } from './captureSchema';

/** A page query as `rows` takes it (`quick` may be left out: false). */
export type RowsQuery = Omit<CaptureRowsQueryParsed, 'quick'> & { quick?: boolean };

const SORT_COLUMNS = {
  seq: ['seq'],
  offset: ['offset_no'],
  timestamp: ['ts'],
  partition: ['partition_no', 'offset_no'],
  key: ['key'],
} as const;

const wireText = (w: WireBytes): string | null => (typeof w === 'string' ? w : null);

/**
 * The capture store's reads: lists, pages of messages searched, filtered, sorted and paged in SQL next
 * to the data (the message filter is core/filters', compiled to SQL), and exports' batches. Statements
 * come from the store's connection; reads are synchronous.
 */
export class CaptureQueries {
  /** Ordered seqs of the last searches (see `rows`), least recently used first. */
  private readonly seqCache = new Map<string, number[]>();

  constructor(private readonly prepare: (sql: string) => Database.Statement) {}

  list(): CaptureSummary[] {
    const rows = this.prepare(
      'SELECT * FROM captures WHERE pending = 0 ORDER BY created_at DESC, id DESC',
    ).all() as CaptureRow[];
    return rows.map(summary);
  }

  get(id: number): CaptureSummary {
    const row = this.prepare('SELECT * FROM captures WHERE id = ? AND pending = 0').get(id) as CaptureRow | undefined;
    if (!row) throw new CoreError('NOT_FOUND', 'That capture no longer exists.');
    return summary(row);
  }

  findByName(name: string): CaptureSummary {
    const row = this.prepare('SELECT * FROM captures WHERE name = ? AND pending = 0').get(name.trim()) as
      CaptureRow | undefined;
    if (!row) {
      const names = this.list().map((c) => `'${c.name}'`);
      throw new CoreError(
        'NOT_FOUND',
        `No capture named '${name}'. ${names.length ? `There are ${names.slice(0, 10).join(', ')}${names.length > 10 ? '…' : ''}.` : 'None are saved yet.'}`,
      );
    }
    return summary(row);
  }

  /**
   * One page of a capture's messages, searched, filtered and sorted in SQL. Unfiltered in saved order,
   * a page is a range of seq (seq runs without gaps); otherwise one query lists the matching seqs in
   * order, kept for the next pages of the same search (a million rows are scanned once, not per
   * page), and a page reads just its rows.
   */
  rows(id: number, query: RowsQuery): CaptureRowsPage {
    const capture = this.get(id);
    const asc = query.sort.direction !== 'desc';
    try {
      let total: number;
      let counted = true;
      let rows: MessageRow[];
      // two queries: SQLite answers a lone MIN or MAX from the index's ends, both together by scanning it
      const bounds = {
        lo: this.prepare('SELECT COALESCE(MIN(seq), 1) FROM messages WHERE capture_id = ?').pluck().get(id) as number,
        hi: this.prepare('SELECT COALESCE(MAX(seq), 0) FROM messages WHERE capture_id = ?').pluck().get(id) as number,
      };
      const unsearched = Object.values(query.search).every((v) => v === undefined);
      if (unsearched && query.sort.field === 'seq' && bounds.hi - bounds.lo + 1 === capture.messageCount) {
        total = capture.messageCount;
        rows = asc
          ? (this.prepare(
              `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE capture_id = ? AND seq >= ? ORDER BY seq LIMIT ?`,
            ).all(id, bounds.lo + query.offset, query.limit) as MessageRow[])
          : (this.prepare(
              `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE capture_id = ? AND seq <= ? ORDER BY seq DESC LIMIT ?`,
            ).all(id, bounds.hi - query.offset, query.limit) as MessageRow[]);
      } else {
        const seqs = this.orderedSeqs(id, capture.messageCount, bounds.hi, query);
        total = seqs.length;
        counted = seqs.counted;
        const slice = seqs.slice(query.offset, query.offset + query.limit);
        const bySeq = new Map(this.selected(id, slice).map((r) => [r.seq, r]));
        rows = slice.map((s) => bySeq.get(s)).filter((r): r is MessageRow => r !== undefined);
      }
      const needle = query.search.text?.toLowerCase() ?? null;
      return {
        rows: rows.map((r) => {
          const m = toMessage(r);
          return { ...m, matchedIn: needle === null ? [] : matchedIn(m, needle) };
        }),
        total,
        counted,
        captureTotal: capture.messageCount,
        offset: query.offset,
        highlight: query.search.text ?? null,
      };
    } catch (e) {
      if (e instanceof CoreError) throw e;
      throw new CoreError('INVALID_INPUT', `The search could not run: ${(e as Error).message}`, describeCause(e));
    }
  }

  /** The seqs a search matches, in the sort's order (cached by capture, content, search and sort). */
  private orderedSeqs(id: number, count: number, lastSeq: number, query: RowsQuery): number[] & { counted: boolean } {
    const key = JSON.stringify([id, count, lastSeq, query.search, query.sort]);
    const hit = this.seqCache.get(key);
    if (hit) {
      this.seqCache.delete(key);
      this.seqCache.set(key, hit);
      return Object.assign(hit, { counted: true });
    }
    const { where, params } = this.whereClause(id, query.search);
    const dir = query.sort.direction === 'desc' ? 'DESC' : 'ASC';
    const order = [...SORT_COLUMNS[query.sort.field], 'seq'].map((c) => `${c} ${dir}`).join(', ');
    if (query.quick && query.sort.field === 'seq') {
      // in saved order the scan stops at the first page's last match: those rows now, the count in a second call
      const want = query.offset + query.limit;
      const first = this.prepare(`SELECT seq FROM messages m WHERE ${where} ORDER BY ${order} LIMIT @want`)
        .pluck()
        .all({ ...params, want: want + 1 }) as number[];
      if (first.length > want) return Object.assign(first.slice(0, want), { counted: false });
    }
    const seqs = this.prepare(`SELECT seq FROM messages m WHERE ${where} ORDER BY ${order}`)
      .pluck()
      .all(params) as number[];
    this.seqCache.set(key, seqs);
    while (this.seqCache.size > 4) this.seqCache.delete(this.seqCache.keys().next().value!);
    return Object.assign(seqs, { counted: true });
  }

  /** The seqs of the messages a search matches (the table's filter, run here), in saved order. */
  matchingSeqs(id: number, search: CaptureSearch): number[] {
    const capture = this.get(id);
    const lastSeq = this.prepare('SELECT COALESCE(MAX(seq), 0) FROM messages WHERE capture_id = ?')
      .pluck()
      .get(id) as number;
    try {
      return [
        ...this.orderedSeqs(id, capture.messageCount, lastSeq, {
          offset: 0,
          limit: 1,
          sort: { field: 'seq', direction: 'asc' },
          search,
        }),
      ];
    } catch (e) {
      if (e instanceof CoreError) throw e;
      throw new CoreError('INVALID_INPUT', `The search could not run: ${(e as Error).message}`, describeCause(e));
    }
  }

  /**
   * A capture's messages in seq order, in batches read one query at a time (no statement stays open
   * between batches, so writes may run while an export awaits its file).
   */
  *messages(id: number, seqs?: number[], batchSize = 2000): Generator<CapturedMessage[]> {
    this.get(id);
    if (seqs) {
      const sorted = [...new Set(seqs)].sort((a, b) => a - b);
      for (let i = 0; i < sorted.length; i += batchSize) {
        const rows = this.selected(id, sorted.slice(i, i + batchSize));
        if (rows.length) yield rows.map(toMessage);
      }
      return;
    }
    const page = this.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE capture_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    );
    let after = 0;
    for (;;) {
      const rows = page.all(id, after, batchSize) as MessageRow[];
      if (!rows.length) return;
      after = rows[rows.length - 1]!.seq;
      yield rows.map(toMessage);
    }
  }

  /** The rows of some seqs, in seq order (those that exist). */
  selected(id: number, seqs: number[]): MessageRow[] {
    return this.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE capture_id = ? AND seq IN (SELECT value FROM json_each(?)) ORDER BY seq`,
    ).all(id, JSON.stringify(seqs)) as MessageRow[];
  }

  private whereClause(id: number, s: CaptureSearch): { where: string; params: Record<string, unknown> } {
    const where = ['m.capture_id = @id'];
    const params: Record<string, unknown> = { id };
    // the message filter (text, regex, header, JSON path): core/filters, the same semantics as Consume's
    const filter = describeFilter(s, 'search');
    if (filter) {
      // decoded keys and values are searched in their JSON form, the others in their bytes
      const sql = toSql(filter, {
        key: 'COALESCE(m.key_text, m.key)',
        value: 'COALESCE(m.value_text, m.value)',
        headers: 'm.headers',
      });
      where.push(...sql.where);
      Object.assign(params, sql.params);
    }
    if (s.topics) {
      params.topics = JSON.stringify(s.topics);
      where.push('m.topic IN (SELECT value FROM json_each(@topics))');
    }
    if (s.partitions) {
      params.partitions = JSON.stringify(s.partitions);
      where.push('m.partition_no IN (SELECT value FROM json_each(@partitions))');
    }
    if (s.offsetFrom !== undefined) {
      params.offsetFrom = BigInt(s.offsetFrom);
      where.push('m.offset_no >= @offsetFrom');
    }
    if (s.offsetTo !== undefined) {
      params.offsetTo = BigInt(s.offsetTo);
      where.push('m.offset_no <= @offsetTo');
    }
    if (s.timeFrom !== undefined) {
      params.timeFrom = s.timeFrom;
      where.push('m.ts >= @timeFrom');
    }
    if (s.timeTo !== undefined) {
      params.timeTo = s.timeTo;
      where.push('m.ts <= @timeTo');
    }
    return { where: where.join(' AND '), params };
  }
}

function matchedIn(m: CapturedMessage, needle: string): ('key' | 'value' | 'header')[] {
  const has = (w: WireBytes) => wireText(w)?.toLowerCase().includes(needle) ?? false;
  const out: ('key' | 'value' | 'header')[] = [];
  if (has(m.decoded?.key?.json ?? m.key)) out.push('key');
  if (has(m.decoded?.value?.json ?? m.value)) out.push('value');
  if (m.headers.some(([, v]) => has(v))) out.push('header');
  return out;
}
