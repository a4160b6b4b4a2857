/**
 * The provisioning service: one correct device group per device-preparation policy, created exactly once
 * whatever crashes, retries or races happen. Exactly-once rests on Graph's upsert on the immutable
 * `uniqueName` alternate key (derived from the policy key) plus the registry's conditional write; the
 * registry is only ever written after the group has been read back and verified.
 * Over 300 lines because its operations share the cached owner lookup and that one exactly-once rule.
 */
import { type Logger, silentLogger } from '../shared/logger';
import type { Actor } from '../domain/actor';
import { groupNamesFor, isPolicysUniqueName, type GroupNames, type GroupNamingOptions } from '../domain/naming';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { PolicyName } from '../domain/policy';
import { SCENARIO_INFO, type Scenario } from '../domain/scenario';
import {
  DYNAMIC_MEMBERSHIP,
  OWNER_APP_ID,
  type Directory,
  type DirectoryGroup,
  type MembershipTargetResult,
  type Traced,
} from './directory';
import { ForeignGroupConflictError, GroupInRecycleBinError, GroupVerificationError, OwnerServicePrincipalMissingError } from './errors';
import { isGraphError, type GraphError } from './graphError';
import { assessGroup, assessRecordedGroup, recycleBinEntry, withAllOwners as withAllOwnersOf, type OwnerToCheck } from './groupAssessment';
import type {
  BindResult,
  DriftFinding,
  DriftReport,
  EnsureGroupResult,
  GroupOrder,
  PolicyGroupRegistry,
  RestoreSubject,
  RestoreGroupResult,
  ProvisioningService,
} from './types';
import { recordOfOrder } from './types';
import { type Clock, systemClock } from '../shared/clock';
import { delay } from '../shared/delay';
import type { ActingAs } from '../domain/delegation';

/**
 * Where an admin binds the group by hand. The way to the policies is Microsoft's device-preparation tutorial
 * (step 6); "Properties › Device group › Edit" is Intune's usual way to edit a policy, not confirmed in a
 * Microsoft page for this policy type.
 */
export const INTUNE_MANUAL_BIND_PATH =
  'Microsoft Intune admin center › Devices › Windows › Windows enrollment › Device preparation policies › the policy › Properties › Device group › Edit';

export interface ProvisioningServiceDeps {
  readonly directory: Directory;
  readonly registry: PolicyGroupRegistry;
  readonly naming?: GroupNamingOptions;
  readonly logger?: Logger;
  /** Clock port for `createdAt`. */
  readonly clock?: Clock;
  /**
   * Intune answering `securityGroupNotFound` for a group made moments ago: Entra has not replicated it to
   * Intune yet. The bind is tried again `attempts` times, `waitMs` apart, while the group is younger than
   * `withinMs` (default 3 × 10 s within a minute, as other Intune tools wait); `wait` is injectable for tests.
   */
  readonly bindReplication?: { readonly attempts?: number; readonly waitMs?: number; readonly withinMs?: number; readonly wait?: (ms: number) => Promise<void> };
}

const BIND_REPLICATION_ATTEMPTS = 3;
const BIND_REPLICATION_WAIT_MS = 10_000;
const BIND_REPLICATION_WITHIN_MS = 60_000;

