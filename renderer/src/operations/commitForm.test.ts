import { describe, expect, it } from 'vitest';
import { ConsumeResult } from '../../../electron/contract';
import { COMMIT_FORM_MESSAGE, commitRequest, commitRows, lastReadOf, parseOffsetPairs } from './commitForm';

describe('commitRequest', () => {
  it('partition:offset pairs, separated by commas or spaces', () => {
    expect(parseOffsetPairs('0:42, 1:17 2:0')).toEqual([
      { partition: 0, offset: '42' },
      { partition: 1, offset: '17' },
      { partition: 2, offset: '0' },
    ]);
    expect(commitRequest({ group: ' g ', topic: 't', offsets: '0:42' })).toEqual({
      ok: true,
      value: { groupId: 'g', topic: 't', offsets: [{ partition: 0, offset: '42' }] },
    });
  });
  it('one sentence for a missing group, topic or malformed offsets', () => {
    for (const f of [
      { group: '', topic: 't', offsets: '0:1' },
      { group: 'g', topic: null, offsets: '0:1' },
      { group: 'g', topic: 't', offsets: '' },
      { group: 'g', topic: 't', offsets: '0:1:2' },
      { group: 'g', topic: 't', offsets: '0:-1' },
    ]) {
      expect(commitRequest(f)).toEqual({ ok: false, message: COMMIT_FORM_MESSAGE });
    }
  });
});

describe('lastReadOf', () => {
  const base = { messages: [], ranges: [], reachedEnd: true, scanned: 0 };
  it("a group's offsets to commit, sorted by partition; the other topics counted", () => {
    const r = ConsumeResult.parse({
      ...base,
      group: {
        groupId: 'g',
        committed: false,
        offsets: [
          { topic: 'a', partition: 2, offset: '5' },
          { topic: 'a', partition: 0, offset: '9' },
          { topic: 'b', partition: 0, offset: '1' },
        ],
      },
      nextOffsets: [{ topic: 'z', partition: 0, offset: '1' }],
    });
    expect(lastReadOf(r)).toEqual({ topic: 'a', group: 'g', offsets: '0:9, 2:5', otherTopics: 1 });
  });
  it('without a group, the next offsets to read; nothing read, nothing offered', () => {
    expect(
      lastReadOf(ConsumeResult.parse({ ...base, nextOffsets: [{ topic: 'a', partition: 1, offset: '3' }] })),
    ).toEqual({ topic: 'a', group: null, offsets: '1:3', otherTopics: 0 });
    expect(lastReadOf(ConsumeResult.parse(base))).toBeNull();
  });
});

describe('commitRows', () => {
  it('before and after per partition', () => {
    expect(
      commitRows({
        groupId: 'g',
        topic: 't',
        before: [{ partition: 1, offset: '3' }],
        after: [
          { partition: 0, offset: '4' },
          { partition: 1, offset: '5' },
        ],
      }),
    ).toEqual([
      { partition: 0, before: null, after: '4' },
      { partition: 1, before: '3', after: '5' },
    ]);
  });
});
