/** Typed refusals of the provisioning service; each message tells a person what to do. */
import { OWNER_APP_ID } from './directory';
import type { DriftFinding } from './types';

export type ProvisioningErrorCode = 'ownerServicePrincipalMissing' | 'foreignGroupConflict' | 'groupVerificationFailed' | 'groupInRecycleBin';

export abstract class ProvisioningError extends Error {
  abstract readonly code: ProvisioningErrorCode;
}

/** Preflight: the tenant lacks the first-party owner service principal; only an admin can fix that. */
export class OwnerServicePrincipalMissingError extends ProvisioningError {
  override readonly name = 'OwnerServicePrincipalMissingError';
  readonly code = 'ownerServicePrincipalMissing';
  readonly adminFix =
    `Connect-MgGraph -Scopes Application.ReadWrite.All; New-MgServicePrincipal -AppId ${OWNER_APP_ID}`;

  constructor() {
    super(
      `This tenant has no service principal for the Intune Provisioning Client app (appId ${OWNER_APP_ID}), ` +
        'which must own every Autopilot device-preparation group. A Global or Application Administrator must create ' +
        `it once, in PowerShell: Connect-MgGraph -Scopes Application.ReadWrite.All; New-MgServicePrincipal -AppId ${OWNER_APP_ID}. ` +
        'Then retry.',
    );
  }
}

/** A group with the wanted display name exists but is not this policy's group: it is never adopted. */
export class ForeignGroupConflictError extends ProvisioningError {
  override readonly name = 'ForeignGroupConflictError';
  readonly code = 'foreignGroupConflict';

  constructor(
    readonly displayName: string,
    readonly groupId: string,
    why: string,
  ) {
    super(
      `A group named "${displayName}" already exists (object id ${groupId}) and is not the group this bot made for ` +
        `this policy (${why}). It will not be reused. Rename or delete that group in Entra, or use a different policy name.`,
    );
  }
}

/** The group read back from Graph does not have the properties Autopilot device preparation needs. */
export class GroupVerificationError extends ProvisioningError {
  override readonly name = 'GroupVerificationError';
  readonly code = 'groupVerificationFailed';

  constructor(
    readonly groupId: string | undefined,
    readonly findings: readonly DriftFinding[],
  ) {
    super(`The group ${groupId ?? '(not found)'} is not usable: ${findings.map((finding) => finding.message).join(' ')}`);
  }
}

/**
 * The policy's group was deleted and sits in the recycle bin, where it keeps its uniqueName for 30 days, so no
 * new group can be made under it. Nothing was written.
 */
export class GroupInRecycleBinError extends ProvisioningError {
  override readonly name = 'GroupInRecycleBinError';
  readonly code = 'groupInRecycleBin';

  constructor(
    readonly groupId: string,
    readonly deletedAt: string,
    readonly restorableUntil: string,
  ) {
    super(
      `This policy's device group (object id ${groupId}) was deleted on ${deletedAt} and is in the Entra recycle bin until ` +
        `${restorableUntil}, where it still holds its unique name, so a new group cannot be created. Either restore it ` +
        '(an approver can, from the bot; or in the Entra admin center under Groups › Deleted groups), which brings back the same ' +
        'group with its owner; or have an administrator delete it permanently from the recycle bin, then request the group again.',
    );
  }
}
