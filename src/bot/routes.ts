/**
 * How a feature plugs into the bot: the context every handler gets, and the two kinds of route — a command
 * typed as a message, and a card button's Action.Execute verb. Features register their own routes.
 */
import type { TurnContext } from 'botbuilder';
import type { RequestsService } from '../requests/types';
import type { Logger } from '../shared/logger';
import type { ConversationStore } from './ports';
import type { InvokeReply } from './turn';
import type { AnyVerb, VerbInput } from './verb';

/** What the route handlers use: the requests service (which decides everything) and the bot's own memory. */
export interface BotContext {
  readonly requests: RequestsService;
  readonly conversations: ConversationStore;
  /** Configured approvers (Entra object ids): whose Teams ids a card's `refresh.userIds` lists. */
  readonly approverIds: readonly string[];
  readonly logger: Logger;
}

export type CommandHandler = (context: TurnContext, bot: BotContext) => Promise<void>;
/** A click's handler: the route has parsed the data with the verb's schema and resolved the actor already. */
export type VerbHandler<V extends AnyVerb> = (context: TurnContext, bot: BotContext, input: VerbInput<V>) => Promise<InvokeReply>;

export interface BotRoutes {
  /** A typed command; patterns are anchored (`/^\s*status\b/i`), and the first registered match wins. */
  command(pattern: RegExp, handler: CommandHandler): void;
  /** A card verb (`src/bot/verbs.ts`); a click whose data does not parse, or without the identity it needs, is refused and audited. */
  verb<V extends AnyVerb>(verb: V, handler: VerbHandler<V>): void;
  /** Members joined a conversation (the bot itself among them when it is installed). */
  membersAdded(handler: CommandHandler): void;
  /** Any message that no command matched. */
  anyOtherMessage(handler: CommandHandler): void;
}

/** A slice of the bot: its commands, its card verbs and their cards. */
export interface Feature {
  readonly name: string;
  register(routes: BotRoutes): void;
}
