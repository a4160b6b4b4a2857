/** Driving the real teams-ai Application through botbuilder's TestAdapter, as Teams would. */
import { type Activity, INVOKE_RESPONSE_KEY, TestAdapter, type TurnContext } from 'botbuilder';
import MarkdownIt from 'markdown-it';
import type { Bot } from '../../../src/bot/app';
import { problemsOfSent } from './cardChecks';
import type { Person } from './world';

export interface InvokeBody {
  readonly statusCode: number;
  readonly type: string;
  readonly value: unknown;
}

export type Where =
  | { readonly kind: 'personal'; readonly id?: string }
  | { readonly kind: 'channel'; readonly id: string; readonly teamId?: string };

const BOT = { id: '28:bot', name: 'Device groups' };

export function conversationOf(person: Person, where: Where = { kind: 'personal' }): Partial<Activity> {
  if (where.kind === 'personal') {
    return { conversation: { id: where.id ?? `a:${person.teamsId}`, conversationType: 'personal', isGroup: false, name: '' } };
  }
  return {
    conversation: { id: where.id, conversationType: 'channel', isGroup: true, name: '' },
    channelData: { channel: { id: where.id.split(';')[0] }, team: { id: where.teamId ?? 'team-1' } },
  };
}

function fromOf(person: Person): Activity['from'] {
  return { id: person.teamsId, name: person.name, aadObjectId: person.aadObjectId };
}

export class Teams {
  readonly adapter = new TestAdapter();
  /** Card problems (cardChecks.ts) of what the bot sent or updated since the last turn this client drove. */
  private readonly cardProblems: string[] = [];

  constructor(private readonly app: () => Bot) {
    // Every card the bot sends or updates in any turn goes through the card checks: no hand-kept list.
    this.adapter.use(async (context, next) => {
      context.onSendActivities(async (_context, activities, send) => {
        this.cardProblems.push(...problemsOfSent('sent', activities));
        return send();
      });
      context.onUpdateActivity(async (_context, activity, update) => {
        this.cardProblems.push(...problemsOfSent('updated', [activity]));
        return update();
      });
      await next();
    });
  }

  /** Fails the test that drove the turn when a card the bot sent does not pass the checks. */
  private assertCardsChecked(): void {
    const problems = this.cardProblems.splice(0);
    if (problems.length > 0) throw new Error(`the bot sent cards that fail the card checks:\n${problems.join('\n')}`);
  }

  /** A message; returns what the bot sent back in this turn. */
  async say(person: Person, text: string, where?: Where): Promise<Partial<Activity>[]> {
    return this.send({ type: 'message', text, from: fromOf(person), ...conversationOf(person, where) });
  }

  async send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    this.adapter.activeQueue.splice(0);
    await this.adapter.processActivity(
      { channelId: 'msteams', recipient: BOT, serviceUrl: 'https://smba.example.invalid/', ...activity },
      (context) => this.app().run(context).then(() => undefined),
    );
    this.assertCardsChecked();
    return this.adapter.activeQueue.splice(0);
  }

  /** An Action.Execute click (or automatic refresh); returns the invoke response body. */
  async click(person: Person, verb: string, data: Record<string, unknown> = {}, options: { where?: Where; trigger?: 'manual' | 'automatic' } = {}): Promise<InvokeBody> {
    return (await this.clickAndSee(person, verb, data, options)).body;
  }

  /** A click, with the invoke response body and the cards the bot posted into the conversation meanwhile. */
  async clickAndSee(
    person: Person,
    verb: string,
    data: Record<string, unknown> = {},
    options: { where?: Where; trigger?: 'manual' | 'automatic' } = {},
  ): Promise<{ body: InvokeBody; posted: CardJson[] }> {
    let response: unknown;
    let posted: CardJson[] = [];
    await this.adapter.processActivity(
      {
        type: 'invoke',
        name: 'adaptiveCard/action',
        channelId: 'msteams',
        deliveryMode: 'expectReplies',
        recipient: BOT,
        from: fromOf(person),
        serviceUrl: 'https://smba.example.invalid/',
        replyToId: 'card-1',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: options.trigger ?? 'manual' },
        ...conversationOf(person, options.where),
      },
      async (context: TurnContext) => {
        await this.app().run(context);
        response = context.turnState.get(INVOKE_RESPONSE_KEY);
        posted = context.bufferedReplyActivities.filter((activity) => activity.attachments?.length).map((activity) => cardOf(activity));
      },
    );
    this.assertCardsChecked();
    return { body: invokeBodyOf(response), posted };
  }
}

export function invokeBodyOf(response: unknown): InvokeBody {
  const body = (response as { value?: { body?: InvokeBody } } | undefined)?.value?.body;
  if (!body) throw new Error(`no invoke response: ${JSON.stringify(response)}`);
  return body;
}

/** The Adaptive Card of a sent activity (throws when there is none, so tests fail loudly). */
export function cardOf(activity: Partial<Activity> | undefined): CardJson {
  const content = activity?.attachments?.[0]?.content as CardJson | undefined;
  if (!content || content.type !== 'AdaptiveCard') throw new Error(`no Adaptive Card in ${JSON.stringify(activity)}`);
  return content;
}

export interface CardJson {
  readonly type: 'AdaptiveCard';
  readonly body: readonly Record<string, unknown>[];
  readonly actions?: readonly { verb: string; title: string; data?: Record<string, unknown> }[];
  readonly refresh?: { action: { verb: string; data?: Record<string, unknown> }; userIds: string[] };
}

/** All text a card shows (TextBlocks and facts, nested containers included), for assertions. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record['type'] === 'TextBlock' && typeof record['text'] === 'string') parts.push(record['text']);
    if (typeof record['title'] === 'string' && typeof record['value'] === 'string') parts.push(`${record['title']}: ${record['value']}`);
    Object.values(record).forEach(walk);
  };
  walk(card);
  return parts.join('\n');
}

export function cardVerbs(card: unknown): string[] {
  const verbs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record['type'] === 'Action.Execute' && typeof record['verb'] === 'string' && typeof record['title'] === 'string') verbs.push(record['verb']);
    Object.entries(record).forEach(([key, value]) => key !== 'refresh' && walk(value));
  };
  walk(card);
  return verbs;
}

/** The data the card's button with this verb carries (what Teams sends back on its click); throws when none. */
export function buttonData(card: unknown, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown): void => {
    if (found || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as Record<string, unknown>;
    if (record['type'] === 'Action.Execute' && record['verb'] === verb && typeof record['title'] === 'string') {
      found = typeof record['data'] === 'object' && record['data'] !== null ? (record['data'] as Record<string, unknown>) : {};
      return;
    }
    Object.entries(record).forEach(([key, value]) => key !== 'refresh' && walk(value));
  };
  walk(card);
  if (!found) throw new Error(`no ${verb} button on the card`);
  return found;
}

// Teams renders the markdown of messages, TextBlocks and facts (HTML tags are dropped): a CommonMark renderer
// with HTML on shows what a person would see, and what a link or a tag would become.
const markdown = new MarkdownIt({ html: true });

/** The HTML a markdown text renders to: links, emphasis and tags show up here. */
export function renderedHtml(text: string): string {
  return markdown.renderInline(text);
}

/** What a person reads of a markdown text: rendered, tags dropped, entities decoded. */
export function visibleText(text: string): string {
  return renderedHtml(text)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
