import { RE2JS } from 're2js';
import { CoreError } from '../coreError';

/**
 * Regular expressions from users (consume search, table and capture filters, topic patterns) run in
 * the main process next to the data. JavaScript's engine backtracks: `(a+)+$` against 40 characters
 * blocks the event loop for minutes and Cancel can never arrive. RE2 semantics (re2js, a pure
 * JavaScript port of Google's RE2) match in time linear in the text, whatever the pattern; what RE2
 * cannot do in linear time (look-around, back-references) is refused with a sentence.
 */
export interface SafeRegex {
  readonly source: string;
  test(text: string): boolean;
}

export const REGEX_SUPPORTED =
  'Kafka Desk matches regular expressions in linear time (RE2 syntax): look-ahead and look-behind ((?=, (?!, (?<=, (?<!) and back-references (\\1) are not supported.';

const cache = new Map<string, SafeRegex>();

/** Compiles (and caches) a pattern; a pattern RE2 does not take is an INVALID_INPUT naming `field`. */
export function compileRegex(
  source: string,
  options: { ignoreCase?: boolean; field?: string; what?: string; shown?: string } = {},
): SafeRegex {
  const key = `${options.ignoreCase ? 'i' : ''}/${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    const said = String((e as Error).message ?? e).replace(/^error parsing regexp:\s*/, '');
    const what = options.what ?? 'The regular expression';
    const shown = options.shown ?? source;
    throw new CoreError(
      'INVALID_INPUT',
      `${what} /${shown.length > 80 ? `${shown.slice(0, 77)}…` : shown}/ is not valid here: ${said}. ${REGEX_SUPPORTED}`,
      String(e),
      [{ path: options.field ?? 'regex', message: `not a regular expression Kafka Desk can run (${said})` }],
    );
  }
  const compiled: SafeRegex = { source, test: (text) => re.test(text) };
  if (cache.size > 100) cache.clear();
  cache.set(key, compiled);
  return compiled;
}
