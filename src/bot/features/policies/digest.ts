/**
 * The health watch's digest, posted proactively: one card to the registered approvals channel, or else to each
 * approver's personal chat the bot knows. Implements the requests service's DigestPoster port. (Where approval
 * cards go is decided the same way in the approval notifier; kept apart so each feature stays on its own.)
 */
import { type BotAdapter, CardFactory, type ConversationReference } from 'botbuilder';
import type { DigestPoster, HealthDigest } from '../../../requests/ports';
import type { Logger } from '../../../shared/logger';
import { type AdaptiveCard, type CardElement, adaptiveCard, formatTime, heading, plain, text } from '../../cards/elements';
import type { ConversationStore } from '../../ports';
import { policyEntry } from './policiesCard';

export interface DigestPosterDeps {
  readonly adapter: BotAdapter;
  readonly botAppId: string;
  readonly conversations: Pick<ConversationStore, 'getApprovalsChannel' | 'getPersonalConversation'>;
  readonly approverIds: readonly string[];
  readonly logger: Logger;
}

export function digestCard(digest: HealthDigest): AdaptiveCard {
  const body: CardElement[] = [
    heading('Device-group health'),
    text(`Checked ${formatTime(digest.at)}: ${digest.newFindings.reduce((sum, policy) => sum + policy.findings.length, 0)} new finding(s), ${digest.cleared.length} cleared.`, { isSubtle: true }),
    ...digest.newFindings.map(policyEntry),
  ];
  if (digest.cleared.length > 0) {
    body.push(heading('Cleared since the last digest'));
    body.push(...digest.cleared.map((line) => text(`✅ ${plain(line.policyName)}: ${line.code}`, { spacing: 'None' })));
  }
  return adaptiveCard(body);
}

export function createDigestPoster(deps: DigestPosterDeps): DigestPoster {
  const { adapter, botAppId, conversations, logger } = deps;

  async function targets(): Promise<Partial<ConversationReference>[]> {
    const channel = await conversations.getApprovalsChannel();
    if (channel) return [channel];
    const chats = await Promise.all(deps.approverIds.map((id) => conversations.getPersonalConversation(id)));
    return chats.filter((chat): chat is Partial<ConversationReference> => chat !== undefined);
  }

  return {
    async postDigest(digest) {
      const card = digestCard(digest);
      let delivered = false;
      for (const reference of await targets()) {
        try {
          // Errors inside the callback would go to onTurnError instead of here: catch them inside.
          await adapter.continueConversationAsync(botAppId, reference, async (context) => {
            try {
              await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
              delivered = true;
            } catch (error) {
              logger.error({ err: error, conversation: reference.conversation?.id }, 'health digest: send failed');
            }
          });
        } catch (error) {
          logger.error({ err: error, conversation: reference.conversation?.id }, 'health digest: send failed');
        }
      }
      return delivered;
    },
  };
}
