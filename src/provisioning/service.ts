/**
 * The provisioning service: one correct device group per device-preparation policy, created exactly once
 * whatever crashes, retries or races happen. Exactly-once rests on Graph's upsert on the immutable
 * `uniqueName` alternate key (derived from the policy key) plus the registry's conditional write; the
 * registry is only ever written after the group has been read back and verified.
 */
import { type Logger, silentLogger } from '../shared/logger';
import type { Actor } from '../domain/actor';
import { groupNamesFor, NamingError, type GroupNames, type GroupNamingOptions } from '../domain/naming';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import { parsePolicyName, policyKeyOf, type PolicyName } from '../domain/policy';
import { SCENARIO_INFO, type Scenario } from '../domain/scenario';
import { DYNAMIC_MEMBERSHIP, OWNER_APP_ID, type Directory, type DirectoryGroup, type Traced } from './directory';
import { ForeignGroupConflictError, GroupVerificationError, OwnerServicePrincipalMissingError } from './errors';
import { isGraphError } from './graphError';
import { assessGroup, unexpectedMembersFinding } from './groupAssessment';
import type {
  BindResult,
  DriftFinding,
  DriftReport,
  EnsureGroupResult,
  PolicyGroupRegistry,
  ProvisioningService,
} from './types';

export interface ProvisioningServiceDeps {
  readonly directory: Directory;
  readonly registry: PolicyGroupRegistry;
  readonly naming?: GroupNamingOptions;
  readonly logger?: Logger;
  /** Clock port for `createdAt`. */
  readonly now?: () => Date;
}

