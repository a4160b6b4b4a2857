import type { TurnContext } from 'botbuilder';
import { mineCard } from './lists';
import type { BotContext } from '../../routes';
import { type InvokeReply, NO_IDENTITY_MESSAGE, OPENED_BELOW, actorOf } from '../../turn';

/** "My requests" on the welcome card. */
export async function showMine(context: TurnContext, bot: BotContext): Promise<InvokeReply> {
  const actor = actorOf(context);
  if (!actor) return { message: NO_IDENTITY_MESSAGE };
  return { post: await mineCard(bot, actor), message: OPENED_BELOW };
}
