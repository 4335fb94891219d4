/** A file name the user chose, fit for showing: the last path part, no control characters, at most 255 characters. */
export function displayName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  // eslint-disable-next-line no-control-regex -- strips control characters from a display name on purpose
  return base.replace(/[\u0000-\u001f]/g, '').slice(0, 255) || fallback;
}
