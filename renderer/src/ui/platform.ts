/**
 * The platform's modifier key, for labels and hints: ⌘ on macOS, Ctrl elsewhere (Linux and Windows
 * users read "⌘S" as noise). Shortcut handlers accept both keys everywhere; only the label differs.
 */
export const isMac: boolean = (() => {
  const nav =
    typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { userAgentData?: { platform?: string } });
  const p = nav?.userAgentData?.platform ?? nav?.platform ?? '';
  return /mac|iphone|ipad/i.test(p);
})();

/** "⌘" on macOS, "Ctrl+" elsewhere: `${mod}S` reads "⌘S" or "Ctrl+S". */
export const mod: string = isMac ? '⌘' : 'Ctrl+';

/** A shortcut label: `shortcut('Enter')` → "⌘⏎" on macOS, "Ctrl+Enter" elsewhere. */
export function shortcut(key: 'Enter' | string): string {
  if (isMac) return `⌘${key === 'Enter' ? '⏎' : key}`;
  return `Ctrl+${key}`;
}
