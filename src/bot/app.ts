/**
 * The bot: a teams-ai Application whose features are listed here and nowhere else. Each feature registers its
 * own commands and card verbs; every handler calls the requests service, which owns every rule and write.
 */
// teams-ai's package index loads its whole AI stack (planners, models, openai, tokenizers, prompts): the
// modules we use are imported from their own files, which keeps that out of the process.
import { Application } from '@microsoft/teams-ai/lib/Application';
import type { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import { ActivityTypes, type BotAdapter, INVOKE_RESPONSE_KEY, MemoryStorage, type TurnContext } from 'botbuilder';
import type { RequestsService } from '../requests/types';
import { type Logger, silentLogger } from '../shared/logger';
import { approvalFeature } from './features/approval';
import { helpFeature } from './features/help';
import { policiesFeature } from './features/policies';
import { requestFeature } from './features/request';
import { statusFeature } from './features/status';
import type { ConversationStore } from './ports';
import type { BotContext, BotRoutes, Feature, SearchQuery } from './routes';
import { ACTION_FAILED_MESSAGE, INVALID_CARD_MESSAGE, type InvokeReply, MAX_SEARCH_CHOICES, NO_IDENTITY_MESSAGE, actorOf, conversationKindOf, referenceOf, sendActionError, sendInvokeReply, sendSearchResults } from './turn';
import type { AnyVerb, VerbInput } from './verb';
import { z } from 'zod';
import { alreadyAnswered, takeDelegatedCredential } from './credential';
import { type SignInConnection, signInOptions } from './signIn';

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
  /** The OAuth connection approvers sign in through to act in Intune as themselves; absent: app-only, as before. */
  readonly signIn?: SignInConnection;
  /** Tests start no typing timer (it outlives the turn). */
  readonly startTypingTimer?: boolean;
}

export interface Bot {
  run(context: TurnContext): Promise<boolean>;
}

