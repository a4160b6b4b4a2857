import type { TurnContext } from 'botbuilder';
import { formForPolicy } from './form';
import type { BotContext } from '../../routes';
import { type InvokeReply, OPENED_BELOW } from '../../turn';
import { policyNameFrom } from '../../cardData';

/** "Request a group" (welcome card) or "Request it" (status card, prefilled with the policy asked about). */
export async function openRequestForm(_context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const policyName = policyNameFrom(data);
  return { post: await formForPolicy(bot, policyName ? { policyName } : {}), message: OPENED_BELOW };
}
