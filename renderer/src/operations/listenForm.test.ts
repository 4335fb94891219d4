import { describe, expect, it } from 'vitest';
import { listenRunning, listenStart, listenStateType, newListenForm, type ListenForm } from './listenForm';

const form = (over: Partial<ListenForm>): ListenForm => ({ ...newListenForm(), topic: 't', ...over });

describe('listenStart', () => {
  it('from now, the last N, the beginning, an offset, a time', () => {
    expect(listenStart(form({ from: 'latest', minus: 30 }))).toEqual({ ok: true, value: { from: 'latest', minus: 0 } });
    expect(listenStart(form({ from: 'minus', minus: 30 }))).toEqual({ ok: true, value: { from: 'latest', minus: 30 } });
    expect(listenStart(form({ from: 'earliest' }))).toEqual({ ok: true, value: { from: 'earliest' } });
    expect(listenStart(form({ from: 'offset', offset: ' 9 ' }))).toEqual({
      ok: true,
      value: { from: 'offset', offset: '9' },
    });
    expect(listenStart(form({ from: 'timestamp', time: '1700000000000' }))).toEqual({
      ok: true,
      value: { from: 'timestamp', timestamp: 1_700_000_000_000 },
    });
  });
  it("refuses with Consume's sentences", () => {
    expect(listenStart(form({ from: 'offset', offset: 'x' }))).toEqual({
      ok: false,
      message: 'The start offset must be a whole number.',
    });
    const t = listenStart(form({ from: 'timestamp', time: 'now-ish' }));
    expect(!t.ok && t.message).toMatch(
      /^The start time: write a date and time \(2026-11-23T10:00:00Z.*\) or epoch milliseconds\.$/,
    );
  });
});

describe('the state', () => {
  it('running until stopped or failed; a tag colour for each', () => {
    expect(['starting', 'running', 'paused', 'reconnecting'].every((s) => listenRunning(s as never))).toBe(true);
    expect(listenRunning('stopped') || listenRunning('failed') || listenRunning(undefined)).toBe(false);
    expect(listenStateType('running')).toBe('success');
    expect(listenStateType(undefined)).toBe('default');
  });
});
