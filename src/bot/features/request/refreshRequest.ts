import type { TurnContext } from 'botbuilder';
import { requesterCard } from '../../cards/request';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';

/** Teams refreshing the requester's card about their request: the request as it stands now (anyone may see it). */
export async function refreshRequest(_context: TurnContext, bot: BotContext, { data }: VerbInput<typeof CARD_VERBS.refreshRequest>): Promise<InvokeReply> {
  const request = await bot.requests.get(data.requestId);
  if (!request) return { message: `There is no request ${data.requestId}.` };
  return { card: requesterCard(request, request.origin?.user?.id) };
}
