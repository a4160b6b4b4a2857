/** What a new sandbox tenant starts with: the owner service principal, policies and (for `npm start`) the broken cases. */
import { DYNAMIC_MEMBERSHIP, OWNER_APP_ID } from '../provisioning/directory';
import { SCENARIO_INFO } from '../domain/scenario';
import { seedReadinessCases } from './readinessSeed';
import type { SandboxTenant } from './tenant';

export interface TenantSeed {
  /** Seed the "Intune Provisioning Client" service principal (default true). */
  readonly ownerServicePrincipal?: boolean;
  /** Device-preparation policies (default: one per scenario). */
  readonly policies?: readonly { readonly name: string; readonly templateId: string }[];
  /**
   * Add policies with the hand-made groups Microsoft lists as known breakages (shared, dynamic, no Intune owner,
   * deleted), and policies around apps and scripts (one ready, one with an app assigned only to users, one with
   * a user-context script), so `policies` finds something in a new sandbox (default false: tests set their own scene).
   */
  readonly brokenCases?: boolean;
}

export const DEFAULT_SEED_POLICIES = [
  { name: 'Contoso User-driven', templateId: SCENARIO_INFO.userDriven.templateId },
  { name: 'Contoso Windows 365', templateId: SCENARIO_INFO.automatic.templateId },
] as const;

export function seedTenant(tenant: SandboxTenant, seed: TenantSeed = {}): void {
  if (seed.ownerServicePrincipal ?? true) {
    tenant.addServicePrincipal({ appId: OWNER_APP_ID, displayName: 'Intune Provisioning Client' });
  }
  for (const policy of seed.policies ?? DEFAULT_SEED_POLICIES) tenant.addPolicy(policy);
  if (seed.brokenCases === true) {
    addBrokenCases(tenant);
    seedReadinessCases(tenant, tenant.intune);
  }
}

/** Hand-made groups as real tenants have them, each bound to its policy in Intune. */
function addBrokenCases(tenant: SandboxTenant): void {
  const { userDriven, automatic } = SCENARIO_INFO;
  const owner = tenant.ownerServicePrincipalId;
  const owners = owner ? [owner] : [];
  const shared = tenant.addGroup({ displayName: 'Fabrikam Autopilot devices', ownerIds: owners });
  tenant.addPolicy({ name: 'Fabrikam Laptops', templateId: userDriven.templateId, membershipTargetIds: [shared.id] });
  tenant.addPolicy({ name: 'Fabrikam Cloud PCs', templateId: automatic.templateId, membershipTargetIds: [shared.id] });
  const dynamic = tenant.addGroup({
    displayName: 'Northwind all Windows devices',
    ownerIds: owners,
    groupTypes: [DYNAMIC_MEMBERSHIP],
    membershipRule: '(device.deviceOSType -eq "Windows")',
  });
  tenant.addPolicy({ name: 'Northwind Tablets', templateId: userDriven.templateId, membershipTargetIds: [dynamic.id] });
  const ownerless = tenant.addGroup({ displayName: 'Tailspin kiosk devices' });
  tenant.addPolicy({ name: 'Tailspin Kiosks', templateId: userDriven.templateId, membershipTargetIds: [ownerless.id] });
  const deleted = tenant.addGroup({ displayName: 'Woodgrove lab devices', ownerIds: owners });
  tenant.addPolicy({ name: 'Woodgrove Lab', templateId: userDriven.templateId, membershipTargetIds: [deleted.id] });
  tenant.deleteGroup(deleted.id);
  const correct = tenant.addGroup({ displayName: 'Adatum reception devices', ownerIds: owners });
  tenant.addPolicy({ name: 'Adatum Reception', templateId: userDriven.templateId, membershipTargetIds: [correct.id] });
}
