/**
 * The contract of the requests service: the one place that decides who may do what, and audits it. The bot,
 * the admin CLI and any later driver (an HTTP API, a scheduled job) translate their input into these calls
 * and the results into cards or lines; they decide nothing themselves.
 */
import type { ActingAs } from '../domain/delegation';
import type { Actor } from '../domain/actor';
import type { GroupNames } from '../domain/naming';
import type { Page } from '../domain/page';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import type { ConversationAddress, GroupRequest } from '../domain/request';
import type { Scenario } from '../domain/scenario';
import type { BindResult, DriftFinding, DriftReport, RecycleBinEntry } from '../provisioning/types';
import type { InventoryFinding, InventoryGroup, PolicyInventoryEntry } from '../inventory/types';

export interface NewRequestInput {
  readonly policyName: string;
  readonly scenario: Scenario;
  readonly ticket?: string;
  readonly justification?: string;
  readonly requester: Actor;
  /** The conversation it is submitted from, when the driver knows one. */
  readonly origin?: ConversationAddress;
}

export type RequestField = 'policyName' | 'scenario' | 'ticket' | 'justification';

/** A policy as a person names it (typed), or as a card's button carries it (its record's key, looked up again). */
export type PolicyRef = string | { readonly policyKey: string };

/** A group Intune gives the policy that the bot did not make or adopt: what it is, and what can be done. */
export interface TenantGroupView {
  readonly policyId: string;
  readonly policyName: string;
  readonly scenario: Scenario;
  readonly groupId: string;
  /** Its names, when it could be read. */
  readonly group: InventoryGroup | null;
  /** What is wrong with it (empty when it is a correct device group). */
  readonly findings: readonly InventoryFinding[];
  /** Correct as it is: an approver can adopt it as the policy's one group (`policies`, or Adopt on the card). */
  readonly adoptable: boolean;
  /** What fixes it, in words for a person, when it is not adoptable. */
  readonly fix?: string;
}

export type SubmitResult =
  | {
      readonly kind: 'created';
      readonly request: GroupRequest;
      /** false when no approver could be told (no approvals channel, no chat the bot has or could open). */
      readonly approversNotified: boolean;
      /** Intune could not be asked, or would not say which group the policy uses: the records alone decided. */
      readonly tenantNotice?: string;
    }
  /** Intune already gives the policy a group the bot did not make: no second group is requested. */
  | { readonly kind: 'policyUsesGroup'; readonly tenantGroup: TenantGroupView }
  /** Intune's answer leaves the policy unclear (two policies under one name): nothing is requested. */
  | { readonly kind: 'policyUnclear'; readonly reason: string }
  | { readonly kind: 'activeRequestExists'; readonly request: GroupRequest }
  | { readonly kind: 'groupExists'; readonly group: PolicyGroupRecord }
  /** The policy's group was deleted and is in the recycle bin: an approver restores it (never a second group). */
  | { readonly kind: 'groupDeleted'; readonly group: PolicyGroupRecord; readonly deleted: RecycleBinEntry }
  | { readonly kind: 'invalid'; readonly field: RequestField; readonly message: string };

/** The names a request would give its group, or why the policy name cannot have any. */
export type NamesPreview =
  | { readonly ok: true; readonly names: GroupNames }
  | { readonly ok: false; readonly field: 'policyName'; readonly message: string };

export type DecideResult =
  | { readonly kind: 'decided'; readonly request: GroupRequest }
  /** Somebody else (or an earlier click) already decided: says who and when. */
  | { readonly kind: 'alreadyDecided'; readonly request: GroupRequest }
  | { readonly kind: 'notFound'; readonly requestId: string }
  | { readonly kind: 'forbidden'; readonly reason: string; readonly request?: GroupRequest };

/** A refusal that names no request. */
export interface Forbidden {
  readonly kind: 'forbidden';
  readonly reason: string;
}

export type PendingListResult = { readonly kind: 'listed'; readonly requests: readonly GroupRequest[] } | Forbidden;

/** Which view of an approval card someone may see. */
export type ApprovalViewResult =
  /**
   * The buttons: the actor may decide (or retry) this request. `cannotDecide`: why Approve and Reject are not
   * theirs to click on this one (their own request while self-approval is off).
   */
  | { readonly kind: 'approver'; readonly request: GroupRequest; readonly cannotDecide?: string }
  /** The read-only view, for a card Teams refreshes on its own for someone who is not an approver. */
  | { readonly kind: 'observer'; readonly request: GroupRequest }
  | { readonly kind: 'notFound'; readonly requestId: string }
  | Forbidden;

export type PolicyStatusResult =
  | {
      readonly kind: 'found';
      readonly policyName: string;
      /** The newest request for the policy (any state), and its group if it has one. */
      readonly request?: GroupRequest;
      readonly group?: PolicyGroupRecord;
      /** Intune could not be asked: the records alone answered. */
      readonly tenantNotice?: string;
      /** Asked with `groupState`: the recorded group is gone for good (Entra purged it), so a new request may replace it. */
      readonly groupPurged?: true;
    }
  | { readonly kind: 'invalid'; readonly message: string };

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

