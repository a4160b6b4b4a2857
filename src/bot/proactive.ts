/**
 * Writing to Teams without an incoming activity, for every feature that does (approval cards and notices, the
 * health digest): sending into a known conversation, and finding where approvers are — the registered
 * approvals channel, else each approver's personal chat, opened through Graph for those who never talked to
 * the bot when the app is in the organisation's catalog.
 */
import type { BotAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationAddress } from '../domain/request';
import type { ApproverDirectory } from '../requests/ports';
import type { Logger } from '../shared/logger';
import type { ConversationStore, TeamsAppInstaller } from './ports';

export interface ProactiveSender {
  /** Runs `logic` in a conversation; whether it completed. Failures are logged, never thrown at the caller. */
  inConversation(reference: Partial<ConversationReference>, what: string, logic: (context: TurnContext) => Promise<void>): Promise<boolean>;
}

export function createProactiveSender(deps: { readonly adapter: BotAdapter; readonly botAppId: string; readonly logger: Logger }): ProactiveSender {
  const { adapter, botAppId, logger } = deps;
  return {
    async inConversation(reference, what, logic) {
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
    },
  };
}

/** Opening a personal chat with someone the bot never talked to: Graph installs the app, the Bot Connector is at `serviceUrl`. */
export interface PersonalChatOpening {
  readonly installer: TeamsAppInstaller;
  /** The app's id in the organisation's app catalog (not the manifest id). */
  readonly teamsAppId: string;
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly bot: { readonly id: string; readonly name: string };
}

export interface ApproverReachDeps {
  readonly conversations: Pick<ConversationStore, 'getApprovalsChannel' | 'getPersonalConversation' | 'savePersonalConversation'>;
  /** Every approver to reach when no approvals channel is registered (the configured ones and the group's). */
  readonly approvers: Pick<ApproverDirectory, 'listApprovers'>;
  /** Absent where the app is not in the organisation's catalog (the sandbox): those approvers are not reached. */
  readonly personalChats?: PersonalChatOpening;
  readonly logger: Logger;
}

export interface ApproverReach {
  /** The registered approvals channel, else every approver's personal chat that can be had. */
  approvalTargets(): Promise<ConversationAddress[]>;
}

export function createApproverReach(deps: ApproverReachDeps): ApproverReach {
  const { conversations, logger } = deps;

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

  return {
    async approvalTargets() {
      const channel = await conversations.getApprovalsChannel();
      if (channel) return [channel];
      const approverIds = await deps.approvers.listApprovers();
      const chats = await Promise.all(approverIds.map((id) => personalChatOf(id)));
      return chats.filter((chat): chat is ConversationAddress => chat !== undefined);
    },
  };
}
