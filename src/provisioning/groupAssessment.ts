/** What is wrong with a group as an Autopilot device-preparation group (codes mirror Intune's validation). */
import { DYNAMIC_MEMBERSHIP, EXPAND_LIMIT, type DeletedGroup, type Directory, type DirectoryGroup, type DirectoryObjectRef } from './directory';
import type { DriftFinding, GroupAssessmentCode, RecycleBinEntry } from './types';

/** Graph purges a deleted group this long after its deletion (group: delete, v1.0). */
const RECYCLE_BIN_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export function recycleBinEntry(deleted: DeletedGroup): RecycleBinEntry {
  const deletedAt = new Date(deleted.deletedDateTime);
  return {
    groupId: deleted.id,
    deletedAt: deletedAt.toISOString(),
    restorableUntil: new Date(deletedAt.getTime() + RECYCLE_BIN_RETENTION_MS).toISOString(),
  };
}

/**
 * `$expand=owners` stops at EXPAND_LIMIT objects without a next link: when the owner is not among that many,
 * ask for the full, paged list before calling it missing. Request ids are appended to `requestIds`.
 */
export async function withAllOwners(directory: Pick<Directory, 'listOwners'>, group: DirectoryGroup, ownerId: string, requestIds: string[]): Promise<DirectoryGroup> {
  const owners = group.owners;
  if (!owners || owners.length < EXPAND_LIMIT || owners.some((owner) => owner.id === ownerId)) return group;
  const all = await directory.listOwners(group.id);
  requestIds.push(...all.requestIds);
  return { ...group, owners: all.value };
}

/** `ownerServicePrincipalId` undefined: the tenant lacks it, so the owner check is left to the caller. */
export function assessGroup(group: DirectoryGroup, ownerServicePrincipalId: string | undefined): DriftFinding<GroupAssessmentCode>[] {
  const findings: DriftFinding<GroupAssessmentCode>[] = [];
  if (!group.securityEnabled) {
    findings.push({ code: 'notSecurityGroup', message: 'It is not a security group (securityEnabled is false).' });
  }
  if (group.mailEnabled) {
    findings.push({ code: 'mailEnabled', message: 'It is mail-enabled; Autopilot needs a plain security group.' });
  }
  if (group.groupTypes.includes(DYNAMIC_MEMBERSHIP)) {
    findings.push({ code: 'notStaticSecurityGroup', message: 'Its membership is dynamic; it must be assigned (static).' });
  }
  if (group.isAssignableToRole) {
    findings.push({ code: 'roleAssignable', message: 'It is role-assignable, which Autopilot device groups must not be.' });
  }
  if (ownerServicePrincipalId !== undefined && group.owners && !group.owners.some((owner) => owner.id === ownerServicePrincipalId)) {
    findings.push({
      code: 'firstPartyAppNotAnOwner',
      message: 'The Intune Provisioning Client service principal is not an owner, so Intune cannot add devices.',
    });
  }
  return findings;
}

/** Devices are what Intune adds; users, groups or service principals as members are unexpected. */
export function unexpectedMembersFinding(members: readonly DirectoryObjectRef[]): DriftFinding | undefined {
  const unexpected = members.filter((member) => member.type !== 'device');
  if (unexpected.length === 0) return undefined;
  const kinds = [...new Set(unexpected.map((member) => member.type))].join(', ');
  return { code: 'unexpectedMembers', message: `It has ${unexpected.length} member(s) that are not devices (${kinds}).` };
}
