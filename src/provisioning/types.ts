/**
 * The contract between the provisioning service and its callers (requests service, bot, benchmarks).
 * The implementation lives beside this file; callers depend only on these types.
 */
import type { Actor } from '../domain/actor';
import type { GroupNamesResult } from '../domain/naming';
import type { PolicyName } from '../domain/policy';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { Scenario } from '../domain/scenario';
import type { MembershipTargetStatus } from './directory';

/**
 * The policy→group map. Implemented by the store; `record` must be a conditional write: when a record
 * for the policy key exists already, it returns the existing one unchanged.
 */
export interface PolicyGroupRegistry {
  findGroup(policyKey: string): Promise<PolicyGroupRecord | undefined>;
  recordGroup(record: PolicyGroupRecord): Promise<PolicyGroupRecord>;
}

export interface EnsureGroupResult {
  readonly group: PolicyGroupRecord;
  /** false when the policy already had its group (nothing was written). */
  readonly created: boolean;
  /** Graph `request-id` of every call made, in order, for the audit log. */
  readonly graphRequestIds: readonly string[];
}

export type DriftCode =
  | 'securityGroupNotFound'
  | 'notSecurityGroup'
  | 'notStaticSecurityGroup'
  | 'firstPartyAppNotAnOwner'
  | 'mailEnabled'
  | 'roleAssignable'
  | 'unexpectedMembers'
  | 'noGroupRecorded';

export interface DriftFinding {
  readonly code: DriftCode;
  readonly message: string;
}

export interface DriftReport {
  readonly policyKey: string;
  readonly group?: PolicyGroupRecord;
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
  | { readonly outcome: 'failed'; readonly message: string; readonly graphRequestId?: string }
) & {
  /** Graph `request-id` of every call that answered, in order, for the audit log. */
  readonly graphRequestIds?: readonly string[];
};

export interface ProvisioningService {
  /** Pure preview: the names the group would get, or why this policy name cannot have them. */
  previewNames(policy: PolicyName, scenario: Scenario): GroupNamesResult;
  ensureGroup(policyName: string, scenario: Scenario, actor: Actor): Promise<EnsureGroupResult>;
  checkGroup(policyName: string, options?: { readonly repairOwner?: boolean }): Promise<DriftReport>;
  bindToPolicy(policyName: string, scenario: Scenario): Promise<BindResult>;
  /** Readiness probe: can the owner service principal be resolved? */
  ownerServicePrincipalId(): Promise<string>;
}
