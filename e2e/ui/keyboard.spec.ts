import type { Page } from '@playwright/test';
import { createTopic, kcatProduce } from '../integration/support';
import { expect, test } from './fixtures';
import { seedConnection } from './pages/ClusterPages';

/**
 * The app by keyboard alone: from the connections list to a read and a message in the inspector
 * with Tab, Enter, arrows and the shortcuts — and at every stop Tab reaches, the focus is visible.
 */

/** What has focus, and whether a user can see it (a ring, or the focused style of Naive UI's inputs). */
async function focused(page: Page): Promise<{ testid: string; text: string; visible: boolean; tag: string }> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { activeElement: FocusTarget | null } }).document;
    const view = globalThis as unknown as {
      getComputedStyle(e: FocusTarget): { outlineStyle: string; outlineWidth: string; boxShadow: string };
    };
    interface FocusTarget {
      tagName: string;
      textContent: string | null;
      closest(sel: string): FocusTarget | null;
      getAttribute(name: string): string | null;
      classList: { contains(c: string): boolean };
    }
    const el = doc.activeElement;
    if (!el || el.tagName === 'BODY') return { testid: '', text: '', visible: false, tag: 'body' };
    const ring = (e: FocusTarget) => {
      const s = view.getComputedStyle(e);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    };
    // Naive UI shows a focused input on its wrapper (border colour and glow, class --focus)
    const wrapper = el.closest('.n-input, .n-base-selection, .n-input-number');
    const wrapped =
      !!wrapper &&
      (wrapper.classList.contains('n-input--focus') ||
        wrapper.classList.contains('n-base-selection--focus') ||
        ring(wrapper));
    const monaco = !!el.closest('.monaco-editor.focused');
    return {
      testid: el.closest('[data-testid]')?.getAttribute('data-testid') ?? '',
      text: (el.textContent ?? '').trim().slice(0, 40),
      visible: ring(el) || wrapped || monaco,
      tag: el.tagName.toLowerCase(),
    };
  });
}

/** Presses Tab until the focus is in an element with the test id (at most `max` presses), checking each stop shows its focus. */
async function tabTo(page: Page, testid: string | RegExp, unseen: string[], max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.tag !== 'body' && !f.visible) unseen.push(`${f.tag} in ${f.testid || '?'} "${f.text}"`);
    if (typeof testid === 'string' ? f.testid === testid : testid.test(f.testid)) return;
  }
  throw new Error(`Tab did not reach ${String(testid)} in ${max} presses`);
}

test('keyboard alone: open a connection, go to Consume, pick a topic, read, walk the rows into the inspector; focus visible at every stop', async ({
  page,
  app,
  kafka,
}) => {
  const topic = `ui-keys-${Date.now()}`;
  await createTopic(kafka, topic, 1);
  await kcatProduce(kafka.listeners.plaintext, topic, ['first', 'second', 'third']);
  const name = 'Keyboard';
  await seedConnection(app.dataDir, {
    name,
    bootstrapServers: [kafka.listeners.plaintext],
    sasl: { mechanism: 'none' },
    tls: { enabled: false },
  });
  await page.goto(app.url);
  await expect(page.getByTestId(`sidebar-connection-${name}`)).toBeVisible();
  const unseen: string[] = [];

  await tabTo(page, `sidebar-connection-${name}`, unseen);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/cluster$/);
  await page.getByTestId('cluster-view').waitFor();

  // the connection's screens are links under it in the sidebar: Tab from the connection reaches Consume
  await page.getByTestId(`sidebar-connection-${name}`).focus();
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached =
      (await page.evaluate(() =>
        (
          globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }
        ).document.activeElement?.textContent?.trim(),
      )) === 'Consume';
  }
  expect(reached, 'Tab reaches the Consume link').toBe(true);
  await page.keyboard.press('Enter');
  await page.getByTestId('consume-view').waitFor();

  await tabTo(page, 'consume-topic', unseen);
  await expect(page.getByTestId('consume-topic').locator('input')).toBeFocused();
  await page.keyboard.type(topic);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('consume-summary')).toContainText('3 messages');

  await tabTo(page, /-table-wrap$/, unseen);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('inspector-value')).toHaveText('second');

  expect(unseen, `stops where the focus could not be seen:\n${unseen.join('\n')}`).toEqual([]);
});
