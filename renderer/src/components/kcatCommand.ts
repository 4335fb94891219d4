import type { ConsumedMessage, WireBytes } from '../../../electron/contract';

const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/**
 * A shell command that makes kcat produce this message again. The value goes through a temporary
 * file, which kcat sends as one whole message (so newlines stay inside it; kcat reads nothing from
 * a pipe in that mode); binary bytes are written with `base64 -d`; a null value is an empty line
 * with -Z. The partition is kept; a text key and headers are flags. kcat cannot take a binary key or
 * header value on its command line: the command says so in a comment instead of sending other bytes.
 */
export function kcatCommand(m: Pick<ConsumedMessage, 'topic' | 'partition' | 'key' | 'value' | 'headers'>, broker = 'BROKER'): string {
  const notes: string[] = [];
  const args = ['kcat', '-b', broker, '-P', '-t', q(m.topic), '-p', String(m.partition)];
  if (typeof m.key === 'string') args.push('-k', q(m.key));
  else if (m.key !== null) notes.push('# the key is binary: kcat cannot set it from the command line; it is left out');
  for (const [k, v] of m.headers) {
    if (typeof v === 'string') args.push('-H', q(`${k}=${v}`));
    else if (v === null) args.push('-H', q(k));
    else notes.push(`# header ${k} has a binary value: kcat cannot send it; it is left out`);
  }
  if (m.value === null) {
    // a null value (a tombstone): one line "key<TAB>" with -Z, which kcat sends as a null value
    const key = typeof m.key === 'string' ? m.key : '';
    const argsNoKey = args.filter((a, i) => a !== '-k' && args[i - 1] !== '-k');
    if (/[\t\n]/.test(key)) notes.push('# the key holds a tab or a newline: edit the command by hand');
    return [...notes, `printf '%s\\t\\n' ${q(key)} | ${argsNoKey.join(' ')} -K '\\t' -Z`].join('\n');
  }
  const write = (w: Exclude<WireBytes, null>) => (typeof w === 'string' ? `printf '%s' ${q(w)} > "$f"` : `printf '%s' ${q(w.base64)} | base64 -d > "$f"`);
  return [...notes, `f=$(mktemp) && ${write(m.value)} && ${args.join(' ')} "$f"; rm -f "$f"`].join('\n');
}