export interface RequestsService {
  // The request lifecycle.
  submit(input: NewRequestInput): Promise<SubmitResult>;
  approve(requestId: string, actor: Actor): Promise<DecideResult>;
  reject(requestId: string, actor: Actor, reason?: string): Promise<DecideResult>;
  /** The requester, while the request is pending. */
  cancel(requestId: string, actor: Actor): Promise<DecideResult>;
  /** Re-run provisioning of a failed request (approvers only). */
  retry(requestId: string, actor: Actor): Promise<DecideResult>;

  // What people may see.
  previewNames(policyName: string, scenario: Scenario): NamesPreview;
  /** Anyone may ask where a request stands. */
  get(requestId: string): Promise<GroupRequest | undefined>;
  /** `groupState`: also read (cached) whether the recorded group still exists; the request form asks it. */
  statusOfPolicy(policyName: string, options?: { readonly groupState?: boolean }): Promise<PolicyStatusResult>;
  /** The actor's own requests, newest first. */
  listMine(actor: Actor): Promise<readonly GroupRequest[]>;
  /** What waits for a decision, oldest first (approvers only). */
  listPending(actor: Actor): Promise<PendingListResult>;
  /** Every policy's group, ordered by policy name; a page that is out of range is a caller's bug (RangeError). */
  listGroups(offset: number, limit: number): Promise<Page<PolicyGroupRecord>>;
  /** What the actor is here: an approver (who also reviews and administers) or someone who requests groups. */
  roleOf(actor: Actor): Promise<'approver' | 'requester'>;
  /** Intune's device-preparation policies whose name contains `text` (the intake form's typeahead; anyone). */
  searchPolicies(text: string, page: { readonly skip: number; readonly top: number }): Promise<PolicySearchResult>;
  /** `automatic`: Teams refreshed the card on its own, rather than the actor clicking "Approver actions". */
  approvalView(requestId: string, actor: Actor | undefined, options: { readonly automatic: boolean }): Promise<ApprovalViewResult>;

  // Policy administration.
  /** Anyone may check; only an approver's check repairs a missing owner. */
  checkPolicy(policy: PolicyRef, actor: Actor, options?: { readonly repairOwner?: boolean }): Promise<CheckPolicyResult>;
  /**
   * Bind the policy's group to the Intune policy of the group's scenario (approvers only); never fatal. Of
   * approvers binding one policy at once, one bind reaches Intune; the others learn it is bound (or being bound).
   * `policy`: a typed name, or a button's record key (looked up again). `as`: the approver's own delegated
   * credential, sent to Intune for this bind only (opaque here; audited as a delegated call). Without it the
   * bot's app-only credential is used, which Intune refuses today.
   */
  bindPolicy(policy: PolicyRef, actor: Actor, options?: ActingAs): Promise<BindPolicyResult>;
  /**
   * `Use the bot's group` (approvers only): bind the policy's recorded group where Intune names another one; the
   * card carries the Intune policy id, resolved again here. No group is made or changed.
   */
  useBotGroup(intunePolicyId: string, actor: Actor, options?: ActingAs): Promise<UseBotGroupResult>;
  /**
   * `Replace group` (approvers only): where the policy's group is dynamic, shared, not security, mail-enabled,
   * role-assignable or gone for good, make the policy a correct group of its own (one, however many approvers
   * click at once; a retry after a crash finds it again), record it, and bind it (`as`: the approver's token).
   * The old group is left exactly as it is, and named in the answer. A typed name or a card's Intune policy id.
   */
  replaceGroup(policy: string | { readonly intunePolicyId: string }, actor: Actor, options?: ActingAs): Promise<ReplaceGroupResult>;
  /** Whether this actor may bind (asked before a sign-in, so a non-approver is never asked to sign in); no audit. */
  mayBind(actor: Actor): Promise<boolean>;
  /** Bring the policy's deleted group back from the recycle bin, same object id and owner (approvers only). */
  restoreGroup(policy: PolicyRef, actor: Actor): Promise<RestorePolicyResult>;
  /**
   * Every device-preparation policy in the tenant, its group and findings, problems first (approvers only).
   * `recent`: a page of the same list (Previous/Next) may reuse an inventory taken in the last few minutes.
   */
  listPolicies(actor: Actor, options?: { readonly recent?: boolean }): Promise<PolicyListResult>;
  /** Record the policy's correct hand-made group as its one group (approvers only); refused with what to fix. */
  adoptGroup(intunePolicyId: string, actor: Actor): Promise<AdoptResult>;
  /**
   * Assign a selected app (as required) or script to its policy's device group (approvers only): one assignment
   * added while the finding still holds, none changed or dropped; audited with Graph's request ids.
   */
  assignToDeviceGroup(request: AssignRequest, actor: Actor): Promise<AssignToGroupResult>;
  /** Make a team channel the place approval cards go (approvers only). */
  registerApprovalsChannel(channel: ConversationAddress, actor: Actor): Promise<RegisterChannelResult>;
  /**
   * An action a driver could not even read (no Entra identity, card data naming no request): refused and
   * audited here like every other refusal. `attempt` names what was tried, `problem` what was wrong.
   */
  refuseUnreadableAction(attempt: string, problem: string, actor?: Actor): Promise<void>;

  // The provisioning runner.
  /** Resume requests left in `approved`/`provisioning` by a crash; called at start-up and by a sweeper. */
  resumeInterrupted(): Promise<number>;
  /** Wait for background provisioning started by this instance (tests and graceful shutdown). */
  idle(): Promise<void>;
}