export function createProvisioningService(deps: ProvisioningServiceDeps): ProvisioningService {
  const { directory, registry } = deps;
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  /** The owner lookup is cached for the service's lifetime; a failed lookup is not. */
  let ownerLookup: Promise<Traced<string>> | undefined;

  function resolveOwner(): Promise<Traced<string>> {
    if (ownerLookup) return ownerLookup;
    const lookup = directory.findServicePrincipalByAppId(OWNER_APP_ID).then(({ value, requestIds }) => {
      if (!value) throw new OwnerServicePrincipalMissingError();
      return { value: value.id, requestIds };
    });
    ownerLookup = lookup;
    lookup.catch(() => {
      if (ownerLookup === lookup) ownerLookup = undefined;
    });
    return lookup;
  }

  /** The owner id; its lookup's request ids are reported only by the call that made it. */
  async function ownerIdFor(requestIds: string[]): Promise<string> {
    const pending = ownerLookup;
    const owner = await resolveOwner();
    if (pending === undefined) requestIds.push(...owner.requestIds);
    return owner.value;
  }

  /** For reports: a tenant without the owner service principal is a finding, not a failure. */
  async function ownerIdOrMissing(requestIds: string[]): Promise<string | OwnerServicePrincipalMissingError> {
    try {
      return await ownerIdFor(requestIds);
    } catch (error) {
      if (error instanceof OwnerServicePrincipalMissingError) return error;
      throw error;
    }
  }

  function namesFor(policy: PolicyName, scenario: Scenario): GroupNames {
    const result = groupNamesFor(policy, scenario, deps.naming);
    if (!result.ok) throw new NamingError(result.code, result.reason);
    return result.value;
  }

  /** Finds (recovery) or creates our group, then verifies it; never adopts a same-named foreign group. */
  async function obtainVerifiedGroup(policy: PolicyName, scenario: Scenario, names: GroupNames, requestIds: string[]): Promise<DirectoryGroup> {
    const ownerId = await ownerIdFor(requestIds);
    const sameName = collect(await directory.findGroupsByDisplayName(names.displayName), requestIds);
    const foreign = sameName.find((group) => !isOurs(group, names));
    if (foreign) throw new ForeignGroupConflictError(foreign.displayName, foreign.id, whyForeign(foreign));

    let group = sameName.find((candidate) => isOurs(candidate, names));
    if (!group) {
      const upsert = collect(
        await directory.upsertGroup({ ...names, description: descriptionFor(policy, scenario), ownerServicePrincipalId: ownerId }),
        requestIds,
      );
      // 201 carries the new group; the owner was bound atomically in the same request. 204: read it back.
      group = upsert.created
        ? upsert.group
        : collect(await directory.getGroupByUniqueName(names.uniqueName, { afterWrite: true }), requestIds);
    }
    if (!group) {
      throw new GroupVerificationError(undefined, [{ code: 'securityGroupNotFound', message: 'Graph reported the group but it cannot be read.' }]);
    }
    const findings = assessGroup(group, ownerId);
    if (findings.length > 0) throw new GroupVerificationError(group.id, findings);
    return group;
  }

  async function ensureGroup(policyName: string, scenario: Scenario, actor: Actor): Promise<EnsureGroupResult> {
    const policy = parsedPolicy(policyName);
    const names = namesFor(policy, scenario);
    const recorded = await registry.findGroup(policy.key);
    if (recorded) return { group: recorded, created: false, graphRequestIds: [] };

    const requestIds: string[] = [];
    const group = await obtainVerifiedGroup(policy, scenario, names, requestIds);
    const record: PolicyGroupRecord = {
      ...names,
      policyKey: policy.key,
      policyName: policy.name,
      scenario,
      groupId: group.id,
      createdAt: now().toISOString(),
      createdBy: actor,
    };
    const stored = await registry.recordGroup(record);
    const created = stored.groupId === record.groupId && stored.createdAt === record.createdAt && stored.createdBy.aadObjectId === actor.aadObjectId;
    if (stored.groupId !== group.id) {
      logger.warn({ policyKey: policy.key, recorded: stored.groupId, found: group.id }, 'The registry already maps this policy to another group.');
    }
    logger.info({ policyKey: policy.key, groupId: stored.groupId, created, graphRequestIds: requestIds }, 'Device group ensured.');
    return { group: stored, created, graphRequestIds: requestIds };
  }

  async function checkGroup(policyName: string, options: { readonly repairOwner?: boolean } = {}): Promise<DriftReport> {
    const policy = parsedPolicy(policyName);
    const record = await registry.findGroup(policy.key);
    if (!record) {
      return report(policy.key, undefined, [{ code: 'noGroupRecorded', message: 'No group has been created for this policy yet.' }], false, []);
    }
    const requestIds: string[] = [];
    const ownerId = await ownerIdOrMissing(requestIds);
    const group = collect(await directory.getGroup(record.groupId), requestIds);
    if (!group) {
      return report(policy.key, record, [{ code: 'securityGroupNotFound', message: `The group ${record.groupId} no longer exists in Entra.` }], false, requestIds);
    }
    const findings =
      ownerId instanceof OwnerServicePrincipalMissingError
        ? [...assessGroup(group, undefined), { code: 'firstPartyAppNotAnOwner' as const, message: ownerId.message }]
        : assessGroup(group, ownerId);
    const membersFinding = unexpectedMembersFinding(collect(await directory.listMembers(group.id), requestIds));
    if (membersFinding) findings.push(membersFinding);

    const repairable =
      options.repairOwner === true && typeof ownerId === 'string' && findings.some((finding) => finding.code === 'firstPartyAppNotAnOwner');
    if (!repairable) return report(policy.key, record, findings, false, requestIds);
    collect(await directory.addServicePrincipalOwner(group.id, ownerId), requestIds);
    logger.info({ policyKey: policy.key, groupId: group.id }, 'Re-added the Intune Provisioning Client as owner, as asked.');
    const remaining = findings.filter((finding) => finding.code !== 'firstPartyAppNotAnOwner');
    return report(policy.key, record, remaining, true, requestIds);
  }

  async function bindToPolicy(policyName: string, scenario: Scenario): Promise<BindResult> {
    const requestIds: string[] = [];
    try {
      const policy = parsedPolicy(policyName);
      const record = await registry.findGroup(policy.key);
      if (!record) return { outcome: 'failed', message: 'No group has been created for this policy yet; create it first.' };
      const templateId = SCENARIO_INFO[scenario].templateId;
      const policies = collect(await directory.listDevicePreparationPolicies(), requestIds);
      const matches = policies.filter((candidate) => candidate.templateId === templateId && policyKeyOf(candidate.name) === policy.key);
      const [match, ...others] = matches;
      if (!match) {
        return {
          outcome: 'policyNotFound',
          message: `Intune has no ${SCENARIO_INFO[scenario].label} device-preparation policy named "${policy.name}" yet. Create it, then bind again.`,
          graphRequestIds: requestIds,
        };
      }
      if (others.length > 0) {
        return {
          outcome: 'failed',
          message: `Intune has ${matches.length} ${SCENARIO_INFO[scenario].label} policies named "${policy.name}"; bind it by hand.`,
          graphRequestIds: requestIds,
        };
      }
      const result = collect(await directory.setEnrollmentTimeDeviceMembershipTarget(match.id, record.groupId), requestIds);
      return { outcome: result.validationSucceeded ? 'bound' : 'validationFailed', policyId: match.id, statuses: result.statuses, graphRequestIds: requestIds };
    } catch (error) {
      // Binding is optional: report any failure (e.g. Intune's 500 with app-only tokens), never undo the group.
      logger.warn({ policyName, error: String(error) }, 'Binding the group to the Intune policy failed.');
      if (isGraphError(error)) {
        const failedCall = error.requestId ? [error.requestId] : [];
        return {
          outcome: 'failed',
          message: error.message,
          ...(error.requestId ? { graphRequestId: error.requestId } : {}),
          graphRequestIds: [...requestIds, ...failedCall],
        };
      }
      if (error instanceof Error) return { outcome: 'failed', message: error.message, graphRequestIds: requestIds };
      throw error;
    }
  }

  return {
    previewNames: (policy, scenario) => groupNamesFor(policy, scenario, deps.naming),
    ensureGroup,
    checkGroup,
    bindToPolicy,
    ownerServicePrincipalId: async () => (await resolveOwner()).value,
  };
}

