/**
 * What the requests service needs from the world, owned here and implemented at the edges: the SQL store
 * (repository, audit log, policy→group catalogue, approvals channel), the bot (notifier), the approver
 * directory's membership lookup (Graph) and the provisioning service.
 */
import type { Actor } from '../domain/actor';
import type { PolicyBinding, PolicyGroupRecord } from '../domain/policyGroup';
import type { Page } from '../domain/page';
import type { ConversationAddress, Decision, GroupRequest, RequestState } from '../domain/request';
import type { ProvisioningService } from '../provisioning/types';
import type { FindingCode, InventoryService, ReadinessFixer } from '../inventory/types';
import type { ListedPolicy } from './types';

export const AUDIT_KINDS = [
  'requested',
  'approved',
  'rejected',
  'cancelled',
  'provisioningStarted',
  'graphCall',
  'provisioned',
  'failed',
  'driftFound',
  /** Someone tried something they may not do (not an approver, self-approval, not the requester, unknown id). */
  'denied',
  /** An approver asked to bind a policy's group to its Intune policy; then `bound` or `bindFailed`. */
  'bindRequested',
  'bound',
  'bindFailed',
  /** An approver made a team channel the place approval cards go. */
  'approvalsChannelRegistered',
  /** An approver brought a policy's deleted group back from the recycle bin (same object id), or tried to. */
  'groupRestored',
  'restoreFailed',
  /** A new request reached no approver (no approvals channel, no chat the bot could open): the requester was told. */
  'approversUnreachable',
  /** An approver adopted a hand-made group as its policy's one group, or was refused (what to fix first). */
  'groupAdopted',
  'adoptRefused',
  /** The inventory saw a known Intune policy under a new name (same id, same record). */
  'policyRenamed',
  /** A health-watch pass: what it found, reported and saw cleared; or why it ended early. */
  'healthCheckRun',
  'healthCheckFailed',
  /** An approver asked to assign a selected app or script to its policy's device group; then `assigned` or `assignFailed`. */
  'assignRequested',
  'assigned',
  'assignFailed',
  /** An approver asked to replace a policy's broken or shared group; then `groupReplaced` or `replaceFailed`. */
  'replaceRequested',
  'groupReplaced',
  'replaceFailed',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEntryInput {
  readonly kind: AuditKind;
  readonly at: string; // ISO-8601
  /** Absent for steps the system takes on its own (e.g. resuming after a crash). */
  readonly actor?: Actor;
  readonly requestId?: string;
  readonly policyKey?: string;
  readonly graphRequestId?: string;
  readonly detail?: string;
}

export interface AuditEntry extends AuditEntryInput {
  /** Position in the log: strictly increasing. */
  readonly sequence: number;
}

export interface AuditFilter {
  readonly requestId?: string;
  readonly policyKey?: string;
  /** ISO-8601 instant: entries at or after it (inclusive). */
  readonly since?: string;
  /** ISO-8601 instant: entries before it (exclusive). */
  readonly until?: string;
}

export interface AuditLog {
  appendAudit(entry: AuditEntryInput): Promise<AuditEntry>;
  /** In log order. */
  listAudit(filter?: AuditFilter): Promise<readonly AuditEntry[]>;
}

/** What a new request is made of; the store adds the id, state, version and update time. */
export type NewRequestRecord = Pick<
  GroupRequest,
  'policyKey' | 'policyName' | 'scenario' | 'names' | 'ticket' | 'justification' | 'requester' | 'origin' | 'createdAt'
>;

export type CreateRequestResult =
  | { readonly kind: 'created'; readonly request: GroupRequest }
  /** The policy already has an active request (the database refused a second one): here it is. */
  | { readonly kind: 'activeRequestExists'; readonly request: GroupRequest };

/** What a transition writes besides the new state. `null` clears a field (a retry clears the failure). */
export interface RequestChange {
  readonly to: RequestState;
  readonly at: string;
  readonly decision?: Decision;
  readonly groupId?: string;
  readonly failureReason?: string | null;
}

export interface ExpectedRequest {
  readonly state: RequestState;
  /** When given, the write also requires this version (compare-and-set on the whole row). */
  readonly version?: number;
}

export type TransitionResult =
  | { readonly kind: 'applied'; readonly request: GroupRequest }
  /** The row was not in the expected state/version: the current row (the winner's write). */
  | { readonly kind: 'conflict'; readonly request: GroupRequest }
  /** Moving into an active state would make a second active request for the policy: that other one. */
  | { readonly kind: 'activeRequestExists'; readonly request: GroupRequest }
  | { readonly kind: 'notFound' };

export interface RequestRepository {
  /** Allocates the next id (unique across instances) and inserts, appending `requested` to the audit log. */
  createRequest(record: NewRequestRecord): Promise<CreateRequestResult>;
  getRequest(requestId: string): Promise<GroupRequest | undefined>;
  /** Conditional write; `audit` is appended in the same transaction, and only when the write applies. */
  transitionRequest(
    requestId: string,
    expected: ExpectedRequest,
    change: RequestChange,
    audit?: AuditEntryInput,
  ): Promise<TransitionResult>;
  /** The newest request for a policy (any state). */
  latestRequestForPolicy(policyKey: string): Promise<GroupRequest | undefined>;
  /** Oldest first. */
  listRequestsInStates(states: readonly RequestState[]): Promise<readonly GroupRequest[]>;
  /** Newest first. */
  listRequestsByRequester(aadObjectId: string): Promise<readonly GroupRequest[]>;
}

/** The policy→group map as the requests service reads it (provisioning writes it). */
export interface PolicyGroupCatalogue {
  findGroup(policyKey: string): Promise<PolicyGroupRecord | undefined>;
  /** The record a bind tied to this Intune policy id, or the one of the key the policy was first seen under. */
  findGroupOfIntunePolicy(intunePolicyId: string): Promise<PolicyGroupRecord | undefined>;
  /** Records which Intune policy uses the policy's group (the latest bind wins); the record, or undefined. */
  recordBinding(policyKey: string, binding: PolicyBinding): Promise<PolicyGroupRecord | undefined>;
  /**
   * The conditional write that lets one bind of the policy's group run at a time, across instances: it succeeds
   * only while the record still names `groupId`, still has the binding the claimant read, and no fresh claim is held.
   */
  claimBinding(claim: BindClaim): Promise<BindClaimResult>;
  /** Ends the claimant's own claim (a later claim by someone else is left alone). */
  releaseBindClaim(policyKey: string, claim: Pick<BindClaim, 'at' | 'by'>): Promise<void>;
  /** Ordered by policy name. */
  listGroups(offset: number, limit: number): Promise<Page<PolicyGroupRecord>>;
}

/** An approver's claim to bind a policy's group now. */
export interface BindClaim {
  readonly policyKey: string;
  readonly groupId: string;
  /** When the binding the claimant read was recorded (null: none): a bind recorded since makes the claim fail. */
  readonly seenBoundAt: string | null;
  readonly at: string;
  readonly by: Actor;
  /** A claim taken before this instant was abandoned (its instance stopped mid-bind): it may be taken over. */
  readonly staleBefore: string;
}

export type BindClaimResult =
  | { readonly kind: 'claimed' }
  /** Another bind holds the claim: whose, since when. */
  | { readonly kind: 'held'; readonly by: Actor; readonly since: string }
  /** The record is not as the claimant read it (bound meanwhile, another group, or gone): read again. */
  | { readonly kind: 'changed' };

export type AdoptGroupResult =
  | { readonly kind: 'adopted'; readonly record: PolicyGroupRecord }
  /** The policy already has its one group (another approver adopted first, or the bot made one). */
  | { readonly kind: 'policyHasGroup'; readonly record: PolicyGroupRecord }
  /** The group is already another policy's one group. */
  | { readonly kind: 'groupTaken'; readonly record: PolicyGroupRecord };

/** Recording an adopted group: one conditional insert, its audit entry in the same transaction. */
export interface GroupAdoption {
  adoptGroup(record: PolicyGroupRecord, audit: AuditEntryInput): Promise<AdoptGroupResult>;
}

/** What a finding is about: an Intune policy, or a recorded group whose policy is not in Intune (an orphan). */
export type FindingSubject = { readonly kind: 'policy'; readonly policyId: string } | { readonly kind: 'group'; readonly groupId: string };

/** A finding the health watch has posted, until it clears. */
export interface ReportedFinding {
  readonly subject: FindingSubject;
  readonly code: FindingCode;
  readonly detail: string;
  readonly reportedAt: string;
}

export interface HealthWatchRecords {
  /**
   * The conditional write that makes one instance run a pass: succeeds (true) only when no pass is due later
   * than `at`, and then sets the next one to `nextDueAt`. Nothing is held across Graph calls.
   */
  claimHealthCheck(holder: string, at: string, nextDueAt: string): Promise<boolean>;
  listReportedFindings(): Promise<readonly ReportedFinding[]>;
  /** In one transaction: the newly reported findings recorded, the cleared ones forgotten, the audit appended. */
  settleFindings(reported: readonly ReportedFinding[], cleared: readonly Pick<ReportedFinding, 'subject' | 'code'>[], audit: AuditEntryInput): Promise<void>;
}

/** Where approval cards go when an approver registered a team channel (one per installation; last wins). */
export interface ApprovalsChannelRegistry {
  setApprovalsChannel(channel: ConversationAddress, registeredBy: string): Promise<void>;
}

/** Everything the requests service keeps durably. */
export type RequestsStore = RequestRepository & AuditLog & PolicyGroupCatalogue & ApprovalsChannelRegistry & GroupAdoption & HealthWatchRecords;

/** One health-watch digest: what broke since the last one (with the actions that fit), and what cleared. */
export interface HealthDigest {
  readonly newFindings: readonly ListedPolicy[];
  readonly cleared: readonly { readonly policyName: string; readonly code: FindingCode; readonly detail: string }[];
  readonly at: string;
}

/**
 * Posts a digest to the registered approvals channel, or else the approvers' personal chats (implemented by
 * the bot). Resolves true when it reached at least one conversation.
 */
export interface DigestPoster {
  postDigest(digest: HealthDigest): Promise<boolean>;
}

/** The inventory of the tenant's device-preparation policies, as the requests service uses it. */
export type PolicyInventory = InventoryService;

/** The one-click fix of a readiness finding, as the requests service uses it (the inventory implements it). */
export type ReadinessFixes = ReadinessFixer;


/** The provisioning service as the requests service uses it. */
export type GroupProvisioning = Pick<ProvisioningService, 'previewNames' | 'ensureGroup' | 'checkGroup' | 'bindToPolicy' | 'restoreGroup'>;

export type RequestEventKind =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'provisioning'
  | 'provisioned'
  | 'failed'
  /** An approved request ended without a group: its policy got one meanwhile (`failureReason` says which). */
  | 'superseded'
  /** The request's group was bound to its Intune policy (not a state change). */
  | 'bound';

/**
 * Where the policy of a request just provisioned stands in Intune, as the decisive re-check read it right before
 * the group was made: `withoutGroup` (it exists and has no device group: the group can be bound to it) or
 * `absent` (not made yet: create it, then bind). Unsaid when Intune named a group, or could not say.
 */
export type PolicyInIntune = 'withoutGroup' | 'absent';

/** Emitted after every committed transition; the bot turns these into card updates and messages. */
export interface RequestEvent {
  readonly kind: RequestEventKind;
  readonly request: GroupRequest;
  readonly actor?: Actor;
  /** On `provisioned`: what an approver can do next about the policy in Intune. */
  readonly policyInIntune?: PolicyInIntune;
}

/** What telling people about an event achieved; for a new request, how many approvers were reached. */
export interface Delivery {
  readonly approversReached?: number;
}

/** Told about transitions (implemented by the bot for proactive messages). */
export interface RequestNotifier {
  notify(event: RequestEvent): Promise<Delivery>;
}

/** Who may approve. Implemented from config (object ids) and/or an Entra group (approvers.ts). */
export interface ApproverDirectory {
  isApprover(actor: Actor): Promise<boolean>;
  /** Every approver's Entra object id (the configured ones and the group's users), to reach them all. */
  listApprovers(): Promise<readonly string[]>;
}

/** Transitive Entra group membership (implemented by the Graph directory adapter). */
export interface GroupMembershipChecker {
  isTransitiveMember(userObjectId: string, groupId: string): Promise<boolean>;
  /** The object ids of the users in a group, through nested groups too. */
  listTransitiveUserMembers(groupId: string): Promise<readonly string[]>;
}
