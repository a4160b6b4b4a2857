import type { TurnContext } from 'botbuilder';
import { groupsPageCard } from './lists';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';

/** "Previous" / "Next" on the groups card. */
export async function groupsPage(_context: TurnContext, bot: BotContext, { data }: VerbInput<typeof CARD_VERBS.groupsPage>): Promise<InvokeReply> {
  return { card: await groupsPageCard(bot, data.offset ?? 0) };
}
