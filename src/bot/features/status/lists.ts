import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../../domain/actor';
import type { AdaptiveCard } from '../../cards/elements';
import { argumentsAfter } from '../../commandArgs';
import type { BotContext } from '../../routes';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf, replyWithCard } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { GROUPS_PAGE_SIZE, groupsCard, requestListCard } from './listCards';

export const MINE_COMMAND = /^\s*mine\b/i;
export const PENDING_COMMAND = /^\s*pending\b/i;
export const GROUPS_COMMAND = /^\s*groups\b/i;

export async function mineCard(bot: BotContext, actor: Actor): Promise<AdaptiveCard> {
  const requests = await bot.requests.listMine(actor);
  return requestListCard({ title: 'Your requests', requests, empty: 'You have not requested any group yet.', kind: 'own' });
}

export async function handleMine(context: TurnContext, bot: BotContext): Promise<void> {
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return;
  }
  await replyWithCard(context, await mineCard(bot, actor));
}

/** What waits for a decision, each with a Review button (the requests service lets only approvers see it). */
export async function handlePending(context: TurnContext, bot: BotContext): Promise<void> {
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return;
  }
  const reply = await pendingReply(bot, actor);
  if ('card' in reply) await replyWithCard(context, reply.card);
  else await context.sendActivity(reply.message);
}

/** "Back to the list" on an approval card opened with Review: the pending list again, current. */
export async function showPending(_context: TurnContext, bot: BotContext, { actor }: VerbInput<typeof CARD_VERBS.showPending>): Promise<InvokeReply> {
  return pendingReply(bot, actor);
}

async function pendingReply(bot: BotContext, actor: Actor): Promise<InvokeReply> {
  const result = await bot.requests.listPending(actor);
  if (result.kind === 'forbidden') return { message: result.reason };
  return { card: requestListCard({ title: 'Waiting for a decision', requests: result.requests, empty: 'Nothing is waiting for a decision.', kind: 'review' }) };
}

export async function groupsPageCard(bot: BotContext, offset: number): Promise<AdaptiveCard> {
  return groupsCard(await bot.requests.listGroups(offset, GROUPS_PAGE_SIZE));
}

/** `groups` or `groups 3` (pages count from 1). */
export async function handleGroups(context: TurnContext, bot: BotContext): Promise<void> {
  const argument = argumentsAfter(context.activity.text, GROUPS_COMMAND);
  if (argument !== '' && !/^\d{1,6}$/.test(argument)) {
    await context.sendActivity('Type `groups` or `groups <page number>`.');
    return;
  }
  const page = argument === '' ? 1 : Math.max(1, Number(argument));
  await replyWithCard(context, await groupsPageCard(bot, (page - 1) * GROUPS_PAGE_SIZE));
}
