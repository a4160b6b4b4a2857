/**
 * A small honest ProvisioningService double: it creates "groups" idempotently by uniqueName (like Graph's
 * `PATCH /groups(uniqueName=…)` with create-if-missing), records them in the real store's registry, and can
 * be told to fail or to wait, so tests can see the background work and failures.
 */
import type { ActingAs } from '../../../src/domain/delegation';
import type { Actor } from '../../../src/domain/actor';
import { type Clock, systemClock } from '../../../src/shared/clock';
import type { Scenario } from '../../../src/domain/scenario';
import type { PolicyGroupRecord } from '../../../src/domain/policyGroup';
import { recordOfOrder, type BindResult, type DriftReport, type EnsureGroupResult, type GroupOrder, type PolicyGroupRegistry, type ProvisioningService, type RestoreGroupResult, type RestoreSubject } from '../../../src/provisioning/types';
import type { GroupNames, GroupNamesResult } from '../../../src/domain/naming';
import { policyKeyOf, type PolicyName } from '../../../src/domain/policy';

export interface FakeProvisioning extends ProvisioningService {
  /** uniqueName → group id: what "Entra" holds. */
  readonly groups: Map<string, string>;
  /** uniqueName → the deleted group: what "Entra's recycle bin" holds. */
  readonly deleted: Map<string, { readonly groupId: string; readonly deletedAt: string }>;
  /** Deletes the policy's group in "Entra" (into the recycle bin); the record stays. */
  deleteGroup(policyName: string, scenario: Scenario): void;
  readonly ensureCalls: { policyName: string; actor: Actor }[];
  /** The next `count` ensureGroup calls throw this error. */
  failNext(count: number, error: Error): void;
  /** ensureGroup waits until `release()` is called. */
  hold(): { release(): void };
  driftFindings: DriftReport['findings'];
  /** What the next bindToPolicy calls answer. */
  bindResult: BindResult;
  /** `delegated`: the call carried an approver's credential (only when it did). */
  readonly bindCalls: { policyName: string; intunePolicyId: string; delegated?: true }[];
}

export function createFakeProvisioning(registry: PolicyGroupRegistry, clock: Clock = systemClock): FakeProvisioning {
  const groups = new Map<string, string>();
  const deleted = new Map<string, { readonly groupId: string; readonly deletedAt: string }>();
  const ensureCalls: { policyName: string; actor: Actor }[] = [];
  const failures: Error[] = [];
  let gate: Promise<void> = Promise.resolve();
  let requestCounter = 0;

  function namesOf(policyName: string, scenario: Scenario): GroupNames {
    const slug = policyKeyOf(policyName).replace(/[^a-z0-9]+/g, '-');
    return { displayName: `Autopilot DP · ${policyName} · ${scenario}`, mailNickname: `apdp-${slug}`, uniqueName: `autopilot-dp-${slug}` };
  }

  function previewNames(policy: PolicyName, scenario: Scenario): GroupNamesResult {
    if (/forbidden/i.test(policy.name)) return { ok: false, code: 'blockedWord', reason: 'The policy name contains a blocked word: "forbidden".' };
    return { ok: true, value: namesOf(policy.name, scenario) };
  }

  const service: FakeProvisioning = {
    groups,
    deleted,
    ensureCalls,
    driftFindings: [],
    bindResult: { outcome: 'policyNotFound', message: 'Intune has no such policy yet.', graphRequestIds: ['graph-bind-1'] },
    bindCalls: [],
    failNext(count, error) {
      for (let i = 0; i < count; i++) failures.push(error);
    },
    hold() {
      let release = (): void => undefined;
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return { release: () => release() };
    },
    previewNames,
    async ensureGroup(order: GroupOrder, actor: Actor): Promise<EnsureGroupResult> {
      const { names } = order;
      const policyName = order.policy.name;
      ensureCalls.push({ policyName, actor });
      await gate;
      const failure = failures.shift();
      if (failure) throw failure;
      const graphRequestIds = [`graph-${++requestCounter}`];
      const existing = groups.get(names.uniqueName);
      const groupId = existing ?? `group-${groups.size + 1}`;
      groups.set(names.uniqueName, groupId);
      const group = await registry.recordGroup(recordOfOrder(order, groupId, clock.now().toISOString(), actor));
      return { group, created: existing === undefined, graphRequestIds };
    },
    deleteGroup(policyName, scenario) {
      const { uniqueName } = namesOf(policyName, scenario);
      const groupId = groups.get(uniqueName);
      if (groupId === undefined) throw new Error(`no group for ${policyName}`);
      groups.delete(uniqueName);
      deleted.set(uniqueName, { groupId, deletedAt: clock.now().toISOString() });
    },
    async checkGroup(group: PolicyGroupRecord, options?: { readonly repairOwner?: boolean }): Promise<DriftReport> {
      const inBin = group.uniqueName ? deleted.get(group.uniqueName) : undefined;
      if (inBin) {
        const restorableUntil = new Date(Date.parse(inBin.deletedAt) + 30 * 86_400_000).toISOString();
        return {
          policyKey: group.policyKey,
          group,
          groupState: 'deleted',
          deletedGroup: { groupId: inBin.groupId, deletedAt: inBin.deletedAt, restorableUntil },
          healthy: false,
          findings: [{ code: 'securityGroupNotFound', message: `The group ${inBin.groupId} was deleted; it can be restored.` }],
          ownerRepaired: false,
          graphRequestIds: ['graph-check-1'],
        };
      }
      const findings = options?.repairOwner ? service.driftFindings.filter((f) => f.code !== 'firstPartyAppNotAnOwner') : service.driftFindings;
      return {
        policyKey: group.policyKey,
        group,
        groupState: 'live',
        healthy: findings.length === 0,
        findings,
        ownerRepaired: options?.repairOwner === true && findings.length !== service.driftFindings.length,
        graphRequestIds: ['graph-check-1'],
      };
    },
    async restoreGroup(subject: RestoreSubject, actor: Actor): Promise<RestoreGroupResult> {
      const uniqueName = 'record' in subject ? (subject.record.uniqueName ?? '') : subject.order.names.uniqueName;
      const inBin = deleted.get(uniqueName);
      const graphRequestIds = [`graph-${++requestCounter}`];
      if (!inBin) {
        return groups.has(uniqueName)
          ? { outcome: 'notDeleted', message: 'The group is not deleted.', graphRequestIds }
          : { outcome: 'notInRecycleBin', message: 'The group is not in the recycle bin.', graphRequestIds };
      }
      deleted.delete(uniqueName);
      groups.set(uniqueName, inBin.groupId);
      const group =
        'record' in subject
          ? subject.record
          : await registry.recordGroup(recordOfOrder(subject.order, inBin.groupId, clock.now().toISOString(), actor));
      return { outcome: 'restored', group, ownerReAdded: false, findings: [], graphRequestIds };
    },
    async bindToPolicy(record: PolicyGroupRecord, intunePolicyId: string, options: ActingAs = {}): Promise<BindResult> {
      service.bindCalls.push({ policyName: record.policyName, intunePolicyId, ...(options.as && { delegated: true as const }) });
      return service.bindResult;
    },
    async ownerServicePrincipalId() {
      return 'owner-sp';
    },
  };
  return service;
}
