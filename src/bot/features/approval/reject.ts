import type { TurnContext } from 'botbuilder';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import { reasonFrom } from '../../cardData';
import { decideFromCard } from './decideFromCard';

export const REASON_NOT_TEXT_MESSAGE = 'The rejection reason must be text. Nothing was changed; type the reason again.';

/** Reject, with the optional reason typed on the card (the requests service checks its length and content). */
export async function reject(context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  const parsed = reasonFrom(data);
  if (!parsed.ok) return { message: REASON_NOT_TEXT_MESSAGE };
  return decideFromCard(context, bot, data, 'reject', (id, actor) => bot.requests.reject(id, actor, parsed.reason));
}
