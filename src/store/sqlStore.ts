/**
 * The Store, written once over the SqlExecutor of either adapter. Every invariant is a single conditional
 * statement (unique index, `ON CONFLICT`, `UPDATE … WHERE state = … RETURNING`), so two instances racing
 * on one database resolve in the database, not in this code.
 */
import { ACTIVE_STATES, parseRequestId } from '../domain/request';
import type { Page } from '../domain/page';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { GroupRequest, RequestState } from '../domain/request';
import { auditToCsv } from './csv';
import { createInventoryStore } from './inventoryStore';
import type {
  AuditEntry,
  AuditEntryInput,
  AuditFilter,
  CreateRequestResult,
  ExpectedRequest,
  NewRequestRecord,
  RequestChange,
  TransitionResult,
} from '../requests/ports';
import type { Store } from './store';
import { parseCardView, parseConversationReference, policyGroupValues, toAuditEntry, toGroupRequest, toKnownPolicy, toPolicyGroupRecord, toReportedFinding } from './rows';
import type { SqlExecutor, SqlSession, SqlValue } from './sql';

const ACTIVE_IN = `(${ACTIVE_STATES.map((state) => `'${state}'`).join(', ')})`;

// A created request can be refused because another is active, which may finish before we read it back:
// then creating again is right. Bounded, because each round needs a state change by somebody else.
const CREATE_ATTEMPTS = 5;

