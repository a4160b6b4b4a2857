/**
 * The statements behind the inventory (policy identity, every recorded group), adoption and the health watch
 * (reported findings, the one-pass-per-interval claim). Each invariant is one conditional statement.
 */
import type { InventoryRecords, KnownPolicy } from '../inventory/types';
import type { AdoptGroupResult, GroupAdoption, HealthWatchRecords } from '../requests/ports';
import type { AppendAudit } from './auditLog';
import { findingSubjectText, policyGroupValues, toKnownPolicy, toPolicyGroupRecord, toReportedFinding } from './rows';
import type { SqlExecutor, SqlSession } from './sql';
import { StoreIntegrityError } from './errors';

export function createInventoryStore(executor: SqlExecutor, insertAudit: AppendAudit): InventoryRecords & GroupAdoption & HealthWatchRecords {
  const knownPolicies = async (session: SqlSession): Promise<KnownPolicy[]> =>
    (await session.query('SELECT * FROM intune_policies ORDER BY policy_id')).map(toKnownPolicy);

  return {
    async listAllGroups() {
      return (await executor.query('SELECT * FROM policy_groups ORDER BY policy_name, policy_key')).map(toPolicyGroupRecord);
    },

    async recordPolicySightings(sightings, at) {
      return executor.transaction(async (session) => {
        const known = new Map((await knownPolicies(session)).map((policy) => [policy.policyId, policy]));
        for (const sighting of sightings) {
          const before = known.get(sighting.policyId);
          if (!before) {
            // First sighting: its identity key from now on. A racing instance inserting the same id wins alike.
            await session.query(
              `INSERT INTO intune_policies (policy_id, policy_key, current_name, current_key, scenario, first_seen_at)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (policy_id) DO NOTHING`,
              [sighting.policyId, sighting.identityKey, sighting.name, sighting.key, sighting.scenario, at],
            );
          } else if (before.currentName !== sighting.name) {
            await session.query('UPDATE intune_policies SET current_name = $2, current_key = $3 WHERE policy_id = $1', [sighting.policyId, sighting.name, sighting.key]);
            await insertAudit(session, {
              kind: 'policyRenamed',
              at,
              policyKey: before.policyKey,
              detail: `Intune policy ${sighting.policyId} renamed from "${before.currentName}" to "${sighting.name}"; it keeps its record.`,
            });
          }
        }
        return knownPolicies(session);
      });
    },

    async adoptGroup(record, audit): Promise<AdoptGroupResult> {
      return executor.transaction(async (session) => {
        const [inserted] = await session.query(
          `INSERT INTO policy_groups (policy_key, policy_name, scenario, display_name, mail_nickname, unique_name,
             group_id, created_at, created_by_id, created_by_name, adopted)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)
           ON CONFLICT DO NOTHING RETURNING *`,
          policyGroupValues(record),
        );
        if (inserted) {
          await insertAudit(session, audit);
          return { kind: 'adopted', record: toPolicyGroupRecord(inserted) };
        }
        const [byPolicy] = await session.query('SELECT * FROM policy_groups WHERE policy_key = $1', [record.policyKey]);
        if (byPolicy) return { kind: 'policyHasGroup', record: toPolicyGroupRecord(byPolicy) };
        const [byGroup] = await session.query('SELECT * FROM policy_groups WHERE group_id = $1 OR unique_name = $2', [record.groupId, record.uniqueName]);
        if (byGroup) return { kind: 'groupTaken', record: toPolicyGroupRecord(byGroup) };
        throw new StoreIntegrityError(`Adopting ${record.groupId} for ${record.policyKey} conflicted with no row that can be read.`);
      });
    },

    async claimHealthCheck(holder, at, nextDueAt) {
      const rows = await executor.query(
        `INSERT INTO health_watch (singleton, holder, claimed_at, next_due_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (singleton) DO UPDATE SET holder = excluded.holder, claimed_at = excluded.claimed_at, next_due_at = excluded.next_due_at
         WHERE health_watch.next_due_at <= excluded.claimed_at
         RETURNING holder`,
        [holder, at, nextDueAt],
      );
      return rows.length === 1;
    },

    async listReportedFindings() {
      return (await executor.query('SELECT * FROM reported_findings ORDER BY subject, code')).map(toReportedFinding);
    },

    async settleFindings(reported, cleared, audit) {
      await executor.transaction(async (session) => {
        for (const finding of cleared) {
          await session.query('DELETE FROM reported_findings WHERE subject = $1 AND code = $2', [findingSubjectText(finding.subject), finding.code]);
        }
        for (const finding of reported) {
          await session.query(
            `INSERT INTO reported_findings (subject, code, detail, reported_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (subject, code) DO NOTHING`,
            [findingSubjectText(finding.subject), finding.code, finding.detail, finding.reportedAt],
          );
        }
        await insertAudit(session, audit);
      });
    },
  };
}
