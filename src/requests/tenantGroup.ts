/**
 * A group Intune gives a policy that the bot did not make or adopt, as people are told about it: what is wrong
 * with it and the fix that exists today. Adoption takes only a correct group; a broken one is replaced (policyReplace.ts).
 */
import type { InventoryFinding } from '../inventory/types';
import type { TenantGroup } from './resolution';
import type { TenantGroupView } from './types';

/** The one finding adoption exists to clear: the group is fine, the bot just did not make it. */
export const ADOPTABLE = new Set<InventoryFinding['code']>(['notRecorded']);

const REPLACE_IT =
  "An approver replaces it with a correct group of the policy's own: Replace group in `policies` makes the group, binds it to the policy " +
  'and leaves the old group as it is.';

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
  if (kind === 'purged') return `The policy names a group that no longer exists. ${REPLACE_IT}`;
  const codes = new Set(findings.map((finding) => finding.code));
  if ([...codes].every((code) => code === 'firstPartyAppNotAnOwner')) {
    return 'Add the Intune Provisioning Client as an owner of the group (Entra admin center › Groups › the group › Owners), then an approver adopts it with `policies`, after which `check <policy> repair` keeps the owner in place.';
  }
  return `A group like this cannot be fixed in place. ${REPLACE_IT}`;
}
