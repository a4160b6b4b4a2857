import type { TurnContext } from 'botbuilder';
import { requestFormCard } from './formCard';
import { formWithPreview } from './form';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import { policyNameFrom } from '../../cardData';

/** "Request a group" (welcome card) or "Request it" (status card, prefilled with the policy asked about). */
export async function openRequestForm(_context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const policyName = policyNameFrom(data);
  return { card: requestFormCard(formWithPreview(bot, policyName ? { policyName } : {})) };
}
