/**
 * The policy→group map: provisioning's registry (one conditional insert per policy) and the requests
 * service's catalogue (lookup across renames, binding, the paged list).
 */
import type { Page } from '../domain/page';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { PolicyGroupRegistry } from '../provisioning/types';
import type { PolicyGroupCatalogue } from '../requests/ports';
import { policyGroupValues, toBindClaimState, toPolicyGroupRecord } from './rows';
import type { SqlExecutor, SqlSession } from './sql';

/** One conditional insert: the record as written (`inserted`), or the policy's existing record unchanged. */
async function insertOrExisting(session: SqlSession, record: PolicyGroupRecord): Promise<{ readonly record: PolicyGroupRecord; readonly inserted: boolean }> {
  const [inserted] = await session.query(
    `INSERT INTO policy_groups (policy_key, policy_name, scenario, display_name, mail_nickname, unique_name,
       group_id, created_at, created_by_id, created_by_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (policy_key) DO NOTHING RETURNING *`,
    policyGroupValues(record),
  );
  const [row] = inserted ? [inserted] : await session.query('SELECT * FROM policy_groups WHERE policy_key = $1', [record.policyKey]);
  return { record: toPolicyGroupRecord(row), inserted: inserted !== undefined };
}

export function createPolicyGroups(executor: SqlExecutor): PolicyGroupRegistry & PolicyGroupCatalogue {
  return {
    // The policy's own key, else the key its Intune policy had when first seen (a rename keeps the record).
    findGroup: (policyKey) => recordThrough(executor, 'policy_key', 'current_key', policyKey),

    // The Intune policy id a bind recorded, else the id its first sighting recorded.
    findGroupOfIntunePolicy: (intunePolicyId) => recordThrough(executor, 'intune_policy_id', 'policy_id', intunePolicyId),

    recordGroup: (record) => executor.transaction(async (session) => (await insertOrExisting(session, record)).record),

    async replaceGroup(record, replacedGroupId) {
      return executor.transaction(async (session) => {
        // The Intune policy id stays (the record is still that policy's); the binding named the replaced group.
        const [replaced] = await session.query(
          `UPDATE policy_groups SET policy_name = $2, scenario = $3, display_name = $4, mail_nickname = $5, unique_name = $6,
             group_id = $7, created_at = $8, created_by_id = $9, created_by_name = $10, adopted = 0,
             bound_at = NULL, bound_by_id = NULL, bound_by_name = NULL, replaced_group_id = $11
           WHERE policy_key = $1 AND group_id = $11 RETURNING *`,
          [...policyGroupValues(record), replacedGroupId],
        );
        if (replaced) return { record: toPolicyGroupRecord(replaced), replaced: true };
        const { record: stored, inserted } = await insertOrExisting(session, record);
        if (!inserted) return { record: stored, replaced: false };
        // A policy without a record (its group was not the bot's): the new record still says what it replaced.
        const [noted] = await session.query('UPDATE policy_groups SET replaced_group_id = $2 WHERE policy_key = $1 RETURNING *', [record.policyKey, replacedGroupId]);
        return { record: toPolicyGroupRecord(noted), replaced: true };
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

    async claimBinding(claim) {
      const [claimed] = await executor.query(
        `UPDATE policy_groups SET bind_claimed_at = $2, bind_claimed_by_id = $3, bind_claimed_by_name = $4
         WHERE policy_key = $1 AND group_id = $5 AND COALESCE(bound_at, '') = $6
           AND (bind_claimed_at IS NULL OR bind_claimed_at < $7)
         RETURNING policy_key`,
        [claim.policyKey, claim.at, claim.by.aadObjectId, claim.by.name, claim.groupId, claim.seenBoundAt ?? '', claim.staleBefore],
      );
      if (claimed) return { kind: 'claimed' };
      // Why not: say whose claim stands in the way, unless the record itself moved on (then the claimant reads again).
      const [row] = await executor.query(
        'SELECT policy_key, group_id, bound_at, bind_claimed_at, bind_claimed_by_id, bind_claimed_by_name FROM policy_groups WHERE policy_key = $1',
        [claim.policyKey],
      );
      const current = row && toBindClaimState(row);
      if (!current || current.group_id !== claim.groupId || current.bound_at !== claim.seenBoundAt || current.bind_claimed_at === null) return { kind: 'changed' };
      return { kind: 'held', since: current.bind_claimed_at, by: { aadObjectId: current.bind_claimed_by_id ?? '', name: current.bind_claimed_by_name ?? '' } };
    },

    async releaseBindClaim(policyKey, claim) {
      await executor.query(
        `UPDATE policy_groups SET bind_claimed_at = NULL, bind_claimed_by_id = NULL, bind_claimed_by_name = NULL
         WHERE policy_key = $1 AND bind_claimed_at = $2 AND bind_claimed_by_id = $3`,
        [policyKey, claim.at, claim.by.aadObjectId],
      );
    },

    async listGroups(offset, limit): Promise<Page<PolicyGroupRecord>> {
      const rows = await executor.query(
        'SELECT * FROM policy_groups ORDER BY policy_name, policy_key LIMIT $1 OFFSET $2',
        [limit, offset],
      );
      const [count] = await executor.query('SELECT COUNT(*) AS total FROM policy_groups');
      return { items: rows.map(toPolicyGroupRecord), total: Number(count?.['total'] ?? 0), offset };
    },
  };
}

/**
 * One record found by its own column, else through the policy identity table's column (`intune_policies`), the
 * record's own match first. The column names are fixed here; only `value` comes from outside, as a parameter.
 */
async function recordThrough(
  executor: SqlExecutor,
  ownColumn: 'policy_key' | 'intune_policy_id',
  identityColumn: 'current_key' | 'policy_id',
  value: string,
): Promise<PolicyGroupRecord | undefined> {
  const [row] = await executor.query(
    `SELECT * FROM policy_groups WHERE ${ownColumn} = $1
       OR policy_key IN (SELECT policy_key FROM intune_policies WHERE ${identityColumn} = $1)
     ORDER BY CASE WHEN ${ownColumn} = $1 THEN 0 ELSE 1 END, policy_key LIMIT 1`,
    [value],
  );
  return row && toPolicyGroupRecord(row);
}
