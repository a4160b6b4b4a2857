import type { TurnContext } from 'botbuilder';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import { decideFromCard } from './decideFromCard';

/** Retry a failed provisioning (approvers only; the requests service checks). */
export function retry(context: TurnContext, bot: BotContext, data: unknown): Promise<InvokeReply> {
  return decideFromCard(context, bot, data, 'retry', (id, actor) => bot.requests.retry(id, actor));
}
