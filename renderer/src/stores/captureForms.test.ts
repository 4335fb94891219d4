import { describe, expect, it } from 'vitest';
import type { CaptureSummary } from '../../../electron/contract';
import { emptyRowFilter } from '../components/rowFilter';
import {
  chosenExport,
  exportScope,
  filterCaptures,
  importName,
  replayInput,
  saveCaptureInput,
  type ReplayForm,
} from './captureForms';

const capture = (over: Partial<CaptureSummary>): CaptureSummary =>
  ({ id: 1, name: 'orders', note: '', connectionName: null, topics: [], tags: [], ...over }) as CaptureSummary;

describe('captures: the list, import and export as the screen asks for them', () => {
  it('finds a capture by name, note, connection, topic or tag, case-insensitively', () => {
    const list = [
      capture({ id: 1, name: 'Orders' }),
      capture({ id: 2, name: 'b', note: 'the bad REFUND' }),
      capture({ id: 3, name: 'c', connectionName: 'prod-eu' }),
      capture({ id: 4, name: 'd', topics: ['payments'], tags: ['incident-42'] }),
    ];
    expect(filterCaptures(list, '  ')).toBe(list);
    expect(filterCaptures(list, 'orders').map((c) => c.id)).toEqual([1]);
    expect(filterCaptures(list, 'refund').map((c) => c.id)).toEqual([2]);
    expect(filterCaptures(list, 'PROD').map((c) => c.id)).toEqual([3]);
    expect(filterCaptures(list, 'pay').map((c) => c.id)).toEqual([4]);
    expect(filterCaptures(list, 'INCIDENT').map((c) => c.id)).toEqual([4]);
    expect(filterCaptures(list, 'nothing')).toEqual([]);
  });

  it('names an import after its file, with the time when that name is taken', () => {
    const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(importName('dump.ndjson', [], now)).toBe('dump');
    expect(importName('kcat.JSONL', ['other'], now)).toBe('kcat');
    expect(importName('a.txt', [], now)).toBe('a');
    expect(importName('notes.csv', [], now)).toBe('notes.csv');
    expect(importName('Dump.json', ['dump'], now)).toBe(`Dump (${now.toLocaleString()})`);
  });

  it('exports the picked rows (in order), else all of it, else asks when a filter is on', () => {
    expect(exportScope([7, 2, 5], emptyRowFilter())).toEqual({
      kind: 'direct',
      what: { seqs: [2, 5, 7] },
      said: 'the 3 picked rows',
    });
    expect(exportScope([], emptyRowFilter())).toEqual({ kind: 'direct', what: {}, said: 'all of the capture' });
    // picked rows win over the filter
    expect(exportScope([1], { ...emptyRowFilter(), text: 'x' })).toMatchObject({ kind: 'direct', what: { seqs: [1] } });
    const ask = exportScope([], { ...emptyRowFilter(), text: 'refund', partitions: [0] });
    expect(ask).toMatchObject({ kind: 'ask', search: { text: 'refund', partitions: [0] }, failed: false });
    expect(ask.kind === 'ask' && ask.words.length).toBe(2);
    // a filter that cannot run: the choice says so (only "all" can be exported)
    expect(exportScope([], { ...emptyRowFilter(), text: 'x', offsetFrom: 'ten' })).toMatchObject({
      kind: 'ask',
      failed: true,
    });
  });

  it('exports what the filter shows, or all of the capture, as chosen', () => {
    expect(chosenExport('shown', { text: 'a' })).toEqual({
      what: { search: { text: 'a' } },
      said: 'what the filter shows',
    });
    expect(chosenExport('all', { text: 'a' })).toEqual({ what: {}, said: 'all of the capture' });
  });

  it('saves a session, all of it or the rows picked (in order), or the rows picked in a capture', () => {
    expect(saveCaptureInput({ sessionId: 4 }, 'read')).toEqual({ from: 'session', name: 'read', sessionId: 4 });
    expect(saveCaptureInput({ sessionId: 4, seqs: [] }, 'read')).toEqual({
      from: 'session',
      name: 'read',
      sessionId: 4,
    });
    expect(saveCaptureInput({ sessionId: 4, seqs: [9, 3] }, 'read')).toEqual({
      from: 'session',
      name: 'read',
      sessionId: 4,
      seqs: [3, 9],
    });
    expect(saveCaptureInput({ captureId: 2, seqs: [5, 1, 3] }, 'part')).toEqual({
      from: 'capture',
      name: 'part',
      captureId: 2,
      seqs: [1, 3, 5],
    });
    // a capture with nothing picked is not copied whole: that is its session's save
    expect(saveCaptureInput({ sessionId: 4, captureId: 2, seqs: [] }, 'read')).toEqual({
      from: 'session',
      name: 'read',
      sessionId: 4,
    });
  });

  it('replays the capture, or the rows picked in it (in order), as the dialog says', () => {
    const form: ReplayForm = {
      connectionId: 'local',
      topic: '  orders.copy ',
      partitions: 'same',
      timestamps: 'keep',
      rate: 50,
    };
    expect(replayInput(3, undefined, form)).toEqual({
      id: 3,
      connectionId: 'local',
      topic: 'orders.copy',
      partitions: 'same',
      timestamps: 'keep',
      ratePerSecond: 50,
    });
    expect(replayInput(3, [], { ...form, partitions: 'default', timestamps: 'now', rate: 0 })).toEqual({
      id: 3,
      connectionId: 'local',
      topic: 'orders.copy',
      partitions: 'default',
      timestamps: 'now',
      ratePerSecond: 0,
    });
    expect(replayInput(3, [8, 2], form)).toMatchObject({ id: 3, seqs: [2, 8] });
  });
});
