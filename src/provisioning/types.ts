/**
 * The contract between the provisioning service and its callers (requests service, bot, benchmarks).
 * The implementation lives beside this file; callers depend only on these types.
 */
import type { ActingAs } from '../domain/delegation';
import type { Actor } from '../domain/actor';
import type { GroupNames, GroupNamesResult } from '../domain/naming';
import type { PolicyName } from '../domain/policy';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { Scenario } from '../domain/scenario';
import type { MembershipTargetStatus } from './directory';

/**
 * The policy→group map. Implemented by the store; `record` must be a conditional write: when a record
 * for the policy key exists already, it returns the existing one unchanged.
 */
export interface PolicyGroupRegistry {
  recordGroup(record: PolicyGroupRecord): Promise<PolicyGroupRecord>;
  /**
   * Replaces the policy's record only where it still names `replacedGroupId` (a group Entra purged, or one an
   * approver replaces), else records as `recordGroup` does. Of two racing callers one replaces (`replaced`), the
   * other gets the record the first wrote.
   */
  replaceGroup(record: PolicyGroupRecord, replacedGroupId: string): Promise<{ readonly record: PolicyGroupRecord; readonly replaced: boolean }>;
}

/**
 * What an approval decided, as the request stored it at submit: the parsed policy, its scenario and the names
 * the approver saw. Provisioning makes exactly this; it parses nothing and applies no template again.
 */
export interface GroupOrder {
  readonly policy: PolicyName;
  readonly scenario: Scenario;
  readonly names: GroupNames;
  /**
   * The group the new one replaces as the policy's one group: its recorded group that Entra purged, or one an
   * approver replaces (dynamic, shared, not security…). The record is swapped only where it still names it (or
   * the policy has no record); the old group itself is never touched.
   */
  readonly replacesGroupId?: string;
}

/** The record an order makes for the group it got: exactly the names and key that were approved. */
export function recordOfOrder(order: GroupOrder, groupId: string, createdAt: string, createdBy: Actor): PolicyGroupRecord {
  return { ...order.names, policyKey: order.policy.key, policyName: order.policy.name, scenario: order.scenario, groupId, createdAt, createdBy };
}

/** What to restore: the recorded group, or (no record yet) the group an earlier order's uniqueName names. */
export type RestoreSubject = { readonly record: PolicyGroupRecord } | { readonly order: GroupOrder };

export interface EnsureGroupResult {
  readonly group: PolicyGroupRecord;
  /** true when this call's upsert created the group in Entra; false when it found the group there already. */
  readonly created: boolean;
  /** Graph `request-id` of every call made, in order, for the audit log. */
  readonly graphRequestIds: readonly string[];
  /** For an order that replaces a group: whether this call swapped the record (false: another caller's swap won, `group` is its record). */
  readonly replaced?: boolean;
}

/** What is wrong with a group itself, as Intune's validation codes (and ours beside them) name it. */
export type GroupAssessmentCode =
  | 'securityGroupNotFound'
  | 'notSecurityGroup'
  | 'notStaticSecurityGroup'
  | 'firstPartyAppNotAnOwner'
  | 'mailEnabled'
  | 'roleAssignable';

export type DriftCode = GroupAssessmentCode | 'unexpectedMembers' | 'noGroupRecorded';

export interface DriftFinding<Code extends DriftCode = DriftCode> {
  readonly code: Code;
  readonly message: string;
}

/** The recorded group sits in the directory's recycle bin: it can be restored, same object id, until `restorableUntil`. */
export interface RecycleBinEntry {
  readonly groupId: string;
  /** ISO-8601. */
  readonly deletedAt: string;
  /** ISO-8601: Graph purges deleted groups 30 days after deletion. */
  readonly restorableUntil: string;
}

export interface DriftReport {
  readonly policyKey: string;
  readonly group: PolicyGroupRecord;
  /** Where the group is: in Entra, in its recycle bin (`deletedGroup` says until when), or purged for good. */
  readonly groupState: 'live' | 'deleted' | 'purged';
  /** Set with `securityGroupNotFound` when the group is deleted but restorable; absent when it is gone for good. */
  readonly deletedGroup?: RecycleBinEntry;
  readonly healthy: boolean;
  readonly findings: readonly DriftFinding[];
  /** true when a missing owner was re-added because the caller asked for it. */
  readonly ownerRepaired: boolean;
  readonly graphRequestIds: readonly string[];
}

/** Intune's verdict on one membership target, as the directory port reports it. */
export type BindStatus = MembershipTargetStatus;

export type BindResult = (
  | { readonly outcome: 'bound'; readonly policyId: string; readonly statuses: readonly BindStatus[] }
  | { readonly outcome: 'validationFailed'; readonly policyId: string; readonly statuses: readonly BindStatus[] }
  | { readonly outcome: 'policyNotFound'; readonly message: string }
  | {
      readonly outcome: 'failed';
      readonly message: string;
      readonly graphRequestId?: string;
      /**
       * `appOnlyNotSupported`: Intune refused (500) an app-only caller, as it does today; the message gives the
       * manual path in the Intune admin center.
       */
      readonly reason?: 'appOnlyNotSupported';
    }
) & {
  /** Graph `request-id` of every call that answered, in order, for the audit log. */
  readonly graphRequestIds?: readonly string[];
};

export type RestoreGroupResult = (
  /** The same object id is back, verified; `ownerReAdded` when the Intune owner had to be added again. */
  | {
      readonly outcome: 'restored';
      readonly group: PolicyGroupRecord;
      readonly ownerReAdded: boolean;
      /** What is still wrong with the restored group (empty when it is ready for device preparation). */
      readonly findings: readonly DriftFinding[];
    }
  /** The group is not deleted: nothing to restore. */
  | { readonly outcome: 'notDeleted'; readonly message: string }
  /** Neither live nor in the recycle bin: purged, or permanently deleted. */
  | { readonly outcome: 'notInRecycleBin'; readonly message: string }
) & { readonly graphRequestIds: readonly string[] };

export interface ProvisioningService {
  /** Pure preview: the names the group would get, or why this policy name cannot have them. */
  previewNames(policy: PolicyName, scenario: Scenario): GroupNamesResult;
  /**
   * Makes (or finds again, after a crash) the ordered group and records it. A record that names the group the
   * order replaces is replaced by the new group; any other record of the policy is kept and answered.
   */
  ensureGroup(order: GroupOrder, actor: Actor): Promise<EnsureGroupResult>;
  /** The recorded group as it is now, and (when asked) the missing Intune owner re-added. */
  checkGroup(record: PolicyGroupRecord, options?: { readonly repairOwner?: boolean }): Promise<DriftReport>;
  /** Sets the recorded group as the device group of the Intune policy with this id (from the policy's resolution). */
  /** `as`: the approver's delegated credential, for this call only (group work stays app-only). */
  bindToPolicy(record: PolicyGroupRecord, intunePolicyId: string, options?: ActingAs): Promise<BindResult>;
  /**
   * Restores the policy's deleted group (the recorded one, or else the one holding the order's uniqueName) with
   * `POST /directory/deletedItems/{id}/restore`, re-adds the Intune owner if missing, and records it when the
   * policy had no record yet. Graph failures are thrown as GraphError.
   */
  restoreGroup(subject: RestoreSubject, actor: Actor): Promise<RestoreGroupResult>;
  /** Readiness probe: can the owner service principal be resolved? */
  ownerServicePrincipalId(): Promise<string>;
}
