/**
 * `npm start`'s scene for issue 20: a few apps and scripts and three device-preparation policies around them —
 * one ready, one selecting an app assigned only to a user group, one selecting a script that runs as the user —
 * so `policies` shows what the readiness check finds. Every policy of the tenant is made to apply to someone.
 */
import { SCENARIO_INFO } from '../domain/scenario';
import type { SandboxIntune } from './intuneState';

/** What the seed needs of the directory side of the sandbox tenant. */
export interface SeedDirectory {
  readonly ownerServicePrincipalId: string | undefined;
  addGroup(init: { readonly displayName: string; readonly ownerIds?: string[] }): { readonly id: string };
  addPolicy(init: { readonly name: string; readonly templateId: string; readonly membershipTargetIds?: readonly string[] }): { readonly id: string };
  policies(): readonly { readonly id: string; readonly name: string; readonly templateId: string }[];
}

export function seedReadinessCases(directory: SeedDirectory, intune: SandboxIntune): void {
  const owners = directory.ownerServicePrincipalId ? [directory.ownerServicePrincipalId] : [];
  const templateId = SCENARIO_INFO.userDriven.templateId;
  const staff = directory.addGroup({ displayName: 'Litware staff' });

  const readyDevices = directory.addGroup({ displayName: 'Litware ready devices', ownerIds: owners });
  const salesDevices = directory.addGroup({ displayName: 'Litware sales devices', ownerIds: owners });
  const kioskDevices = directory.addGroup({ displayName: 'Litware kiosk devices', ownerIds: owners });
  const allDeviceGroups = [readyDevices, salesDevices, kioskDevices].map((group) => ({ intent: 'required' as const, target: { kind: 'group' as const, groupId: group.id } }));

  const portal = intune.addApp({ displayName: 'Company Portal', appType: 'winGetApp', runAsAccount: 'system', assignments: allDeviceGroups });
  const office = intune.addApp({ displayName: 'Microsoft 365 Apps', appType: 'officeSuiteApp', assignments: allDeviceGroups });
  const crm = intune.addApp({ displayName: 'Litware CRM', appType: 'win32LobApp', runAsAccount: 'system', assignments: [{ intent: 'required', target: { kind: 'group', groupId: staff.id } }] });
  const rename = intune.addScript({ displayName: 'Rename device', runAsAccount: 'system', assignments: [readyDevices, salesDevices, kioskDevices].map((group) => ({ kind: 'group' as const, groupId: group.id })) });
  const drives = intune.addScript({ displayName: 'Map network drives', runAsAccount: 'user', assignments: [{ kind: 'group', groupId: kioskDevices.id }] });

  const ready = directory.addPolicy({ name: 'Litware Ready', templateId, membershipTargetIds: [readyDevices.id] });
  intune.selectForPolicy(ready.id, { apps: [portal, office], scripts: [rename] });
  const sales = directory.addPolicy({ name: 'Litware Sales', templateId, membershipTargetIds: [salesDevices.id] });
  intune.selectForPolicy(sales.id, { apps: [portal, crm], scripts: [rename] });
  const kiosks = directory.addPolicy({ name: 'Litware Kiosks', templateId, membershipTargetIds: [kioskDevices.id] });
  intune.selectForPolicy(kiosks.id, { apps: [portal], scripts: [rename, drives] });
  // Every policy applies to someone, so what the scene shows is about apps and scripts: user-driven ones to
  // the staff, automatic ones through a Windows 365 provisioning policy each.
  for (const policy of directory.policies()) {
    if (policy.templateId === templateId) intune.assignPolicy(policy.id, [{ kind: 'group', groupId: staff.id }]);
    else intune.addProvisioningPolicy({ displayName: `${policy.name} Cloud PCs`, devicePreparationPolicyId: policy.id });
  }
}
