/**
 * What the bot must remember durably about Teams conversations (implemented by the store, so it survives
 * restarts and is shared by instances). Conversation references are botbuilder's `ConversationReference`
 * objects, stored as JSON.
 */
import type { ConversationReference } from 'botbuilder';

export interface ApprovalCardMessage {
  readonly requestId: string;
  readonly conversation: Partial<ConversationReference>;
  readonly activityId: string;
}

export interface ConversationStore {
  /**
   * The personal-chat reference of a user, keyed by aadObjectId, for proactive notifications. Called on every
   * personal message, so it writes only when the reference differs from the stored one; resolves with
   * whether it wrote.
   */
  savePersonalConversation(aadObjectId: string, reference: Partial<ConversationReference>): Promise<boolean>;
  getPersonalConversation(aadObjectId: string): Promise<Partial<ConversationReference> | undefined>;
  /** The team channel registered with `register approvals` (one per installation; last registration wins). */
  setApprovalsChannel(reference: Partial<ConversationReference>, registeredBy: string): Promise<void>;
  getApprovalsChannel(): Promise<Partial<ConversationReference> | undefined>;
  /** Where each approval card was posted, so every copy can be updated after a decision. */
  recordApprovalCard(message: ApprovalCardMessage): Promise<void>;
  listApprovalCards(requestId: string): Promise<readonly ApprovalCardMessage[]>;
}
