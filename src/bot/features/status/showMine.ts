import type { TurnContext } from 'botbuilder';
import { mineCard } from './lists';
import type { BotContext } from '../../routes';
import { type InvokeReply, OPENED_BELOW } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';

/** "My requests" on the welcome card. */
export async function showMine(_context: TurnContext, bot: BotContext, { actor }: VerbInput<typeof CARD_VERBS.showMine>): Promise<InvokeReply> {
  return { post: await mineCard(bot, actor), message: OPENED_BELOW };
}