/** Matches every verb or dataset: the routes registered last answer what no feature took. */
const ANY_OTHER_VERB = /^/;
const SIGN_OUT_COMMAND = /^\s*sign\s*out\s*$/i;
/** An activity's type is a plain string; botbuilder names the values as an enum. */
const INVOKE: string = ActivityTypes.Invoke;


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
    // teams-ai's sign-in adds botbuilder's SSO de-duplication middleware to the adapter (it calls only `use`,
    // which every BotAdapter has; its type asks for its own CloudAdapter subclass).
    // A typed command's sign-in spans turns (the OAuth card, then signin/verifyState or signin/tokenExchange):
    // teams-ai keeps that dialog in the turn state, so with sign-in the turn state lives in memory. A sign-in
    // is short, and one lost to a restart or another instance is simply started again.
    ...(deps.signIn && { adapter: deps.adapter as TeamsAdapter, authentication: signInOptions(deps.signIn, deps.requests), storage: new MemoryStorage() }),
  });
  const connectionName = deps.signIn?.connectionName;
  /** The signed-in approver's token, from teams-ai's sign-in step, for this turn's handler. */
  const keepCredential = (context: TurnContext, state: TurnState): void => {
    if (connectionName) takeDelegatedCredential(context, state, connectionName);
  };

  const routes: BotRoutes = {
    command: (pattern, handler) =>
      app.message(pattern, (context, state) => {
        keepCredential(context, state);
        return handler(context, bot);
      }),
    verb: (verb, handler) =>
      app.adaptiveCards.actionExecute<unknown>(verb.name, async (context, state, data) => {
        try {
          // The sign-in step answered the click already (a wrong sign-in code): nothing more to say.
          if (alreadyAnswered(context)) return '';
          keepCredential(context, state);
          const input = await verbInput(verb, context, bot, data);
          await sendInvokeReply(context, 'refused' in input ? input.refused : await handler(context, bot, input));
        } catch (error) {
          // An outage or a bug, not an expected outcome: logged with the verb, answered as Universal Actions say.
          logger.error({ err: error, verb: verb.name }, 'card action failed');
          await answerFailedAction(context);
        }
        return ''; // ignored: the invoke response is already sent
      }),
    search: (dataset, handler) =>
      app.adaptiveCards.search(dataset, async (context) => {
        try {
          const results = await handler(context, bot, searchQueryOf(context));
          await sendSearchResults(context, results.slice(0, MAX_SEARCH_CHOICES));
        } catch (error) {
          logger.error({ err: error, dataset }, 'typeahead search failed');
          await answerFailedAction(context);
        }
        return []; // ignored: the invoke response is already sent
      }),
    membersAdded: (handler) => app.conversationUpdate('membersAdded', (context) => handler(context, bot)),
    anyOtherMessage: (handler) => app.activity(ActivityTypes.Message, (context) => handler(context, bot)),
  };

  app.turn('beforeTurn', async (context) => {
    await rememberPersonalChat(context, bot);
    return true;
  });
  if (connectionName) {
    // A typed command's sign-in ends in its own turn: the command is not replayed.
    const connection = app.authentication.get(connectionName);
    connection.onUserSignInSuccess(async (context) => {
      await context.sendActivity('You are signed in. Type the command again to make the change in Intune as yourself.');
    });
    connection.onUserSignInFailure(async (context) => {
      await context.sendActivity('The sign-in did not complete, so nothing was changed. Type the command again to retry.');
    });
    // Forgets the person's token in the token service (teams-ai's sign-out), before any feature's command.
    app.message(SIGN_OUT_COMMAND, async (context, state) => {
      await app.authentication.signOutUser(context, state, connectionName);
      await context.sendActivity('You are signed out: the bot no longer acts in Intune as you until you sign in again.');
    });
  }
  for (const feature of FEATURES) feature.register(routes);
  // Last: a verb no card of this version has (an old card, or a forged click) gets an answer, not a 501.
  app.adaptiveCards.actionExecute(ANY_OTHER_VERB, async (context) => {
    await sendInvokeReply(context, { message: 'This button is no longer available. Type `help` to see what I can do.' });
    return '';
  });

  // A typeahead of a dataset no card of this version has: no choices, rather than a 501.
  app.adaptiveCards.search(ANY_OTHER_VERB, async (context) => {
    await sendSearchResults(context, []);
    return [];
  });

  deps.adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === INVOKE) await answerFailedAction(context);
    else await context.sendActivity(ACTION_FAILED_MESSAGE);
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

/** What Teams sends as someone types: `{ queryText, queryOptions: { skip, top }, dataset }`, read defensively. */
const SearchInvokeValue = z.object({
  queryText: z.string().max(1000).catch(''),
  queryOptions: z.object({ skip: z.number().int().min(0).catch(0), top: z.number().int().min(1).catch(MAX_SEARCH_CHOICES) }).catch({ skip: 0, top: MAX_SEARCH_CHOICES }),
});

function searchQueryOf(context: TurnContext): SearchQuery {
  const value = SearchInvokeValue.catch({ queryText: '', queryOptions: { skip: 0, top: MAX_SEARCH_CHOICES } }).parse(context.activity.value);
  return { text: value.queryText, skip: value.queryOptions.skip, top: Math.min(value.queryOptions.top, MAX_SEARCH_CHOICES) };
}

/** The error answer, unless the invoke was answered already (a failure after the answer only goes to the log). */
async function answerFailedAction(context: TurnContext): Promise<void> {
  if (context.turnState.get(INVOKE_RESPONSE_KEY) === undefined) await sendActionError(context);
}

/** The personal chat of everyone who talks to the bot, so notifications and approval cards can reach them. */
async function rememberPersonalChat(context: TurnContext, bot: BotContext): Promise<void> {
  const actor = actorOf(context);
  if (!actor || conversationKindOf(context) !== 'personal') return;
  await bot.conversations.savePersonalConversation(actor.aadObjectId, referenceOf(context));
}