export function createProvisioningService(deps: ProvisioningServiceDeps): ProvisioningService {
  const { directory, registry } = deps;
  const logger = deps.logger ?? silentLogger;
  const clock = deps.clock ?? systemClock;
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

  const withAllOwners = (group: DirectoryGroup, ownerId: string, requestIds: string[]): Promise<DirectoryGroup> =>
    withAllOwnersOf(directory, group, ownerId, requestIds);

  /** Adds the Intune owner when the (complete) owner list lacks it; true when it did. */
  async function ensureOwner(group: DirectoryGroup, ownerId: string, requestIds: string[]): Promise<boolean> {
    if (!group.owners || group.owners.some((owner) => owner.id === ownerId)) return false;
    collect(await directory.addServicePrincipalOwner(group.id, ownerId), requestIds);
    return true;
  }

  /** Finds (recovery) or creates our group, then verifies it; never adopts a same-named foreign group. `madeNow`: this call's upsert created it. */
  async function obtainVerifiedGroup(order: GroupOrder, requestIds: string[]): Promise<{ group: DirectoryGroup; madeNow: boolean }> {
    const { policy, scenario, names } = order;
    const ownerId = await ownerIdFor(requestIds);
    const sameName = collect(await directory.findGroupsByDisplayName(names.displayName), requestIds);
    // The group being replaced, and the policy's earlier groups, share the template's name without being foreign.
    const foreign = sameName.find((group) => !isPolicysUniqueName(group.uniqueName, names) && group.id !== order.replacesGroupId);
    if (foreign) throw new ForeignGroupConflictError(foreign.displayName, foreign.id, whyForeign(foreign));

    let group = sameName.find((candidate) => isOurs(candidate, names));
    let madeNow = false;
    if (!group) {
      const upsert = collect(
        await directory.upsertGroup({ ...names, description: descriptionFor(policy, scenario), ownerServicePrincipalId: ownerId }),
        requestIds,
      );
      // 201 carries the new group; the owner was bound atomically in the same request.
      madeNow = upsert.created;
      group = upsert.created ? upsert.group : await existingGroup(names, 'uniqueNameTaken' in upsert, ownerId, requestIds);
    }
    group = await withAllOwners(group, ownerId, requestIds);
    const findings = assessGroup(group, ownerId);
    if (findings.length > 0) throw new GroupVerificationError(group.id, findings);
    return { group, madeNow };
  }

  /**
   * The group an upsert found under our uniqueName (204, or a 400 that the owner is bound already, or a 400 that
   * another object holds the key), read back through replication lag. It must not depend on the upsert having
   * re-bound the owner: the owner is added when missing. A key held by a deleted group is the recycle bin's.
   */
  async function existingGroup(names: GroupNames, uniqueNameTaken: boolean, ownerId: string, requestIds: string[]): Promise<DirectoryGroup> {
    const found = collect(await directory.getGroupByUniqueName(names.uniqueName, { afterWrite: true }), requestIds);
    if (!found) {
      const deleted = uniqueNameTaken ? collect(await directory.findDeletedGroupByUniqueName(names.uniqueName), requestIds) : undefined;
      if (deleted) {
        const entry = recycleBinEntry(deleted);
        throw new GroupInRecycleBinError(entry.groupId, entry.deletedAt, entry.restorableUntil);
      }
      throw new GroupVerificationError(undefined, [{ code: 'securityGroupNotFound', message: 'Graph reported the group but it cannot be read.' }]);
    }
    const group = await withAllOwners(found, ownerId, requestIds);
    if (!(await ensureOwner(group, ownerId, requestIds))) return group;
    logger.info({ groupId: group.id }, 'Added the Intune Provisioning Client as owner of our existing group.');
    return { ...group, owners: [...(group.owners ?? []), { id: ownerId, type: 'servicePrincipal' }] };
  }

  async function ensureGroup(order: GroupOrder, actor: Actor): Promise<EnsureGroupResult> {
    const { policy } = order;
    const requestIds: string[] = [];
    const { group, madeNow } = await obtainVerifiedGroup(order, requestIds);
    const record = recordOfOrder(order, group.id, clock.now().toISOString(), actor);
    const swap = order.replacesGroupId === undefined ? undefined : await registry.replaceGroup(record, order.replacesGroupId);
    const stored = swap ? swap.record : await registry.recordGroup(record);
    const created = madeNow && stored.groupId === group.id;
    if (stored.groupId !== group.id) {
      logger.warn({ policyKey: policy.key, recorded: stored.groupId, found: group.id }, 'The registry already maps this policy to another group.');
    }
    logger.info({ policyKey: policy.key, groupId: stored.groupId, created, graphRequestIds: requestIds }, 'Device group ensured.');
    return { group: stored, created, graphRequestIds: requestIds, ...(swap && { replaced: swap.replaced }) };
  }

  async function checkGroup(record: PolicyGroupRecord, options: { readonly repairOwner?: boolean } = {}): Promise<DriftReport> {
    const requestIds: string[] = [];
    const ownerId = await ownerIdOrMissing(requestIds);
    const owner: OwnerToCheck = typeof ownerId === 'string' ? { kind: 'present', id: ownerId } : { kind: 'missing', message: ownerId.message };
    const assessment = await assessRecordedGroup(directory, record.groupId, owner, requestIds);
    if (assessment.kind !== 'live') {
      const deleted = assessment.kind === 'deleted' ? { deletedGroup: assessment.recycleBin } : {};
      return { ...report(record, assessment.kind, assessment.findings, false, requestIds), ...deleted };
    }
    const { group, findings } = assessment;
    const repairable = options.repairOwner === true && owner.kind === 'present' && findings.some((finding) => finding.code === 'firstPartyAppNotAnOwner');
    if (!repairable) return report(record, 'live', findings, false, requestIds);
    collect(await directory.addServicePrincipalOwner(group.id, owner.id), requestIds);
    logger.info({ policyKey: record.policyKey, groupId: group.id }, 'Re-added the Intune Provisioning Client as owner, as asked.');
    const remaining = findings.filter((finding) => finding.code !== 'firstPartyAppNotAnOwner');
    return report(record, 'live', remaining, true, requestIds);
  }

  /** Set the target; a new group Intune cannot see yet is tried again while it may still be replicating. */
  async function setTarget(record: PolicyGroupRecord, intunePolicyId: string, options: ActingAs, requestIds: string[]): Promise<MembershipTargetResult> {
    const replication = deps.bindReplication ?? {};
    const attempts = replication.attempts ?? BIND_REPLICATION_ATTEMPTS;
    const young = clock.now().getTime() - Date.parse(record.createdAt) < (replication.withinMs ?? BIND_REPLICATION_WITHIN_MS);
    for (let retry = 0; ; retry++) {
      const result = collect(await directory.setEnrollmentTimeDeviceMembershipTarget(intunePolicyId, record.groupId, options), requestIds);
      const notReplicated = !result.validationSucceeded && result.statuses.every((status) => status.validationSucceeded || status.errorCode === 'securityGroupNotFound');
      if (!notReplicated || !young || retry >= attempts) return result;
      logger.info({ intunePolicyId, groupId: record.groupId, retry: retry + 1 }, 'Intune cannot see the new group yet; binding again after a wait.');
      await (replication.wait ?? delay)(replication.waitMs ?? BIND_REPLICATION_WAIT_MS);
    }
  }

  async function bindToPolicy(record: PolicyGroupRecord, intunePolicyId: string, options: ActingAs = {}): Promise<BindResult> {
    const requestIds: string[] = [];
    try {
      let result: MembershipTargetResult;
      try {
        result = await setTarget(record, intunePolicyId, options, requestIds);
      } catch (error) {
        // With an app-only token, Intune's 500 is its refusal of app-only callers (it accepts delegated ones).
        if (isGraphError(error) && error.status === 500 && !options.as && (await directory.callerKind()) === 'appOnly') {
          logger.warn({ intunePolicyId, groupId: record.groupId }, 'Intune refused an app-only call to set the device group.');
          return appOnlyRefusal(record, error, requestIds);
        }
        if (isGraphError(error) && error.status === 404) {
          return {
            outcome: 'policyNotFound',
            message: `Intune has no device-preparation policy ${intunePolicyId} any more (deleted meanwhile?). Create it, then bind again.`,
            graphRequestIds: error.requestId ? [error.requestId] : [],
          };
        }
        throw error;
      }
      return { outcome: result.validationSucceeded ? 'bound' : 'validationFailed', policyId: intunePolicyId, statuses: result.statuses, graphRequestIds: requestIds };
    } catch (error) {
      // Binding is optional: report any failure (e.g. Intune's 500 with app-only tokens), never undo the group.
      logger.warn({ intunePolicyId, error: String(error) }, 'Binding the group to the Intune policy failed.');
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

  async function restoreGroup(subject: RestoreSubject, actor: Actor): Promise<RestoreGroupResult> {
    const requestIds: string[] = [];
    const ownerId = await ownerIdFor(requestIds);
    // The recorded group; without a record (a new request met the recycle bin), the one holding its uniqueName.
    const deleted =
      'record' in subject
        ? collect(await directory.getDeletedGroup(subject.record.groupId), requestIds)
        : collect(await directory.findDeletedGroupByUniqueName(subject.order.names.uniqueName), requestIds);
    if (!deleted) {
      const live =
        'record' in subject
          ? collect(await directory.getGroup(subject.record.groupId), requestIds)
          : collect(await directory.getGroupByUniqueName(subject.order.names.uniqueName), requestIds);
      return live
        ? { outcome: 'notDeleted', message: `The group ${live.id} is not deleted: there is nothing to restore.`, graphRequestIds: requestIds }
        : {
            outcome: 'notInRecycleBin',
            message: "The policy's group is not in the Entra recycle bin any more (purged after 30 days, or deleted permanently): it cannot be restored.",
            graphRequestIds: requestIds,
          };
    }
    collect(await directory.restoreDeletedGroup(deleted.id), requestIds);
    const restored = collect(await directory.getGroup(deleted.id, { afterWrite: true }), requestIds);
    if (!restored) {
      throw new GroupVerificationError(deleted.id, [{ code: 'securityGroupNotFound', message: 'Graph restored the group but it cannot be read.' }]);
    }
    const group = await withAllOwners(restored, ownerId, requestIds);
    const ownerReAdded = await ensureOwner(group, ownerId, requestIds);
    const findings = assessGroup(group, ownerReAdded ? undefined : ownerId);
    const stored =
      'record' in subject
        ? subject.record
        : await registry.recordGroup(recordOfOrder(subject.order, deleted.id, clock.now().toISOString(), actor));
    logger.info({ policyKey: stored.policyKey, groupId: deleted.id, ownerReAdded, graphRequestIds: requestIds }, 'Restored the device group from the recycle bin.');
    return { outcome: 'restored', group: stored, ownerReAdded, findings, graphRequestIds: requestIds };
  }

  return {
    previewNames: (policy, scenario) => groupNamesFor(policy, scenario, deps.naming),
    ensureGroup,
    checkGroup,
    bindToPolicy,
    restoreGroup,
    ownerServicePrincipalId: async () => (await resolveOwner()).value,
  };
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

/** Intune's 500 to an app-only caller: say so plainly and give the manual path; the group stays as it is. */
function appOnlyRefusal(record: PolicyGroupRecord, error: GraphError, requestIds: readonly string[]): BindResult {
  return {
    outcome: 'failed',
    reason: 'appOnlyNotSupported',
    message:
      'Intune does not accept app-only binding today: it answers 500 when an application, rather than a signed-in administrator, ' +
      `sets a device-preparation policy's device group. Bind it by hand: ${INTUNE_MANUAL_BIND_PATH}, select the group ` +
      `"${record.displayName}" (object id ${record.groupId}), then Review + save. The group itself is ready and unchanged.`,
    ...(error.requestId ? { graphRequestId: error.requestId } : {}),
    graphRequestIds: [...requestIds, ...(error.requestId ? [error.requestId] : [])],
  };
}

function collect<T>(traced: Traced<T>, requestIds: string[]): T {
  requestIds.push(...traced.requestIds);
  return traced.value;
}

function report(
  group: PolicyGroupRecord,
  groupState: DriftReport['groupState'],
  findings: readonly DriftFinding[],
  ownerRepaired: boolean,
  graphRequestIds: readonly string[],
): DriftReport {
  return { policyKey: group.policyKey, group, groupState, healthy: findings.length === 0, findings, ownerRepaired, graphRequestIds };
}
