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
import type { RecycleBinEntry } from '../provisioning/types';
import type { InventoryFinding, InventoryGroup } from '../inventory/types';
import type {
  Forbidden,
  CheckPolicyResult,
  BindPolicyResult,
  RegisterChannelResult,
  RestorePolicyResult,
  UseBotGroupResult,
  ReplaceGroupResult,
  PolicyListResult,
  AdoptResult,
  AssignRequest,
  AssignToGroupResult,
  PolicySearchResult,
} from './policyResults';

export type * from './policyResults';

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
