/**
 * Checks a krb5.conf the way MIT's profile library reads it (src/util/profile/prof_parse.c: sections,
 * `name = value` relations, `name = { … }` subsections, `#` / `;` comments, include directives), so a
 * file that is not a krb5.conf is refused with the line that is wrong instead of failing later as
 * "Cannot find KDC", and so that what it makes krb5 do beyond Kafka Desk's copy is known: the other
 * files it reads (`includes`) and the shared libraries it loads (`loadsCode`).
 * Hand-written: the format is not INI (nested braces), and no maintained npm parser reads it.
 */
import type { Krb5ConfLine } from '../../contract';

export interface Krb5ConfSummary {
  defaultRealm: string;
  realms: string[];
  /** `include FILE` / `includedir DIR` lines: files outside Kafka Desk's copy that krb5 will also read. */
  includes: Krb5ConfLine[];
  /**
   * Lines that make the Kerberos library load a shared library: a `module` directive, a [plugins]
   * section with anything in it (and each `module = name:path` there), `plugin_base_dir` (Heimdal:
   * `plugin_dir`, `ccapi_library`) in [libdefaults], and PKINIT settings naming a PKCS#11 module.
   */
  loadsCode: Krb5ConfLine[];
}

export class Krb5ConfError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * The profile library reads a file with fgets into 2048 bytes: the rest of a longer line is parsed as
 * a line of its own (a comment's tail can be an include directive). Such lines are refused.
 */
const MAX_LINE_BYTES = 2047;

/** The first control character a text krb5.conf never holds (tab is allowed; a carriage return only before the newline). */
function controlCharacter(line: string): number | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return c;
  }
  return undefined;
}

/** A line as a person may safely see it: invisible and control characters written as <U+XXXX>, long lines cut. */
function shown(text: string): string {
  const visible = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) =>
    c === '\t' ? ' ' : `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
  return visible.length > 200 ? `${visible.slice(0, 200)}…` : visible;
}

/** The [libdefaults] relations that name a directory or library that krb5 loads plugins from. */
const LIBRARY_SETTINGS = new Set(['plugin_base_dir', 'plugin_dir', 'ccapi_library']);

export function parseKrb5Conf(text: string): Krb5ConfSummary {
  if (text.includes('\u0000')) throw new Krb5ConfError(1, 'the file is binary, not text');
  const lines = text.split('\n');
  let section: string | null = null;
  const path: string[] = [];
  /** `name =` with nothing after it: krb5 wants the next line to be `{`. */
  let awaitingBrace: { name: string; line: number } | null = null;
  /** The [plugins] header line, reported once the section turns out to hold something. */
  let pluginsHeader: Krb5ConfLine | null = null;
  let defaultRealm = '';
  const realms: string[] = [];
  const includes: Krb5ConfLine[] = [];
  const loadsCode: Krb5ConfLine[] = [];
  let relations = 0;
  const loads = (n: number, t: string) => loadsCode.push({ line: n, text: shown(t) });

  for (const [index, withCr] of lines.entries()) {
    const n = index + 1;
    const raw = withCr.endsWith('\r') ? withCr.slice(0, -1) : withCr;
    // (a '\r' past the limit is harmless: its piece is "\r\n", an empty line)
    if (Buffer.byteLength(raw, 'utf8') > MAX_LINE_BYTES) {
      throw new Krb5ConfError(
        n,
        `it is longer than ${MAX_LINE_BYTES} bytes, and the Kerberos library reads a longer line as several lines`,
      );
    }
    const control = controlCharacter(raw);
    if (control !== undefined) {
      throw new Krb5ConfError(
        n,
        `it holds a control character (U+${control.toString(16).toUpperCase().padStart(4, '0')}); a krb5.conf is plain text`,
      );
    }
    // include / includedir at the start of a line are read wherever they are, even inside braces
    const atStart = /^(include|includedir)\s+(.*)$/.exec(raw);
    if (atStart) {
      if (atStart[2]!.trim() === '')
        throw new Krb5ConfError(n, `'${atStart[1]}' names no ${atStart[1] === 'include' ? 'file' : 'folder'}`);
      includes.push({ line: n, text: shown(raw.trim()) });
      continue;
    }
    const line = raw.trim();
    if (awaitingBrace) {
      if (line !== '{')
        throw new Krb5ConfError(
          n,
          `expected '{' on the line after '${shown(awaitingBrace.name)} =' (line ${awaitingBrace.line})`,
        );
      awaitingBrace = null;
      continue;
    }
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const directive = /^(include|includedir|module)\s+(\S.*)$/.exec(line);
    // (an indented directive is not one to krb5, which skips it or fails on it: shown all the same)
    if (directive && path.length === 0 && (directive[1] !== 'module' || section === null)) {
      if (directive[1] === 'module') loads(n, line);
      else includes.push({ line: n, text: shown(line) });
      continue;
    }
    const header = /^\[([^\]]+)\]\s*\*?$/.exec(line);
    if (header) {
      if (path.length > 0)
        throw new Krb5ConfError(
          n,
          `section [${shown(header[1]!)}] starts inside an unclosed '{' (opened for ${shown(path.join('.'))})`,
        );
      section = header[1]!.trim();
      pluginsHeader = section.toLowerCase() === 'plugins' ? { line: n, text: shown(line) } : null;
      continue;
    }
    if (/^}\s*\*?$/.test(line)) {
      if (path.length === 0) throw new Krb5ConfError(n, "a '}' closes nothing");
      path.pop();
      continue;
    }
    const relation = /^([^=\s][^=]*?)\s*=\s*(.*)$/.exec(line);
    if (!relation)
      throw new Krb5ConfError(n, `expected [section], name = value or '}', found '${shown(line.slice(0, 60))}'`);
    if (section === null) throw new Krb5ConfError(n, `'${shown(relation[1]!)}' comes before any [section]`);
    // krb5 ends a name at '*' (the "final" flag)
    const name = relation[1]!.split('*')[0]!;
    const value = relation[2]!.trim();
    relations++;
    const lower = name.toLowerCase();
    const sectionName = section.toLowerCase();
    if (pluginsHeader) {
      loadsCode.push(pluginsHeader);
      pluginsHeader = null;
    }
    if (sectionName === 'plugins' && lower === 'module') loads(n, line);
    if (sectionName === 'libdefaults' && LIBRARY_SETTINGS.has(lower)) loads(n, line);
    if (lower.startsWith('pkinit_') && /PKCS11:|module_name\s*=/i.test(value)) loads(n, line);
    if (value === '{' || value === '') {
      if (section === 'realms' && path.length === 0) realms.push(name);
      path.push(name);
      if (value === '') awaitingBrace = { name, line: n };
      continue;
    }
    if (section === 'libdefaults' && path.length === 0 && name === 'default_realm')
      defaultRealm = value.replace(/^"(.*)"$/, '$1');
  }
  if (awaitingBrace)
    throw new Krb5ConfError(
      lines.length,
      `expected '{' after '${shown(awaitingBrace.name)} =' (line ${awaitingBrace.line})`,
    );
  if (path.length > 0)
    throw new Krb5ConfError(lines.length, `the '{' opened for ${shown(path.join('.'))} is never closed`);
  if (relations === 0 && includes.length === 0 && loadsCode.length === 0)
    throw new Krb5ConfError(1, 'it has no settings (no [libdefaults] or [realms])');
  loadsCode.sort((a, b) => a.line - b.line);
  return { defaultRealm, realms, includes, loadsCode };
}
