import type { BotServices } from './services';

/**
 * Teams user ids (`29:…`) of the configured approvers whose personal chat the bot knows: a card's
 * `refresh.userIds` needs these, not Entra object ids.
 */
export async function knownApproverTeamsIds(
  services: Pick<BotServices, 'conversations' | 'approverIds'>,
): Promise<string[]> {
  const references = await Promise.all(services.approverIds.map((id) => services.conversations.getPersonalConversation(id)));
  const ids = references.map((r) => r?.user?.id).filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)];
}
