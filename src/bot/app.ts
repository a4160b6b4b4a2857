/**
 * The bot: a teams-ai Application whose features are listed here and nowhere else. Each feature registers its
 * own commands and card verbs; every handler calls the requests service, which owns every rule and write.
 */
// teams-ai's package index loads its whole AI stack (planners, models, openai, tokenizers, prompts): the
// modules we use are imported from their own files, which keeps that out of the process.
import { Application } from '@microsoft/teams-ai/lib/Application';
import { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import { ActivityTypes, type BotAdapter, type TurnContext } from 'botbuilder';
import type { RequestsService } from '../requests/types';
import { type Logger, silentLogger } from '../shared/logger';
import { approvalFeature } from './features/approval';
import { helpFeature } from './features/help';
import { policiesFeature } from './features/policies';
import { requestFeature } from './features/request';
import { statusFeature } from './features/status';
import type { ConversationStore } from './ports';
import type { BotContext, BotRoutes, Feature } from './routes';
import { INVALID_CARD_MESSAGE, type InvokeReply, NO_IDENTITY_MESSAGE, actorOf, conversationKindOf, referenceOf, sendInvokeReply } from './turn';
import type { AnyVerb, VerbInput } from './verb';

/** In matching order: help last, because it answers every message no other feature took. */
export const FEATURES: readonly Feature[] = [requestFeature, approvalFeature, statusFeature, policiesFeature, helpFeature];

export interface BotDeps {
  readonly requests: RequestsService;
  readonly conversations: ConversationStore;
  readonly approverIds?: readonly string[];
  /** The adapter that receives the HTTP turns; its turn errors are answered here. */
  readonly adapter: BotAdapter;
  /** Empty in sandbox mode only. */
  readonly botAppId: string;
  readonly logger?: Logger;
  /** Tests start no typing timer (it outlives the turn). */
  readonly startTypingTimer?: boolean;
}

export interface Bot {
  run(context: TurnContext): Promise<boolean>;
}

const ANY_OTHER_VERB = /^/;
/** An activity's type is a plain string; botbuilder names the values as an enum. */
const INVOKE: string = ActivityTypes.Invoke;

const TURN_FAILED_MESSAGE = 'Something went wrong on my side. Please try again in a moment.';

export function createBot(deps: BotDeps): Bot {
  const logger = deps.logger ?? silentLogger;
  const bot: BotContext = { requests: deps.requests, conversations: deps.conversations, approverIds: deps.approverIds ?? [], logger };
  const app = new Application<TurnState>({
    botAppId: deps.botAppId,
    removeRecipientMention: true,
    startTypingTimer: deps.startTypingTimer ?? true,
    longRunningMessages: false,
    // No storage: nothing of ours lives in teams-ai's turn state (all durable state is in the SQL store).
    turnStateFactory: () => new TurnState(),
  });

  const routes: BotRoutes = {
    command: (pattern, handler) => app.message(pattern, (context) => handler(context, bot)),
    verb: (verb, handler) =>
      app.adaptiveCards.actionExecute<unknown>(verb.name, async (context, _state, data) => {
        const input = await verbInput(verb, context, bot, data);
        await sendInvokeReply(context, 'refused' in input ? input.refused : await handler(context, bot, input));
        return ''; // ignored: the invoke response is already sent
      }),
    membersAdded: (handler) => app.conversationUpdate('membersAdded', (context) => handler(context, bot)),
    anyOtherMessage: (handler) => app.activity(ActivityTypes.Message, (context) => handler(context, bot)),
  };

  app.turn('beforeTurn', async (context) => {
    await rememberPersonalChat(context, bot);
    return true;
  });
  for (const feature of FEATURES) feature.register(routes);
  // Last: a verb no card of this version has (an old card, or a forged click) gets an answer, not a 501.
  app.adaptiveCards.actionExecute(ANY_OTHER_VERB, async (context) => {
    await sendInvokeReply(context, { message: 'This button is no longer available. Type `help` to see what I can do.' });
    return '';
  });

  deps.adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === INVOKE) await sendInvokeReply(context, { message: TURN_FAILED_MESSAGE });
    else await context.sendActivity(TURN_FAILED_MESSAGE);
  };

  return { run: (context) => app.run(context) };
}

/**
 * The click as its handler gets it: the actor from the activity (never from card data) and the data parsed by
 * the verb's schema; or the refusal of a click without the identity the verb needs, or with unreadable data,
 * audited by the requests service like every other refusal.
 */
async function verbInput<V extends AnyVerb>(verb: V, context: TurnContext, bot: BotContext, data: unknown): Promise<VerbInput<V> | { readonly refused: InvokeReply }> {
  const actor = actorOf(context);
  if (!actor && verb.identity === 'required') {
    await bot.requests.refuseUnreadableAction(verb.attempt, 'no Entra identity');
    return { refused: { message: NO_IDENTITY_MESSAGE } };
  }
  const parsed = verb.data.safeParse(data);
  if (!parsed.success) {
    const unreadable = verb.unreadable ?? { problem: 'invalid card data', message: INVALID_CARD_MESSAGE };
    await bot.requests.refuseUnreadableAction(verb.attempt, unreadable.problem, actor);
    return { refused: { message: unreadable.message } };
  }
  // The route checked the identity the verb needs: an actor is there whenever the verb requires one.
  return { data: parsed.data as VerbInput<V>['data'], actor: actor as VerbInput<V>['actor'] };
}

/** The personal chat of everyone who talks to the bot, so notifications and approval cards can reach them. */
async function rememberPersonalChat(context: TurnContext, bot: BotContext): Promise<void> {
  const actor = actorOf(context);
  if (!actor || conversationKindOf(context) !== 'personal') return;
  await bot.conversations.savePersonalConversation(actor.aadObjectId, referenceOf(context));
}
