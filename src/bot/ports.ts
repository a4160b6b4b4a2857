/**
 * What the bot must remember durably about Teams conversations (implemented by the SQL store, so it survives
 * restarts and is shared by instances). References are plain JSON conversation addresses: botbuilder's
 * `ConversationReference` without the activity id.
 */
import type { ConversationAddress } from '../domain/request';

/** A card about a request that the bot sent or put in place of a clicked one: kept current after each change. */
export interface CardCopy {
  readonly requestId: string;
  readonly conversation: ConversationAddress;
  readonly activityId: string;
  /** The approval card, or the requester's own card about their request. */
  readonly view: 'approval' | 'request';
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
  /** Where each card about a request is (posted, or shown in place of a clicked one), to update every copy. */
  recordCardCopy(copy: CardCopy): Promise<void>;
  listCardCopies(requestId: string): Promise<readonly CardCopy[]>;
}

/**
 * Opens the personal chat between a user and this bot, installing the app for them when needed (Graph:
 * `POST /users/{id}/teamwork/installedApps`, then the installation's chat). The chat id, or undefined.
 */
export interface TeamsAppInstaller {
  openPersonalChat(userObjectId: string, teamsAppId: string): Promise<string | undefined>;
}
