/** The audit log: append-only, in log order; other adapters append their entry in their own transaction. */
import type { AuditEntry, AuditEntryInput, AuditFilter, AuditLog } from '../requests/ports';
import { toAuditEntry } from './rows';
import type { SqlExecutor, SqlSession, SqlValue } from './sql';

/** Appends one entry within `session` (a transaction of the caller's, or the executor itself). */
export type AppendAudit = (session: SqlSession, entry: AuditEntryInput) => Promise<AuditEntry>;

export const insertAudit: AppendAudit = async (session, entry) => {
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
};

export function createAuditLog(executor: SqlExecutor): AuditLog {
  return {
    appendAudit: (entry) => insertAudit(executor, entry),
    listAudit: (filter) => listAudit(executor, filter),
  };
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
