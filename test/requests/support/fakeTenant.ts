/**
 * A small honest double of the tenant's answers (the inventory's reader): policies as Intune would list them,
 * each one's device group, and each group's assessment, changed by the test as an admin would change Intune.
 */
import { policyKeyOf } from '../../../src/domain/policy';
import { SCENARIO_INFO, type Scenario } from '../../../src/domain/scenario';
import type { GroupReading, IntunePolicy, MembershipTarget, PolicyListing, TenantPolicies } from '../../../src/inventory/types';

export interface FakeTenant extends TenantPolicies {
  addPolicy(id: string, name: string, scenario: Scenario, groupId?: string): IntunePolicy;
  setTarget(policyId: string, groupId: string | undefined): void;
  /** What reading a group answers (default: a correct live group named after its id). */
  setGroup(groupId: string, reading: GroupReading): void;
  /** Every call answers that Graph could not be asked. */
  goDown(message: string): void;
  readonly invalidations: number;
}

export function createFakeTenant(): FakeTenant {
  const policies: IntunePolicy[] = [];
  const targets = new Map<string, string>();
  const groups = new Map<string, GroupReading>();
  let down: string | undefined;
  let invalidations = 0;
  const unavailable = (message: string) => ({ kind: 'unavailable' as const, message, error: new Error(message) });

  return {
    get invalidations() {
      return invalidations;
    },
    addPolicy(id, name, scenario, groupId) {
      const policy: IntunePolicy = { id, name, key: policyKeyOf(name), scenario, templateId: SCENARIO_INFO[scenario].templateId };
      policies.push(policy);
      if (groupId) targets.set(id, groupId);
      return policy;
    },
    setTarget(policyId, groupId) {
      if (groupId === undefined) targets.delete(policyId);
      else targets.set(policyId, groupId);
    },
    setGroup(groupId, reading) {
      groups.set(groupId, reading);
    },
    goDown(message) {
      down = message;
    },
    async policies(): Promise<PolicyListing> {
      if (down) return unavailable(down);
      return { kind: 'listed', policies: [...policies], unreadable: [], graphRequestIds: ['graph-list'] };
    },
    async target(policyId): Promise<MembershipTarget> {
      if (down) return unavailable(down);
      const groupId = targets.get(policyId);
      return groupId ? { kind: 'group', groupId, graphRequestIds: ['graph-target'] } : { kind: 'none', graphRequestIds: ['graph-target'] };
    },
    async group(groupId): Promise<GroupReading> {
      if (down) return unavailable(down);
      return (
        groups.get(groupId) ?? {
          kind: 'live',
          groupId,
          group: { displayName: `Hand-made ${groupId}`, mailNickname: null, uniqueName: null },
          findings: [],
          graphRequestIds: ['graph-group'],
        }
      );
    },
    invalidate() {
      invalidations += 1;
    },
  };
}
