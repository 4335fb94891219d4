import { watch } from 'vue';
import { useRoute } from 'vue-router';
import { useTabsStore } from '../stores/tabs';

/** Names the screen's tab after what it works on (a topic, several, a pattern). */
export function useTabSubject(subject: () => string): void {
  const tab = useRoute().query.tab;
  const tabs = useTabsStore();
  if (typeof tab !== 'string') return;
  watch(subject, (s) => tabs.setSubject(tab, s), { immediate: true });
}
