import { expect, type Locator, type Page } from '@playwright/test';

/** The connections screen and its editor drawer, as a user works them. */
export class ConnectionsPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('heading', { name: 'Connections' }).waitFor();
  }

  get editor(): Locator {
    return this.page.getByTestId('connection-editor');
  }

  field(name: string): Locator {
    return this.page.getByTestId(`field-${name}`).locator('input').first();
  }

  async startNew(): Promise<void> {
    await this.page.getByTestId('new-connection').click();
    await this.editor.waitFor();
    await this.drawerSettled();
  }

  /** The drawer slides in; screenshots wait until it stands still. */
  async drawerSettled(): Promise<void> {
    await expect(this.page.locator('.n-drawer')).toHaveCSS('transform', 'none');
  }

  async choose(selectTestId: string, optionLabel: string): Promise<void> {
    await this.page.getByTestId(selectTestId).click();
    await this.page.locator('.n-base-select-option', { hasText: optionLabel }).first().click();
  }

  async fill(values: {
    name: string;
    bootstrap: string;
    mechanism?: string;
    username?: string;
    password?: string;
    color?: string;
  }): Promise<void> {
    await this.field('name').fill(values.name);
    if (values.color) await this.choose('field-color', values.color);
    await this.field('bootstrap').fill(values.bootstrap);
    if (values.mechanism) await this.choose('field-mechanism', values.mechanism);
    if (values.username !== undefined) await this.field('username').fill(values.username);
    if (values.password !== undefined) await this.field('password').fill(values.password);
  }

  async testConnection(): Promise<void> {
    await this.page.getByTestId('connection-test').click();
  }

  async save(): Promise<void> {
    await this.page.getByTestId('connection-save').click();
  }
}
