/**
 * The inventory's contract: every device-preparation policy in the tenant, the one group each uses, and what is
 * wrong with it (codes mirror Intune's validation where Intune has one). Its ports belong here; the SQL store
 * implements them.
 */
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { Scenario } from '../domain/scenario';
import type { GroupAssessmentCode, RecycleBinEntry } from '../provisioning/types';
import type { ReadinessCode, ReadinessFix } from './readiness';

/** A group's own problems (the provisioning layer's assessment), and what only the whole tenant shows. */
export type FindingCode =
  | GroupAssessmentCode
  /** Only the drift check reads members; the inventory does not spend a call per group on them. */
  | 'unexpectedMembers'
  | 'noGroup'
  | 'sharedGroup'
  | 'notRecorded'
  | 'recordedGroupDiffers'
  | 'orphanGroup'
  /** Graph answered with a policy, target or group in a shape we cannot read. */
  | 'unreadable'
  /** Whether the policy delivers what it selects (issue 20; readiness.ts). */
  | ReadinessCode;

export interface InventoryFinding {
  readonly code: FindingCode;
  readonly detail: string;
  /** The app or script that assigning to the policy's device group would fix (the one-click fix). */
  readonly fix?: ReadinessFix;
}

/**
 * Where the group id came from: Intune's own target (`intune`), the bot's record because Intune would not tell
 * this caller (`record`), or nowhere (`none`).
 */
export type GroupSource = 'intune' | 'record' | 'none';

export interface InventoryGroup {
  readonly displayName: string;
  readonly mailNickname: string | null;
  readonly uniqueName: string | null;
}

export interface PolicyInventoryEntry {
  /** Intune's id; null for a group the bot made whose policy never appeared in Intune (`orphanGroup`). */
  readonly policyId: string | null;
  readonly policyName: string;
  readonly scenario: Scenario | null;
  readonly groupId: string | null;
  readonly groupSource: GroupSource;
  readonly findings: readonly InventoryFinding[];
  /** The key the bot knows this policy by (its key when first seen in Intune, across renames); null when unreadable. */
  readonly policyKey: string | null;
  /** Whether the bot has a record of this policy's group (what Restore and Repair owner act on). */
  readonly recorded: boolean;
  /** The live group's names, when it could be read. */
  readonly group: InventoryGroup | null;
  /** Set when the group is deleted but still in the recycle bin (ISO-8601 end of its 30 days). */
  readonly restorableUntil?: string;
}

export interface InventoryReport {
  /** Problems first, then by policy name. */
  readonly entries: readonly PolicyInventoryEntry[];
  /** One per Graph call that answered (a page of a list counts as a call; retries do not). */
  readonly graphRequestIds: readonly string[];
}

/** A policy Intune has shown us: its id is its identity, whatever it is called now. */
export interface KnownPolicy {
  readonly policyId: string;
  /** The policy key it had when first seen: the key of the bot's record, across renames. */
  readonly policyKey: string;
  readonly currentName: string;
  readonly scenario: Scenario;
}

export interface PolicySighting {
  readonly policyId: string;
  readonly name: string;
  /** The key of its current name. */
  readonly key: string;
  /** The key it is known by from now on if this is its first sighting: its record's (when bound), else `key`. */
  readonly identityKey: string;
  readonly scenario: Scenario;
}

/** What the inventory reads and writes in the store. */
export interface InventoryRecords {
  listAllGroups(): Promise<readonly PolicyGroupRecord[]>;
  /**
   * Records every sighting in one transaction: a policy seen for the first time keeps its `identityKey`; one
   * seen before only gets its current name and key. Returns the policies as known afterwards.
   */
  recordPolicySightings(sightings: readonly PolicySighting[], at: string): Promise<readonly KnownPolicy[]>;
}

export interface InventoryService {
  take(): Promise<InventoryReport>;
}

/** A readiness finding's fix as a click names it (ids only), with the policy's device group as read just now. */
export interface FixSubject {
  readonly policyId: string;
  readonly scenario: Scenario;
  readonly groupId: string;
  readonly groupName: string | null;
  readonly fix: Pick<ReadinessFix, 'kind' | 'id'>;
}

