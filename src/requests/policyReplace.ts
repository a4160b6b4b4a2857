/**
 * Replace group (issue 19): a policy whose group is dynamic, shared with another policy, not security,
 * mail-enabled, role-assignable or gone for good gets a correct group of its own, made by provisioning under
 * the one-group rule, recorded by a conditional swap of its record, and bound as Bind binds. The old group is
 * left exactly as it is. Exactly one new group however often or by how many it is clicked: the new group's
 * uniqueName is derived from the group it replaces (a retry after a crash upserts the same group), the record
 * is swapped only where it still names the replaced group (one approver wins, the other is told), and a record
 * that already names a correct group is bound rather than replaced again.
 */
import type { Actor } from '../domain/actor';
import type { ActingAs } from '../domain/delegation';
import { replacementNamesOf } from '../domain/naming';
import { parsePolicyName, recordedPolicyName } from '../domain/policy';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { FindingCode, GroupReading, InventoryFinding } from '../inventory/types';
import { graphRequestIdOf } from '../provisioning/graphError';
import type { EnsureGroupResult } from '../provisioning/types';
import { auditPolicy, type Binder } from './binding';
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { GroupProvisioning } from './ports';
import type { RecentInventory } from './recentInventory';
import { type PolicyQuery, type PolicyResolution, type PolicyTruth, resolveForChange } from './resolution';
import type { LeftBehindGroup, ReplaceGroupResult, RequestsService } from './types';

type PolicyReplacement = Pick<RequestsService, 'replaceGroup'>;

/** What makes a live group no device group at all; a missing owner is repaired and a deleted group restored instead. */
export const REPLACEABLE: ReadonlySet<FindingCode> = new Set<FindingCode>(['notStaticSecurityGroup', 'notSecurityGroup', 'mailEnabled', 'roleAssignable', 'sharedGroup']);

/** A group as the decision reads it: what is wrong with it that only a new group fixes, and its reading. */
interface Judged {
  readonly group: LeftBehindGroup;
  readonly reading: Exclude<GroupReading, { readonly kind: 'unavailable' }>;
}

type Need =
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'alreadyReplaced'; readonly record: PolicyGroupRecord }
  | { readonly kind: 'unavailable'; readonly message: string }
  /** The record already names a correct group of this policy (an earlier replacement, say): bind it. */
  | { readonly kind: 'bindRecord'; readonly record: PolicyGroupRecord; readonly leftBehind: readonly LeftBehindGroup[] }
  | { readonly kind: 'replace'; readonly replacedGroupId: string; readonly leftBehind: readonly LeftBehindGroup[] };

