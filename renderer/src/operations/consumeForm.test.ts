import { describe, expect, it } from 'vitest';
import { ConsumePresetInput, ConsumeResult } from '../../../electron/contract';
import {
  applyConsumeInput,
  consumeFilter,
  consumeOptions,
  consumeProgressLine,
  consumeSubject,
  consumeSummary,
  newConsumeForm,
  undecodableApplies,
  undecodableText,
  type ConsumeForm,
} from './consumeForm';

const form = (over: Partial<ConsumeForm> = {}): ConsumeForm => ({ ...newConsumeForm(), topics: ['orders'], ...over });
const refusal = (f: ConsumeForm) => {
  const r = consumeOptions(f);
  return r.ok ? null : r.message;
};

describe('consumeOptions', () => {
  it('a fresh form with a topic reads from the earliest, without a group', () => {
    expect(consumeOptions(form())).toEqual({
      ok: true,
      value: { topic: 'orders', start: { from: 'earliest' }, max: 100, readUncommitted: false, maxRecordsPerPoll: 500 },
    });
  });
  it('maps every field the form has', () => {
    const r = consumeOptions(
      form({
        topics: ['a', 'b'],
        from: 'timestamp',
        time: '2026-11-23T10:00:00Z',
        partitions: '0, 2 3',
        max: 7,
        stopAt: '1700000000000',
        readAs: 'manual',
        group: ' billing ',
        readUncommitted: true,
        maxPoll: 50,
        maxMessageKiB: 1.5,
        onOversize: 'skip',
        filterKind: 'jsonPath',
        filter: '$.id=a=b',
      }),
      true,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        topics: ['a', 'b'],
        start: { from: 'timestamp', timestamp: Date.UTC(2026, 10, 23, 10) },
        max: 7,
        readUncommitted: true,
        maxRecordsPerPoll: 50,
        partitions: [0, 2, 3],
        stopAtTimestamp: 1_700_000_000_000,
        maxMessageBytes: 1536,
        onOversize: 'skip',
        group: { groupId: 'billing', commit: 'manual', joinLiveGroup: true },
        filter: { jsonPath: { path: '$.id', equals: 'a=b' } },
      },
    });
    expect(r.ok && ConsumePresetInput.safeParse(r.value).success).toBe(true);
  });
  it('a pattern, and a start from the group read as when no start group is named', () => {
    const r = consumeOptions(
      form({ topicMode: 'pattern', pattern: ' orders\\..* ', from: 'group', readAs: 'auto', group: 'g1' }),
    );
    expect(r.ok && r.value).toMatchObject({
      topicPattern: 'orders\\..*',
      start: { from: 'group', groupId: 'g1' },
      group: { groupId: 'g1', commit: 'auto', joinLiveGroup: false },
    });
    const own = consumeOptions(form({ from: 'group', startGroup: 'other', readAs: 'auto', group: 'g1' }));
    expect(own.ok && own.value.start).toEqual({ from: 'group', groupId: 'other' });
  });
  it('says what is wrong, one sentence, in the order the form reads', () => {
    expect(refusal(form({ partitions: '0, x' }))).toBe('Partitions: whole numbers separated by commas, e.g. 0, 2.');
    expect(refusal(form({ topics: [] }))).toBe('Choose a topic.');
    expect(refusal(form({ topicMode: 'pattern', pattern: ' ' }))).toBe('Write a topic pattern.');
    expect(refusal(form({ readAs: 'manual', group: '' }))).toBe('Name the group to read as.');
    expect(refusal(form({ from: 'offset', offset: '-1' }))).toBe('The start offset must be a whole number.');
    expect(refusal(form({ from: 'timestamp', time: 'soon' }))).toMatch(/^The start time: write a date and time/);
    expect(refusal(form({ from: 'group' }))).toBe('Name the group whose committed offsets to start from.');
    expect(refusal(form({ stopAt: 'later' }))).toMatch(/^Stop at: write a date and time/);
  });
});

