/**
 * A group Intune gives a policy that the bot did not make or adopt, as people are told about it: what is wrong
 * with it and the fix that exists today. Adoption takes only a correct group; nothing here makes a second one.
 */
import type { InventoryFinding } from '../inventory/types';
import type { TenantGroup } from './resolution';
import type { TenantGroupView } from './types';

/** The one finding adoption exists to clear: the group is fine, the bot just did not make it. */
export const ADOPTABLE = new Set<InventoryFinding['code']>(['notRecorded']);

const POLICY_DEVICE_GROUP = 'Intune admin center › Devices › Windows › Windows enrollment › Device preparation policies › the policy › Properties › Device group › Edit';
const NO_REPLACE_YET =
  "The bot cannot replace a policy's group yet. Until it can: make a correct group by hand (assigned, security, owned by the " +
  `Intune Provisioning Client) and choose it in ${POLICY_DEVICE_GROUP}, then an approver adopts it with \`policies\`.`;

/** A policy's hand-made group in view: its reading, and whether it can be adopted or what fixes it. */
export function tenantGroupView(tenantGroup: TenantGroup): TenantGroupView {
  const { policy, groupId, reading } = tenantGroup;
  const base = { policyId: policy.id, policyName: policy.name, scenario: policy.scenario, groupId };
  if (reading.kind === 'unavailable') {
    return { ...base, group: null, findings: [{ code: 'unreadable', detail: reading.message }], adoptable: false, fix: 'Ask again when Graph answers; no group is made meanwhile.' };
  }
  const group = reading.kind === 'live' ? reading.group : null;
  const findings = reading.findings;
  if (findings.length === 0) return { ...base, group, findings, adoptable: true };
  return { ...base, group, findings, adoptable: false, fix: fixFor(reading.kind, findings) };
}

function fixFor(kind: 'live' | 'deleted' | 'purged' | 'unreadable', findings: readonly InventoryFinding[]): string {
  if (kind === 'deleted') {
    return 'The group is in the Entra recycle bin: an Entra admin restores it (Entra admin center › Groups › Deleted groups › Restore group), then an approver adopts it with `policies`.';
  }
  if (kind === 'purged') return `The policy names a group that no longer exists. ${NO_REPLACE_YET}`;
  const codes = new Set(findings.map((finding) => finding.code));
  if ([...codes].every((code) => code === 'firstPartyAppNotAnOwner')) {
    return 'Add the Intune Provisioning Client as an owner of the group (Entra admin center › Groups › the group › Owners), then an approver adopts it with `policies`, after which `check <policy> repair` keeps the owner in place.';
  }
  return `A group like this cannot be fixed in place. ${NO_REPLACE_YET}`;
}
