import type { Page } from '@playwright/test';
import { createCore, KeyFileSecretBox } from '../../../electron/core';
import { dispatch } from '../../../electron/core/dispatch';
import type { ConnectionInput } from '../../../electron/contract';

/** Saves a connection straight into the data folder the browser-mode server uses (set-up, not under test). */
export async function seedConnection(dataDir: string, input: ConnectionInput): Promise<string> {
  const core = createCore({ host: 'web', dataDir, version: 'ui-test', secrets: new KeyFileSecretBox(dataDir) });
  const r = await dispatch(core.handlers, 'connections.save', input);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { id: string }).id;
}

/** The cluster browser's pages: topics, a topic, groups, a group. */
export class ClusterPages {
  constructor(
    readonly page: Page,
    readonly origin: string,
    readonly id: string,
  ) {}

  async topics(): Promise<void> {
    await this.page.goto(`${this.origin}/#/connections/${this.id}/topics`);
    await this.page.getByTestId('topics-table').waitFor();
  }

  async topic(name: string): Promise<void> {
    await this.page.goto(`${this.origin}/#/connections/${this.id}/topics/${encodeURIComponent(name)}`);
    await this.page.getByTestId('topic-title').waitFor();
  }

  async group(name: string): Promise<void> {
    await this.page.goto(`${this.origin}/#/connections/${this.id}/groups/${encodeURIComponent(name)}`);
    await this.page.getByTestId('group-title').waitFor();
  }

  input(testid: string) {
    return this.page.getByTestId(testid).locator('input, textarea').first();
  }

  async choose(selectTestId: string, optionLabel: string): Promise<void> {
    await this.page.getByTestId(selectTestId).click();
    await this.page.locator('.n-base-select-option', { hasText: optionLabel }).first().click();
  }

  /** Clicks through a confirmation (twice on production). */
  async confirm(button: string): Promise<void> {
    await this.page.getByRole('dialog').last().getByRole('button', { name: button, exact: true }).click();
  }
}
