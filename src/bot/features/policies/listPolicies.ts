import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Actor } from '../../../domain/actor';
import { offsetFrom } from '../../cardData';
import type { BotContext } from '../../routes';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf, replyWithCard } from '../../turn';
import { policiesCard } from './policiesCard';

export const POLICIES_COMMAND = /^\s*policies\b/i;

/** `policies`: every device-preparation policy in the tenant and its group, problems first (approvers). */
export async function handlePolicies(context: TurnContext, bot: BotContext): Promise<void> {
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return;
  }
  const reply = await policiesPage(bot, actor, 0, false);
  if ('card' in reply) await replyWithCard(context, reply.card);
  else await context.sendActivity(reply.message);
}

/** "Previous" / "Next" on the policies card: pages of the inventory the list was made from, if it is recent. */
export async function showPoliciesPage(context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  return policiesPage(bot, actor, offsetFrom(data), true);
}

async function policiesPage(bot: BotContext, actor: Actor, offset: number, recent: boolean): Promise<InvokeReply> {
  const result = await bot.requests.listPolicies(actor, { recent });
  return result.kind === 'forbidden' ? { message: result.reason } : { card: policiesCard(result.policies, offset) };
}

// An Intune policy id is an id: the one thing card data is trusted for here (the service checks it exists).
const WithPolicyId = z.object({ policyId: z.string().min(1).max(200) });

/** "Adopt this group" on the policies card or the digest. */
export async function adoptGroup(context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  const parsed = WithPolicyId.safeParse(data);
  if (!parsed.success) {
    await bot.requests.refuseUnreadableAction('adopt a group', 'the card names no Intune policy', actor);
    return { message: 'This card does not name an Intune policy.' };
  }
  const result = await bot.requests.adoptGroup(parsed.data.policyId, actor);
  switch (result.kind) {
    case 'adopted':
      return { message: `Adopted: "${result.group.displayName}" (${result.group.groupId}) is now the one group of "${result.group.policyName}". Requests for the policy will answer with it.` };
    case 'refused':
      return { message: `Not adopted. ${result.reason}` };
    case 'notFound':
      return { message: 'Intune no longer has that device-preparation policy.' };
    case 'forbidden':
      return { message: result.reason };
  }
}
