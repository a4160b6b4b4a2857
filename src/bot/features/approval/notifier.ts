/**
 * Proactive side of the bot: posts approval cards when a request arrives, updates every posted copy after
 * each transition, and tells the requester what happened. Implements the requests service's outbound port.
 */
import { type Activity, type BotAdapter, CardFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { ConversationAddress, GroupRequest } from '../../../domain/request';
import type { ApproverDirectory, Delivery, RequestEvent, RequestEventKind, RequestNotifier } from '../../../requests/ports';
import { knownApproverTeamsIds } from './approverTeamsIds';
import { requesterCard } from '../../cards/request';
import { approvalCard } from './approvalCard';
import { formatTime, plain } from '../../cards/elements';
import type { Logger } from '../../../shared/logger';
import type { ConversationStore, TeamsAppInstaller } from '../../ports';

export interface RequestNotifierDeps {
  /** CloudAdapter / TeamsAdapter in production; anything implementing `continueConversationAsync`. */
  readonly adapter: BotAdapter;
  readonly botAppId: string;
  readonly conversations: ConversationStore;
  /** Configured approvers (object ids): whose Teams ids a card's `refresh.userIds` lists. */
  readonly approverIds: readonly string[];
  /** Every approver to reach when no approvals channel is registered (the configured ones and the group's). */
  readonly approvers: Pick<ApproverDirectory, 'listApprovers'>;
  /**
   * Reaching approvers who never talked to the bot: the app is installed for them and their personal chat
   * opened (Graph), then the chat is addressed through the Bot Connector at `serviceUrl` in `tenantId`.
   * Absent where the app is not in the organisation's catalog (the sandbox): those approvers are not reached.
   */
  readonly personalChats?: PersonalChatOpening;
  readonly logger: Logger;
}

export interface PersonalChatOpening {
  readonly installer: TeamsAppInstaller;
  /** The app's id in the organisation's app catalog (not the manifest id). */
  readonly teamsAppId: string;
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly bot: { readonly id: string; readonly name: string };
}

/**
 * What the requester is told at each transition; undefined where they learn it otherwise. Teams renders a
 * message's markdown, so everything people typed or Graph said is escaped.
 */
export function requesterMessage(kind: RequestEventKind, request: GroupRequest): string | undefined {
  const subject = `Your request ${request.id} for the policy "${plain(request.policyName)}"`;
  const by = request.decision ? ` by ${plain(request.decision.by.name)} at ${formatTime(request.decision.at)}` : '';
  switch (kind) {
    case 'approved':
      return `${subject} was approved${by}. I am creating the group now.`;
    case 'rejected':
      return `${subject} was rejected${by}${request.decision?.reason ? `: ${plain(request.decision.reason)}` : '.'}`;
    case 'provisioned':
      return `${subject} is done: the group "${plain(request.names.displayName)}" exists (object id ${request.groupId ?? 'unknown'}).`;
    case 'failed':
      return `${subject} was approved, but creating the group failed: ${plain(request.failureReason ?? 'unknown reason')}. An approver can retry.`;
    case 'bound':
      return `The Intune policy "${plain(request.policyName)}" now uses the group "${plain(request.names.displayName)}" of your request ${request.id}: devices that enroll with it are added to the group.`;
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
  const { adapter, botAppId, conversations, logger } = deps;
  // Events of one request are delivered in order, so an older card can never overwrite a newer one.
  const queues = new Map<string, Promise<Delivery>>();

  /** Runs `logic` in a conversation; failures are logged and reported, never thrown at the service. */
  async function inConversation(
    reference: Partial<ConversationReference>,
    what: string,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<boolean> {
    let delivered = false;
    try {
      // Errors inside the callback would go to onTurnError instead of here: catch them inside.
      await adapter.continueConversationAsync(botAppId, reference, async (context) => {
        try {
          await logic(context);
          delivered = true;
        } catch (error) {
          logger.error({ err: error, what, conversation: reference.conversation?.id }, 'proactive send failed');
        }
      });
    } catch (error) {
      logger.error({ err: error, what, conversation: reference.conversation?.id }, 'proactive send failed');
    }
    return delivered;
  }

  /** An approver's personal chat: the one they opened, or one the bot opens for them (and remembers). */
  async function personalChatOf(aadObjectId: string): Promise<ConversationAddress | undefined> {
    const known = await conversations.getPersonalConversation(aadObjectId);
    const opening = deps.personalChats;
    if (known || !opening) return known;
    try {
      const chatId = await opening.installer.openPersonalChat(aadObjectId, opening.teamsAppId);
      if (!chatId) return undefined;
      const address: ConversationAddress = {
        channelId: 'msteams',
        serviceUrl: opening.serviceUrl,
        conversation: { id: chatId, name: '', conversationType: 'personal', isGroup: false, tenantId: opening.tenantId },
        user: { id: '', name: '', aadObjectId },
        bot: opening.bot,
      };
      await conversations.savePersonalConversation(aadObjectId, address);
      logger.info({ approver: aadObjectId }, 'opened a personal chat with an approver the bot had not talked to');
      return address;
    } catch (error) {
      logger.warn({ err: error, approver: aadObjectId }, 'could not open a personal chat with an approver');
      return undefined;
    }
  }

  /** The registered approvals channel, else every approver's personal chat that can be had. */
  async function approvalTargets(): Promise<ConversationAddress[]> {
    const channel = await conversations.getApprovalsChannel();
    if (channel) return [channel];
    const approverIds = await deps.approvers.listApprovers();
    const chats = await Promise.all(approverIds.map((id) => personalChatOf(id)));
    return chats.filter((chat): chat is ConversationAddress => chat !== undefined);
  }

  /** Posts the approval card wherever approvers are; how many places took it. */
  async function postApprovalCards(request: GroupRequest): Promise<number> {
    const targets = await approvalTargets();
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

  /** Every copy the bot knows of a card about the request, each in its own view, updated to the request now. */
  async function updateCardCopies(request: GroupRequest): Promise<void> {
    const copies = await conversations.listCardCopies(request.id);
    if (copies.length === 0) return;
    const approval = approvalCard({ request, viewer: 'observer', approverTeamsIds: await knownApproverTeamsIds(deps) });
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
    await updateCardCopies(event.request);
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