export function createPolicyReplacement(
  context: ServiceContext,
  permissions: Permissions,
  provisioning: Pick<GroupProvisioning, 'previewNames' | 'ensureGroup'>,
  truth: PolicyTruth,
  binder: Binder,
  recent: RecentInventory,
): PolicyReplacement {
  const { logger } = context;

  /** The group read fresh, with its problems that only a replacement fixes; `unavailable` when Graph could not be asked. */
  async function judge(groupId: string, policyId: string): Promise<Judged | { readonly kind: 'unavailable'; readonly message: string }> {
    const reading = await truth.tenant.group(groupId, { fresh: true });
    if (reading.kind === 'unavailable') return { kind: 'unavailable', message: reading.message };
    // Which other policies use it takes every policy's target: the recent inventory (the list the click came from) has them.
    const users = await recent.otherUsersOf(groupId, policyId);
    const shared: InventoryFinding[] = users.length === 0 ? [] : [{ code: 'sharedGroup', detail: `The group ${groupId} is also the device group of ${users.map((name) => `"${name}"`).join(', ')}.` }];
    // A purged group is gone for good: Entra has it neither live nor in its recycle bin.
    const problems = [...(reading.kind === 'purged' ? reading.findings : reading.findings.filter((finding) => REPLACEABLE.has(finding.code))), ...shared];
    return { reading, group: { groupId, displayName: reading.kind === 'live' ? reading.group.displayName : null, problems } };
  }

  async function needOf(resolution: PolicyResolution & { readonly intune: { readonly kind: 'found' } }): Promise<Need> {
    const { intune, record } = resolution;
    const { target } = intune;
    if (target.kind === 'unavailable') return { kind: 'unavailable', message: target.message };
    const intuneGroupId = target.kind === 'group' || target.kind === 'unreadable' ? target.groupId : null;
    // The group the policy uses: Intune's, else (Intune has none, or will not tell) the record's.
    const currentId = intuneGroupId ?? record?.groupId;
    if (currentId === undefined) {
      return { kind: 'none', reason: `"${intune.policy.name}" has no device group, in Intune or in the bot's records: there is nothing to replace. Request one for it (\`request ${intune.policy.name}\`).` };
    }
    const current = await judge(currentId, intune.policy.id);
    if (!('group' in current)) return current;
    if (current.group.problems.length === 0) {
      // The group is a replacement already (another approver's click a moment ago, or one long since): say whose.
      if (record?.groupId === currentId && record.replacedGroupId !== undefined) return { kind: 'alreadyReplaced', record };
      return { kind: 'none', reason: nothingWrong(current) };
    }
    if (!record || record.groupId === currentId) return { kind: 'replace', replacedGroupId: currentId, leftBehind: [current.group] };
    // Intune names another group than the record: a correct recorded group is the policy's one group already.
    const recorded = await judge(record.groupId, intune.policy.id);
    if (!('group' in recorded)) return recorded;
    if (recorded.reading.kind === 'live' && recorded.group.problems.length === 0 && record.scenario === intune.policy.scenario) {
      return { kind: 'bindRecord', record, leftBehind: [current.group] };
    }
    return { kind: 'replace', replacedGroupId: record.groupId, leftBehind: [current.group, recorded.group] };
  }

  /** Makes (or finds again) the replacement and swaps the record; then binds it, unless another approver's swap won. */
  async function replace(resolution: PolicyResolution & { readonly intune: { readonly kind: 'found' } }, need: Need & { readonly kind: 'replace' }, actor: Actor, options: ActingAs): Promise<ReplaceGroupResult> {
    const { intune } = resolution;
    // Intune's current name, under the key the bot knows the policy by (its record's, across renames).
    const policy = recordedPolicyName(resolution.policy.name, resolution.key);
    const named = provisioning.previewNames(policy, intune.policy.scenario);
    if (!named.ok) return { kind: 'notReplaced', message: named.reason };
    const names = replacementNamesOf(named.value, need.replacedGroupId);
    const left = leftBehindLine(need.leftBehind);
    await auditPolicy(context, 'replaceRequested', resolution.key, actor, `Intune policy ${intune.policy.id} "${intune.policy.name}": ${left}; a new group "${names.displayName}" (${names.uniqueName}) for it`);
    let ensured: EnsureGroupResult;
    try {
      ensured = await provisioning.ensureGroup({ policy, scenario: intune.policy.scenario, names, replacesGroupId: need.replacedGroupId }, actor);
    } catch (error) {
      // Graph refused (a permission, an outage, a same-named foreign group): said and audited, nothing recorded.
      const message = error instanceof Error ? error.message : String(error);
      const requestId = graphRequestIdOf(error);
      await auditPolicy(context, 'replaceFailed', resolution.key, actor, message, requestId === undefined ? [] : [requestId]);
      logger.error({ err: error, policyKey: resolution.key }, 'replacing the group failed');
      return { kind: 'notReplaced', message };
    }
    truth.tenant.invalidate();
    recent.forget();
    const { group } = ensured;
    if (ensured.replaced !== true) {
      await auditPolicy(context, 'replaceFailed', resolution.key, actor, `another replacement won: the record names group ${group.groupId}, made by ${group.createdBy.name}`, ensured.graphRequestIds);
      return { kind: 'alreadyReplaced', group };
    }
    await auditPolicy(context, 'groupReplaced', group.policyKey, actor, `group ${group.groupId} ("${group.displayName}") is the one group of Intune policy ${intune.policy.id}; ${left}`, ensured.graphRequestIds);
    logger.info({ policyKey: group.policyKey, groupId: group.groupId, replaced: need.replacedGroupId, actor: actor.aadObjectId }, 'group replaced');
    const attempted = await binder.bind({ ...resolution, record: group }, group, actor, options);
    return { kind: 'replaced', group: attempted.group, created: ensured.created, leftBehind: need.leftBehind, bind: attempted.bind };
  }

  return {
    async replaceGroup(policy, actor, options = {}) {
      const asked = askedOf(policy);
      if (!asked.ok) return { kind: 'notReplaced', message: asked.reason };
      const { attempt, query } = asked;
      const refusal = await permissions.administer(actor, "replace a policy's group");
      if (refusal) {
        await context.recordDenial({ attempt, reason: refusal, actor, ...('policy' in query && { policyKey: query.policy.key }) });
        return { kind: 'forbidden', reason: refusal };
      }
      // The policy read again, fresh: its name, its target, its record.
      const resolved = await resolveForChange(truth, query, () => context.recordDenial({ attempt, reason: 'no such device-preparation policy in Intune', actor }));
      if (resolved.kind === 'notFound') return resolved;
      if (resolved.kind === 'unanswered') return { kind: 'notReplaced', message: resolved.message };
      const { resolution } = resolved;
      if (!isFound(resolution)) return { kind: 'notReplaced', message: notFoundReason(resolution) };
      const need = await needOf(resolution);
      switch (need.kind) {
        case 'none':
          return { kind: 'nothingToReplace', reason: need.reason };
        case 'alreadyReplaced':
          return { kind: 'alreadyReplaced', group: need.record };
        case 'unavailable':
          return { kind: 'notReplaced', message: `${need.message} Nothing was changed; try again later.` };
        case 'bindRecord': {
          await auditPolicy(context, 'replaceRequested', need.record.policyKey, actor, `Intune policy ${resolution.intune.policy.id}: ${leftBehindLine(need.leftBehind)}; the recorded group ${need.record.groupId} is correct, so it is bound rather than a new one made`);
          const attempted = await binder.bind(resolution, need.record, actor, options);
          return { kind: 'replaced', group: attempted.group, created: false, leftBehind: need.leftBehind, bind: attempted.bind };
        }
        case 'replace':
          return replace(resolution, need, actor, options);
      }
    },
  };
}

