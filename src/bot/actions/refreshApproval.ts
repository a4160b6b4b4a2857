import type { TurnContext } from 'botbuilder';
import { knownApproverTeamsIds } from '../approverTeamsIds';
import { approvalCard } from '../cards/approval';
import { NOT_AN_APPROVER_MESSAGE } from '../commands/lists';
import { recordDenial } from '../denials';
import type { BotServices } from '../services';
import { type InvokeReply, actorOf } from '../turn';
import { requestIdFrom } from './cardData';
import { INVALID_CARD_MESSAGE } from './decision';

function isAutomaticRefresh(context: TurnContext): boolean {
  const value: unknown = context.activity.value;
  return typeof value === 'object' && value !== null && 'trigger' in value && value.trigger === 'automatic';
}

/**
 * The approval card for whoever asks: approvers get the buttons, others the read-only view. Teams asks
 * automatically for the users listed in `refresh.userIds`; anyone can ask by clicking "Approver actions".
 */
export async function refreshApproval(context: TurnContext, services: BotServices, data: unknown): Promise<InvokeReply> {
  const actor = actorOf(context);
  const requestId = requestIdFrom(data);
  const request = requestId ? await services.requests.get(requestId) : undefined;
  if (!request) {
    await recordDenial(services, actor, `approver actions: no request ${requestId ?? '(invalid card data)'}`, requestId);
    return { message: requestId ? `There is no request ${requestId}.` : INVALID_CARD_MESSAGE };
  }
  const approverTeamsIds = await knownApproverTeamsIds(services);
  if (actor && (await services.approvers.isApprover(actor))) {
    return { card: approvalCard({ request, viewer: 'approver', approverTeamsIds }) };
  }
  if (isAutomaticRefresh(context)) return { card: approvalCard({ request, viewer: 'observer', approverTeamsIds }) };
  await recordDenial(services, actor, 'approver actions: not an approver', request.id);
  return { message: NOT_AN_APPROVER_MESSAGE };
}
