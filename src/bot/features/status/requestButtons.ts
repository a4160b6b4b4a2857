import type { TurnContext } from 'botbuilder';
import { INVALID_CARD_MESSAGE, requestIdFrom } from '../../cardData';
import { requestCard } from '../../cards/request';
import { refusalMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf } from '../../turn';
import { mineCard } from './lists';

/** "Details" on a request in `mine`: the request's card, posted below the list. */
export async function showRequest(_context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const requestId = requestIdFrom(data);
  const request = requestId ? await bot.requests.get(requestId) : undefined;
  if (!request) return { message: requestId ? `There is no request ${requestId}.` : INVALID_CARD_MESSAGE };
  return { post: requestCard(request, `Status of ${request.id}`), message: `${request.id} is shown below.` };
}

/** "Cancel" on a pending request in `mine`: the requests service decides; the list is shown again, current. */
export async function cancelRequest(context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  const requestId = requestIdFrom(data);
  if (!actor || !requestId) {
    await bot.requests.refuseUnreadableAction('cancel', actor ? 'invalid card data' : 'no Entra identity', actor);
    return { message: actor ? INVALID_CARD_MESSAGE : NO_IDENTITY_MESSAGE };
  }
  const result = await bot.requests.cancel(requestId, actor);
  if (result.kind !== 'decided') return { message: refusalMessage(result) };
  return { card: await mineCard(bot, actor) };
}
