import type { TurnContext } from 'botbuilder';
import type { BotServices } from '../services';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf } from '../turn';
import { requestIdFrom } from './cardData';
import { INVALID_CARD_MESSAGE, decisionReply } from './decision';

/** Approve: the requests service decides who may (approvers, not the requester) and resolves races. */
export async function approve(context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  const requestId = requestIdFrom(data);
  if (!requestId) return { message: INVALID_CARD_MESSAGE };
  return decisionReply(services, await services.requests.approve(requestId, actor));
}
