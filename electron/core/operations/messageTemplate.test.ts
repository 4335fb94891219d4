import { describe, expect, it } from 'vitest';
import { hasTemplate, renderTemplate } from './messageTemplate';

describe('batch templates', () => {
  it('renders seq, uuid, now, randomInt and pick', () => {
    const out = renderTemplate('{"n": {{seq}}, "id": "{{uuid}}", "at": {{now}}, "r": {{randomInt 3 5}}, "c": "{{pick "red" "blue"}}"}', 7);
    const o = JSON.parse(out) as { n: number; id: string; at: number; r: number; c: string };
    expect(o.n).toBe(7);
    expect(o.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(o.at - Date.now())).toBeLessThan(60_000);
    expect([3, 4, 5]).toContain(o.r);
    expect(['red', 'blue']).toContain(o.c);
  });

  it('leaves other {{names}} (preset variables) alone, and names a malformed helper', () => {
    expect(hasTemplate('{{customer}}')).toBe(false);
    expect(renderTemplate('{{customer}}-{{seq}}', 2)).toBe('{{customer}}-2');
    expect(() => renderTemplate('{{randomInt 9 1}}', 1)).toThrow('{{randomInt 9 1}}: write {{randomInt MIN MAX}} with MIN ≤ MAX.');
    expect(() => renderTemplate('{{pick a b}}', 1)).toThrow('with quoted choices');
  });
});
