import type { TurnContext } from 'botbuilder';
import type { BotServices } from '../services';
import type { InvokeReply } from '../turn';
import { reasonFrom } from './cardData';
import { decideFromCard } from './decision';

export const REASON_NOT_TEXT_MESSAGE = 'The rejection reason must be text. Nothing was changed; type the reason again.';

/** Reject, with the optional reason typed on the card (the requests service checks its length and content). */
export async function reject(context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const parsed = reasonFrom(data);
  if (!parsed.ok) return { message: REASON_NOT_TEXT_MESSAGE };
  return decideFromCard(context, services, data, 'reject', (id, actor) => services.requests.reject(id, actor, parsed.reason));
}
