/**
 * Checks a krb5.conf the way MIT's profile library reads it (sections, `name = value` relations,
 * `name = { … }` subsections, `#` / `;` comments, include directives), so a file that is not a
 * krb5.conf is refused with the line that is wrong instead of failing later as "Cannot find KDC".
 * Hand-written: the format is not INI (nested braces), and no maintained npm parser reads it.
 */

export interface Krb5ConfSummary {
  defaultRealm: string;
  realms: string[];
  /** `include` / `includedir` lines: files outside Kafka Desk's copy that krb5 will also read. */
  includes: string[];
}

export class Krb5ConfError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseKrb5Conf(text: string): Krb5ConfSummary {
  if (text.includes('\u0000')) throw new Krb5ConfError(1, 'the file is binary, not text');
  const lines = text.split(/\r?\n/);
  let section: string | null = null;
  const path: string[] = [];
  let defaultRealm = '';
  const realms: string[] = [];
  const includes: string[] = [];
  let relations = 0;
  lines.forEach((raw, index) => {
    const n = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const directive = /^(include|includedir|module)\s+(\S.*)$/.exec(line);
    if (directive && path.length === 0) {
      includes.push(`${directive[1]} ${directive[2]}`);
      return;
    }
    const header = /^\[([^\]]+)\]\s*\*?$/.exec(line);
    if (header) {
      if (path.length > 0) throw new Krb5ConfError(n, `section [${header[1]}] starts inside an unclosed '{' (opened for ${path.join('.')})`);
      section = header[1]!.trim();
      return;
    }
    if (/^}\s*\*?$/.test(line)) {
      if (path.length === 0) throw new Krb5ConfError(n, "a '}' closes nothing");
      path.pop();
      return;
    }
    const relation = /^([^=\s][^=]*?)\s*=\s*(.*)$/.exec(line);
    if (!relation) throw new Krb5ConfError(n, `expected [section], name = value or '}', found '${line.slice(0, 60)}'`);
    if (section === null) throw new Krb5ConfError(n, `'${relation[1]}' comes before any [section]`);
    const name = relation[1]!;
    const value = relation[2]!.trim();
    relations++;
    if (value === '{') {
      if (section === 'realms' && path.length === 0) realms.push(name);
      path.push(name);
      return;
    }
    if (section === 'libdefaults' && path.length === 0 && name === 'default_realm') defaultRealm = value.replace(/^"(.*)"$/, '$1');
  });
  if (path.length > 0) throw new Krb5ConfError(lines.length, `the '{' opened for ${path.join('.')} is never closed`);
  if (relations === 0 && includes.length === 0) throw new Krb5ConfError(1, 'it has no settings (no [libdefaults] or [realms])');
  return { defaultRealm, realms, includes };
}
