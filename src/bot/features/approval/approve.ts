import type { TurnContext } from 'botbuilder';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import { decideFromCard } from './decideFromCard';

/** Approve: the requests service decides who may (approvers, not the requester) and resolves races. */
export function approve(context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  return decideFromCard(context, bot, data, 'approve', (id, actor) => bot.requests.approve(id, actor));
}
