/** Reading who acts and where from an incoming activity, and answering it. Edge parsing lives here only. */
import { ActivityTypes, CardFactory, MessageFactory, TurnContext, type ConversationReference } from 'botbuilder';
import type { Actor } from '../domain/actor';
import type { AdaptiveCard } from './cards/elements';

/**
 * The actor is always the Entra object id Teams puts on the activity, never anything echoed in card data.
 * Undefined when the channel sent none (then nobody is authorised to do anything).
 */
export function actorOf(context: TurnContext): Actor | undefined {
  const from = context.activity.from;
  const id = typeof from?.aadObjectId === 'string' ? from.aadObjectId.trim() : '';
  if (id === '') return undefined;
  const name = typeof from.name === 'string' && from.name.trim() !== '' ? from.name.trim() : id;
  return { aadObjectId: id, name };
}

/** The Teams user id (`29:…`) of whoever sent the activity: what a card's `refresh.userIds` lists. */
export function actorTeamsIdOf(context: TurnContext): string | undefined {
  const id = context.activity.from?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export const NO_IDENTITY_MESSAGE = 'I cannot tell who you are: this message carries no Microsoft Entra identity.';

/** The answer to a click whose card data does not parse (e.g. names no request). */
export const INVALID_CARD_MESSAGE = 'This card does not name a valid request.';

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

export function conversationKindOf(context: TurnContext): ConversationKind {
  const type = context.activity.conversation?.conversationType;
  return type === 'channel' || type === 'groupChat' ? type : 'personal';
}

/**
 * Where to send later: the conversation, not the message that happened to arrive (a reference carrying an
 * `activityId` makes every later send a reply to that one message).
 */
export function referenceOf(context: TurnContext): Partial<ConversationReference> {
  const reference = { ...TurnContext.getConversationReference(context.activity) };
  delete reference.activityId;
  return reference;
}

/**
 * A channel reference that posts new threads at the channel root: a reply chain's conversation id carries
 * `;messageid=…`, and posting there would bury approval cards inside somebody's thread.
 */
export function channelRootReference(context: TurnContext): Partial<ConversationReference> {
  const reference = referenceOf(context);
  const conversation = reference.conversation;
  if (!conversation) return reference;
  return { ...reference, conversation: { ...conversation, id: conversation.id.split(';messageid=')[0] } };
}

export async function replyWithCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

/** The click's answer when a button posts its card below the one clicked (which stays as it was). */
export const OPENED_BELOW = 'Opened below.';

/**
 * What an Action.Execute answers: a card that replaces the clicked one (for the clicker alone), a short
 * message, or a new card posted below while the clicked one stays (e.g. the welcome card's buttons).
 */
export type InvokeReply =
  | { readonly card: AdaptiveCard }
  | { readonly message: string }
  | { readonly post: AdaptiveCard; readonly message: string };

/**
 * Sends the invoke response ourselves instead of returning the card to teams-ai: teams-ai would update the
 * message for *everybody* whenever the card has a `refresh`, leaking an approver's view to all readers.
 */
export async function sendInvokeReply(context: TurnContext, reply: InvokeReply): Promise<void> {
  if ('post' in reply) await replyWithCard(context, reply.post);
  const body =
    'card' in reply
      ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card }
      : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply.message };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}
