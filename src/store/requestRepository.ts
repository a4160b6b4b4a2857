/**
 * The requests themselves. One active request per policy is the database's unique index; every transition is
 * one `UPDATE … WHERE state = … RETURNING`, its audit entry in the same transaction.
 */
import { ACTIVE_STATES, parseRequestId, type GroupRequest } from '../domain/request';
import type { AuditEntryInput, CreateRequestResult, ExpectedRequest, NewRequestRecord, RequestChange, RequestRepository, TransitionResult } from '../requests/ports';
import type { AppendAudit } from './auditLog';
import { toGroupRequest } from './rows';
import type { SqlExecutor, SqlSession, SqlValue } from './sql';

const ACTIVE_IN = `(${ACTIVE_STATES.map((state) => `'${state}'`).join(', ')})`;

// A created request can be refused because another is active, which may finish before we read it back:
// then creating again is right. Bounded, because each round needs a state change by somebody else.
const CREATE_ATTEMPTS = 5;

export function createRequestRepository(executor: SqlExecutor, insertAudit: AppendAudit): RequestRepository {
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

    async listRequestsInStates(states) {
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
  };
}

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
