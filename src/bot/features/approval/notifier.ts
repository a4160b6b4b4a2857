/**
 * Proactive side of the bot: posts approval cards when a request arrives, updates every posted copy after
 * each transition, and tells the requester what happened. Implements the requests service's outbound port.
 */
import { type Activity, CardFactory } from 'botbuilder';
import type { GroupRequest } from '../../../domain/request';
import type { Delivery, RequestEvent, RequestEventKind, RequestNotifier } from '../../../requests/ports';
import { knownApproverTeamsIds } from './approverTeamsIds';
import { requesterCard } from '../../cards/request';
import { approvalCard } from './approvalCard';
import { formatTime, plain, verbatim } from '../../cards/elements';
import type { Logger } from '../../../shared/logger';
import type { ConversationStore } from '../../ports';
import type { ApproverReach, ProactiveSender } from '../../proactive';

export interface RequestNotifierDeps {
  readonly sender: ProactiveSender;
  /** Where approval cards go. */
  readonly reach: ApproverReach;
  readonly conversations: ConversationStore;
  /** Configured approvers (object ids): whose Teams ids a card's `refresh.userIds` lists. */
  readonly approverIds: readonly string[];
  readonly logger: Logger;
}

/**
 * What the requester is told at each transition; undefined where they learn it otherwise. Teams renders a
 * message's markdown, so everything people typed or Graph said is escaped, and policy and group names are
 * verbatim: a URL in a policy name is not made a link in a notice that seems to come from IT.
 */
export function requesterMessage(kind: RequestEventKind, request: GroupRequest): string | undefined {
  const subject = `Your request ${request.id} for the policy ${verbatim(request.policyName)}`;
  const by = request.decision ? ` by ${plain(request.decision.by.name)} at ${formatTime(request.decision.at)}` : '';
  switch (kind) {
    case 'approved':
      return `${subject} was approved${by}. I am creating the group now.`;
    case 'rejected':
      return `${subject} was rejected${by}${request.decision?.reason ? `: ${plain(request.decision.reason)}` : '.'}`;
    case 'provisioned':
      return `${subject} is done: the group ${verbatim(request.names.displayName)} exists (object id ${request.groupId ?? 'unknown'}).`;
    case 'failed':
      return `${subject} was approved, but creating the group failed: ${plain(request.failureReason ?? 'unknown reason')}. An approver can retry.`;
    case 'superseded':
      return `${subject} was approved, but no group was made: ${plain(request.failureReason ?? 'the policy got its group meanwhile')}`;
    case 'bound':
      return `The Intune policy ${verbatim(request.policyName)} now uses the group ${verbatim(request.names.displayName)} of your request ${request.id}: devices that enroll with it are added to the group.`;
    case 'requested':
    case 'provisioning':
    case 'cancelled':
      return undefined;
  }
}

/**
 * A notice for the requester in a shared conversation: @mentioning them (Teams needs their Teams id, which the
 * conversation reference of their submission carries), or addressing them by name when it is not theirs.
 */
export function addressedToRequester(request: GroupRequest, text: string): Partial<Activity> {
  const { requester } = request;
  const user = request.origin?.user;
  if (!user || user.aadObjectId !== requester.aadObjectId) return { type: 'message', text: `${plain(requester.name)}: ${text}` };
  const mention = `<at>${requester.name}</at>`;
  return {
    type: 'message',
    text: `${mention} ${text}`,
    entities: [{ type: 'mention', text: mention, mentioned: { id: user.id, name: requester.name } }],
  };
}

export function createRequestNotifier(deps: RequestNotifierDeps): RequestNotifier {
  const { conversations, logger, sender } = deps;
  const inConversation: ProactiveSender['inConversation'] = (reference, what, logic) => sender.inConversation(reference, what, logic);
  // Events of one request are delivered in order, so an older card can never overwrite a newer one.
  const queues = new Map<string, Promise<Delivery>>();

  /** Posts the approval card wherever approvers are; how many places took it. */
  async function postApprovalCards(request: GroupRequest): Promise<number> {
    const targets = await deps.reach.approvalTargets();
    const card = approvalCard({ request, viewer: 'observer', approverTeamsIds: await knownApproverTeamsIds(deps) });
    let reached = 0;
    for (const conversation of targets) {
      const delivered = await inConversation(conversation, 'approval card', async (context) => {
        const sent = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
        if (sent?.id) await conversations.recordCardCopy({ requestId: request.id, conversation, activityId: sent.id, view: 'approval' });
      });
      if (delivered) reached += 1;
    }
    if (reached === 0) logger.warn({ requestId: request.id, targets: targets.length }, 'no approver could be told of the request');
    return reached;
  }

  /**
   * Every copy the bot knows of a card about the request, each in its own view, updated to the request now; the
   * approval card's copies also say what the event tells approvers to do next in Intune (Bind), or who bound it.
   */
  async function updateCardCopies(event: RequestEvent): Promise<void> {
    const { request } = event;
    const copies = await conversations.listCardCopies(request.id);
    if (copies.length === 0) return;
    const approval = approvalCard({
      request,
      viewer: 'observer',
      approverTeamsIds: await knownApproverTeamsIds(deps),
      ...(event.policyInIntune && { policyInIntune: event.policyInIntune }),
      ...(event.kind === 'bound' && event.actor && { boundBy: event.actor }),
    });
    const ownCard = requesterCard(request, request.origin?.user?.id);
    for (const copy of copies) {
      const card = copy.view === 'approval' ? approval : ownCard;
      await inConversation(copy.conversation, `${copy.view} card update`, async (context) => {
        await context.updateActivity({ type: 'message', id: copy.activityId, attachments: [CardFactory.adaptiveCard(card)] });
      });
    }
  }

  async function messageRequester(event: RequestEvent): Promise<void> {
    const text = requesterMessage(event.kind, event.request);
    if (!text) return;
    const { request } = event;
    const chat = await conversations.getPersonalConversation(request.requester.aadObjectId);
    if (chat) {
      await inConversation(chat, 'requester notification', async (context) => {
        await context.sendActivity(text);
      });
      return;
    }
    // Never opened a personal chat with the bot: tell them where they asked (a channel or group chat).
    if (request.origin?.conversation) {
      await inConversation(request.origin, 'requester notification in the conversation of the request', async (context) => {
        await context.sendActivity(addressedToRequester(request, text));
      });
      return;
    }
    logger.warn({ requestId: request.id, kind: event.kind }, 'requester has no personal chat with the bot and the request no conversation: not told');
  }

  async function deliver(event: RequestEvent): Promise<Delivery> {
    if (event.kind === 'requested') return { approversReached: await postApprovalCards(event.request) };
    await updateCardCopies(event);
    await messageRequester(event);
    return {};
  }

  return {
    notify(event: RequestEvent): Promise<Delivery> {
      const id = event.request.id;
      const previous = queues.get(id) ?? Promise.resolve({});
      const next = previous.then(() => deliver(event)).catch((error: unknown): Delivery => {
        logger.error({ err: error, requestId: id, kind: event.kind }, 'notification failed');
        return {};
      });
      queues.set(id, next);
      void next.then(() => {
        if (queues.get(id) === next) queues.delete(id);
      });
      return next;
    },
  };
}
