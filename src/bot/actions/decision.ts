import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../domain/actor';
import type { DecideResult } from '../../requests/types';
import { knownApproverTeamsIds } from '../approverTeamsIds';
import { approvalCard } from '../cards/approval';
import { recordDenial } from '../denials';
import { refusalMessage } from '../outcomes';
import type { BotServices } from '../services';
import { type InvokeReply, NO_IDENTITY_MESSAGE, actorOf } from '../turn';
import { requestIdFrom } from './cardData';

export const INVALID_CARD_MESSAGE = 'This card does not name a valid request.';

export type Decide = (requestId: string, actor: Actor) => Promise<DecideResult>;

/**
 * A button that changes a request (approve, reject, retry): the actor from the activity, the request id from
 * the card, the decision from the requests service. The clicker gets the updated card when it took effect
 * (the notifier updates every other copy), otherwise why nothing changed — e.g. who decided first.
 */
export async function decideFromCard(
  context: TurnContext,
  services: BotServices,
  data: unknown,
  attempt: string,
  decide: Decide,
): Promise<InvokeReply> {
  const actor = actorOf(context);
  const requestId = requestIdFrom(data);
  if (!actor || !requestId) {
    await recordDenial(services, actor, `${attempt}: ${actor ? 'invalid card data' : 'no Entra identity'}`);
    return { message: actor ? INVALID_CARD_MESSAGE : NO_IDENTITY_MESSAGE };
  }
  const result = await decide(requestId, actor);
  if (result.kind === 'decided') {
    const approverTeamsIds = await knownApproverTeamsIds(services);
    return { card: approvalCard({ request: result.request, viewer: 'approver', approverTeamsIds }) };
  }
  // The requests service audits its own refusals; an unknown id never reaches its audit, so record it here.
  if (result.kind === 'notFound') await recordDenial(services, actor, `${attempt}: unknown request id`, requestId);
  else services.logger.info({ outcome: result.kind, requestId, attempt }, 'card action changed nothing');
  return { message: refusalMessage(result) };
}
