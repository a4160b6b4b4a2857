import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { BrowserRequestGuard } from './browser';

/**
 * One person's Playground tab, driven the way a person uses it. Bot messages are read from the chat pane
 * only: the log panel repeats every message's text and the left rail previews the last one, so neither
 * may ever satisfy a wait. The Playground has no test ids; the selectors below lean on its ARIA labels.
 */

const DEFAULT_WAIT_MS = 20_000;
const COMPOSE_BOX = '[data-lexical-editor="true"]';
const VIEWPORT = { width: 1400, height: 900 };

export interface PlaygroundPageOptions {
  readonly url: string;
  /** The bot's display name from the Playground config: labels its avatar and its @mention entry. */
  readonly botName: string;
  /** Prefix of the screenshot file names. */
  readonly person: string;
  readonly screenshotDir: string;
}

export class PlaygroundPage {
  private screenshotCount = 0;

  private constructor(
    readonly page: Page,
    private readonly botName: string,
    private readonly person: string,
    private readonly screenshotDir: string,
  ) {}

  static async open(browser: Browser, guard: BrowserRequestGuard, options: PlaygroundPageOptions): Promise<PlaygroundPage> {
    const { url, botName, person, screenshotDir } = options;
    mkdirSync(screenshotDir, { recursive: true });
    const context = await browser.newContext({ viewport: VIEWPORT });
    await guard.attach(context);
    const page = await context.newPage();
    page.setDefaultTimeout(DEFAULT_WAIT_MS);
    await page.goto(url);
    await page.getByRole('treeitem').first().waitFor();
    return new PlaygroundPage(page, botName, person, screenshotDir);
  }

  /** Opens a chat or channel from the left rail by its aria-label, e.g. "Personal Chat" or "My Team - General". */
  async openConversation(label: string): Promise<void> {
    await this.page.getByRole('treeitem', { name: label, exact: true }).click();
    await this.composeBox().waitFor();
  }

  /** Types and sends a message in the open conversation, and waits until the client has sent it. */
  async sendMessage(text: string): Promise<void> {
    await this.typeInComposeBox(text);
    await this.submitCompose();
  }

  /** In a channel or group chat the bot only hears messages that @mention it: type `@`, pick the bot. */
  async sendMentioningBot(text: string): Promise<void> {
    await this.composeBox().click();
    await this.page.keyboard.type('@');
    await this.page.locator('#typeahead-menu [role="menuitem"]').filter({ hasText: this.botName }).first().click();
    await this.page.keyboard.type(` ${text}`);
    await this.submitCompose();
  }

  /**
   * The message column: the first column after the one holding the left rail's labelled region (the log
   * panel is the column after that).
   */
  chatPane(): Locator {
    return this.page
      .getByRole('region', { name: 'Chat and Teams Channel' })
      .locator('xpath=ancestor::div[following-sibling::div][1]/following-sibling::div[1]');
  }

  /**
   * Every bot message in the chat pane, oldest first: the element holding the bot's avatar and the
   * message body. This holds for personal chats and channel threads alike, which are laid out differently.
   */
  botMessages(): Locator {
    return this.chatPane().locator(`div:has(> div > span[role="img"][aria-label="${this.botName}"])`);
  }

