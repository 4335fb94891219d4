import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { RouteLocationNormalized, Router } from 'vue-router';

/** Screens that open in a tab: the operations, a topic, a group. */
export const TAB_ROUTES: Record<string, string> = {
  consume: 'Consume',
  produce: 'Produce',
  listen: 'Listen',
  commit: 'Commit',
  topic: 'Topic',
  group: 'Group',
  connector: 'Connector',
};
const KEY = 'kafka-desk.tabs';

export interface Tab {
  id: string;
  /** The route name (consume, produce…). */
  kind: string;
  connectionId: string;
  /** The route's path without the tab query: re-opening the same screen goes back to its tab. */
  path: string;
  /** Where the tab is now (with its query). */
  fullPath: string;
  /** A topic or group name, for the label. */
  subject: string;
}

function load(): Tab[] {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(raw)
      ? (raw as Tab[]).filter((t) => typeof t?.id === 'string' && typeof t.fullPath === 'string')
      : [];
  } catch {
    return [];
  }
}

/**
 * Open tabs: each operation, topic or group screen opens in a tab (several of one kind side by
 * side), kept alive while open so a running read or a half-written message survives switching, and
 * listed again after a restart. A tab's id travels in the address as `?tab=`.
 */
export const useTabsStore = defineStore('tabs', () => {
  const tabs = ref<Tab[]>(load());
  const activeId = ref<string | null>(null);
  watch(tabs, (t) => localStorage.setItem(KEY, JSON.stringify(t)), { deep: true });
  /** Names for <keep-alive :include>: closing a tab drops its screen. */
  const aliveNames = computed(() => tabs.value.map((t) => `tab-${t.id}`));

  const newId = () => Math.random().toString(36).slice(2, 10);
  function track(to: RouteLocationNormalized): void {
    const id = typeof to.query.tab === 'string' ? to.query.tab : null;
    if (!id || typeof to.name !== 'string' || !(to.name in TAB_ROUTES)) {
      activeId.value = null;
      return;
    }
    const subject =
      typeof to.params.topic === 'string'
        ? to.params.topic
        : typeof to.params.group === 'string'
          ? to.params.group
          : typeof to.params.name === 'string'
            ? to.params.name
            : '';
    const tab: Tab = {
      id,
      kind: to.name,
      connectionId: String(to.params.id ?? ''),
      path: to.path,
      fullPath: to.fullPath,
      subject,
    };
    const i = tabs.value.findIndex((t) => t.id === id);
    if (i >= 0) tabs.value[i] = { ...tabs.value[i]!, ...tab, subject: tab.subject || tabs.value[i]!.subject };
    else tabs.value.push(tab);
    activeId.value = id;
  }
  function setSubject(id: string, subject: string) {
    const t = tabs.value.find((x) => x.id === id);
    if (t && t.subject !== subject) t.subject = subject;
  }
  /** Closes a tab; returns where to go when it was the one shown. */
  function close(id: string): string | null {
    const i = tabs.value.findIndex((t) => t.id === id);
    if (i < 0) return null;
    tabs.value.splice(i, 1);
    if (activeId.value !== id) return null;
    const next = tabs.value[i] ?? tabs.value[i - 1];
    return next?.fullPath ?? '/connections';
  }
  function closeForConnection(connectionId: string) {
    tabs.value = tabs.value.filter((t) => t.connectionId !== connectionId);
  }

  /** Every visit to a tab screen lands in a tab: the one already showing that screen, or a new one. */
  function install(router: Router) {
    router.beforeEach((to) => {
      if (typeof to.name !== 'string' || !(to.name in TAB_ROUTES) || typeof to.query.tab === 'string') return true;
      // a preset, a "new tab" or a re-send always opens a fresh tab; otherwise go back to the screen's tab
      const fresh = 'preset' in to.query || 'new' in to.query || 'resend' in to.query;
      const existing = fresh ? undefined : tabs.value.find((t) => t.path === to.path);
      if (existing) return existing.fullPath;
      const { new: _n, ...query } = to.query;
      return { path: to.path, query: { ...query, tab: newId() }, hash: to.hash };
    });
    router.afterEach((to) => track(to));
  }
  return { tabs, activeId, aliveNames, track, setSubject, close, closeForConnection, install };
});
