import type { StartPosition } from './operations';

/**
 * Where a read starts and the times it takes, parsed once for every host: the command line's text
 * (`--from -10`, `--from timestamp:…`) and the screens' fields (Consume, Listen, Produce's timestamp,
 * the table's time filter). The same input gets the same sentence everywhere; the CLI turns a refusal
 * into its INVALID_INPUT error, a screen shows it under its form.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = (message: string): Parsed<never> => ({ ok: false, message });

/**
 * The one set of sentences. A screen shows them as they are (its field is beside them); the text form
 * puts what was written in front (`--from offset:x: the start offset must be a whole number.`).
 */
export const startPositionMessages = {
  time: (what: string) =>
    `${what}: write a date and time (2026-11-23T10:00:00Z, or 2026-11-23 10:00 local time) or epoch milliseconds.`,
  offset: 'The start offset must be a whole number.',
  minus: 'How many messages back from the end: a whole number, 0 or more.',
  group: 'Name the group whose committed offsets to start from.',
  text: "Use earliest, latest, -N (the last N), offset:N, timestamp:TIME or group (a group's committed offsets).",
};

/** `what: sentence`, the sentence's first letter in lower case. */
const about = (what: string, sentence: string) =>
  no(`${what}: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`);

/**
 * A point in time: epoch milliseconds (digits only) or a date and time as `Date.parse` reads it (ISO
 * 8601; without a zone, local time). Before 1970 is refused: the contract's timestamps are never negative.
 */
export function parseTime(text: string, what: string): Parsed<number> {
  const s = text.trim();
  const t = /^\d+$/.test(s) ? Number(s) : s ? Date.parse(s) : Number.NaN;
  return Number.isNaN(t) || t < 0 ? no(startPositionMessages.time(what)) : ok(t);
}

/**
 * The command line's form: `earliest` (or `beginning`), `latest` (or `end`), `-N` (the last N of
 * each partition), `offset:N`, `timestamp:TIME`, or `group` — the committed offsets of `group`, which
 * an empty text means too when a group is given. `what` names it in a refusal (e.g. `--from -x`).
 */
export function startPositionFromText(
  text: string,
  options: { group?: string; what?: string } = {},
): Parsed<StartPosition> {
  const v = text.trim();
  const what = options.what ?? v;
  const group = options.group?.trim();
  if (v === 'group' || (v === '' && group))
    return group ? ok({ from: 'group', groupId: group }) : about(what, startPositionMessages.group);
  if (v === 'earliest' || v === 'beginning') return ok({ from: 'earliest' });
  if (v === 'latest' || v === 'end') return ok({ from: 'latest', minus: 0 });
  if (/^-\d+$/.test(v)) return ok({ from: 'latest', minus: Number(v.slice(1)) });
  if (v.startsWith('offset:'))
    return /^\d+$/.test(v.slice(7))
      ? ok({ from: 'offset', offset: v.slice(7) })
      : about(what, startPositionMessages.offset);
  if (v.startsWith('timestamp:')) {
    const t = parseTime(v.slice(10), what);
    return t.ok ? ok({ from: 'timestamp', timestamp: t.value }) : t;
  }
  return about(what, startPositionMessages.text);
}

/** A screen's start fields: the chosen kind and the field that goes with it (the others are ignored). */
export interface StartFields {
  from: StartPosition['from'];
  /** For `latest`: how many back from the end (a cleared number field is null). */
  minus?: number | null;
  offset?: string;
  time?: string;
  groupId?: string;
}

/** The screens' form, with the same rules and sentences as the text form. */
export function startPositionFromFields(f: StartFields): Parsed<StartPosition> {
  switch (f.from) {
    case 'latest': {
      const minus = f.minus ?? 0;
      return Number.isSafeInteger(minus) && minus >= 0
        ? ok({ from: 'latest', minus })
        : no(startPositionMessages.minus);
    }
    case 'offset': {
      const offset = (f.offset ?? '').trim();
      return /^\d+$/.test(offset) ? ok({ from: 'offset', offset }) : no(startPositionMessages.offset);
    }
    case 'timestamp': {
      const t = parseTime(f.time ?? '', 'The start time');
      return t.ok ? ok({ from: 'timestamp', timestamp: t.value }) : t;
    }
    case 'group': {
      const groupId = (f.groupId ?? '').trim();
      return groupId ? ok({ from: 'group', groupId }) : no(startPositionMessages.group);
    }
    default:
      return ok({ from: 'earliest' });
  }
}
