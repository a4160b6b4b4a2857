import type { TurnContext } from 'botbuilder';
import { GROUPS_PAGE_SIZE, groupsCard, requestListCard } from '../cards/lists';
import type { AdaptiveCard } from '../cards/types';
import { recordDenial } from '../denials';
import type { BotServices } from '../services';
import { NO_IDENTITY_MESSAGE, actorOf, replyWithCard } from '../turn';
import { argumentsAfter } from './args';

export const MINE_COMMAND = /^\s*mine\b/i;
export const PENDING_COMMAND = /^\s*pending\b/i;
export const GROUPS_COMMAND = /^\s*groups\b/i;

export const NOT_AN_APPROVER_MESSAGE = 'Only approvers can do that.';

export async function mineCard(services: BotServices, aadObjectId: string): Promise<AdaptiveCard> {
  const requests = await services.requests.listByRequester(aadObjectId);
  return requestListCard({ title: 'Your requests', requests, empty: 'You have not requested any group yet.' });
}

export async function handleMine(context: TurnContext, services: BotServices): Promise<void> {
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return;
  }
  await replyWithCard(context, await mineCard(services, actor.aadObjectId));
}

/** Approvers only: what waits for a decision, each with a Review button. */
export async function handlePending(context: TurnContext, services: BotServices): Promise<void> {
  const actor = actorOf(context);
  if (!actor || !(await services.approvers.isApprover(actor))) {
    await recordDenial(services, actor, 'pending: not an approver');
    await context.sendActivity(NOT_AN_APPROVER_MESSAGE);
    return;
  }
  const requests = await services.requests.listPending();
  await replyWithCard(
    context,
    requestListCard({ title: 'Waiting for a decision', requests, empty: 'Nothing is waiting for a decision.', reviewable: true }),
  );
}

export async function groupsPageCard(services: BotServices, offset: number): Promise<AdaptiveCard> {
  return groupsCard(await services.requests.listGroups(offset, GROUPS_PAGE_SIZE));
}

/** `groups` or `groups 3` (pages count from 1). */
export async function handleGroups(context: TurnContext, services: BotServices): Promise<void> {
  const argument = argumentsAfter(context.activity.text, GROUPS_COMMAND);
  if (argument !== '' && !/^\d{1,6}$/.test(argument)) {
    await context.sendActivity('Type `groups` or `groups <page number>`.');
    return;
  }
  const page = argument === '' ? 1 : Math.max(1, Number(argument));
  await replyWithCard(context, await groupsPageCard(services, (page - 1) * GROUPS_PAGE_SIZE));
}
