import type { Actor } from '../../../domain/actor';
import type { DecideResult } from '../../../requests/types';
import { refusalMessage } from '../../refusals';
import type { BotContext } from '../../routes';
import type { InvokeReply } from '../../turn';
import { approvalCard } from './approvalCard';
import { knownApproverTeamsIds } from './approverTeamsIds';

export type Decide = (requestId: string, actor: Actor) => Promise<DecideResult>;

/**
 * A button that changes a request (approve, reject, retry): the actor from the activity, the request id from
 * the card (both read by the route), the decision from the requests service. The clicker gets the updated card
 * when it took effect (the notifier updates every other copy), otherwise why nothing changed — e.g. who
 * decided first.
 */
export async function decideFromCard(bot: BotContext, requestId: string, actor: Actor, attempt: string, decide: Decide): Promise<InvokeReply> {
  const result = await decide(requestId, actor);
  if (result.kind !== 'decided') {
    bot.logger.info({ outcome: result.kind, requestId, attempt }, 'card action changed nothing');
    return { message: refusalMessage(result) };
  }
  return { card: approvalCard({ request: result.request, viewer: 'approver', approverTeamsIds: await knownApproverTeamsIds(bot) }) };
}
