/**
 * Batch templates: `{{seq}}` (1, 2, …), `{{uuid}}`, `{{now}}` (epoch ms), `{{iso}}` (ISO time),
 * `{{randomInt 1 100}}` (inclusive), `{{pick "a" "b" …}}`. A small documented set, written here
 * because the general template libraries (Handlebars and the like) escape and evaluate more than a
 * message body should. Pure (Web Crypto for the random parts), so the core renders the messages it
 * sends and the window renders a sample to check, with the same code.
 */
export const TEMPLATE_HELPERS = ['seq', 'uuid', 'now', 'iso', 'randomInt', 'pick'] as const;

const TAG = /\{\{\s*(seq|uuid|now|iso|randomInt|pick)\b([^}]*)\}\}/g;

/** What rendering gives: the text, or a sentence naming the tag that cannot be rendered. */
export type TemplateResult = { ok: true; text: string } | { ok: false; message: string };

export function hasTemplate(s: string): boolean {
  return new RegExp(TAG.source).test(s);
}

/** A whole number in [0, n) from Web Crypto, without modulo bias (n a safe integer ≥ 1). */
function randomBelow(n: number): number {
  const words = new Uint32Array(2);
  if (n <= 0x1_0000_0000) {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      globalThis.crypto.getRandomValues(words);
      if (words[0]! < limit) return words[0]! % n;
    }
  }
  const space = 2 ** 53;
  const limit = Math.floor(space / n) * n;
  for (;;) {
    globalThis.crypto.getRandomValues(words);
    const x = (words[0]! & 0x1f_ffff) * 0x1_0000_0000 + words[1]!;
    if (x < limit) return x % n;
  }
}

/** Renders every helper tag for message number `seq`; other `{{names}}` (preset variables) are left as they are. */
export function renderTemplate(s: string, seq: number): TemplateResult {
  let failure: string | null = null;
  const text = s.replace(TAG, (whole, name: string, args: string) => {
    const a = args.trim();
    switch (name) {
      case 'seq':
        return String(seq);
      case 'uuid':
        return globalThis.crypto.randomUUID();
      case 'now':
        return String(Date.now());
      case 'iso':
        return new Date().toISOString();
      case 'randomInt': {
        const m = /^(-?\d+)\s+(-?\d+)$/.exec(a);
        const min = Number(m?.[1]);
        const max = Number(m?.[2]);
        if (!m || !Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max || max - min + 1 > 2 ** 53) {
          failure ??= `${whole}: write {{randomInt MIN MAX}} with MIN ≤ MAX.`;
          return whole;
        }
        return String(min + randomBelow(max - min + 1));
      }
      case 'pick': {
        const choices = [...a.matchAll(/"((?:\\.|[^"\\])*)"/g)].map((x) => x[1]!.replace(/\\(.)/g, '$1'));
        if (!choices.length) {
          failure ??= `${whole}: write {{pick "a" "b"}} with quoted choices.`;
          return whole;
        }
        return choices[randomBelow(choices.length)]!;
      }
      default:
        return whole;
    }
  });
  return failure === null ? { ok: true, text } : { ok: false, message: failure };
}

/** Any `{{…}}`: a helper tag or a preset variable, kept as it is by formatting. */
const ANY_TAG = /\{\{[^{}]*\}\}/g;

/**
 * JSON that holds template tags, pretty-printed with two spaces, the tags kept as they were: a tag
 * inside a string stays in it, a tag where a value (or a key) stands stays bare. Text that is not
 * JSON once its tags are set aside gives JSON's reason.
 */
export function formatJsonTemplate(s: string): TemplateResult {
  const tags = [...s.matchAll(ANY_TAG)].map((m) => ({ at: m.index, text: m[0] }));
  // a marker that the text does not hold, so putting the tags back touches nothing else
  let base = 'kdtpl';
  while (s.includes(base)) base += 'x';
  const inString: boolean[] = [];
  let out = '';
  let quoted = false;
  let escaped = false;
  let next = 0;
  for (let i = 0; i < s.length;) {
    const tag = tags[next];
    if (tag && tag.at === i) {
      const marker = `${base}_${next}_`;
      inString.push(quoted);
      out += quoted ? marker : `"${marker}"`;
      i += tag.text.length;
      next += 1;
      escaped = false;
      continue;
    }
    const c = s[i]!;
    if (quoted) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    out += c;
    i += 1;
  }
  let pretty: string;
  try {
    pretty = JSON.stringify(JSON.parse(out), null, 2);
  } catch (e) {
    return {
      ok: false,
      message: `not valid JSON, template tags aside: ${(e as Error).message.replaceAll(base, 'TAG')}`,
    };
  }
  pretty = pretty.replace(
    new RegExp(`"${base}_(\\d+)_"|${base}_(\\d+)_`, 'g'),
    (whole, quotedAt: string | undefined, bareAt: string | undefined) => {
      const n = Number(quotedAt ?? bareAt);
      const tag = tags[n]?.text;
      if (tag === undefined) return whole;
      // a string that is the marker alone: a bare tag, or a string that held only the tag
      if (quotedAt !== undefined) return inString[n] ? `"${tag}"` : tag;
      return inString[n] ? tag : whole;
    },
  );
  return { ok: true, text: pretty };
}
