/**
 * Where the bot reaches people: personal chats, the registered approvals channel and every copy of a card
 * about a request. Times written here come from the store's clock.
 */
import type { ConversationStore } from '../bot/ports';
import type { ApprovalsChannelRegistry } from '../requests/ports';
import type { Clock } from '../shared/clock';
import { parseCardView, parseConversationReference } from './rows';
import type { SqlExecutor } from './sql';

export function createConversations(executor: SqlExecutor, clock: Clock): ConversationStore & ApprovalsChannelRegistry {
  const now = (): string => clock.now().toISOString();
  return {
    async savePersonalConversation(aadObjectId, reference) {
      // An unchanged reference (every later message of the same chat) is neither rewritten nor re-journaled.
      const written = await executor.query(
        `INSERT INTO personal_conversations (aad_object_id, reference, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (aad_object_id) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at
           WHERE personal_conversations.reference IS DISTINCT FROM excluded.reference
         RETURNING aad_object_id`,
        [aadObjectId, JSON.stringify(reference), now()],
      );
      return written.length > 0;
    },

    async getPersonalConversation(aadObjectId) {
      const [row] = await executor.query('SELECT reference FROM personal_conversations WHERE aad_object_id = $1', [
        aadObjectId,
      ]);
      return row && parseConversationReference(row['reference'], 'personal_conversations', aadObjectId);
    },

    async setApprovalsChannel(reference, registeredBy) {
      await executor.query(
        `INSERT INTO approvals_channel (singleton, reference, registered_by, registered_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (singleton) DO UPDATE SET reference = excluded.reference,
           registered_by = excluded.registered_by, registered_at = excluded.registered_at`,
        [JSON.stringify(reference), registeredBy, now()],
      );
    },

    async getApprovalsChannel() {
      const [row] = await executor.query('SELECT reference FROM approvals_channel WHERE singleton = 1');
      return row && parseConversationReference(row['reference'], 'approvals_channel', 'singleton');
    },

    async recordCardCopy(copy) {
      await executor.query(
        `INSERT INTO card_copies (request_id, conversation_id, activity_id, reference, card_view, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (request_id, conversation_id, activity_id) DO UPDATE SET reference = excluded.reference, card_view = excluded.card_view`,
        [
          copy.requestId,
          copy.conversation.conversation?.id ?? '',
          copy.activityId,
          JSON.stringify(copy.conversation),
          copy.view,
          now(),
        ],
      );
    },

    async listCardCopies(requestId) {
      const rows = await executor.query(
        'SELECT activity_id, reference, card_view FROM card_copies WHERE request_id = $1 ORDER BY recorded_at, conversation_id, activity_id',
        [requestId],
      );
      return rows.map((row) => ({
        requestId,
        activityId: String(row['activity_id']),
        conversation: parseConversationReference(row['reference'], 'card_copies', requestId),
        view: parseCardView(row['card_view'], requestId),
      }));
    },
  };
}
