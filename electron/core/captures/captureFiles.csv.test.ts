import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsumedMessage } from '../../contract';
import { exportToText } from './captureFiles';
import { CaptureStore } from './captureStore';

const stores: CaptureStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const m = (offset: string, p: Partial<ConsumedMessage>): ConsumedMessage => ({
  topic: 'orders',
  partition: 0,
  offset,
  timestamp: '1700000000000',
  timestampType: 'CreateTime',
  key: null,
  value: null,
  headers: [],
  size: 0,
  ...p,
});

async function csvOf(messages: ConsumedMessage[]) {
  const s = CaptureStore.inDataDir(await mkdtemp(path.join(tmpdir(), 'kafka-desk-csv-')));
  stores.push(s);
  const c = await s.create({ name: 'c', source: 'messages' }, messages);
  const text = exportToText(s, c.id, 'csv', 1e9).text;
  return { text, rows: Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data };
}

describe('CSV export and formulae', () => {
  it('a cell that would be a formula reads back with a leading apostrophe, the rest of it unchanged', async () => {
    const { rows } = await csvOf([m('0', { key: '=1+1', value: '-5 degrees\nsecond line', headers: [['@h', '+v']] })]);
    expect(rows[0]).toMatchObject({ key: "'=1+1", value: "'-5 degrees\nsecond line" });
    // the headers cell is JSON (it starts with [): never a formula, kept exact
    expect(JSON.parse(rows[0]!.headers!)).toEqual([['@h', '+v']]);
  });

  it('numbers stay numbers: a timestamp of -1 (none) and large offsets are not escaped', async () => {
    const { text, rows } = await csvOf([
      m('9007199254740993', { timestamp: '-1', partition: 3, key: 'k', value: 'plain text, with a comma' }),
    ]);
    expect(text.split('\n')[1]).toBe(
      'orders,3,9007199254740993,-1,CreateTime,utf8,k,utf8,"plain text, with a comma",[]',
    );
    expect(rows[0]).toMatchObject({
      partition: '3',
      offset: '9007199254740993',
      timestamp: '-1',
      value: 'plain text, with a comma',
    });
  });
});
