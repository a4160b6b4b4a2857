/**
 * The request lifecycle as a pure state machine, and the human-friendly request ids (`REQ-42`).
 *
 *   pending → approved → provisioning → provisioned | failed
 *   pending → rejected,  pending → cancelled,  failed → provisioning (retry)
 *   provisioning → cancelled (superseded: the policy got its group meanwhile, so none is made)
 */
import type { Actor } from './actor';
import type { GroupNames } from './naming';
import type { Scenario } from './scenario';

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
export interface ConversationAccount {
  /** The Teams id (`29:…` for a user), what an @mention needs. */
  readonly id: string;
  readonly name: string;
  readonly aadObjectId?: string;
}

export interface ConversationInfo {
  readonly id: string;
  readonly name: string;
  readonly conversationType: string;
  readonly isGroup: boolean;
  readonly tenantId?: string;
}

/**
 * A conversation to write to later: botbuilder's ConversationReference without `activityId`, as plain JSON so
 * nothing below the bot needs botbuilder (the shapes match, so the bot passes one in and gets one back).
 * A request keeps the one it was submitted from, to tell a requester without a personal chat there.
 */
export interface ConversationAddress {
  readonly channelId?: string;
  readonly serviceUrl?: string;
  readonly locale?: string;
  readonly conversation?: ConversationInfo;
  readonly user?: ConversationAccount;
  readonly bot?: ConversationAccount;
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
  readonly origin?: ConversationAddress;
  /** Optimistic-concurrency version, bumped on every state change. */
  readonly version: number;
}

/**
 * States of a request in flight: at most one request per policy key may be in one of them (enforced by the DB).
 * Once provisioned, the policy's group record answers later requests (and, when Entra purged it, lets one through).
 */
export const ACTIVE_STATES: readonly RequestState[] = ['pending', 'approved', 'provisioning'];

/** States a crash can leave work unfinished in: they are resumed at start-up or by the sweeper. */
export const INTERRUPTIBLE_STATES: readonly RequestState[] = ['approved', 'provisioning'];

const ALLOWED: Readonly<Record<RequestState, readonly RequestState[]>> = {
  pending: ['approved', 'rejected', 'cancelled'],
  approved: ['provisioning'],
  provisioning: ['provisioned', 'failed', 'cancelled'],
  failed: ['provisioning'],
  provisioned: [],
  rejected: [],
  cancelled: [],
};

const DESCRIPTION: Readonly<Record<RequestState, string>> = {
  pending: 'is waiting for approval',
  approved: 'has been approved',
  provisioning: 'is being provisioned',
  provisioned: 'has been provisioned',
  failed: 'failed to provision',
  rejected: 'was rejected',
  cancelled: 'was cancelled',
};

const WHY_ONLY: Readonly<Record<RequestState, string>> = {
  pending: 'only a new request starts pending',
  approved: 'only a pending request can be approved',
  provisioning: 'only an approved or failed request can be provisioned',
  provisioned: 'only a request being provisioned can complete',
  failed: 'only a request being provisioned can fail',
  rejected: 'only a pending request can be rejected',
  cancelled: 'only a pending request can be cancelled',
};

export type TransitionCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function isActiveState(state: RequestState): boolean {
  return ACTIVE_STATES.includes(state);
}

export function isRequestState(value: unknown): value is RequestState {
  return typeof value === 'string' && (REQUEST_STATES as readonly string[]).includes(value);
}

/** Whether `from → to` is a lifecycle transition; when not, a sentence that says why. */
export function checkTransition(requestId: string, from: RequestState, to: RequestState): TransitionCheck {
  if (ALLOWED[from].includes(to)) return { ok: true };
  return { ok: false, reason: `${requestId} ${DESCRIPTION[from]}; ${WHY_ONLY[to]}.` };
}

const REQUEST_ID_PREFIX = 'REQ-';
/** At most 12 digits: far beyond any real sequence, and short enough that no typed or forged id gets near unsafe integers. */
const MAX_SEQUENCE = 999_999_999_999;
const REQUEST_ID_PATTERN = /^REQ-?(\d{1,12})$/i;

export function formatRequestId(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`A request number must be a positive integer of at most 12 digits, got ${sequence}.`);
  }
  return `${REQUEST_ID_PREFIX}${sequence}`;
}

/** Parses what a person (or a card) sends: `REQ-42`, `req-42`, `REQ42`, ` REQ-0042 ` → 42. */
export function parseRequestId(raw: unknown): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = REQUEST_ID_PATTERN.exec(raw.trim());
  if (!match) return undefined;
  const sequence = Number(match[1]);
  return sequence >= 1 ? sequence : undefined;
}

/** Whether text is meant as a request id, well-formed or not (`REQ-abc` is a mistyped id, not a policy name). */
export function looksLikeRequestId(text: string): boolean {
  return /^REQ-/i.test(text.trim());
}

/** What a person (or a card) sends, as the request's own id (` req-0042 ` → `REQ-42`); undefined when it is none. */
export function normaliseRequestId(raw: unknown): string | undefined {
  const sequence = parseRequestId(raw);
  return sequence === undefined ? undefined : formatRequestId(sequence);
}
