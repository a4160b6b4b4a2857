import type { TurnContext } from 'botbuilder';
import { groupsPageCard } from './lists';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import { offsetFrom } from '../../cardData';

/** "Previous" / "Next" on the groups card. */
export async function groupsPage(_context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  return { card: await groupsPageCard(bot, offsetFrom(data)) };
}
