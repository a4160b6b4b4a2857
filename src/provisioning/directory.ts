/**
 * The directory port: the few Microsoft Graph operations the provisioning service needs, in domain terms.
 * Implemented by the Graph adapter (graphDirectory.ts); the sandbox emulator speaks the same wire format.
 */
import type { GroupNames } from '../domain/naming';

/** Who a Graph token acts for: a user (delegated; its claims carry `scp`) or the application itself. */
export type CallerKind = 'delegated' | 'appOnly';

/** The first-party "Intune Provisioning Client" app that must own every device group (match by appId only). */
export const OWNER_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';

/** The `groupTypes` entry of a group whose membership is rule-based (dynamic) rather than assigned. */
export const DYNAMIC_MEMBERSHIP = 'DynamicMembership';

/** `$expand` on directory relationships returns at most this many objects, with no next link (Graph known issues). */
export const EXPAND_LIMIT = 20;

/** Graph refuses `$filter=displayName eq '…'` with a longer value (msgraph-sdk-dotnet#159, Graph known issues). */
export const DISPLAY_NAME_FILTER_LIMIT = 120;

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
  /**
   * Present when owners were expanded (`$expand=owners`), service principals included. Graph stops an expansion
   * at EXPAND_LIMIT objects without saying so: a list that long may be incomplete (see `listOwners`).
   */
  readonly owners?: readonly DirectoryObjectRef[];
}

/** A deleted group still in the directory's recycle bin, restorable until Graph purges it (30 days). */
export interface DeletedGroup {
  readonly id: string;
  readonly displayName: string | null;
  readonly uniqueName: string | null;
  /** ISO-8601. */
  readonly deletedDateTime: string;
}

export interface NewDeviceGroup extends GroupNames {
  readonly description: string;
  readonly ownerServicePrincipalId: string;
}

export type UpsertOutcome =
  /** 201: the group did not exist and was created with this body. */
  | { readonly created: true; readonly group: DirectoryGroup }
  /**
   * The group with this uniqueName exists: 204 (its writable properties were set again), or Graph's 400 for
   * re-binding an owner the group already has (then nothing was written).
   */
  | { readonly created: false }
  /**
   * 400 "Another object with the same value for property uniqueName already exists": a racing create that this
   * replica cannot see yet, or a deleted group in the recycle bin that still holds the key.
   */
  | { readonly created: false; readonly uniqueNameTaken: true };

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

/** One item of the configuration-policy list: a device-preparation policy, or an item Graph sent in a shape we cannot read. */
export type PolicyListEntry =
  | { readonly kind: 'policy'; readonly policy: DevicePreparationPolicy }
  | { readonly kind: 'unreadable'; readonly id: string | null; readonly name: string | null; readonly reason: string };

export interface Directory {
  /** `GET /servicePrincipals(appId='…')`; undefined when the tenant has no such service principal. */
  findServicePrincipalByAppId(appId: string): Promise<Traced<ServicePrincipalRef | undefined>>;
  /** Every group whose display name equals this one (Graph compares case-insensitively), owners expanded. */
  findGroupsByDisplayName(displayName: string): Promise<Traced<readonly DirectoryGroup[]>>;
  /** Idempotent create on the `uniqueName` alternate key, owner bound in the same request. */
  upsertGroup(group: NewDeviceGroup): Promise<Traced<UpsertOutcome>>;
  /** Owners expanded. `afterWrite` retries a few 404s, which right after a create mean replication lag. */
  getGroupByUniqueName(uniqueName: string, options?: { readonly afterWrite?: boolean }): Promise<Traced<DirectoryGroup | undefined>>;
  /** Owners expanded. `afterWrite` as for getGroupByUniqueName (e.g. right after a restore). */
  getGroup(groupId: string, options?: { readonly afterWrite?: boolean }): Promise<Traced<DirectoryGroup | undefined>>;
  listMembers(groupId: string): Promise<Traced<readonly DirectoryObjectRef[]>>;
  /** Every owner, service principals included, page by page: the check `$expand`'s 20-object cap cannot hide. */
  listOwners(groupId: string): Promise<Traced<readonly DirectoryObjectRef[]>>;
  /** `GET /directory/deletedItems/{id}`; undefined when the group is not in the recycle bin. */
  getDeletedGroup(groupId: string): Promise<Traced<DeletedGroup | undefined>>;
  /** The deleted group in the recycle bin that holds this uniqueName, if any. */
  findDeletedGroupByUniqueName(uniqueName: string): Promise<Traced<DeletedGroup | undefined>>;
  /** `POST /directory/deletedItems/{id}/restore`: the same object id comes back. */
  restoreDeletedGroup(groupId: string): Promise<Traced<void>>;
  /** Adds a service-principal owner; succeeds when it is an owner already. */
  addServicePrincipalOwner(groupId: string, servicePrincipalId: string): Promise<Traced<void>>;
  setEnrollmentTimeDeviceMembershipTarget(policyId: string, groupId: string): Promise<Traced<MembershipTargetResult>>;
  /**
   * Every enrollment configuration policy, all pages, each item parsed on its own so that one odd item does not
   * hide the others (the inventory reports it). Template filtering is the caller's.
   */
  listPolicyEntries(): Promise<Traced<readonly PolicyListEntry[]>>;
  /** `POST …/retrieveEnrollmentTimeDeviceMembershipTarget`: the policy's device group(s) as Intune validates them now. */
  retrieveEnrollmentTimeDeviceMembershipTarget(policyId: string): Promise<Traced<MembershipTargetResult>>;
  /** Whether this directory's token acts for a user (delegated) or as the application (app-only). */
  callerKind(): Promise<CallerKind>;
}
