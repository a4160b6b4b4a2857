/**
 * The tenant's device-preparation policies for approvers, and adoption: an approver makes a correct hand-made
 * group its policy's one group. Permissions and audit are decided here; the inventory only reports.
 */
import type { Actor } from '../domain/actor';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import { DELIVERY_CODES } from '../inventory/readiness';
import type { PolicyInventoryEntry } from '../inventory/types';
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { RecentInventory } from './recentInventory';
import { type PolicyTruth, tenantGroupOf } from './resolution';
import { REPLACEABLE } from './policyReplace';
import { ADOPTABLE, tenantGroupView } from './tenantGroup';
import type { AdoptResult, PolicyAction, PolicyListResult, RequestsService } from './types';

type PolicyInventoryPart = Pick<RequestsService, 'listPolicies' | 'adoptGroup'>;

export function createPolicyInventoryPart(context: ServiceContext, permissions: Permissions, recent: RecentInventory, truth: PolicyTruth): PolicyInventoryPart {
  const { store, logger } = context;

  async function refused(actor: Actor, policyKey: string, policyId: string, reason: string): Promise<AdoptResult> {
    await store.appendAudit({ kind: 'adoptRefused', at: context.now(), actor, policyKey, detail: `policy ${policyId}: ${reason}` });
    return { kind: 'refused', reason };
  }

  return {
    async listPolicies(actor, options = {}): Promise<PolicyListResult> {
      const refusal = await permissions.review(actor);
      if (refusal) {
        await context.recordDenial({ attempt: 'list policies', reason: 'not an approver', actor });
        return { kind: 'forbidden', reason: refusal };
      }
      const report = await recent.take(options.recent === true);
      return { kind: 'listed', policies: report.entries.map((entry) => ({ ...entry, actions: actionsFor(entry) })) };
    },

    async adoptGroup(policyId, actor): Promise<AdoptResult> {
      const attempt = `adopt the group of policy ${policyId}`;
      const refusal = await permissions.administer(actor, "adopt a group as its policy's one group");
      if (refusal) {
        await context.recordDenial({ attempt, reason: refusal, actor });
        return { kind: 'forbidden', reason: refusal };
      }
      // That one policy, read again: its name, the group Intune names for it, and that group now.
      const resolved = await truth.resolve({ intunePolicyId: policyId }, { fresh: true });
      if (resolved.kind === 'unknownPolicy') {
        await context.recordDenial({ attempt, reason: 'no such device-preparation policy in Intune', actor });
        return { kind: 'notFound', policyId };
      }
      if (resolved.kind !== 'resolved') {
        const reason = resolved.message;
        await context.recordDenial({ attempt, reason, actor });
        return { kind: 'refused', reason };
      }
      const { resolution } = resolved;
      const { intune, record } = resolution;
      if (intune.kind === 'ambiguous') return refused(actor, resolution.key, policyId, intune.reason);
      const tenantGroup = await tenantGroupOf(truth.tenant, resolution, { fresh: true });
      if (record) {
        // A second click, or another approver's adoption that finished first: the same outcome.
        if (record.adopted === true && (tenantGroup === undefined || tenantGroup.groupId === record.groupId)) return { kind: 'adopted', group: record };
        return refused(actor, record.policyKey, policyId, "The bot already records this policy's one group.");
      }
      if (!tenantGroup || intune.kind !== 'found') {
        return refused(actor, resolution.key, policyId, "Intune names no group for this policy that the bot can read; set the policy's device group in Intune first.");
      }
      const view = tenantGroupView(tenantGroup);
      // Whether another policy uses the group too takes every policy's target: the card's recent inventory has them.
      const listed = (await recent.take(true)).entries.find((entry) => entry.policyId === policyId && entry.groupId === tenantGroup.groupId);
      const blocking = [...view.findings, ...(listed?.findings.filter((finding) => finding.code === 'sharedGroup') ?? [])];
      if (blocking.length > 0 || tenantGroup.reading.kind !== 'live') {
        return refused(actor, resolution.key, policyId, `Fix these first: ${blocking.map((finding) => `${finding.code}: ${finding.detail}`).join(' ')}`);
      }
      const { group } = tenantGroup.reading;
      const adopted: PolicyGroupRecord = {
        policyKey: resolution.key,
        policyName: resolution.policy.name,
        scenario: intune.policy.scenario,
        displayName: group.displayName,
        mailNickname: group.mailNickname ?? '',
        uniqueName: group.uniqueName,
        groupId: tenantGroup.groupId,
        createdAt: context.now(),
        createdBy: actor,
        adopted: true,
      };
      const result = await store.adoptGroup(adopted, {
        kind: 'groupAdopted',
        at: adopted.createdAt,
        actor,
        policyKey: adopted.policyKey,
        detail: `group ${adopted.groupId} ("${adopted.displayName}") as the one group of Intune policy ${policyId} "${intune.policy.name}"`,
      });
      // The list and every cached answer show the adoption from now on.
      recent.forget();
      truth.tenant.invalidate();
      switch (result.kind) {
        case 'adopted':
          logger.info({ policyKey: adopted.policyKey, groupId: adopted.groupId, actor: actor.aadObjectId }, 'group adopted');
          return { kind: 'adopted', group: result.record };
        case 'policyHasGroup':
          // Another approver's adoption won the race: the same outcome when it is the same group.
          return result.record.groupId === adopted.groupId
            ? { kind: 'adopted', group: result.record }
            : refused(actor, adopted.policyKey, policyId, `The policy already has its one group, ${result.record.groupId}.`);
        case 'groupTaken':
          return refused(actor, adopted.policyKey, policyId, `The group is already the one group of the policy "${result.record.policyName}"; a policy needs a group of its own.`);
      }
    },
  };
}

/**
 * The actions that fit an entry: adopt a correct hand-made group; repair or restore the bot's recorded one; bind
 * the recorded one where the policy has no group in Intune, or use it where Intune names another; replace a group
 * that no repair makes a device group (dynamic, shared, not security, mail-enabled, role-assignable, or gone for
 * good: not even in the recycle bin); assign a selected app or script to the policy's live device group where a
 * finding carries that fix.
 */
export function actionsFor(entry: PolicyInventoryEntry): readonly PolicyAction[] {
  const codes = new Set(entry.findings.map((finding) => finding.code));
  const actions: PolicyAction[] = [];
  // What the policy delivers (its apps and scripts) says nothing about whether its group may be adopted.
  const groupCodes = [...codes].filter((code) => !DELIVERY_CODES.has(code));
  if (!entry.recorded && entry.groupSource === 'intune' && groupCodes.length > 0 && groupCodes.every((code) => ADOPTABLE.has(code))) actions.push('adopt');
  if (entry.recorded && codes.has('firstPartyAppNotAnOwner')) actions.push('repairOwner');
  if (entry.recorded && entry.restorableUntil !== undefined) actions.push('restore');
  if (entry.recorded && codes.has('noGroup') && entry.groupSource === 'none') actions.push('bind');
  if (entry.recorded && codes.has('recordedGroupDiffers')) actions.push('useBotGroup');
  const purged = codes.has('securityGroupNotFound') && entry.restorableUntil === undefined;
  if (entry.policyId !== null && entry.groupId !== null && ([...codes].some((code) => REPLACEABLE.has(code)) || purged)) actions.push('replace');
  if (entry.policyId !== null && entry.group !== null && entry.findings.some((finding) => finding.fix !== undefined)) actions.push('assign');
  return actions;
}
