/**
 * What the bot must remember durably about Teams conversations (implemented by the SQL store, so it survives
 * restarts and is shared by instances). References are plain JSON conversation addresses: botbuilder's
 * `ConversationReference` without the activity id.
 */
import type { ConversationAddress } from '../domain/request';

export interface ApprovalCardMessage {
  readonly requestId: string;
  readonly conversation: ConversationAddress;
  readonly activityId: string;
}

export interface ConversationStore {
  /**
   * The personal-chat reference of a user, keyed by aadObjectId, for proactive notifications. Called on every
   * personal message, so it writes only when the reference differs from the stored one; resolves with
   * whether it wrote.
   */
  savePersonalConversation(aadObjectId: string, reference: ConversationAddress): Promise<boolean>;
  getPersonalConversation(aadObjectId: string): Promise<ConversationAddress | undefined>;
  /** The team channel an approver registered with `register approvals` (the requests service writes it). */
  getApprovalsChannel(): Promise<ConversationAddress | undefined>;
  /** Where each approval card was posted, so every copy can be updated after a decision. */
  recordApprovalCard(message: ApprovalCardMessage): Promise<void>;
  listApprovalCards(requestId: string): Promise<readonly ApprovalCardMessage[]>;
}
