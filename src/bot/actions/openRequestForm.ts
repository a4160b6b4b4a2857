import type { TurnContext } from 'botbuilder';
import { requestFormCard } from '../cards/requestForm';
import { formWithPreview } from '../commands/request';
import type { BotServices } from '../services';
import type { InvokeReply } from '../turn';
import { policyNameFrom } from './cardData';

/** "Request a group" (welcome card) or "Request it" (status card, prefilled with the policy asked about). */
export async function openRequestForm(_context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const policyName = policyNameFrom(data);
  return { card: requestFormCard(formWithPreview(services, policyName ? { policyName } : {})) };
}
