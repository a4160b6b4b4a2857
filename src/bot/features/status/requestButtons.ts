import type { TurnContext } from 'botbuilder';
import { requestCard } from '../../cards/request';
import { refusalMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { mineCard } from './lists';

/** "Details" on a request in `mine`: the request's card, posted below the list. */
export async function showRequest(_context: TurnContext, bot: BotContext, { data }: VerbInput<typeof CARD_VERBS.showRequest>): Promise<InvokeReply> {
  const request = await bot.requests.get(data.requestId);
  if (!request) return { message: `There is no request ${data.requestId}.` };
  return { post: requestCard(request, `Status of ${request.id}`), message: `${request.id} is shown below.` };
}

/** "Cancel" on a pending request in `mine`: the requests service decides; the list is shown again, current. */
export async function cancelRequest(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.cancelRequest>): Promise<InvokeReply> {
  const result = await bot.requests.cancel(data.requestId, actor);
  if (result.kind !== 'decided') return { message: refusalMessage(result) };
  return { card: await mineCard(bot, actor) };
}
