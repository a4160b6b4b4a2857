import type { TurnContext } from 'botbuilder';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { decideFromCard } from './decideFromCard';

/** Retry a failed provisioning (approvers only; the requests service checks). */
export function retry(_context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.retry>): Promise<InvokeReply> {
  return decideFromCard(bot, data.requestId, actor, 'retry', (id, by) => bot.requests.retry(id, by));
}
