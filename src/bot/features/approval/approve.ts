import type { TurnContext } from 'botbuilder';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { decideFromCard } from './decideFromCard';

/** Approve: the requests service decides who may (approvers, not the requester) and resolves races. */
export function approve(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.approve>): Promise<InvokeReply> {
  return decideFromCard(bot, data.requestId, actor, 'approve', (id, by) => bot.requests.approve(id, by));
}
