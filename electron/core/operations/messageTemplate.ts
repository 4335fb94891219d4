import { randomInt, randomUUID } from 'node:crypto';
import { CoreError } from '../coreError';

/**
 * Batch templates: `{{seq}}` (1, 2, …), `{{uuid}}`, `{{now}}` (epoch ms), `{{iso}}` (ISO time),
 * `{{randomInt 1 100}}` (inclusive), `{{pick "a" "b" …}}`. A small documented set, written here
 * because the general template libraries (Handlebars and the like) escape and evaluate more than a
 * message body should.
 */
export const TEMPLATE_HELPERS = ['seq', 'uuid', 'now', 'iso', 'randomInt', 'pick'] as const;

const TAG = /\{\{\s*(seq|uuid|now|iso|randomInt|pick)\b([^}]*)\}\}/g;

export function hasTemplate(s: string): boolean {
  return new RegExp(TAG.source).test(s);
}

export function renderTemplate(s: string, seq: number): string {
  return s.replace(TAG, (whole, name: string, args: string) => {
    const a = args.trim();
    switch (name) {
      case 'seq':
        return String(seq);
      case 'uuid':
        return randomUUID();
      case 'now':
        return String(Date.now());
      case 'iso':
        return new Date().toISOString();
      case 'randomInt': {
        const m = /^(-?\d+)\s+(-?\d+)$/.exec(a);
        if (!m || Number(m[1]) > Number(m[2])) throw new CoreError('INVALID_INPUT', `${whole}: write {{randomInt MIN MAX}} with MIN ≤ MAX.`);
        return String(randomInt(Number(m[1]), Number(m[2]) + 1));
      }
      case 'pick': {
        const choices = [...a.matchAll(/"((?:\\.|[^"\\])*)"/g)].map((x) => x[1]!.replace(/\\(.)/g, '$1'));
        if (!choices.length) throw new CoreError('INVALID_INPUT', `${whole}: write {{pick "a" "b"}} with quoted choices.`);
        return choices[randomInt(choices.length)]!;
      }
      default:
        return whole;
    }
  });
}
