/**
 * The directory port: the few Microsoft Graph operations the provisioning service needs, in domain terms.
 * Implemented by the Graph adapter (graphDirectory.ts); the sandbox emulator speaks the same wire format.
 */
import type { GroupNames } from '../domain/naming';

/** The first-party "Intune Provisioning Client" app that must own every device group (match by appId only). */
export const OWNER_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';

/** The `groupTypes` entry of a group whose membership is rule-based (dynamic) rather than assigned. */
export const DYNAMIC_MEMBERSHIP = 'DynamicMembership';

/** A result together with the Graph `request-id` of every call that produced it, in order. */
export interface Traced<T> {
  readonly value: T;
  readonly requestIds: readonly string[];
}

export interface ServicePrincipalRef {
  readonly id: string;
  readonly displayName: string;
}

export interface DirectoryObjectRef {
  readonly id: string;
  /** OData type without the namespace, e.g. `user`, `device`, `group`, `servicePrincipal`. */
  readonly type: string;
}

export interface DirectoryGroup {
  readonly id: string;
  readonly displayName: string;
  readonly mailNickname: string | null;
  readonly uniqueName: string | null;
  readonly securityEnabled: boolean;
  readonly mailEnabled: boolean;
  readonly groupTypes: readonly string[];
  readonly isAssignableToRole: boolean | null;
  /** Present when owners were expanded (`$expand=owners`), service principals included. */
  readonly owners?: readonly DirectoryObjectRef[];
}

export interface NewDeviceGroup extends GroupNames {
  readonly description: string;
  readonly ownerServicePrincipalId: string;
}

export type UpsertOutcome =
  /** 201: the group did not exist and was created with this body. */
  | { readonly created: true; readonly group: DirectoryGroup }
  /** 204: a group with this uniqueName existed already (its writable properties were set again). */
  | { readonly created: false };

export interface DevicePreparationPolicy {
  readonly id: string;
  readonly name: string;
  readonly templateId: string;
}

export interface MembershipTargetStatus {
  readonly targetId: string;
  readonly validationSucceeded: boolean;
  readonly errorCode?: string;
}

export interface MembershipTargetResult {
  readonly validationSucceeded: boolean;
  readonly statuses: readonly MembershipTargetStatus[];
}

export interface Directory {
  /** `GET /servicePrincipals(appId='…')`; undefined when the tenant has no such service principal. */
  findServicePrincipalByAppId(appId: string): Promise<Traced<ServicePrincipalRef | undefined>>;
  /** Every group whose display name equals this one (Graph compares case-insensitively), owners expanded. */
  findGroupsByDisplayName(displayName: string): Promise<Traced<readonly DirectoryGroup[]>>;
  /** Idempotent create on the `uniqueName` alternate key, owner bound in the same request. */
  upsertGroup(group: NewDeviceGroup): Promise<Traced<UpsertOutcome>>;
  /** Owners expanded. `afterWrite` retries a few 404s, which right after a create mean replication lag. */
  getGroupByUniqueName(uniqueName: string, options?: { readonly afterWrite?: boolean }): Promise<Traced<DirectoryGroup | undefined>>;
  getGroup(groupId: string): Promise<Traced<DirectoryGroup | undefined>>;
  listMembers(groupId: string): Promise<Traced<readonly DirectoryObjectRef[]>>;
  /** Adds a service-principal owner; succeeds when it is an owner already. */
  addServicePrincipalOwner(groupId: string, servicePrincipalId: string): Promise<Traced<void>>;
  listDevicePreparationPolicies(): Promise<Traced<readonly DevicePreparationPolicy[]>>;
  setEnrollmentTimeDeviceMembershipTarget(policyId: string, groupId: string): Promise<Traced<MembershipTargetResult>>;
}