/** A typed name, parsed once, or a card's Intune policy id; and how a refusal names the attempt. */
function askedOf(policy: string | { readonly intunePolicyId: string }): { readonly ok: true; readonly query: PolicyQuery; readonly attempt: string } | { readonly ok: false; readonly reason: string } {
  if (typeof policy !== 'string') return { ok: true, query: policy, attempt: `replace the group of policy ${policy.intunePolicyId}` };
  const parsed = parsePolicyName(policy);
  return parsed.ok ? { ok: true, query: { policy: parsed.value }, attempt: 'replace a group' } : parsed;
}

/** Why a policy that Intune does not show as one policy cannot have its group replaced. */
function notFoundReason(resolution: PolicyResolution): string {
  switch (resolution.intune.kind) {
    case 'ambiguous':
      return resolution.intune.reason;
    case 'unavailable':
      return `${resolution.intune.message} Nothing was changed; try again later.`;
    case 'absent':
    case 'found':
      return `Intune has no device-preparation policy named "${resolution.policy.name}": a group is replaced only for a policy that uses it.`;
  }
}

function isFound(resolution: PolicyResolution): resolution is PolicyResolution & { readonly intune: { readonly kind: 'found' } } {
  return resolution.intune.kind === 'found';
}

/** Why a group that is not broken in a way a new group fixes is left to another action, or to nobody. */
function nothingWrong(judged: Judged): string {
  const { reading, group } = judged;
  switch (reading.kind) {
    case 'deleted':
      return `The group ${group.groupId} is in the Entra recycle bin, not gone: restore it (Restore) rather than replace it.`;
    case 'unreadable':
      return `Graph returned the group ${group.groupId} in a shape the bot cannot read, so it cannot tell whether it needs replacing; nothing was changed.`;
    case 'live':
    case 'purged':
      return `The group ${group.displayName ?? group.groupId} is a correct device group of this policy alone: there is nothing to replace.${reading.findings.length > 0 ? ' What is wrong with it has its own fix (see `policies`).' : ''}`;
  }
}

/** `left as it is: group g-1 "Old" (notStaticSecurityGroup)` — for the audit. */
function leftBehindLine(groups: readonly LeftBehindGroup[]): string {
  const each = groups.map((group) => `group ${group.groupId}${group.displayName ? ` "${group.displayName}"` : ''} (${group.problems.map((problem) => problem.code).join(', ')})`);
  return `left as it is: ${each.join('; ')}`;
}
