import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

export type ThemePreference = 'system' | 'light' | 'dark';
const KEY = 'kafka-desk.theme';

/** UI preferences of this window (no secrets): theme follows the system unless chosen. */
export const useSettingsStore = defineStore('settings', () => {
  const stored = localStorage.getItem(KEY);
  const theme = ref<ThemePreference>(stored === 'light' || stored === 'dark' ? stored : 'system');
  watch(theme, (t) => localStorage.setItem(KEY, t));
  return { theme };
});
