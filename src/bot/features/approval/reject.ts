import type { TurnContext } from 'botbuilder';
import { reasonFrom } from '../../cardData';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { decideFromCard } from './decideFromCard';

export const REASON_NOT_TEXT_MESSAGE = 'The rejection reason must be text. Nothing was changed; type the reason again.';

/** Reject, with the optional reason typed on the card (the requests service checks its length and content). */
export async function reject(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.reject>): Promise<InvokeReply> {
  const parsed = reasonFrom(data.reason);
  if (!parsed.ok) return { message: REASON_NOT_TEXT_MESSAGE };
  return decideFromCard(bot, data.requestId, actor, 'reject', (id, by) => bot.requests.reject(id, by, parsed.reason));
}
