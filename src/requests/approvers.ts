/**
 * Who may approve: configured Entra object ids, and/or the transitive members of an Entra group (asked of
 * Graph through the directory adapter, cached briefly so a burst of clicks costs one lookup per person).
 */
import type { Actor } from '../domain/actor';
import { type Clock, systemClock } from '../shared/clock';
import type { ApproverDirectory, GroupMembershipChecker } from './ports';

export const DEFAULT_APPROVER_CACHE_TTL_MS = 60_000;

export interface ApproverDirectoryOptions {
  readonly approverIds: readonly string[];
  readonly approverGroupId?: string;
  /** Required when approverGroupId is set. */
  readonly membership?: GroupMembershipChecker;
  readonly cacheTtlMs?: number;
  /** Injectable so tests control expiry. */
  readonly clock?: Clock;
}

interface CachedAnswer {
  readonly expiresAt: number;
  readonly answer: Promise<boolean>;
}

export function createApproverDirectory(options: ApproverDirectoryOptions): ApproverDirectory {
  const { approverGroupId, membership } = options;
  if (approverGroupId !== undefined && membership === undefined) {
    throw new Error('createApproverDirectory: an approver group needs a membership checker');
  }
  const ids = new Set(options.approverIds.map(normaliseId));
  const ttl = options.cacheTtlMs ?? DEFAULT_APPROVER_CACHE_TTL_MS;
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now().getTime();
  const cache = new Map<string, CachedAnswer>();

  function groupMembership(objectId: string, groupId: string, checker: GroupMembershipChecker): Promise<boolean> {
    const cached = cache.get(objectId);
    if (cached && cached.expiresAt > now()) return cached.answer;
    // Concurrent clicks share one in-flight lookup; a failed lookup is not cached (the next click asks again).
    const answer = checker.isTransitiveMember(objectId, groupId);
    cache.set(objectId, { expiresAt: now() + ttl, answer });
    answer.catch(() => {
      if (cache.get(objectId)?.answer === answer) cache.delete(objectId);
    });
    return answer;
  }

  return {
    async listApprovers() {
      const members = approverGroupId !== undefined && membership !== undefined ? await membership.listTransitiveUserMembers(approverGroupId) : [];
      return [...new Set([...ids, ...members.map(normaliseId)])];
    },

    async isApprover(actor: Actor): Promise<boolean> {
      const objectId = normaliseId(actor.aadObjectId);
      if (objectId === '') return false;
      if (ids.has(objectId)) return true;
      if (approverGroupId === undefined || membership === undefined) return false;
      return groupMembership(objectId, approverGroupId, membership);
    },
  };
}

/** Object ids are GUIDs: compare them case-insensitively. */
function normaliseId(id: string): string {
  return id.trim().toLowerCase();
}
