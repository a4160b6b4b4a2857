/**
 * One readiness pass over many policies: every policy's settings and assignments in one batched read, then
 * every selected app and script once (policies share a catalogue), the Windows 365 provisioning policies once
 * when an automatic policy is among them, and the assessment of each policy.
 */
import type { Scenario } from '../domain/scenario';
import type { CloudPcProvisioningPolicy, IntuneReadinessReader } from './intune';
import { assessReadiness, type ReadinessFinding } from './readiness';

export interface ReadinessSubject {
  readonly policyId: string;
  readonly scenario: Scenario;
  readonly groupId: string | null;
  readonly groupName: string | null;
}

export interface ReadinessPass {
  /** By policy id; a policy Intune no longer knows (deleted between reads) has no entry. */
  readonly findings: ReadonlyMap<string, readonly ReadinessFinding[]>;
  readonly requestIds: readonly string[];
}

export async function readinessOf(reader: IntuneReadinessReader, subjects: readonly ReadinessSubject[]): Promise<ReadinessPass> {
  const requestIds: string[] = [];
  const details = await reader.readPolicyDetails(subjects.map((subject) => subject.policyId));
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
  if (subjects.some((subject) => subject.scenario === 'automatic')) {
    const listed = await reader.listCloudPcProvisioningPolicies();
    requestIds.push(...listed.requestIds);
    provisioningPolicies = listed.value;
  }

  const findings = new Map<string, readonly ReadinessFinding[]>();
  for (const subject of subjects) {
    const policyDetails = details.value.get(subject.policyId);
    if (!policyDetails) continue;
    findings.set(
      subject.policyId,
      assessReadiness({
        scenario: subject.scenario,
        policyId: subject.policyId,
        deviceGroupId: subject.groupId,
        deviceGroupName: subject.groupName,
        details: policyDetails,
        apps: apps.value,
        scripts: scripts.value,
        provisioningPolicies,
      }),
    );
  }
  return { findings, requestIds };
}