/** What the one-click fix did, or why it did nothing. */
export type AssignFixOutcome =
  | { readonly kind: 'assigned'; readonly displayName: string }
  /** The group already has the required assignment (a second click, another approver): nothing written. */
  | { readonly kind: 'alreadyAssigned'; readonly displayName: string }
  /** Intune no longer has the policy. */
  | { readonly kind: 'policyNotFound' }
  /** The policy no longer selects the app or script. */
  | { readonly kind: 'notSelected' }
  /** The app or script was deleted meanwhile. */
  | { readonly kind: 'notFound' }
  /** Still not assigned, but one added assignment does not fix it: `detail` says how in the admin center. */
  | { readonly kind: 'byHand'; readonly displayName: string; readonly detail: string }
  | { readonly kind: 'unreadable'; readonly reason: string }
  /** Graph refused the write (a permission, a type it will not assign): its words, and where to assign by hand. */
  | { readonly kind: 'writeFailed'; readonly displayName: string; readonly message: string; readonly byHand: string }
  /** Written, but read back some assignments that were there before are missing (a concurrent change). */
  | { readonly kind: 'assignmentsChanged'; readonly displayName: string; readonly missing: number };

/** The one-click fix of `appNotAssignedToGroup` / `scriptNotAssignedToGroup` (readinessFix.ts). */
export interface ReadinessFixer {
  /** A read that fails (an outage, throttling past the retries) rejects with the GraphError. */
  assignToDeviceGroup(subject: FixSubject): Promise<{ readonly value: AssignFixOutcome; readonly requestIds: readonly string[] }>;
}

/** A device-preparation policy as Intune lists it now. */
export interface IntunePolicy {
  readonly id: string;
  readonly name: string;
  /** The key of its current name. */
  readonly key: string;
  readonly templateId: string;
  readonly scenario: Scenario;
}

/** An item of Intune's list in a shape that cannot be read: reported, never dropped silently. */
export interface UnreadablePolicy {
  readonly id: string | null;
  readonly name: string | null;
  readonly reason: string;
}

/** Graph could not be asked: its words, and the error for callers that end a run with it (the inventory). */
export interface TenantUnavailable {
  readonly kind: 'unavailable';
  readonly message: string;
  readonly error: unknown;
}

interface Traced {
  /** One per Graph call that answered this read (none when it came from the cache). */
  readonly graphRequestIds: readonly string[];
}

export type PolicyListing =
  | ({ readonly kind: 'listed'; readonly policies: readonly IntunePolicy[]; readonly unreadable: readonly UnreadablePolicy[] } & Traced)
  | TenantUnavailable;

/** A policy's device group as Intune reports it. */
export type MembershipTarget =
  | ({ readonly kind: 'group'; readonly groupId: string } & Traced)
  /** The policy has no device group yet. */
  | ({ readonly kind: 'none' } & Traced)
  /** Intune would not tell this (app-only) caller: it answers such calls with 500 in some tenants. */
  | ({ readonly kind: 'hidden' } & Traced)
  /** An answer in an unexpected shape (or several groups): `groupId` is the first one named, if any. */
  | ({ readonly kind: 'unreadable'; readonly groupId: string | null; readonly detail: string } & Traced)
  | TenantUnavailable;

/** A group as the one assessment finds it. */
export type GroupReading =
  | ({ readonly kind: 'live'; readonly groupId: string; readonly group: InventoryGroup; readonly findings: readonly InventoryFinding[] } & Traced)
  | ({ readonly kind: 'deleted'; readonly groupId: string; readonly recycleBin: RecycleBinEntry; readonly findings: readonly InventoryFinding[] } & Traced)
  | ({ readonly kind: 'purged'; readonly groupId: string; readonly findings: readonly InventoryFinding[] } & Traced)
  | ({ readonly kind: 'unreadable'; readonly groupId: string; readonly findings: readonly InventoryFinding[] } & Traced)
  | TenantUnavailable;

export interface ReadOptions {
  /** Read past the cache (and refresh it): for the decisive moments and the inventory itself. */
  readonly fresh?: boolean;
}

/** What the tenant says about its policies and their groups (see tenant.ts). */
export interface TenantPolicies {
  policies(options?: ReadOptions): Promise<PolicyListing>;
  target(policyId: string, options?: ReadOptions): Promise<MembershipTarget>;
  group(groupId: string, options?: ReadOptions): Promise<GroupReading>;
  /** Forgets every cached answer: after a write to Intune or Entra (bind, adopt, a new group). */
  invalidate(): void;
}
