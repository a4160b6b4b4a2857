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
import { actorOf, conversationKindOf, referenceOf, sendInvokeReply } from './turn';

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
    verb: (name, handler) =>
      app.adaptiveCards.actionExecute<unknown>(name, async (context, _state, data) => {
        await sendInvokeReply(context, await handler(context, bot, data));
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
  routes.verb(ANY_OTHER_VERB, async () => ({ message: 'This button is no longer available. Type `help` to see what I can do.' }));

  deps.adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === INVOKE) await sendInvokeReply(context, { message: TURN_FAILED_MESSAGE });
    else await context.sendActivity(TURN_FAILED_MESSAGE);
  };

  return { run: (context) => app.run(context) };
}

/** The personal chat of everyone who talks to the bot, so notifications and approval cards can reach them. */
async function rememberPersonalChat(context: TurnContext, bot: BotContext): Promise<void> {
  const actor = actorOf(context);
  if (!actor || conversationKindOf(context) !== 'personal') return;
  await bot.conversations.savePersonalConversation(actor.aadObjectId, referenceOf(context));
}