describe('consumeFilter', () => {
  it('each kind of search, splitting at the first =', () => {
    expect(consumeFilter({ filterKind: 'text', filter: '  ' })).toBeUndefined();
    expect(consumeFilter({ filterKind: 'text', filter: ' a=b ' })).toEqual({ text: 'a=b' });
    expect(consumeFilter({ filterKind: 'regex', filter: '^x' })).toEqual({ regex: '^x' });
    expect(consumeFilter({ filterKind: 'header', filter: 'k' })).toEqual({ header: { key: 'k' } });
    expect(consumeFilter({ filterKind: 'header', filter: 'k=v=w' })).toEqual({ header: { key: 'k', value: 'v=w' } });
    expect(consumeFilter({ filterKind: 'jsonPath', filter: '$.a' })).toEqual({ jsonPath: { path: '$.a' } });
  });
});

describe('applyConsumeInput', () => {
  it('a preset fills the form, and the form gives the same options back', () => {
    const input = {
      topics: ['a', 'b'],
      start: { from: 'latest' as const, minus: 5 },
      max: 9,
      partitions: [1],
      stopAtTimestamp: Date.UTC(2026, 0, 1),
      readUncommitted: false,
      maxRecordsPerPoll: 10,
      maxMessageBytes: 2048,
      onOversize: 'skip' as const,
      group: { groupId: 'g', commit: 'auto' as const, joinLiveGroup: false },
      filter: { header: { key: 'k', value: 'v' } },
    };
    const f = newConsumeForm();
    expect(applyConsumeInput(f, input)).toEqual({ more: true });
    expect(f).toMatchObject({
      topicMode: 'topics',
      from: 'latest',
      minus: 5,
      partitions: '1',
      stopAt: '2026-01-01T00:00:00.000Z',
      maxMessageKiB: 2,
      readAs: 'auto',
      group: 'g',
      filterKind: 'header',
      filter: 'k=v',
    });
    expect(consumeOptions(f)).toEqual({ ok: true, value: input });
  });
  it('a plain preset leaves "More options" folded and takes each start kind', () => {
    const f = newConsumeForm();
    expect(applyConsumeInput(f, { topicPattern: 'x.*', start: { from: 'timestamp', timestamp: 0 } })).toEqual({
      more: false,
    });
    expect(f).toMatchObject({
      topicMode: 'pattern',
      pattern: 'x.*',
      topics: [],
      from: 'timestamp',
      time: '1970-01-01T00:00:00.000Z',
      readAs: 'none',
      filter: '',
    });
    applyConsumeInput(f, { topic: 't', start: { from: 'group', groupId: 'g' } });
    expect(f).toMatchObject({ topics: ['t'], from: 'group', startGroup: 'g' });
    applyConsumeInput(f, {
      topic: 't',
      start: { from: 'offset', offset: '12' },
      filter: { jsonPath: { path: '$.a', equals: '1' } },
    });
    expect(f).toMatchObject({ from: 'offset', offset: '12', filterKind: 'jsonPath', filter: '$.a=1' });
  });
});

