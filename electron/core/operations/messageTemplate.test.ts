import { describe, expect, it } from 'vitest';
import { formatJsonTemplate, renderTemplate as renderShared } from '../../contract/messageTemplate';
import { CoreError } from '../coreError';
import { hasTemplate, renderTemplate } from './messageTemplate';

describe('batch templates', () => {
  it('renders seq, uuid, now, randomInt and pick', () => {
    const out = renderTemplate(
      '{"n": {{seq}}, "id": "{{uuid}}", "at": {{now}}, "r": {{randomInt 3 5}}, "c": "{{pick "red" "blue"}}"}',
      7,
    );
    const o = JSON.parse(out) as { n: number; id: string; at: number; r: number; c: string };
    expect(o.n).toBe(7);
    expect(o.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(o.at - Date.now())).toBeLessThan(60_000);
    expect([3, 4, 5]).toContain(o.r);
    expect(['red', 'blue']).toContain(o.c);
  });

  it('randomInt covers its whole inclusive range, negative bounds and a single value', () => {
    const seen = new Set(Array.from({ length: 400 }, () => renderTemplate('{{randomInt -2 2}}', 1)));
    expect([...seen].sort()).toEqual(['-1', '-2', '0', '1', '2']);
    expect(renderTemplate('{{randomInt 9 9}}', 1)).toBe('9');
    const big = Number(renderTemplate('{{randomInt 0 9007199254740991}}', 1));
    expect(Number.isSafeInteger(big) && big >= 0).toBe(true);
  });

  it('leaves other {{names}} (preset variables) alone, and names a malformed helper', () => {
    expect(hasTemplate('{{customer}}')).toBe(false);
    expect(hasTemplate('{"n": {{ seq }}}')).toBe(true);
    expect(renderTemplate('{{customer}}-{{seq}}', 2)).toBe('{{customer}}-2');
    expect(() => renderTemplate('{{randomInt 9 1}}', 1)).toThrow(
      '{{randomInt 9 1}}: write {{randomInt MIN MAX}} with MIN ≤ MAX.',
    );
    expect(() => renderTemplate('{{randomInt 9 1}}', 1)).toThrow(CoreError);
    expect(() => renderTemplate('{{pick a b}}', 1)).toThrow('with quoted choices');
    expect(renderShared('{{randomInt 0 99999999999999999999}}', 1)).toEqual({
      ok: false,
      message: '{{randomInt 0 99999999999999999999}}: write {{randomInt MIN MAX}} with MIN ≤ MAX.',
    });
  });
});

describe('formatting JSON that holds template tags', () => {
  it('pretty-prints, keeping bare tags bare and tags in strings in their strings', () => {
    expect(
      formatJsonTemplate(
        '{"n": {{seq}}, "id": "{{uuid}}", "c": "x-{{pick "a" "b"}}-y", "r": [{{randomInt 1 9}}, "{{customer}}"]}',
      ),
    ).toEqual({
      ok: true,
      text: '{\n  "n": {{seq}},\n  "id": "{{uuid}}",\n  "c": "x-{{pick "a" "b"}}-y",\n  "r": [\n    {{randomInt 1 9}},\n    "{{customer}}"\n  ]\n}',
    });
    // the text already holds the marker's letters: another marker is chosen
    expect(formatJsonTemplate('{"kdtpl": {{seq}}, "s": "kdtpl_0_"}')).toEqual({
      ok: true,
      text: '{\n  "kdtpl": {{seq}},\n  "s": "kdtpl_0_"\n}',
    });
    expect(formatJsonTemplate('{"a":1}')).toEqual({ ok: true, text: '{\n  "a": 1\n}' });
  });

  it('says why when the text is not JSON once the tags are set aside', () => {
    const r = formatJsonTemplate('{"n": {{seq}}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^not valid JSON, template tags aside: /);
  });
});
