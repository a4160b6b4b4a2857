/**
 * Binding a recorded group to its Intune policy, the one way Bind, Use the bot's group and Replace group do it:
 * audited before and after (whose rights Intune judged: the approver's delegated token or the bot's app-only
 * one), the binding recorded, and the group's requester told. The group itself is never changed here.
 * `bindOnce` is the approvers' click: the policy's bind claim in the store makes one bind reach Intune however
 * many approvers (on however many instances) click at once; the others are told who bound it.
 */
import type { Actor } from '../domain/actor';
import type { ActingAs } from '../domain/delegation';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import { SCENARIO_INFO } from '../domain/scenario';
import type { BindResult } from '../provisioning/types';
import type { ServiceContext } from './context';
import type { AuditKind, BindClaim, GroupProvisioning } from './ports';
import type { PolicyResolution, PolicyTruth } from './resolution';
import type { BindPolicyResult } from './types';

export interface BindAttempt {
  /** The record as it is after the bind (with the binding when Intune took it). */
  readonly group: PolicyGroupRecord;
  readonly bind: BindResult;
}

/** What a click's fresh read found: the policy and its recorded group to bind, or the answer already (no group, say). */
export type BindRead<Answer> = { readonly kind: 'read'; readonly resolution: PolicyResolution; readonly group: PolicyGroupRecord } | { readonly kind: 'answered'; readonly answer: Answer };

export interface Binder {
  /** Binds the record to the Intune policy the resolution found, by its id (never by a name match). */
  bind(resolution: PolicyResolution, record: PolicyGroupRecord, actor: Actor, options: ActingAs): Promise<BindAttempt>;
  /**
   * An approver's click: reads (fresh, through `read`), takes the policy's bind claim and binds, unless Intune
   * already uses the recorded group or another approver's bind holds the claim.
   */
  bindOnce<Answer>(read: () => Promise<BindRead<Answer>>, actor: Actor, options: ActingAs): Promise<BindPolicyResult | Answer>;
}

/**
 * How binds of one policy take turns (its claim in the store). `leaseMs`: a claim older than this was abandoned (its
 * instance stopped mid-bind; one bind with Intune's replication retries takes well under it). A click that meets
 * another approver's bind waits `pollMs` at a time, up to `maxWaitMs`, then reads Intune again.
 */
export interface BindClaimOptions {
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly maxWaitMs?: number;
  readonly wait?: (ms: number) => Promise<void>;
}

const BIND_CLAIM_DEFAULTS = { leaseMs: 120_000, pollMs: 250, maxWaitMs: 10_000 };
/** Fresh reads one click makes at most while the record keeps changing under it. */
const MAX_BIND_REREADS = 3;

/** One audit entry about a policy, with the Graph request ids of the calls it made (space-separated). */
export async function auditPolicy(context: ServiceContext, kind: AuditKind, policyKey: string, actor: Actor, detail: string, graphRequestIds: readonly string[] = []): Promise<void> {
  await context.store.appendAudit({
    kind,
    at: context.now(),
    actor,
    policyKey,
    detail,
    ...(graphRequestIds.length > 0 && { graphRequestId: graphRequestIds.join(' ') }),
  });
}

