/**
 * The contract of the requests service: the application layer between the bot (or any other driver such
 * as a CLI or HTTP API) and the store + provisioning service. The implementation lives beside this file.
 */
import type { Actor } from '../domain/actor';
import type { Scenario } from '../domain/scenario';
import type { BindResult, GroupNames, PolicyGroupRecord, DriftReport } from '../provisioning/types';

export const REQUEST_STATES = [
  'pending',
  'approved',
  'provisioning',
  'provisioned',
  'failed',
  'rejected',
  'cancelled',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export interface Decision {
  readonly kind: 'approved' | 'rejected';
  readonly by: Actor;
  readonly at: string; // ISO-8601
  readonly reason?: string;
}

/** A Teams user or bot as a conversation reference names it (the fields botbuilder's ChannelAccount requires). */
export interface OriginAccount {
  /** The Teams id (`29:…` for a user), what an @mention needs. */
  readonly id: string;
  readonly name: string;
  readonly aadObjectId?: string;
}

export interface OriginConversation {
  readonly id: string;
  readonly name: string;
  readonly conversationType: string;
  readonly isGroup: boolean;
  readonly tenantId?: string;
}

/**
 * Where a request was submitted: botbuilder's ConversationReference without `activityId`, as plain JSON so
 * this layer needs no botbuilder (the shapes match, so the bot passes one in and gets one back). Lets the
 * requester be told there when the bot has no personal chat with them.
 */
export interface RequestOrigin {
  readonly channelId?: string;
  readonly serviceUrl?: string;
  readonly locale?: string;
  readonly conversation?: OriginConversation;
  readonly user?: OriginAccount;
  readonly bot?: OriginAccount;
}

export interface GroupRequest {
  /** Human-friendly, unique across instances, e.g. `REQ-42`. */
  readonly id: string;
  readonly policyKey: string;
  readonly policyName: string;
  readonly scenario: Scenario;
  readonly names: GroupNames;
  readonly ticket?: string;
  readonly justification?: string;
  readonly requester: Actor;
  readonly state: RequestState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly decision?: Decision;
  readonly groupId?: string;
  readonly failureReason?: string;
  /** The conversation it was submitted from, when the driver knows one. */
  readonly origin?: RequestOrigin;
  /** Optimistic-concurrency version, bumped on every state change. */
  readonly version: number;
}

export interface NewRequestInput {
  readonly policyName: string;
  readonly scenario: Scenario;
  readonly ticket?: string;
  readonly justification?: string;
  readonly requester: Actor;
  readonly origin?: RequestOrigin;
}

export type SubmitResult =
  | { readonly kind: 'created'; readonly request: GroupRequest }
  | { readonly kind: 'activeRequestExists'; readonly request: GroupRequest }
  | { readonly kind: 'groupExists'; readonly group: PolicyGroupRecord }
  | { readonly kind: 'invalid'; readonly field: 'policyName' | 'scenario' | 'ticket' | 'justification'; readonly message: string };

export type DecideResult =
  | { readonly kind: 'decided'; readonly request: GroupRequest }
  /** Somebody else (or an earlier click) already decided: says who and when. */
  | { readonly kind: 'alreadyDecided'; readonly request: GroupRequest }
  | { readonly kind: 'notFound'; readonly requestId: string }
  | { readonly kind: 'forbidden'; readonly reason: string; readonly request?: GroupRequest };

/** Binding a policy's group to its Intune device-preparation policy (after the policy was made in Intune). */
export type BindPolicyResult =
  /** Intune was asked; `bind` says what it answered (bound, validation failed, no such policy, failure). */
  | { readonly kind: 'attempted'; readonly group: PolicyGroupRecord; readonly bind: BindResult }
  /** The policy has no group yet; `request` is its newest request, if any. */
  | { readonly kind: 'noGroup'; readonly policyName: string; readonly request?: GroupRequest }
  | { readonly kind: 'forbidden'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly message: string };

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly offset: number;
}

export type RequestEventKind =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'provisioning'
  | 'provisioned'
  | 'failed';

/** Emitted after every committed transition; the bot turns these into card updates and messages. */
export interface RequestEvent {
  readonly kind: RequestEventKind;
  readonly request: GroupRequest;
  readonly actor?: Actor;
}

/** Outbound port: told about transitions (implemented by the bot for proactive messages). */
export interface RequestNotifier {
  notify(event: RequestEvent): Promise<void>;
}

/** Outbound port: who may approve. Implemented from config (object ids) and/or an Entra group via Graph. */
export interface ApproverDirectory {
  isApprover(actor: Actor): Promise<boolean>;
}

export interface RequestsService {
  submit(input: NewRequestInput): Promise<SubmitResult>;
  approve(requestId: string, actor: Actor): Promise<DecideResult>;
  reject(requestId: string, actor: Actor, reason?: string): Promise<DecideResult>;
  cancel(requestId: string, actor: Actor): Promise<DecideResult>;
  /** Re-run provisioning of a failed request (approvers only). */
  retry(requestId: string, actor: Actor): Promise<DecideResult>;
  get(requestId: string): Promise<GroupRequest | undefined>;
  /** The newest request for a policy name (any state), and its group if it has one. */
  statusOfPolicy(policyName: string): Promise<{ request?: GroupRequest; group?: PolicyGroupRecord }>;
  listPending(): Promise<readonly GroupRequest[]>;
  listByRequester(aadObjectId: string): Promise<readonly GroupRequest[]>;
  listGroups(offset: number, limit: number): Promise<Page<PolicyGroupRecord>>;
  checkPolicy(policyName: string, actor: Actor, options?: { readonly repairOwner?: boolean }): Promise<DriftReport>;
  /** Bind the policy's group to the Intune policy of the group's scenario (approvers only); never fatal. */
  bindPolicy(policyName: string, actor: Actor): Promise<BindPolicyResult>;
  /** Resume requests left in `approved`/`provisioning` by a crash; called at start-up and by a sweeper. */
  resumeInterrupted(): Promise<number>;
  /** Wait for background provisioning started by this instance (tests and graceful shutdown). */
  idle(): Promise<void>;
}

/** Outbound port: transitive Entra group membership (implemented by the Graph directory adapter). */
export interface GroupMembershipChecker {
  isTransitiveMember(userObjectId: string, groupId: string): Promise<boolean>;
}
