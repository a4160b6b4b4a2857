import type { TurnContext } from 'botbuilder';
import { recordDenial } from '../denials';
import type { BotServices } from '../services';
import { NO_IDENTITY_MESSAGE, actorOf, channelRootReference, conversationKindOf } from '../turn';
import { NOT_AN_APPROVER_MESSAGE } from './lists';

export const REGISTER_APPROVALS_COMMAND = /^\s*register\s+approvals\s*$/i;

/** `register approvals`, typed in a team channel by an approver: new requests get posted there. */
export async function handleRegisterApprovals(context: TurnContext, services: BotServices): Promise<void> {
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity(NO_IDENTITY_MESSAGE);
    return;
  }
  if (conversationKindOf(context) !== 'channel') {
    await context.sendActivity('Type `register approvals` in the team channel where approval requests should go.');
    return;
  }
  if (!(await services.approvers.isApprover(actor))) {
    await recordDenial(services, actor, 'register approvals: not an approver');
    await context.sendActivity(NOT_AN_APPROVER_MESSAGE);
    return;
  }
  await services.conversations.setApprovalsChannel(channelRootReference(context), actor.aadObjectId);
  services.logger.info({ actor: actor.aadObjectId }, 'approvals channel registered');
  await context.sendActivity('New device group requests will be posted in this channel for approval.');
}