export function createBinder(context: ServiceContext, provisioning: Pick<GroupProvisioning, 'bindToPolicy'>, truth: PolicyTruth, claimOptions: BindClaimOptions = {}): Binder {
  const { store, logger } = context;
  const claimTiming = bindClaimTimingOf(claimOptions);

  async function bindResolved(resolution: PolicyResolution, record: PolicyGroupRecord, options: ActingAs): Promise<BindResult> {
    const { intune } = resolution;
    const label = SCENARIO_INFO[record.scenario].label;
    switch (intune.kind) {
      case 'absent':
        return { outcome: 'policyNotFound', message: `Intune has no device-preparation policy named "${resolution.policy.name}" yet. Create it as a ${label} policy, then bind again.` };
      case 'ambiguous':
        return { outcome: 'failed', message: intune.reason };
      case 'unavailable':
        return { outcome: 'failed', message: `${intune.message} Nothing was bound; try again later.` };
      case 'found':
        if (intune.policy.scenario !== record.scenario) {
          return {
            outcome: 'policyNotFound',
            message: `The Intune policy "${intune.policy.name}" is a ${SCENARIO_INFO[intune.policy.scenario].label} policy, but its group was made for ${label}. Bind it by hand, or request a group for the right scenario.`,
          };
        }
        return provisioning.bindToPolicy(record, intune.policy.id, options);
    }
  }

  async function bind(resolution: PolicyResolution, group: PolicyGroupRecord, actor: Actor, options: ActingAs): Promise<BindAttempt> {
    const intuneName = resolution.intune.kind === 'found' ? resolution.intune.policy.name : resolution.policy.name;
    // Whose rights Intune judged the change by: the approver's own (delegated) or the bot's (app-only).
    const caller = options.as ? 'delegated call as the approver' : 'app-only call as the bot';
    await auditPolicy(context, 'bindRequested', group.policyKey, actor, `group ${group.groupId} to the ${SCENARIO_INFO[group.scenario].label} policy "${intuneName}" (${caller})`);
    // The recorded scenario decides which Intune policy is meant; the group itself is never changed here.
    const answer = await bindResolved(resolution, group, options);
    await auditPolicy(context, answer.outcome === 'bound' ? 'bound' : 'bindFailed', group.policyKey, actor, `${bindAuditDetail(answer)} (${caller})`, answer.graphRequestIds ?? []);
    if (answer.outcome !== 'bound') {
      logger.warn({ policyKey: group.policyKey, outcome: answer.outcome }, 'binding to the Intune policy did not succeed');
      return { group, bind: answer };
    }
    truth.tenant.invalidate();
    const bound = (await store.recordBinding(group.policyKey, { intunePolicyId: answer.policyId, at: context.now(), by: actor })) ?? group;
    // The requester of the group learns that their policy now uses it (not of a group it replaced).
    const request = await store.latestRequestForPolicy(group.policyKey);
    if (request?.state === 'provisioned' && request.groupId === group.groupId) await context.notify('bound', request, actor);
    return { group: bound, bind: answer };
  }

  /**
   * Takes the policy's bind claim, waiting (in the store alone) while another approver's bind holds it. `waited`:
   * taken only after a wait, so what the caller read before may be stale. `held` once the wait is over.
   */
  async function claimOrWait(group: PolicyGroupRecord, actor: Actor): Promise<
    { readonly kind: 'claimed'; readonly claim: BindClaim; readonly waited: boolean } | { readonly kind: 'changed' } | { readonly kind: 'held'; readonly by: Actor; readonly since: string }
  > {
    for (let round = 0; ; round += 1) {
      const claim: BindClaim = {
        policyKey: group.policyKey,
        groupId: group.groupId,
        seenBoundAt: group.binding?.at ?? null,
        at: context.now(),
        by: actor,
        staleBefore: new Date(context.nowMs() - claimTiming.leaseMs).toISOString(),
      };
      const claimed = await store.claimBinding(claim);
      if (claimed.kind === 'claimed') return { kind: 'claimed', claim, waited: round > 0 };
      if (claimed.kind === 'changed' || round >= claimTiming.rounds) return claimed;
      await claimTiming.wait(claimTiming.pollMs);
    }
  }

  return {
    bind,
    async bindOnce(read, actor, options) {
      // Each read is fresh (Intune and the record); the claim makes the one bind that reaches Intune.
      for (let reread = 0; ; reread += 1) {
        const found = await read();
        if (found.kind === 'answered') return found.answer;
        const { group } = found;
        // Even when Intune already uses the group, a bind in flight is waited for: it is about to record who bound it.
        const outcome = await claimOrWait(group, actor);
        if (outcome.kind === 'claimed') {
          try {
            // The claim required the record as read, so it still holds; after a wait, Intune is read again (holding the
            // claim) since the bind that was waited for may have changed it without recording a binding (it failed, say).
            const current = outcome.waited ? await read() : found;
            if (current.kind === 'answered') return current.answer;
            if (sameRecord(current.group, group)) {
              return usesGroup(current.resolution, current.group)
                ? { kind: 'alreadyBound', group: current.group }
                : { kind: 'attempted', ...(await bind(current.resolution, current.group, actor, options)) };
            }
          } finally {
            await store.releaseBindClaim(group.policyKey, outcome.claim);
          }
        }
        if (outcome.kind === 'held') return { kind: 'bindInProgress', group, by: outcome.by, since: outcome.since };
        if (reread >= MAX_BIND_REREADS) {
          return { kind: 'attempted', group, bind: { outcome: 'failed', message: "The policy's record kept changing while I read it (other approvers binding?). Nothing was sent to Intune; try again." } };
        }
      }
    },
  };
}

function bindClaimTimingOf(options: BindClaimOptions): { readonly leaseMs: number; readonly pollMs: number; readonly rounds: number; readonly wait: (ms: number) => Promise<void> } {
  const { leaseMs, pollMs, maxWaitMs } = { ...BIND_CLAIM_DEFAULTS, ...options };
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return { leaseMs, pollMs, rounds: Math.max(1, Math.ceil(maxWaitMs / pollMs)), wait };
}

/** The same record of the policy's group, with the same binding: what a claim taken on the first was taken on. */
function sameRecord(current: PolicyGroupRecord, claimed: PolicyGroupRecord): boolean {
  return current.policyKey === claimed.policyKey && current.groupId === claimed.groupId && (current.binding?.at ?? null) === (claimed.binding?.at ?? null);
}

/** Intune already names the recorded group as the policy's device group (read fresh). */
function usesGroup(resolution: PolicyResolution, group: PolicyGroupRecord): boolean {
  const { intune } = resolution;
  return intune.kind === 'found' && intune.target.kind === 'group' && intune.target.groupId === group.groupId;
}

/** One audit line per binding outcome, with Intune's per-target validation codes. */
function bindAuditDetail(bind: BindResult): string {
  switch (bind.outcome) {
    case 'bound':
    case 'validationFailed': {
      const statuses = bind.statuses.map((status) => `${status.targetId} ${status.validationSucceeded ? 'ok' : (status.errorCode ?? 'failed')}`);
      return `${bind.outcome} on policy ${bind.policyId}: ${statuses.join('; ')}`;
    }
    case 'policyNotFound':
    case 'failed':
      return `${bind.outcome}: ${bind.message}`;
  }
}
