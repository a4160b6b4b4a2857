import type { TurnContext } from 'botbuilder';
import { formForPolicy } from './form';
import type { BotContext } from '../../routes';
import { type InvokeReply, OPENED_BELOW } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';

/** "Request a group" (welcome card) or "Request it" (status card, prefilled with the policy asked about). */
export async function openRequestForm(_context: TurnContext, bot: BotContext, { data }: VerbInput<typeof CARD_VERBS.openRequestForm>): Promise<InvokeReply> {
  const policyName = data.policyName?.trim() === '' ? undefined : data.policyName;
  return { post: await formForPolicy(bot, policyName ? { policyName } : {}), message: OPENED_BELOW };
}
