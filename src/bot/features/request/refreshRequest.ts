import type { TurnContext } from 'botbuilder';
import { INVALID_CARD_MESSAGE, requestIdFrom } from '../../cardData';
import { requesterCard } from '../../cards/request';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';

/** Teams refreshing the requester's card about their request: the request as it stands now (anyone may see it). */
export async function refreshRequest(_context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const requestId = requestIdFrom(data);
  const request = requestId ? await bot.requests.get(requestId) : undefined;
  if (!request) return { message: requestId ? `There is no request ${requestId}.` : INVALID_CARD_MESSAGE };
  return { card: requesterCard(request, request.origin?.user?.id) };
}
