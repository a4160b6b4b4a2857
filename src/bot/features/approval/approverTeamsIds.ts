import type { BotContext } from '../../routes';

/**
 * Teams user ids (`29:…`) of the configured approvers whose personal chat the bot knows: a card's
 * `refresh.userIds` needs these, not Entra object ids.
 */
export async function knownApproverTeamsIds(bot: Pick<BotContext, 'conversations' | 'approverIds'>): Promise<string[]> {
  const references = await Promise.all(bot.approverIds.map((id) => bot.conversations.getPersonalConversation(id)));
  const ids = references.map((reference) => reference?.user?.id).filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)];
}
