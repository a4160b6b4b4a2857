/**
 * The Store, composed of one adapter per port, each written once over the SqlExecutor of either database.
 * Every invariant is a single conditional statement (unique index, `ON CONFLICT`, `UPDATE … WHERE state = …
 * RETURNING`), so two instances racing on one database resolve in the database, not in this code.
 */
import type { Clock } from '../shared/clock';
import { createAuditLog, insertAudit } from './auditLog';
import { createConversations } from './conversations';
import { createInventoryStore } from './inventoryStore';
import { createPolicyGroups } from './policyGroups';
import { createRequestRepository } from './requestRepository';
import type { Store } from './store';
import { parseCardView, parseConversationReference, toGroupRequest, toKnownPolicy, toPolicyGroupRecord, toReportedFinding } from './rows';
import type { SqlExecutor } from './sql';

export function createSqlStore(executor: SqlExecutor, clock: Clock): Store {
  return {
    ...createRequestRepository(executor, insertAudit),
    ...createAuditLog(executor),
    ...createPolicyGroups(executor),
    ...createConversations(executor, clock),
    ...createInventoryStore(executor, insertAudit),

    async ping() {
      await executor.query('SELECT 1 AS ok');
    },

    close: () => executor.close(),
  };
}

/** Reads every row that start-up must be able to read, so corrupt or foreign data stops the start. */
export async function verifyReadable(executor: SqlExecutor): Promise<void> {
  (await executor.query('SELECT * FROM requests')).forEach(toGroupRequest);
  (await executor.query('SELECT * FROM policy_groups')).forEach(toPolicyGroupRecord);
  (await executor.query('SELECT * FROM intune_policies')).forEach(toKnownPolicy);
  (await executor.query('SELECT * FROM reported_findings')).forEach(toReportedFinding);
  for (const row of await executor.query('SELECT aad_object_id, reference FROM personal_conversations')) {
    parseConversationReference(row['reference'], 'personal_conversations', String(row['aad_object_id']));
  }
  for (const row of await executor.query('SELECT reference FROM approvals_channel')) {
    parseConversationReference(row['reference'], 'approvals_channel', 'singleton');
  }
  for (const row of await executor.query('SELECT request_id, reference, card_view FROM card_copies')) {
    parseConversationReference(row['reference'], 'card_copies', String(row['request_id']));
    parseCardView(row['card_view'], String(row['request_id']));
  }
}
