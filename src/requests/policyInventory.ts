/**
 * The tenant's device-preparation policies for approvers, and adoption: an approver makes a correct hand-made
 * group its policy's one group. Permissions and audit are decided here; the inventory only reports.
 */
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { InventoryReport, PolicyInventoryEntry } from '../inventory/types';
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { PolicyInventory } from './ports';
import type { AdoptResult, PolicyAction, PolicyListResult, RequestsService } from './types';

type PolicyInventoryPart = Pick<RequestsService, 'listPolicies' | 'adoptGroup'>;

/** The one finding adoption exists to clear: the group is fine, the bot just did not make it. */
const ADOPTABLE = new Set(['notRecorded']);

export function createPolicyInventoryPart(context: ServiceContext, permissions: Permissions, inventory: PolicyInventory): PolicyInventoryPart {
  const { store, logger } = context;

  return {
    async listPolicies(actor): Promise<PolicyListResult> {
      const refusal = await permissions.review(actor);
      if (refusal) {
        await context.recordDenial({ attempt: 'list policies', reason: 'not an approver', actor });
        return { kind: 'forbidden', reason: refusal };
      }
      const report = await inventory.take();
      return { kind: 'listed', policies: report.entries.map((entry) => ({ ...entry, actions: actionsFor(entry) })) };
    },

    async adoptGroup(policyId, actor): Promise<AdoptResult> {
      const refusal = await permissions.administer(actor, "adopt a group as its policy's one group");
      if (refusal) {
        await context.recordDenial({ attempt: `adopt the group of policy ${policyId}`, reason: refusal, actor });
        return { kind: 'forbidden', reason: refusal };
      }
      const report: InventoryReport = await inventory.take();
      const entry = report.entries.find((each) => each.policyId === policyId && each.scenario !== null);
      if (!entry || entry.scenario === null || entry.policyKey === null) {
        await context.recordDenial({ attempt: `adopt the group of policy ${policyId}`, reason: 'no such device-preparation policy in Intune', actor });
        return { kind: 'notFound', policyId };
      }
      const refused = async (reason: string): Promise<AdoptResult> => {
        await store.appendAudit({ kind: 'adoptRefused', at: context.now(), actor, policyKey: entry.policyKey ?? undefined, detail: `policy ${policyId}: ${reason}` });
        return { kind: 'refused', entry, reason };
      };
      if (entry.groupId === null || entry.group === null || entry.groupSource !== 'intune') {
        return refused('Intune names no group for this policy that the bot can read; set the policy\'s device group in Intune first.');
      }
      const blocking = entry.findings.filter((finding) => !ADOPTABLE.has(finding.code));
      if (blocking.length > 0) {
        return refused(`Fix these first: ${blocking.map((finding) => `${finding.code}: ${finding.detail}`).join(' ')}`);
      }
      if (entry.recorded) {
        // A second click, or another approver's adoption that finished first: the same outcome.
        const existing = await store.findGroup(entry.policyKey);
        if (existing?.adopted === true && existing.groupId === entry.groupId) return { kind: 'adopted', group: existing };
        return refused("The bot already records this policy's one group.");
      }
      const record: PolicyGroupRecord = {
        policyKey: entry.policyKey,
        policyName: entry.policyName,
        scenario: entry.scenario,
        displayName: entry.group.displayName,
        mailNickname: entry.group.mailNickname ?? '',
        uniqueName: entry.group.uniqueName,
        groupId: entry.groupId,
        createdAt: context.now(),
        createdBy: actor,
        adopted: true,
      };
      const result = await store.adoptGroup(record, {
        kind: 'groupAdopted',
        at: record.createdAt,
        actor,
        policyKey: record.policyKey,
        detail: `group ${record.groupId} ("${record.displayName}") as the one group of Intune policy ${policyId} "${entry.policyName}"`,
      });
      switch (result.kind) {
        case 'adopted':
          logger.info({ policyKey: record.policyKey, groupId: record.groupId, actor: actor.aadObjectId }, 'group adopted');
          return { kind: 'adopted', group: result.record };
        case 'policyHasGroup':
          // Another approver's adoption won the race: the same outcome when it is the same group.
          return result.record.groupId === record.groupId ? { kind: 'adopted', group: result.record } : refused(`The policy already has its one group, ${result.record.groupId}.`);
        case 'groupTaken':
          return refused(`The group is already the one group of the policy "${result.record.policyName}"; a policy needs a group of its own.`);
      }
    },
  };
}

/** The actions that fit an entry: adopt a correct hand-made group; repair or restore the bot's recorded one. */
export function actionsFor(entry: PolicyInventoryEntry): readonly PolicyAction[] {
  const codes = new Set(entry.findings.map((finding) => finding.code));
  const actions: PolicyAction[] = [];
  if (!entry.recorded && entry.groupSource === 'intune' && [...codes].every((code) => ADOPTABLE.has(code)) && codes.size > 0) actions.push('adopt');
  if (entry.recorded && codes.has('firstPartyAppNotAnOwner')) actions.push('repairOwner');
  if (entry.recorded && entry.restorableUntil !== undefined) actions.push('restore');
  return actions;
}
