import type { TurnContext } from 'botbuilder';
import type { BotContext } from '../../routes';
import { type InvokeReply, referenceOf } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';
import { approvalCard } from './approvalCard';
import { knownApproverTeamsIds } from './approverTeamsIds';

function isAutomaticRefresh(context: TurnContext): boolean {
  const value: unknown = context.activity.value;
  return typeof value === 'object' && value !== null && 'trigger' in value && value.trigger === 'automatic';
}

/**
 * The approval card for whoever asks, in the view the requests service allows: approvers get the buttons,
 * others the read-only view. Teams asks automatically for the users listed in `refresh.userIds`; anyone can
 * ask by clicking "Approver actions".
 */
export async function refreshApproval(context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.refreshApproval>): Promise<InvokeReply> {
  const { requestId } = data;
  const view = await bot.requests.approvalView(requestId, actor, { automatic: isAutomaticRefresh(context) });
  switch (view.kind) {
    case 'notFound':
      return { message: `There is no request ${view.requestId}.` };
    case 'forbidden':
      return { message: view.reason };
    case 'approver':
    case 'observer':
      // A click (e.g. Review in `pending`) puts the approval card in place of another: keep that copy current too.
      if (!isAutomaticRefresh(context)) await rememberApprovalCard(context, bot, view.request.id);
      return { card: approvalCard({ request: view.request, viewer: view.kind, approverTeamsIds: await knownApproverTeamsIds(bot) }) };
  }
}

async function rememberApprovalCard(context: TurnContext, bot: BotContext, requestId: string): Promise<void> {
  const activityId = context.activity.replyToId;
  if (activityId) await bot.conversations.recordCardCopy({ requestId, activityId, conversation: referenceOf(context), view: 'approval' });
}