export function createSqlStore(executor: SqlExecutor): Store {
  async function activeRequest(session: SqlSession, policyKey: string): Promise<GroupRequest | undefined> {
    const [row] = await session.query(`SELECT * FROM requests WHERE policy_key = $1 AND state IN ${ACTIVE_IN}`, [
      policyKey,
    ]);
    return row && toGroupRequest(row);
  }

  async function requestBySequence(session: SqlSession, sequence: number): Promise<GroupRequest | undefined> {
    const [row] = await session.query('SELECT * FROM requests WHERE seq = $1', [sequence]);
    return row && toGroupRequest(row);
  }

  async function createOnce(record: NewRequestRecord): Promise<CreateRequestResult | undefined> {
    return executor.transaction(async (session) => {
      // Looked up first so that a refused duplicate draws no id from the sequence (a gap would make REQ-n that
      // people were never shown look lost). The INSERT below still decides a race between two creators.
      const active = await activeRequest(session, record.policyKey);
      if (active) return { kind: 'activeRequestExists', request: active };
      const [row] = await session.query(
        `INSERT INTO requests (policy_key, policy_name, scenario, display_name, mail_nickname, unique_name, ticket,
           justification, requester_id, requester_name, origin, state, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $12, 1)
         ON CONFLICT (policy_key) WHERE state IN ${ACTIVE_IN} DO NOTHING
         RETURNING *`,
        [
          record.policyKey,
          record.policyName,
          record.scenario,
          record.names.displayName,
          record.names.mailNickname,
          record.names.uniqueName,
          record.ticket ?? null,
          record.justification ?? null,
          record.requester.aadObjectId,
          record.requester.name,
          record.origin === undefined ? null : JSON.stringify(record.origin),
          record.createdAt,
        ],
      );
      if (!row) {
        const existing = await activeRequest(session, record.policyKey);
        return existing && { kind: 'activeRequestExists', request: existing };
      }
      const request = toGroupRequest(row);
      await insertAudit(session, {
        kind: 'requested',
        at: record.createdAt,
        actor: record.requester,
        requestId: request.id,
        policyKey: request.policyKey,
      });
      return { kind: 'created', request };
    });
  }

  async function applyTransition(
    sequence: number,
    expected: ExpectedRequest,
    change: RequestChange,
    audit: AuditEntryInput | undefined,
  ): Promise<TransitionResult> {
    return executor.transaction(async (session) => {
      const { sql, params } = transitionStatement(sequence, expected, change);
      const [row] = await session.query(sql, params);
      if (!row) {
        const current = await requestBySequence(session, sequence);
        return current ? { kind: 'conflict', request: current } : { kind: 'notFound' };
      }
      if (audit) await insertAudit(session, audit);
      return { kind: 'applied', request: toGroupRequest(row) };
    });
  }

  return {
    async createRequest(record) {
      for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
        const result = await createOnce(record);
        if (result) return result;
      }
      throw new Error(`Could not create a request for policy "${record.policyName}": it kept changing; try again.`);
    },

    async getRequest(requestId) {
      const sequence = parseRequestId(requestId);
      return sequence === undefined ? undefined : requestBySequence(executor, sequence);
    },

    async transitionRequest(requestId, expected, change, audit) {
      const sequence = parseRequestId(requestId);
      if (sequence === undefined) return { kind: 'notFound' };
      try {
        return await applyTransition(sequence, expected, change, audit);
      } catch (error) {
        // Only a move into an active state can hit the one-active-request index (a retry of a failed
        // request after somebody filed a new one for the same policy).
        if (!executor.isUniqueViolation(error)) throw error;
        const request = await requestBySequence(executor, sequence);
        const other = request && (await activeRequest(executor, request.policyKey));
        if (!other) throw error;
        return { kind: 'activeRequestExists', request: other };
      }
    },

    async latestRequestForPolicy(policyKey) {
      const [row] = await executor.query('SELECT * FROM requests WHERE policy_key = $1 ORDER BY seq DESC LIMIT 1', [
        policyKey,
      ]);
      return row && toGroupRequest(row);
    },

    async listRequestsInStates(states: readonly RequestState[]) {
      if (states.length === 0) return [];
      const list = states.map((_, index) => `$${index + 1}`).join(', ');
      const rows = await executor.query(`SELECT * FROM requests WHERE state IN (${list}) ORDER BY seq`, states);
      return rows.map(toGroupRequest);
    },

    async listRequestsByRequester(aadObjectId) {
      const rows = await executor.query('SELECT * FROM requests WHERE requester_id = $1 ORDER BY seq DESC', [
        aadObjectId,
      ]);
      return rows.map(toGroupRequest);
    },

    appendAudit: (entry) => insertAudit(executor, entry),

    async listAudit(filter) {
      return listAudit(executor, filter);
    },

    async exportAuditCsv(filter) {
      return auditToCsv(await listAudit(executor, filter));
    },

    async findGroup(policyKey) {
      // The policy's own key, else the key its Intune policy had when first seen (a rename keeps the record).
      const [row] = await executor.query(
        `SELECT * FROM policy_groups WHERE policy_key = $1
           OR policy_key IN (SELECT policy_key FROM intune_policies WHERE current_key = $1)
         ORDER BY CASE WHEN policy_key = $1 THEN 0 ELSE 1 END, policy_key LIMIT 1`,
        [policyKey],
      );
      return row && toPolicyGroupRecord(row);
    },

    async findGroupOfIntunePolicy(intunePolicyId) {
      const [row] = await executor.query(
        `SELECT * FROM policy_groups WHERE intune_policy_id = $1
           OR policy_key IN (SELECT policy_key FROM intune_policies WHERE policy_id = $1)
         ORDER BY CASE WHEN intune_policy_id = $1 THEN 0 ELSE 1 END, policy_key LIMIT 1`,
        [intunePolicyId],
      );
      return row && toPolicyGroupRecord(row);
    },

    async recordGroup(record) {
      return executor.transaction(async (session) => {
        const [inserted] = await session.query(
          `INSERT INTO policy_groups (policy_key, policy_name, scenario, display_name, mail_nickname, unique_name,
             group_id, created_at, created_by_id, created_by_name)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (policy_key) DO NOTHING RETURNING *`,
          policyGroupValues(record),
        );
        const [row] = inserted ? [inserted] : await session.query('SELECT * FROM policy_groups WHERE policy_key = $1', [record.policyKey]);
        return toPolicyGroupRecord(row);
      });
    },

    async recordBinding(policyKey, binding) {
      const [row] = await executor.query(
        `UPDATE policy_groups SET intune_policy_id = $2, bound_at = $3, bound_by_id = $4, bound_by_name = $5
         WHERE policy_key = $1 RETURNING *`,
        [policyKey, binding.intunePolicyId, binding.at, binding.by.aadObjectId, binding.by.name],
      );
      return row && toPolicyGroupRecord(row);
    },

    async listGroups(offset, limit): Promise<Page<PolicyGroupRecord>> {
      const rows = await executor.query(
        'SELECT * FROM policy_groups ORDER BY policy_name, policy_key LIMIT $1 OFFSET $2',
        [limit, offset],
      );
      const [count] = await executor.query('SELECT COUNT(*) AS total FROM policy_groups');
      return { items: rows.map(toPolicyGroupRecord), total: Number(count?.['total'] ?? 0), offset };
    },

    async savePersonalConversation(aadObjectId, reference) {
      // An unchanged reference (every later message of the same chat) is neither rewritten nor re-journaled.
      const written = await executor.query(
        `INSERT INTO personal_conversations (aad_object_id, reference, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (aad_object_id) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at
           WHERE personal_conversations.reference IS DISTINCT FROM excluded.reference
         RETURNING aad_object_id`,
        [aadObjectId, JSON.stringify(reference), new Date().toISOString()],
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
        [JSON.stringify(reference), registeredBy, new Date().toISOString()],
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
          new Date().toISOString(),
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

    ...createInventoryStore(executor, insertAudit),

    async ping() {
      await executor.query('SELECT 1 AS ok');
    },

    close: () => executor.close(),
  };
}

function transitionStatement(
  sequence: number,
  expected: ExpectedRequest,
  change: RequestChange,
): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  const bind = (value: SqlValue): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const sets = [`state = ${bind(change.to)}`, `updated_at = ${bind(change.at)}`, 'version = version + 1'];
  if (change.decision) {
    sets.push(
      `decision_kind = ${bind(change.decision.kind)}`,
      `decided_by_id = ${bind(change.decision.by.aadObjectId)}`,
      `decided_by_name = ${bind(change.decision.by.name)}`,
      `decided_at = ${bind(change.decision.at)}`,
      `decision_reason = ${bind(change.decision.reason ?? null)}`,
    );
  }
  if (change.groupId !== undefined) sets.push(`group_id = ${bind(change.groupId)}`);
  if (change.failureReason !== undefined) sets.push(`failure_reason = ${bind(change.failureReason)}`);
  const where = [`seq = ${bind(sequence)}`, `state = ${bind(expected.state)}`];
  if (expected.version !== undefined) where.push(`version = ${bind(expected.version)}`);
  return { sql: `UPDATE requests SET ${sets.join(', ')} WHERE ${where.join(' AND ')} RETURNING *`, params };
}

