import { onActivated, onBeforeUnmount, onDeactivated, onMounted } from 'vue';

/**
 * A keyboard shortcut handler on the window, live only while its screen is shown: screens kept
 * alive in background tabs stop listening (so Ctrl/⌘+Enter runs the visible tab's operation only).
 */
export function useWindowKeys(handler: (e: KeyboardEvent) => void): void {
  let on = false;
  const add = () => {
    if (!on) window.addEventListener('keydown', handler);
    on = true;
  };
  const remove = () => {
    window.removeEventListener('keydown', handler);
    on = false;
  };
  onMounted(add);
  onActivated(add);
  onDeactivated(remove);
  onBeforeUnmount(remove);
}
