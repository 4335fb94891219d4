import type { ConsumedMessage, WireBytes } from '../../../electron/contract';

/**
 * What never goes into the command as it is: C0 controls (newline, CR, ESC…), DEL and C1 (all of them
 * \p{Cc}), the bidi controls that reorder what an editor or a terminal shows (\p{Bidi_Control}:
 * U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the line and paragraph separators, and
 * lone surrogates (not text at all).
 */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]|\p{Cs}/u;
const UNSAFE_ALL = /[\p{Cc}\p{Bidi_Control}\u2028\u2029\\]|\p{Cs}/gu;
/** The characters Kafka allows in a topic name. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Text in single quotes (a quote inside as '\''): nothing in it is expanded, by sh, bash or zsh. */
const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/** Text shown in a comment, JSON-style: control, bidi and the like as \n, \u001b, \u202e; backslash as \\. At most 200 characters. */
function visible(s: string): string {
  const escaped = s.replace(UNSAFE_ALL, (c) => {
    if (c === '\\') return '\\\\';
    const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}

/**
 * A comment line. The offending text is escaped and in single quotes, and the sentence itself holds
 * nothing a shell acts on: pasted into a shell that does not take # as a comment (interactive zsh),
 * the line is still only an unknown command `#`.
 */
const note = (...parts: string[]) => `# ${parts.join(' ')}`;
const shown = (s: string) => q(visible(s));

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The bytes a key, value or header value stands for; null for bytes that are not base64 at all. */
function bytesOf(w: Exclude<WireBytes, null>): Uint8Array | null {
  if (typeof w === 'string') return utf8.encode(w);
  if (typeof w.base64 !== 'string' || !BASE64.test(w.base64)) return null;
  try {
    const s = atob(w.base64);
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** How a message part is shown in a comment: its text escaped, or its bytes as base64. */
const partShown = (w: Exclude<WireBytes, null>) =>
  typeof w === 'string' ? shown(w) : `base64 ${shown(typeof w.base64 === 'string' ? w.base64 : '')}`;

/** Text that can go in single quotes as it is, or null (control characters, bidi controls, bytes that are not UTF-8). */
function plainText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return null;
  }
  return UNSAFE.test(text) ? null : text;
}

/**
 * A shell command that makes kcat produce this message again. Everything taken from the message is
 * quoted or refused: text without control characters goes in single quotes; bytes with control
 * characters, or that are not UTF-8, go through a shell variable set from base64 (a trailing `x`
 * keeps trailing newlines), so the command's text holds no control character but the newlines
 * between its lines. The value goes through a temporary file, which kcat sends as one whole message
 * (`base64 -d` writes bytes that are not plain text); a null value is an empty line with -Z, a
 * tombstone. The broker list is the connection's bootstrap servers (BROKER, with a note, when none
 * is known). The partition is kept; the key and headers are flags. What kcat cannot express is
 * left out and named, escaped, in a comment: a NUL byte in a key or a header (kcat reads C strings),
 * a header name that holds '=' or is empty; a topic name Kafka does not allow gives no command at all.
 */
export function kcatCommand(
  m: Pick<ConsumedMessage, 'topic' | 'partition' | 'key' | 'value' | 'headers'>,
  servers: string | readonly string[] = [],
): string {
  const notes: string[] = [];
  const setup: string[] = [];

  if (typeof m.topic !== 'string' || !TOPIC_NAME.test(m.topic) || m.topic === '.' || m.topic === '..') {
    return note(
      'the topic',
      shown(String(m.topic)),
      'is not a Kafka topic name, so there is no kcat command for this message',
    );
  }

  /** A shell word for these bytes: quoted text, or "$name" set from base64 on a line before the command. */
  const word = (name: string, bytes: Uint8Array): string => {
    const text = plainText(bytes);
    if (text !== null) return q(text);
    setup.push(`${name}=$(printf '%s' ${q(toBase64(bytes))} | base64 -d; printf x); ${name}=\${${name}%x}`);
    return `"$${name}"`;
  };

  // the connection's bootstrap servers, comma-separated as kcat takes them (from a saved connection: quoted like the rest)
  const list = typeof servers === 'string' ? [servers] : [...servers];
  const broker = list.filter((s) => typeof s === 'string' && s !== '').join(',');
  let brokerWord = q('BROKER');
  if (broker === '') notes.push(note('no bootstrap servers known for this message: write them in place of BROKER'));
  else if (UNSAFE.test(broker))
    notes.push(note('the bootstrap servers', shown(broker), 'hold control characters: write them in place of BROKER'));
  else brokerWord = q(broker);
  const args = ['kcat', '-b', brokerWord, '-P', '-t', q(m.topic)];
  if (Number.isSafeInteger(m.partition) && m.partition >= 0) args.push('-p', String(m.partition));
  else
    notes.push(
      note(
        'the partition',
        shown(String(m.partition)),
        'is not a partition number: left out, so the partitioner chooses one',
      ),
    );

  const tombstone = m.value === null;
  // the key: a flag, or for a tombstone the part of the input line before the tab
  let key: Uint8Array | null = null;
  if (m.key !== null) {
    const bytes = bytesOf(m.key);
    if (bytes === null) notes.push(note('the key', partShown(m.key), 'is not base64: left out'));
    else if (bytes.includes(0))
      notes.push(note('the key', partShown(m.key), 'holds a NUL byte, which kcat cannot send: left out'));
    else if (tombstone && (bytes.includes(0x09) || bytes.includes(0x0a)))
      notes.push(
        note(
          'the key',
          partShown(m.key),
          'holds a tab or a newline, which kcat cannot send with a null value: left out',
        ),
      );
    else {
      key = bytes;
      if (tombstone && bytes.length === 0)
        notes.push(note('the key is empty: with -Z kcat sends an empty key as no key'));
    }
  }
  if (key !== null && !tombstone) args.push('-k', word('k', key));

  let h = 0;
  for (const [name, value] of m.headers) {
    if (name === '') {
      notes.push(note('a header with an empty name: kcat cannot send it, left out'));
      continue;
    }
    if (name.includes('=')) {
      notes.push(note('the header', shown(name), 'has = in its name, which kcat cannot send: left out'));
      continue;
    }
    const nameBytes = utf8.encode(name);
    const valueBytes = value === null ? null : bytesOf(value);
    if (value !== null && valueBytes === null) {
      notes.push(note('the header', shown(name), 'has a value that is not base64: left out'));
      continue;
    }
    if (nameBytes.includes(0) || valueBytes?.includes(0)) {
      notes.push(note('the header', shown(name), 'holds a NUL byte, which kcat cannot send: left out'));
      continue;
    }
    // kcat splits -H at the first '=': name=value, or a name alone for a null value
    const arg = valueBytes === null ? nameBytes : new Uint8Array([...nameBytes, 0x3d, ...valueBytes]);
    h += 1;
    args.push('-H', word(`h${h}`, arg));
  }

  if (m.value === null) {
    // a null value (a tombstone): one line "key<TAB>" with -Z, which kcat sends as a null value
    const line = `printf '%s\\t\\n' ${key === null ? "''" : word('k', key)} | ${args.join(' ')} -K '\\t' -Z`;
    return [...notes, ...setup, line].join('\n');
  }
  const bytes = bytesOf(m.value);
  if (bytes === null)
    return [
      ...notes,
      note('the value', partShown(m.value), 'is not base64, so there is no kcat command for this message'),
    ].join('\n');
  if (bytes.length === 0) notes.push(note('the value is empty: kcat sends nothing for an empty file'));
  const text = typeof m.value === 'string' ? plainText(bytes) : null;
  const write =
    text !== null ? `printf '%s' ${q(text)} > "$f"` : `printf '%s' ${q(toBase64(bytes))} | base64 -d > "$f"`;
  return [...notes, ...setup, `f=$(mktemp) && ${write} && ${args.join(' ')} "$f"; rm -f "$f"`].join('\n');
}