describe('the lines about a run', () => {
  const result = ConsumeResult.parse({
    messages: [],
    ranges: [{ topic: 'a', partition: 0, from: '0', end: '1200' }],
    reachedEnd: true,
    scanned: 1200,
    cancelled: false,
  });
  it('the summary: count, what was scanned, the ranges', () => {
    expect(consumeSummary(result, 1200, false, false)).toBe(
      `${(1200).toLocaleString()} messages · reached the end · [0] 0→${(1200).toLocaleString()}`,
    );
    expect(consumeSummary({ ...result, cancelled: true, reachedEnd: false }, 1, true, true)).toBe(
      `1 message matched of ${(1200).toLocaleString()} scanned · cancelled · a[0] 0→${(1200).toLocaleString()}`,
    );
    const many = {
      ...result,
      ranges: Array.from({ length: 8 }, (_, p) => ({ topic: 'a', partition: p, from: '0', end: '1' })),
    };
    expect(consumeSummary(many, 0, false, false)).toMatch(/\[5\] 0→1 {2}… 2 more$/);
  });
  it('the progress line', () => {
    expect(consumeProgressLine(null, 0)).toBe('Connecting…');
    expect(
      consumeProgressLine(
        { operationId: 'op-123456', kind: 'consume', state: 'running', done: 500, total: 1000, matched: 3 },
        0,
        1000,
      ),
    ).toBe(`500 of ${(1000).toLocaleString()} scanned · 3 matched · 500/s`);
  });
  it("the tab's subject", () => {
    expect(consumeSubject({ topicMode: 'topics', topics: ['a', 'b', 'c'], pattern: '' })).toBe('a +2');
    expect(consumeSubject({ topicMode: 'topics', topics: [], pattern: '' })).toBe('');
    expect(consumeSubject({ topicMode: 'pattern', topics: [], pattern: 'o.*' })).toBe('/o.*/');
  });
});

describe('key and value formats', () => {
  it('auto everywhere adds nothing to the input; a chosen format and what to do with others do', () => {
    const plain = consumeOptions(form());
    expect(plain.ok && ['keyFormat', 'valueFormat', 'onUndecodable'].some((k) => k in plain.value)).toBe(false);
    const r = consumeOptions(form({ valueFormat: 'avro', onUndecodable: 'skip' }));
    expect(r.ok && r.value).toMatchObject({ valueFormat: 'avro', onUndecodable: 'skip' });
    expect(r.ok && 'keyFormat' in r.value).toBe(false);
    expect(ConsumePresetInput.safeParse(r.ok && r.value).success).toBe(true);
  });
  it('"messages not of this format" has no say for formats any bytes are (auto, string, bytes)', () => {
    expect(undecodableApplies({ keyFormat: 'string', valueFormat: 'bytes' })).toBe(false);
    expect(undecodableApplies({ keyFormat: 'auto', valueFormat: 'protobuf' })).toBe(true);
    const r = consumeOptions(form({ keyFormat: 'string', onUndecodable: 'stop' }));
    expect(r.ok && r.value).toMatchObject({ keyFormat: 'string' });
    expect(r.ok && 'onUndecodable' in r.value).toBe(false);
  });
  it('a preset keeps them, and opens "More options" where they are', () => {
    const r = consumeOptions(form({ keyFormat: 'string', valueFormat: 'json-schema', onUndecodable: 'stop' }));
    const back = newConsumeForm();
    expect(applyConsumeInput(back, r.ok ? r.value : {})).toEqual({ more: true });
    expect(back).toMatchObject({ keyFormat: 'string', valueFormat: 'json-schema', onUndecodable: 'stop' });
    const again = newConsumeForm();
    applyConsumeInput(again, { topic: 'orders' });
    expect(again).toMatchObject({ keyFormat: 'auto', valueFormat: 'auto', onUndecodable: 'show' });
  });
  it('the undecodable summary in a line', () => {
    const formats = { keyFormat: 'auto' as const, valueFormat: 'avro' as const };
    expect(
      undecodableText(
        {
          count: 12,
          action: 'skip',
          first: { topic: 'orders', partition: 2, offset: '17', part: 'value', reason: 'no magic byte' },
        },
        formats,
      ),
    ).toBe('12 messages were not Avro — skipped; first: orders[2] offset 17 (value): no magic byte');
    expect(undecodableText({ count: 1, action: 'stop' }, { keyFormat: 'auto', valueFormat: 'string' })).toBe(
      '1 message was not of the chosen format — the read stopped at the first',
    );
    expect(undecodableText({ count: 0, action: 'show' }, formats)).toBeNull();
    expect(undecodableText(undefined, formats)).toBeNull();
  });
});
