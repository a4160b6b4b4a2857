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
export function unexpectedMembersFinding(members: readonly DirectoryObjectRef[]): DriftFinding<'unexpectedMembers'> | undefined {
  const unexpected = members.filter((member) => member.type !== 'device');
  if (unexpected.length === 0) return undefined;
  const kinds = [...new Set(unexpected.map((member) => member.type))].join(', ');
  return { code: 'unexpectedMembers', message: `It has ${unexpected.length} member(s) that are not devices (${kinds}).` };
}

/** The owner to look for: its service-principal id, or the tenant's lack of it (a finding, not a failure). */
export type OwnerToCheck = { readonly kind: 'present'; readonly id: string } | { readonly kind: 'missing'; readonly message: string };

/** What the assessment of a group can find: its own problems, and members that are not devices. */
export type GroupFinding = DriftFinding<GroupAssessmentCode | 'unexpectedMembers'>;

/** What a recorded (or Intune-named) group is now: live with its findings, in the recycle bin, or gone for good. */
export type RecordedGroupAssessment =
  | { readonly kind: 'live'; readonly group: DirectoryGroup; readonly findings: readonly GroupFinding[] }
  | { readonly kind: 'deleted'; readonly recycleBin: RecycleBinEntry; readonly findings: readonly GroupFinding[] }
  | { readonly kind: 'purged'; readonly findings: readonly GroupFinding[] };

/** The reads the assessor needs; with `listMembers` the members are checked too (the drift check's extra). */
export type AssessorDirectory = Pick<Directory, 'getGroup' | 'getDeletedGroup' | 'listOwners'> & Partial<Pick<Directory, 'listMembers'>>;

/**
 * The one assessment of a group the bot or Intune names, used by `check` and the inventory alike: read it (or
 * its recycle-bin entry), then every rule of `assessGroup`, in one wording. Request ids go to `requestIds`.
 */
export async function assessRecordedGroup(directory: AssessorDirectory, groupId: string, owner: OwnerToCheck, requestIds: string[]): Promise<RecordedGroupAssessment> {
  const found = await directory.getGroup(groupId);
  requestIds.push(...found.requestIds);
  if (!found.value) {
    const deleted = await directory.getDeletedGroup(groupId);
    requestIds.push(...deleted.requestIds);
    if (!deleted.value) {
      return { kind: 'purged', findings: [{ code: 'securityGroupNotFound', message: `The group ${groupId} no longer exists in Entra, not even in the recycle bin: it cannot be restored.` }] };
    }
    const recycleBin = recycleBinEntry(deleted.value);
    const message = `The group ${groupId} was deleted on ${recycleBin.deletedAt}; it is in the Entra recycle bin and can be restored, with the same object id, until ${recycleBin.restorableUntil}.`;
    return { kind: 'deleted', recycleBin, findings: [{ code: 'securityGroupNotFound', message }] };
  }
  const group = owner.kind === 'present' ? await withAllOwners(directory, found.value, owner.id, requestIds) : found.value;
  const findings: GroupFinding[] = assessGroup(group, owner.kind === 'present' ? owner.id : undefined);
  if (owner.kind === 'missing') findings.push({ code: 'firstPartyAppNotAnOwner', message: owner.message });
  if (directory.listMembers) {
    const members = await directory.listMembers(group.id);
    requestIds.push(...members.requestIds);
    const membersFinding = unexpectedMembersFinding(members.value);
    if (membersFinding) findings.push(membersFinding);
  }
  return { kind: 'live', group, findings };
}
