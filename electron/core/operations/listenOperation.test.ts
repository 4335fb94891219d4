import { describe, expect, it } from 'vitest';
import type { ConsumedMessage } from '../../contract';
import { SessionStore } from './listenOperation';

const m = (offset: number): ConsumedMessage => ({ topic: 't', partition: 0, offset: String(offset), timestamp: '0', timestampType: 'CreateTime', key: null, value: `v${offset}`, headers: [], size: 2 });

describe("a Listen's session store", () => {
  it('keeps everything up to its cap, then drops the oldest and counts them', () => {
    const s = new SessionStore(5);
    s.add([m(0), m(1), m(2)]);
    expect(s.page(0, 10).map((x) => x.offset)).toEqual(['0', '1', '2']);
    s.add([m(3), m(4), m(5), m(6)]);
    expect(s.size).toBe(5);
    expect(s.dropped).toBe(2);
    expect(s.page(0, 10).map((x) => x.offset)).toEqual(['2', '3', '4', '5', '6']);
    expect(s.page(3, 10).map((x) => x.offset)).toEqual(['5', '6']);
    for (let i = 7; i < 30; i++) s.add([m(i)]);
    expect(s.page(0, 10).map((x) => x.offset)).toEqual(['25', '26', '27', '28', '29']);
    expect(s.dropped).toBe(25);
  });
});