  /**
   * The newest bot message containing `text`, once visible. Messages already shown count too: wait for
   * text only the expected reply has (a policy name, a request id).
   */
  async waitForBotMessage(text: string | RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<Locator> {
    const message = this.botMessages().filter({ hasText: text }).last();
    await message.waitFor({ state: 'visible', timeout: timeoutMs });
    return message;
  }

  /** The newest Adaptive Card in the chat pane whose text contains `text`, once visible (same caveat). */
  async waitForCard(text: string | RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<Locator> {
    const card = this.cards().filter({ hasText: text }).last();
    await card.waitFor({ state: 'visible', timeout: timeoutMs });
    return card;
  }

  /**
   * Every Adaptive Card in the chat pane, oldest first. Only the bot can post cards (a person types text),
   * and a channel post's card sits outside the header that carries the bot's avatar, so no author filter.
   */
  cards(): Locator {
    return this.chatPane().locator('.ac-adaptiveCard');
  }

  /** The newest card containing `text` that offers the button `actionTitle`, once visible. */
  async waitForCardWithAction(text: string | RegExp, actionTitle: string, timeoutMs = DEFAULT_WAIT_MS): Promise<Locator> {
    const card = this.cards()
      .filter({ hasText: text })
      .filter({ has: this.page.getByRole('button', { name: actionTitle, exact: true }) })
      .last();
    await card.waitFor({ state: 'visible', timeout: timeoutMs });
    return card;
  }

  async fillCardText(card: Locator, label: string, value: string): Promise<void> {
    await card.getByRole('textbox', { name: label }).fill(value);
  }

  /** Picks `option` in a compact Input.ChoiceSet (rendered as a combobox with a popup listbox). */
  async chooseCardOption(card: Locator, label: string, option: string): Promise<void> {
    await card.getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /** Picks `option` in an expanded Input.ChoiceSet (rendered as radio buttons). */
  async chooseCardRadio(card: Locator, option: string): Promise<void> {
    await card.getByRole('radio', { name: option, exact: true }).check();
  }

  /** Clicks an Action.Execute button on a card. */
  async clickCardAction(card: Locator, title: string): Promise<void> {
    await card.getByRole('button', { name: title, exact: true }).click();
  }

  /**
   * Sends an invoke through the Playground's "Mock an Activity → Custom activity" dialog in the open
   * conversation, and returns the bot's answer as the log panel's Response tab shows it (such an invoke
   * has no card in the chat pane to show its answer in). The client's template supplies who and where (its
   * current user, this conversation, its connector); our fields are appended after it, and since the last
   * of duplicate JSON keys wins they replace only the template's placeholder type.
   */
  async sendCustomInvoke(name: string, value: unknown): Promise<unknown> {
    const invokeLogEntries = this.page.getByText(/^invoke \d{3}$/);
    const before = await invokeLogEntries.count();
    await this.page.getByRole('button', { name: 'Mock an Activity' }).click();
    await this.page.getByRole('menuitem', { name: 'Custom activity' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Custom activity' });
    await dialog.locator('.monaco-editor').click();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.press('Backspace'); // the template's closing brace
    await this.page.keyboard.insertText(`, ${JSON.stringify({ type: 'invoke', name, value }).slice(1)}`);
    await dialog.getByRole('button', { name: 'Send activity' }).click();
    await dialog.waitFor({ state: 'detached' });

    await invokeLogEntries.nth(before).click();
    await this.page.getByRole('tab', { name: 'Response' }).click();
    const details = this.page.getByRole('tablist').locator('xpath=../following-sibling::div[@contenteditable][1]');
    await details.filter({ hasText: '{' }).waitFor();
    return JSON.parse(await details.innerText()) as unknown;
  }

  /** Saves `<dir>/<person>-<nn>-<step>.png` and returns its path. */
  async screenshot(step: string): Promise<string> {
    this.screenshotCount += 1;
    const file = join(this.screenshotDir, `${this.person}-${String(this.screenshotCount).padStart(2, '0')}-${step}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The compose box; in a channel, the "Start a new post" one above the posts (each post has a reply box). */
  private composeBox(): Locator {
    return this.chatPane().locator(COMPOSE_BOX).first();
  }

  private async typeInComposeBox(text: string): Promise<void> {
    await this.composeBox().click();
    await this.page.keyboard.type(text);
  }

  /** Sends with Enter and waits until the compose box has been emptied, i.e. the message went out. */
  private async submitCompose(): Promise<void> {
    await this.page.keyboard.press('Enter');
    await this.composeBox().filter({ hasText: /\S/ }).waitFor({ state: 'detached' });
  }
}