async function insertAudit(session: SqlSession, entry: AuditEntryInput): Promise<AuditEntry> {
  const [row] = await session.query(
    `INSERT INTO audit_log (at, kind, actor_id, actor_name, request_id, policy_key, graph_request_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [
      entry.at,
      entry.kind,
      entry.actor?.aadObjectId ?? null,
      entry.actor?.name ?? null,
      entry.requestId ?? null,
      entry.policyKey ?? null,
      entry.graphRequestId ?? null,
      entry.detail ?? null,
    ],
  );
  return toAuditEntry(row);
}

async function listAudit(session: SqlSession, filter: AuditFilter = {}): Promise<readonly AuditEntry[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const where = (condition: (placeholder: string) => string, value: string | undefined): void => {
    if (value === undefined) return;
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  where((p) => `request_id = ${p}`, filter.requestId);
  where((p) => `policy_key = ${p}`, filter.policyKey);
  // `at` is written as toISOString() text, so canonical instants compare as text in time order.
  where((p) => `at >= ${p}`, canonicalInstant('since', filter.since));
  where((p) => `at < ${p}`, canonicalInstant('until', filter.until));
  const clause = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await session.query(`SELECT * FROM audit_log ${clause} ORDER BY seq`, params);
  return rows.map(toAuditEntry);
}

function canonicalInstant(bound: 'since' | 'until', value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`The audit filter's ${bound} is not an ISO-8601 instant: ${JSON.stringify(value)}.`);
  return new Date(time).toISOString();
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
