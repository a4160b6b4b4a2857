import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../../domain/actor';
import type { BotContext } from '../../routes';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf, replyWithCard } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
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
export async function showPoliciesPage(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.policiesPage>): Promise<InvokeReply> {
  return policiesPage(bot, actor, data.offset ?? 0, true);
}

async function policiesPage(bot: BotContext, actor: Actor, offset: number, recent: boolean): Promise<InvokeReply> {
  const result = await bot.requests.listPolicies(actor, { recent });
  return result.kind === 'forbidden' ? { message: result.reason } : { card: policiesCard(result.policies, offset) };
}

/** "Adopt this group" on the policies card or the digest. */
export async function adoptGroup(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.adoptGroup>): Promise<InvokeReply> {
  const result = await bot.requests.adoptGroup(data.policyId, actor);
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
