import { expect, type Locator, type Page } from '@playwright/test';
import { ClusterPages } from './ClusterPages';

/** Produce, Consume, Listen and Commit screens: topic pickers, the Monaco editors, the message table. */
export class OperationPages extends ClusterPages {
  constructor(page: Page, origin: string, id: string) {
    super(page, origin, id);
  }

  async open(kind: 'produce' | 'consume' | 'listen' | 'commit'): Promise<void> {
    await this.page.goto(`${this.origin}/#/connections/${this.id}/${kind}`);
    await this.page.getByTestId(`${kind}-view`).waitFor();
  }

  /** Types a topic into a picker (single or multiple) and takes it. */
  async pickTopic(testid: string, name: string): Promise<void> {
    await this.page.getByTestId(testid).click();
    await this.page.getByTestId(testid).locator('input').first().fill(name);
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.press('Escape');
  }

  /** Replaces the text of a Monaco editor, as a user pasting would (no auto-closed brackets). */
  async setEditor(testid: string, text: string): Promise<void> {
    const editor = this.page.getByTestId(testid).locator('.monaco-editor');
    await editor.waitFor();
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    if (text) {
      // a paste: what users do with payloads, and Monaco does not auto-close brackets in pasted text
      await this.page
        .getByTestId(testid)
        .locator('textarea')
        .first()
        .evaluate((el, t) => {
          // runs in the page: the DOM's DataTransfer and ClipboardEvent
          const w = globalThis as unknown as {
            DataTransfer: new () => { setData(type: string, v: string): void };
            ClipboardEvent: new (type: string, init: object) => Event;
          };
          const data = new w.DataTransfer();
          data.setData('text/plain', t);
          el.dispatchEvent(new w.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        }, text);
    }
    await expect(this.page.getByTestId(testid)).toHaveAttribute('data-value', text);
  }

  editor(testid: string): Locator {
    return this.page.getByTestId(testid);
  }

  row(partition: number, offset: number): Locator {
    return this.page.getByTestId(`message-${partition}-${offset}`);
  }
}
