import type { TurnContext } from 'botbuilder';
import { requestFormCard } from './formCard';
import { groupDeletedCard, groupExistsCard } from '../../cards/group';
import { requestCard, requesterCard } from '../../cards/request';
import { noticeCard, plain } from '../../cards/elements';
import { tenantGroupCard } from './tenantGroupCard';
import { formWithPreview, parseRequestForm } from './form';
import type { BotContext } from '../../routes';
import { type InvokeReply, actorTeamsIdOf, referenceOf } from '../../turn';
import type { VerbInput } from '../../verb';
import type { CARD_VERBS } from '../../verbs';

const NOBODY_TOLD =
  'No approver could be told about this request yet: no approvals channel is registered and no approver has a chat with me that I ' +
  'could reach. Ask an approver to open a chat with me and type `pending`; the request waits for them.';

/** "Submit request": checked here and again by the requests service; one request or group per policy. */
export async function submitRequest(context: TurnContext, bot: BotContext, { data, actor }: VerbInput<typeof CARD_VERBS.submitRequest>): Promise<InvokeReply> {
  const parsed = parseRequestForm(data);
  if (!parsed.ok) return { card: requestFormCard(parsed.view) };
  // Kept with the request: the requester is told there when the bot has no personal chat with them. The
  // thread itself, not the channel root, so the notices follow the request they answer.
  const result = await bot.requests.submit({ ...parsed.form, requester: actor, origin: referenceOf(context) });
  switch (result.kind) {
    case 'created':
      await rememberRequesterCard(context, bot, result.request.id);
      return { card: requesterCard(result.request, actorTeamsIdOf(context), noticeOf(result.approversNotified, result.tenantNotice)) };
    case 'activeRequestExists':
      return { card: requestCard(result.request, 'This policy already has a request in progress') };
    case 'groupExists':
      return { card: groupExistsCard(result.group) };
    case 'groupDeleted':
      return { card: groupDeletedCard(result.group, result.deleted) };
    case 'policyUsesGroup':
      return { card: tenantGroupCard(result.tenantGroup) };
    case 'policyUnclear':
      return { card: noticeCard('Which policy is meant?', plain(result.reason)) };
    case 'invalid':
      return { card: requestFormCard(formWithPreview(bot, { ...parsed.form, errors: { [result.field]: result.message } })) };
  }
}

/** What the requester should know beside the request: nobody told, or Intune not asked. */
function noticeOf(approversNotified: boolean, tenantNotice: string | undefined): string | undefined {
  const notices = [...(approversNotified ? [] : [NOBODY_TOLD]), ...(tenantNotice === undefined ? [] : [plain(tenantNotice)])];
  return notices.length > 0 ? notices.join(' ') : undefined;
}

/** The form becomes the requester's card about the request: remembered, so the bot keeps it current. */
async function rememberRequesterCard(context: TurnContext, bot: BotContext, requestId: string): Promise<void> {
  const activityId = context.activity.replyToId;
  if (activityId) await bot.conversations.recordCardCopy({ requestId, activityId, conversation: referenceOf(context), view: 'request' });
}
