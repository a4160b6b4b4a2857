/**
 * The store port: everything that must survive a restart and be shared by several bot instances.
 * Two adapters implement it (SQLite by default, PostgreSQL for several instances) and pass one shared
 * contract test suite. The invariants live in the database (unique indexes, conditional updates, triggers),
 * never in read-then-write application code.
 */
import type { Storage } from 'botbuilder';
import type { Actor } from '../domain/actor';
import type { ConversationStore } from '../bot/ports';
import type { PolicyGroupRecord, PolicyGroupRegistry } from '../provisioning/types';
import type { Decision, GroupRequest, Page, RequestState } from '../requests/types';
import type { PostgresConnectionOptions } from './postgres';

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
  /** Someone tried something they may not do (not an approver, self-approval, not the requester). */
  'denied',
  /** An approver asked to bind a policy's group to its Intune policy; then `bound` or `bindFailed`. */
  'bindRequested',
  'bound',
  'bindFailed',
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

export interface AuditLog {
  appendAudit(entry: AuditEntryInput): Promise<AuditEntry>;
  /** In log order. */
  listAudit(filter?: AuditFilter): Promise<readonly AuditEntry[]>;
  /** RFC 4180 CSV with a header row, in log order. */
  exportAuditCsv(filter?: AuditFilter): Promise<string>;
}

export interface GroupCatalogue extends PolicyGroupRegistry {
  /** Ordered by policy name. */
  listGroups(offset: number, limit: number): Promise<Page<PolicyGroupRecord>>;
}

export interface Store extends RequestRepository, AuditLog, GroupCatalogue, ConversationStore {
  /** botbuilder `Storage` over the same database (conversation/user state), honouring eTags. */
  readonly botStorage: Storage;
  /** Readiness: throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreOptions =
  | { readonly kind: 'sqlite'; readonly path: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize?: number;
      /** PostgreSQL schema holding the tables (created when missing); default `public`. */
      readonly schema?: string;
      /** Token password, CA, timeouts and logger (src/store/postgres.ts). */
      readonly connection?: PostgresConnectionOptions;
    };

/** The database holds data this version cannot read, or is not one of ours: refuse to start. */
export class StoreIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreIntegrityError';
  }
}
