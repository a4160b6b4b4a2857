/**
 * One readiness pass over many policies, in two steps so that the reads can start before the policies' groups
 * are known: `readReadiness` reads every policy's settings and assignments in one batched read, then every
 * selected app and script once (policies share a catalogue), and the Windows 365 provisioning policies once
 * when an automatic policy is among them; `assessedReadiness` then judges each policy around its group.
 */
import type { Scenario } from '../domain/scenario';
import type { CloudPcProvisioningPolicy, IntuneApp, IntuneReadinessReader, IntuneScript, Lookup, PolicyDetails } from './intune';
import { assessReadiness, type ReadinessFinding } from './readiness';

export interface ReadinessPolicy {
  readonly policyId: string;
  readonly scenario: Scenario;
}

export interface ReadinessSubject extends ReadinessPolicy {
  readonly groupId: string | null;
  readonly groupName: string | null;
}

/** What a pass read about the policies, before it knows their groups. */
export interface ReadinessReads {
  readonly details: ReadonlyMap<string, PolicyDetails>;
  readonly apps: ReadonlyMap<string, Lookup<IntuneApp>>;
  readonly scripts: ReadonlyMap<string, Lookup<IntuneScript>>;
  readonly provisioningPolicies: readonly CloudPcProvisioningPolicy[] | undefined;
  readonly requestIds: readonly string[];
}

export interface ReadinessPass {
  /** By policy id; a policy Intune no longer knows (deleted between reads) has no entry. */
  readonly findings: ReadonlyMap<string, readonly ReadinessFinding[]>;
  readonly requestIds: readonly string[];
}

export async function readReadiness(reader: IntuneReadinessReader, policies: readonly ReadinessPolicy[]): Promise<ReadinessReads> {
  const requestIds: string[] = [];
  const details = await reader.readPolicyDetails(policies.map((policy) => policy.policyId));
  requestIds.push(...details.requestIds);

  const appIds = new Set<string>();
  const scriptIds = new Set<string>();
  for (const each of details.value.values()) {
    if (each.selection.kind !== 'read') continue;
    for (const app of each.selection.value.apps) appIds.add(app.id);
    for (const id of each.selection.value.scriptIds) scriptIds.add(id);
  }
  const apps = await reader.readApps([...appIds]);
  const scripts = await reader.readScripts([...scriptIds]);
  requestIds.push(...apps.requestIds, ...scripts.requestIds);

  let provisioningPolicies: readonly CloudPcProvisioningPolicy[] | undefined;
  if (policies.some((policy) => policy.scenario === 'automatic')) {
    const listed = await reader.listCloudPcProvisioningPolicies();
    requestIds.push(...listed.requestIds);
    provisioningPolicies = listed.value;
  }
  return { details: details.value, apps: apps.value, scripts: scripts.value, provisioningPolicies, requestIds };
}

export function assessedReadiness(reads: ReadinessReads, subjects: readonly ReadinessSubject[]): ReadinessPass {
  const findings = new Map<string, readonly ReadinessFinding[]>();
  for (const subject of subjects) {
    const policyDetails = reads.details.get(subject.policyId);
    if (!policyDetails) continue;
    findings.set(
      subject.policyId,
      assessReadiness({
        scenario: subject.scenario,
        policyId: subject.policyId,
        deviceGroupId: subject.groupId,
        deviceGroupName: subject.groupName,
        details: policyDetails,
        apps: reads.apps,
        scripts: reads.scripts,
        provisioningPolicies: reads.provisioningPolicies,
      }),
    );
  }
  return { findings, requestIds: reads.requestIds };
}
