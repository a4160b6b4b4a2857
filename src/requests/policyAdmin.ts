/**
 * Policy administration: the drift check (and an approver's owner repair), binding a group to its Intune
 * policy, and where approval cards go. Anyone may check; everything that changes something is approvers'.
 */
import { graphRequestIdOf } from '../provisioning/graphError';
import type { BindResult, RestoreSubject } from '../provisioning/types';
import type { Actor } from '../domain/actor';
import type { ActingAs } from '../domain/delegation';
import { parsePolicyName, recordedPolicyName } from '../domain/policy';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import { SCENARIO_INFO } from '../domain/scenario';
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { AuditKind, BindClaim, GroupProvisioning } from './ports';
import type { NameResolveResult, PolicyResolution, PolicyTruth } from './resolution';
import type { BindPolicyResult, NoGroup, PolicyRef, RequestsService } from './types';

type PolicyAdministration = Pick<RequestsService, 'checkPolicy' | 'bindPolicy' | 'mayBind' | 'restoreGroup' | 'registerApprovalsChannel' | 'refuseUnreadableAction'>;

export function createPolicyAdministration(
  context: ServiceContext,
  permissions: Permissions,
  provisioning: Pick<GroupProvisioning, 'checkGroup' | 'bindToPolicy' | 'restoreGroup'>,
  truth: PolicyTruth,
  bindClaimOptions: BindClaimOptions = {},
): PolicyAdministration {
  const { store, logger } = context;
  const claimTiming = bindClaimTimingOf(bindClaimOptions);

  /** One audit entry about a policy, with the Graph request ids of the calls it made (space-separated). */
  async function auditPolicy(kind: AuditKind, policyKey: string, actor: Actor, detail: string, graphRequestIds: readonly string[] = []): Promise<void> {
    await store.appendAudit({
      kind,
      at: context.now(),
      actor,
      policyKey,
      detail,
      ...(graphRequestIds.length > 0 && { graphRequestId: graphRequestIds.join(' ') }),
    });
  }

  async function noGroup(resolution: PolicyResolution): Promise<NoGroup> {
    const request = await store.latestRequestForPolicy(resolution.key);
    return { kind: 'noGroup', policyName: resolution.policy.name, ...(request && { request }) };
  }

  /** A name typed by a person, or a record's key from a button, resolved; `fresh` for what changes the tenant (bind, restore). */
  function resolveName(policy: PolicyRef, fresh: boolean): Promise<NameResolveResult> {
    return truth.resolve(typeof policy === 'string' ? { name: policy } : policy, { fresh });
  }

  /** Binds the record to the Intune policy the resolution found: by its id, never by a name match. */
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

  /** The one bind that holds the policy's claim: audited before and after, recorded, and the requester told. */
  async function bindClaimed(resolution: PolicyResolution, group: PolicyGroupRecord, actor: Actor, options: ActingAs): Promise<BindPolicyResult> {
    const intuneName = resolution.intune.kind === 'found' ? resolution.intune.policy.name : resolution.policy.name;
    // Whose rights Intune judged the change by: the approver's own (delegated) or the bot's (app-only).
    const caller = options.as ? 'delegated call as the approver' : 'app-only call as the bot';
    await auditPolicy('bindRequested', group.policyKey, actor, `group ${group.groupId} to the ${SCENARIO_INFO[group.scenario].label} policy "${intuneName}" (${caller})`);
    // The recorded scenario decides which Intune policy is meant; the group itself is never changed here.
    const bind = await bindResolved(resolution, group, options);
    const graphRequestIds = bind.graphRequestIds ?? [];
    await auditPolicy(bind.outcome === 'bound' ? 'bound' : 'bindFailed', group.policyKey, actor, `${bindAuditDetail(bind)} (${caller})`, graphRequestIds);
    if (bind.outcome !== 'bound') {
      logger.warn({ policyKey: group.policyKey, outcome: bind.outcome }, 'binding to the Intune policy did not succeed');
      return { kind: 'attempted', group, bind };
    }
    truth.tenant.invalidate();
    const bound = (await store.recordBinding(group.policyKey, { intunePolicyId: bind.policyId, at: context.now(), by: actor })) ?? group;
    // The requester of the group learns that their policy now uses it.
    const request = await store.latestRequestForPolicy(group.policyKey);
    if (request?.state === 'provisioned') await context.notify('bound', request, actor);
    return { kind: 'attempted', group: bound, bind };
  }

  return {
    async checkPolicy(policy, actor, options = {}) {
      const resolved = await resolveName(policy, false);
      if (resolved.kind === 'invalid') return resolved;
      const { resolution } = resolved;
      // Nothing to check yet: say where the policy stands (e.g. its request waiting for approval), not a drift.
      const { record } = resolution;
      if (!record) return noGroup(resolution);
      let repairRefused: string | undefined;
      if (options.repairOwner === true) {
        repairRefused = await permissions.administer(actor, 'repair a group');
        if (repairRefused) {
          await context.recordDenial({ attempt: 'repair owner', reason: 'only approvers can repair a group; checked without repairing', actor, policyKey: record.policyKey });
        }
      }
      const report = await provisioning.checkGroup(record, { repairOwner: options.repairOwner === true && !repairRefused });
      if (report.ownerRepaired) truth.tenant.invalidate();
      if (!report.healthy) {
        const detail = report.findings.map((finding) => `${finding.code}: ${finding.message}`).join('; ');
        await auditPolicy('driftFound', record.policyKey, actor, detail, report.graphRequestIds);
      }
      return { kind: 'checked', report, ...(repairRefused !== undefined && { repairRefused }) };
    },

    async mayBind(actor) {
      return (await permissions.administer(actor, 'bind a group to its Intune policy')) === undefined;
    },

    async bindPolicy(policy, actor, options = {}) {
      const asked = askedKeyOf(policy);
      if (!asked.ok) return { kind: 'invalid', message: asked.reason };
      const refusal = await permissions.administer(actor, 'bind a group to its Intune policy');
      if (refusal) {
        await context.recordDenial({ attempt: 'bind', reason: refusal, actor, policyKey: asked.value });
        return { kind: 'forbidden', reason: refusal };
      }
      // Each read is fresh (Intune and the record); the claim makes the one bind that reaches Intune.
      for (let reread = 0; ; reread += 1) {
        const resolved = await resolveName(policy, true);
        if (resolved.kind === 'invalid') return resolved;
        const { resolution } = resolved;
        const group = resolution.record;
        if (!group) return noGroup(resolution);
        // Even when Intune already uses the group, a bind in flight is waited for: it is about to record who bound it.
        const outcome = await claimOrWait(group, actor);
        if (outcome.kind === 'claimed') {
          try {
            // Claimed at once: what was just read still holds (the claim required the binding read). After a wait: read again.
            if (!outcome.waited) return usesGroup(resolution, group) ? { kind: 'alreadyBound', group } : await bindClaimed(resolution, group, actor, options);
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

    async restoreGroup(policy, actor) {
      const asked = askedKeyOf(policy);
      if (!asked.ok) return { kind: 'invalid', message: asked.reason };
      const refusal = await permissions.administer(actor, 'restore a deleted group');
      if (refusal) {
        await context.recordDenial({ attempt: 'restore', reason: refusal, actor, policyKey: asked.value });
        return { kind: 'forbidden', reason: refusal };
      }
      const resolved = await resolveName(policy, true);
      if (resolved.kind === 'invalid') return resolved;
      const { resolution } = resolved;
      // The recorded group; without a record, the one the policy's newest request named (its stored names).
      const { record } = resolution;
      const request = record ? undefined : await store.latestRequestForPolicy(resolution.key);
      const subject: RestoreSubject | undefined = record
        ? { record }
        : request && { order: { policy: recordedPolicyName(request.policyName, request.policyKey), scenario: request.scenario, names: request.names } };
      if (!subject) return noGroup(resolution);
      const policyKey = record?.policyKey ?? resolution.key;
      const audit = (kind: 'groupRestored' | 'restoreFailed', detail: string, graphRequestIds: readonly string[]) => auditPolicy(kind, policyKey, actor, detail, graphRequestIds);
      try {
        const result = await provisioning.restoreGroup(subject, actor);
        if (result.outcome !== 'restored') {
          await audit('restoreFailed', `${result.outcome}: ${result.message}`, result.graphRequestIds);
          return { kind: 'notRestored', message: result.message };
        }
        truth.tenant.invalidate();
        await audit('groupRestored', `group ${result.group.groupId}${result.ownerReAdded ? ', owner re-added' : ''}`, result.graphRequestIds);
        return { kind: 'restored', group: result.group, ownerReAdded: result.ownerReAdded, findings: result.findings };
      } catch (error) {
        // Graph refused (a permission, an outage) or the group came back unusable: said and audited, as a failed
        // provisioning is, rather than failing the approver's turn.
        const message = error instanceof Error ? error.message : String(error);
        const graphRequestId = graphRequestIdOf(error);
        await audit('restoreFailed', message, graphRequestId === undefined ? [] : [graphRequestId]);
        logger.error({ err: error, policyKey }, 'restoring the deleted group failed');
        return { kind: 'notRestored', message };
      }
    },

    async registerApprovalsChannel(channel, actor) {
      const refusal = await permissions.review(actor);
      if (refusal) {
        await context.recordDenial({ attempt: 'register approvals', reason: 'not an approver', actor });
        return { kind: 'forbidden', reason: refusal };
      }
      await store.setApprovalsChannel(channel, actor.aadObjectId);
      await store.appendAudit({
        kind: 'approvalsChannelRegistered',
        at: context.now(),
        actor,
        detail: `channel ${channel.conversation?.name ?? channel.conversation?.id ?? '(unnamed)'}`,
      });
      logger.info({ actor: actor.aadObjectId }, 'approvals channel registered');
      return { kind: 'registered' };
    },

    async refuseUnreadableAction(attempt, problem, actor) {
      await context.recordDenial({ attempt, reason: problem, ...(actor && { actor }) });
    },
  };
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

function bindClaimTimingOf(options: BindClaimOptions): { readonly leaseMs: number; readonly pollMs: number; readonly rounds: number; readonly wait: (ms: number) => Promise<void> } {
  const { leaseMs, pollMs, maxWaitMs } = { ...BIND_CLAIM_DEFAULTS, ...options };
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return { leaseMs, pollMs, rounds: Math.max(1, Math.ceil(maxWaitMs / pollMs)), wait };
}

/** Intune already names the recorded group as the policy's device group (read fresh). */
function usesGroup(resolution: PolicyResolution, group: PolicyGroupRecord): boolean {
  const { intune } = resolution;
  return intune.kind === 'found' && intune.target.kind === 'group' && intune.target.groupId === group.groupId;
}

/** The key a refusal is audited under, before anything is resolved: the typed name's, or the button's. */
function askedKeyOf(policy: PolicyRef): { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string } {
  if (typeof policy !== 'string') return { ok: true, value: policy.policyKey };
  const parsed = parsePolicyName(policy);
  return parsed.ok ? { ok: true, value: parsed.value.key } : parsed;
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

