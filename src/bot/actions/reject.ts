import type { TurnContext } from 'botbuilder';
import type { BotServices } from '../services';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf } from '../turn';
import { reasonFrom, requestIdFrom } from './cardData';
import { INVALID_CARD_MESSAGE, decisionReply } from './decision';

/** Reject, with the optional reason the approver typed on the card. */
export async function reject(context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  const requestId = requestIdFrom(data);
  if (!requestId) return { message: INVALID_CARD_MESSAGE };
  // The requests service checks the reason (length, invisible characters) and refuses with a message.
  return decisionReply(services, await services.requests.reject(requestId, actor, reasonFrom(data)));
}