function parsedPolicy(policyName: string): PolicyName {
  const parsed = parsePolicyName(policyName);
  if (!parsed.ok) throw new NamingError('invalidPolicyName', parsed.reason);
  return parsed.value;
}

function isOurs(group: DirectoryGroup, names: GroupNames): boolean {
  return group.uniqueName !== null && group.uniqueName.toLowerCase() === names.uniqueName.toLowerCase();
}

function whyForeign(group: DirectoryGroup): string {
  const reasons = [
    group.uniqueName ? `its uniqueName is "${group.uniqueName}"` : 'it has no uniqueName from this bot',
    ...(group.groupTypes.includes(DYNAMIC_MEMBERSHIP) ? ['it is dynamic'] : []),
    ...(!group.securityEnabled ? ['it is not a security group'] : []),
  ];
  return reasons.join(', ');
}

function descriptionFor(policy: PolicyName, scenario: Scenario): string {
  return (
    `Device group of the Windows Autopilot device-preparation policy "${policy.name}" (${SCENARIO_INFO[scenario].label}). ` +
    'Created by the Autopilot device-group bot; Intune adds devices during enrollment.'
  );
}

function collect<T>(traced: Traced<T>, requestIds: string[]): T {
  requestIds.push(...traced.requestIds);
  return traced.value;
}

function report(
  policyKey: string,
  group: PolicyGroupRecord | undefined,
  findings: readonly DriftFinding[],
  ownerRepaired: boolean,
  graphRequestIds: readonly string[],
): DriftReport {
  return { policyKey, ...(group ? { group } : {}), healthy: findings.length === 0, findings, ownerRepaired, graphRequestIds };
}
