import type { TurnContext } from 'botbuilder';
import type { BotServices } from '../services';
import type { InvokeReply } from '../turn';
import { reasonFrom } from './cardData';
import { decideFromCard } from './decision';

/** Reject, with the optional reason typed on the card (the requests service checks its length and content). */
export function reject(context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const reason = reasonFrom(data);
  return decideFromCard(context, services, data, 'reject', (id, actor) => services.requests.reject(id, actor, reason));
}
