import type { TurnContext } from 'botbuilder';
import { groupsPageCard } from '../commands/lists';
import type { BotServices } from '../services';
import type { InvokeReply } from '../turn';
import { offsetFrom } from './cardData';

/** "Previous" / "Next" on the groups card. */
export async function groupsPage(_context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  return { card: await groupsPageCard(services, offsetFrom(data)) };
}
