/**
 * The inventory's contract: every device-preparation policy in the tenant, the one group each uses, and what is
 * wrong with it (codes mirror Intune's validation where Intune has one). Its ports belong here; the SQL store
 * implements them.
 */
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { Scenario } from '../domain/scenario';
import type { GroupAssessmentCode } from '../provisioning/types';

/** A group's own problems (the provisioning layer's assessment), and what only the whole tenant shows. */
export type FindingCode =
  | GroupAssessmentCode
  | 'noGroup'
  | 'sharedGroup'
  | 'notRecorded'
  | 'recordedGroupDiffers'
  | 'orphanGroup'
  /** Graph answered with a policy, target or group in a shape we cannot read. */
  | 'unreadable';

export interface InventoryFinding {
  readonly code: FindingCode;
  readonly detail: string;
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
