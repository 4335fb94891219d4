import { describe, expect, it } from 'vitest';
import { StartPosition } from './operations';
import { parseTime, startPositionFromFields, startPositionFromText, startPositionMessages } from './startPosition';

const refusal = (r: { ok: boolean; message?: string }) => (r.ok ? null : r.message);

describe('parseTime', () => {
  it('takes epoch milliseconds and dates and times (ISO, with or without a zone)', () => {
    expect(parseTime('1700000000000', 'Stop at')).toEqual({ ok: true, value: 1_700_000_000_000 });
    expect(parseTime(' 0 ', 'Stop at')).toEqual({ ok: true, value: 0 });
    expect(parseTime('2026-11-23T10:00:00Z', 'Stop at')).toEqual({ ok: true, value: Date.UTC(2026, 10, 23, 10) });
    expect(parseTime('2026-11-23T10:00:00+02:00', 'Stop at')).toEqual({ ok: true, value: Date.UTC(2026, 10, 23, 8) });
    expect(parseTime('2026-11-23 10:00', 'Stop at')).toEqual({ ok: true, value: new Date(2026, 10, 23, 10).getTime() });
  });
  it('refuses what is not a time, an empty text and times before 1970, naming the field', () => {
    for (const bad of ['yesterday-ish', '', '   ', '1960-01-01T00:00:00Z', '12:00']) {
      expect(refusal(parseTime(bad, 'Stop at'))).toBe(startPositionMessages.time('Stop at'));
    }
    expect(startPositionMessages.time('Time to')).toMatch(/^Time to: write a date and time .*epoch milliseconds\.$/);
  });
});

describe('startPositionFromText (the command line)', () => {
  it('reads every form the CLI documents', () => {
    expect(startPositionFromText('earliest')).toEqual({ ok: true, value: { from: 'earliest' } });
    expect(startPositionFromText('beginning')).toEqual({ ok: true, value: { from: 'earliest' } });
    expect(startPositionFromText('latest')).toEqual({ ok: true, value: { from: 'latest', minus: 0 } });
    expect(startPositionFromText('end')).toEqual({ ok: true, value: { from: 'latest', minus: 0 } });
    expect(startPositionFromText('-25')).toEqual({ ok: true, value: { from: 'latest', minus: 25 } });
    expect(startPositionFromText('offset:42')).toEqual({ ok: true, value: { from: 'offset', offset: '42' } });
    expect(startPositionFromText('timestamp:2026-11-23T10:00:00Z')).toEqual({
      ok: true,
      value: { from: 'timestamp', timestamp: Date.UTC(2026, 10, 23, 10) },
    });
    expect(startPositionFromText('timestamp:1700000000000')).toEqual({
      ok: true,
      value: { from: 'timestamp', timestamp: 1_700_000_000_000 },
    });
  });
  it("starts from a group's committed offsets when asked (or when nothing is written and a group is given)", () => {
    expect(startPositionFromText('group', { group: 'billing' })).toEqual({
      ok: true,
      value: { from: 'group', groupId: 'billing' },
    });
    expect(startPositionFromText('', { group: 'billing' })).toEqual({
      ok: true,
      value: { from: 'group', groupId: 'billing' },
    });
    expect(refusal(startPositionFromText('group', { what: '--from group' }))).toBe(
      '--from group: name the group whose committed offsets to start from.',
    );
  });
  it('refuses with the sentence the screens use, after what was written', () => {
    expect(refusal(startPositionFromText('offset:abc', { what: '--from offset:abc' }))).toBe(
      '--from offset:abc: the start offset must be a whole number.',
    );
    expect(refusal(startPositionFromText('timestamp:soon', { what: '--from timestamp:soon' }))).toBe(
      startPositionMessages.time('--from timestamp:soon'),
    );
    expect(refusal(startPositionFromText('yesterday', { what: '--from yesterday' }))).toMatch(
      /^--from yesterday: use earliest, latest, -N \(the last N\), offset:N, timestamp:TIME or group/,
    );
    expect(refusal(startPositionFromText('-x'))).toMatch(/^-x: use earliest/);
    expect(refusal(startPositionFromText(''))).toMatch(/: use earliest/);
  });
});

describe('startPositionFromFields (the screens)', () => {
  it('maps each kind to the contract, ignoring the other fields', () => {
    const fields = { minus: 7, offset: ' 12 ', time: '2026-11-23T10:00:00Z', groupId: ' g ' };
    expect(startPositionFromFields({ ...fields, from: 'earliest' })).toEqual({ ok: true, value: { from: 'earliest' } });
    expect(startPositionFromFields({ ...fields, from: 'latest' })).toEqual({
      ok: true,
      value: { from: 'latest', minus: 7 },
    });
    expect(startPositionFromFields({ ...fields, from: 'offset' })).toEqual({
      ok: true,
      value: { from: 'offset', offset: '12' },
    });
    expect(startPositionFromFields({ ...fields, from: 'timestamp' })).toEqual({
      ok: true,
      value: { from: 'timestamp', timestamp: Date.UTC(2026, 10, 23, 10) },
    });
    expect(startPositionFromFields({ ...fields, from: 'group' })).toEqual({
      ok: true,
      value: { from: 'group', groupId: 'g' },
    });
    expect(startPositionFromFields({ from: 'latest' })).toEqual({ ok: true, value: { from: 'latest', minus: 0 } });
  });
  it('every accepted position is one the contract takes', () => {
    for (const from of ['earliest', 'latest', 'offset', 'timestamp', 'group'] as const) {
      const r = startPositionFromFields({ from, minus: 3, offset: '5', time: '0', groupId: 'g' });
      expect(r.ok && StartPosition.safeParse(r.value).success).toBe(true);
    }
  });
  it('refuses with one sentence per field', () => {
    expect(refusal(startPositionFromFields({ from: 'offset', offset: '1.5' }))).toBe(
      'The start offset must be a whole number.',
    );
    expect(refusal(startPositionFromFields({ from: 'offset', offset: '' }))).toBe(
      'The start offset must be a whole number.',
    );
    expect(refusal(startPositionFromFields({ from: 'timestamp', time: 'soon' }))).toBe(
      startPositionMessages.time('The start time'),
    );
    expect(refusal(startPositionFromFields({ from: 'group', groupId: '  ' }))).toBe(
      'Name the group whose committed offsets to start from.',
    );
    expect(refusal(startPositionFromFields({ from: 'latest', minus: -1 }))).toBe(startPositionMessages.minus);
    expect(refusal(startPositionFromFields({ from: 'latest', minus: 1.5 }))).toBe(startPositionMessages.minus);
  });
});
