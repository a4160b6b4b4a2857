/**
 * What the requests service answers about policies and their groups: check, bind, restore, replace, adopt,
 * assign, the policies list and the typeahead. Apart from the request lifecycle's results (types.ts) so that
 * neither file carries the whole contract; types.ts re-exports these, its importers need not know the split.
 */
import type { Actor } from '../domain/actor';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { GroupRequest } from '../domain/request';
import type { Scenario } from '../domain/scenario';
import type { BindResult, DriftFinding, DriftReport } from '../provisioning/types';
import type { InventoryFinding, PolicyInventoryEntry } from '../inventory/types';

/** A refusal that names no request. */
export interface Forbidden {
  readonly kind: 'forbidden';
  readonly reason: string;
}

/** A policy without a group yet; `request` is its newest request, if any (e.g. one waiting for approval). */
export interface NoGroup {
  readonly kind: 'noGroup';
  readonly policyName: string;
  readonly request?: GroupRequest;
}

export type CheckPolicyResult =
  | {
      readonly kind: 'checked';
      readonly report: DriftReport;
      /** Why a repair that was asked for was not made (the actor is no approver); the check still ran. */
      readonly repairRefused?: string;
    }
  | NoGroup
  | { readonly kind: 'invalid'; readonly message: string };

/** Binding a policy's group to its Intune device-preparation policy (after the policy was made in Intune). */
export type BindPolicyResult =
  /** Intune was asked; `bind` says what it answered (bound, validation failed, no such policy, failure). */
  | { readonly kind: 'attempted'; readonly group: PolicyGroupRecord; readonly bind: BindResult }
  /**
   * Intune already uses the group (read fresh): nothing was sent. `group.binding` says who bound it and when, when
   * the bot did (e.g. another approver's click a moment earlier).
   */
  | { readonly kind: 'alreadyBound'; readonly group: PolicyGroupRecord }
  /** Another approver's bind of this policy is still running (on any instance): nothing was sent. */
  | { readonly kind: 'bindInProgress'; readonly group: PolicyGroupRecord; readonly by: Actor; readonly since: string }
  | NoGroup
  | Forbidden
  | { readonly kind: 'invalid'; readonly message: string };

export type RegisterChannelResult = { readonly kind: 'registered' } | Forbidden;

export type RestorePolicyResult =
  /** The same group (object id) is back; `findings` say what is still wrong with it, if anything. */
  | { readonly kind: 'restored'; readonly group: PolicyGroupRecord; readonly ownerReAdded: boolean; readonly findings: readonly DriftFinding[] }
  /** Nothing to restore, or Graph refused: why, in words for the approver. */
  | { readonly kind: 'notRestored'; readonly message: string }
  | NoGroup
  | Forbidden
  | { readonly kind: 'invalid'; readonly message: string };

/** `Use the bot's group`: the record bound where Intune names another group; or the policy is not in Intune any more. */
export type UseBotGroupResult = BindPolicyResult | { readonly kind: 'notFound'; readonly policyId: string };

/** A group a replacement leaves exactly as it was (never deleted or changed): named in the answer and the audit. */
export interface LeftBehindGroup {
  readonly groupId: string;
  /** Its name, when it could be read (a purged group has none). */
  readonly displayName: string | null;
  /** Why it is no group for this policy: dynamic, shared, not security, role-assignable, gone. */
  readonly problems: readonly InventoryFinding[];
}

export type ReplaceGroupResult =
  /**
   * The policy's own correct group, and Intune's answer to binding it. `created`: made by this click; otherwise
   * the bot's record already named a correct group (an earlier replacement that did not get to bind, say), and
   * that one was bound rather than a second made.
   */
  | { readonly kind: 'replaced'; readonly group: PolicyGroupRecord; readonly created: boolean; readonly leftBehind: readonly LeftBehindGroup[]; readonly bind: BindResult }
  /** Another approver's replacement of the same group won the moment: its record; this click changed nothing. */
  | { readonly kind: 'alreadyReplaced'; readonly group: PolicyGroupRecord }
  /** The policy's group needs no replacing (any more), in words for the approver; nothing was changed. */
  | { readonly kind: 'nothingToReplace'; readonly reason: string }
  /** Graph refused or could not be asked, or the names cannot be made: why; nothing was recorded. */
  | { readonly kind: 'notReplaced'; readonly message: string }
  | { readonly kind: 'notFound'; readonly policyId: string }
  | Forbidden;

/** `assign`: a selected app or script that one added assignment to the device group fixes (the finding's `fix`). */
export type PolicyAction = 'adopt' | 'repairOwner' | 'restore' | 'bind' | 'useBotGroup' | 'replace' | 'assign';

/** A policy as approvers see it in `policies`: the inventory's entry and the actions that fit it. */
export interface ListedPolicy extends PolicyInventoryEntry {
  readonly actions: readonly PolicyAction[];
}

/** Problems first, then by policy name. */
export type PolicyListResult = { readonly kind: 'listed'; readonly policies: readonly ListedPolicy[] } | Forbidden;

export type AdoptResult =
  /** The policy's one group is now this hand-made group (also when another approver's identical adoption won). */
  | { readonly kind: 'adopted'; readonly group: PolicyGroupRecord }
  /** The group cannot be adopted as it is: what to fix first. */
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'notFound'; readonly policyId: string }
  | Forbidden;

/** What a click on "Assign to the device group" names: ids only; everything else is read again. */
export interface AssignRequest {
  readonly policyId: string;
  readonly kind: 'app' | 'script';
  readonly itemId: string;
}

/** The app or script, its policy and the device group, by name, for the answer. */
export interface AssignedItem {
  readonly kind: 'app' | 'script';
  readonly displayName: string;
  readonly policyName: string;
  readonly groupName: string;
}

export type AssignToGroupResult =
  /** One assignment added (apps: required), every other kept. */
  | { readonly kind: 'assigned'; readonly item: AssignedItem }
  /** It already was (a second click, another approver): nothing was written. */
  | { readonly kind: 'alreadyAssigned'; readonly item: AssignedItem }
  /** Nothing was assigned: why, and where it is done by hand when it is. */
  | { readonly kind: 'notAssigned'; readonly reason: string }
  /** The policy, app or script no longer exists. */
  | { readonly kind: 'notFound'; readonly message: string }
  | Forbidden;

/** A policy the typeahead offers: Intune's name, and whether the bot already records its one group. */
export interface SearchedPolicy {
  readonly policyId: string;
  readonly policyName: string;
  readonly scenario: Scenario;
  readonly hasGroup: boolean;
}

export type PolicySearchResult =
  /** `total`: how many policies match in all, for paging. */
  | { readonly kind: 'found'; readonly policies: readonly SearchedPolicy[]; readonly total: number }
  /** No Intune listing is composed in: the person types the name. */
  | { readonly kind: 'unavailable'; readonly message: string };

