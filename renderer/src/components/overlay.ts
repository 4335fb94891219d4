/**
 * Whether a dialog, a drop-down menu or a popover is on screen: Esc is theirs then (it closes them),
 * not the screen's. Naive UI may keep a closed menu in the page, so only one that is drawn counts.
 */
export function overlayOpen(): boolean {
  return [...document.querySelectorAll('.n-modal, .n-base-select-menu, .n-dropdown-menu, .n-popover')].some(
    (el) => el.getClientRects().length > 0,
  );
}
