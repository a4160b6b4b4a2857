/**
 * The requests service: submit, decide, cancel, retry and provision device-group requests. Authorisation
 * happens here, on the server, from the actor's object id; every state change is one conditional write in
 * the store (the database decides races), audited in the same transaction and announced to the notifier
 * after it committed. Provisioning runs in the background after an approval, so the approver is not held.
 */
import { type Logger, silentLogger } from '../logger';
import type { Actor } from '../domain/actor';
import { parsePolicyName } from '../domain/policy';
import { INTERRUPTIBLE_STATES, checkTransition } from '../domain/request';
import { SCENARIO_INFO, isScenario } from '../domain/scenario';
import type { BindResult, GroupNames, ProvisioningService } from '../provisioning/types';
import type { AuditEntryInput, AuditKind, RequestChange, Store, TransitionResult } from '../store/port';
import type {
  ApproverDirectory,
  BindPolicyResult,
  DecideResult,
  GroupRequest,
  NewRequestInput,
  RequestEventKind,
  RequestNotifier,
  RequestsService,
  SubmitResult,
} from './types';
import { validateDecisionReason, validateGroupPage, validateRequestFields } from './validation';

export interface RequestsServiceDeps {
  readonly store: Store;
  readonly provisioning: ProvisioningService;
  readonly approvers: ApproverDirectory;
  readonly notifier?: RequestNotifier;
  readonly clock?: () => Date;
  /** Let an approver approve their own request (small teams); off by default. */
  readonly allowSelfApproval?: boolean;
  readonly logger?: Logger;
  /**
   * How long a request must have sat in `approved`/`provisioning` before `resumeInterrupted` takes it over.
   * With several instances, a younger one is probably being provisioned by another instance right now.
   */
  readonly resumeAfterMs?: number;
}

/** A policy name or other input the service cannot act on (e.g. for `checkPolicy`). */
export class InvalidRequestInputError extends Error {
  override readonly name = 'InvalidRequestInputError';
}

const DEFAULT_RESUME_AFTER_MS = 60_000;

export function createRequestsService(deps: RequestsServiceDeps): RequestsService {
  const { store, provisioning, approvers } = deps;
  const clock = deps.clock ?? (() => new Date());
  const logger = deps.logger ?? silentLogger;
  const resumeAfterMs = deps.resumeAfterMs ?? DEFAULT_RESUME_AFTER_MS;
  // Background provisioning started by this instance, by request id (never module state).
  const inFlight = new Map<string, Promise<void>>();

  const now = (): string => clock().toISOString();

  async function notify(kind: RequestEventKind, request: GroupRequest, actor?: Actor): Promise<void> {
    if (!deps.notifier) return;
    try {
      await deps.notifier.notify({ kind, request, ...(actor && { actor }) });
    } catch (error) {
      // The transition is committed; a lost notification must not undo or fail it.
      logger.warn({ err: error, requestId: request.id, event: kind }, 'request notification failed');
    }
  }

  function auditOf(kind: AuditKind, request: GroupRequest, at: string, actor?: Actor, detail?: string): AuditEntryInput {
    return {
      kind,
      at,
      requestId: request.id,
      policyKey: request.policyKey,
      ...(actor && { actor }),
      ...(detail !== undefined && { detail }),
    };
  }

  async function deny(request: GroupRequest, actor: Actor, attempt: string, reason: string): Promise<DecideResult> {
    await store.appendAudit(auditOf('denied', request, now(), actor, `${attempt}: ${reason}`));
    return { kind: 'forbidden', reason, request };
  }

  /** Audits a refusal about a policy rather than a request (checks, binding). */
  async function recordPolicyDenial(policyKey: string, actor: Actor, attempt: string, reason: string): Promise<void> {
    await store.appendAudit({ kind: 'denied', at: now(), actor, policyKey, detail: `${attempt}: ${reason}` });
  }

  /** The answer to a caller whose conditional write lost (or came too late). */
  function lostRace(current: GroupRequest, wanted: GroupRequest['state']): DecideResult {
    if (current.decision && wanted !== 'provisioning') return { kind: 'alreadyDecided', request: current };
    const check = checkTransition(current.id, current.state, wanted);
    return { kind: 'forbidden', reason: check.ok ? `${current.id} changed meanwhile; try again.` : check.reason, request: current };
  }

  function settle(result: TransitionResult, requestId: string, wanted: GroupRequest['state']): DecideResult | GroupRequest {
    switch (result.kind) {
      case 'applied':
        return result.request;
      case 'notFound':
        return { kind: 'notFound', requestId };
      case 'conflict':
        return lostRace(result.request, wanted);
      case 'activeRequestExists':
        return {
          kind: 'forbidden',
          reason: `${result.request.id} is now the active request for policy "${result.request.policyName}"; follow that one instead.`,
          request: result.request,
        };
    }
  }

  async function isApprover(actor: Actor): Promise<boolean> {
    return approvers.isApprover(actor);
  }

  async function decisionRefusal(request: GroupRequest, actor: Actor): Promise<string | undefined> {
    if (!(await isApprover(actor))) return 'Only approvers can approve or reject requests.';
    if (request.requester.aadObjectId === actor.aadObjectId && !deps.allowSelfApproval) {
      return 'You cannot decide your own request; another approver has to.';
    }
    return undefined;
  }

  async function decide(
    kind: 'approved' | 'rejected',
    requestId: string,
    actor: Actor,
    reasonInput?: string,
  ): Promise<DecideResult> {
    const request = await store.getRequest(requestId);
    if (!request) return { kind: 'notFound', requestId };
    const attempt = kind === 'approved' ? 'approve' : 'reject';
    const refusal = await decisionRefusal(request, actor);
    if (refusal) return deny(request, actor, attempt, refusal);
    const reason = validateDecisionReason(reasonInput);
    if (!reason.ok) return { kind: 'forbidden', reason: reason.message, request };
    const at = now();
    const change: RequestChange = {
      to: kind,
      at,
      decision: { kind, by: actor, at, ...(reason.value !== undefined && { reason: reason.value }) },
    };
    const outcome = settle(
      await store.transitionRequest(request.id, { state: 'pending' }, change, auditOf(kind, request, at, actor, reason.value)),
      request.id,
      kind,
    );
    if ('kind' in outcome) return outcome;
    await notify(kind, outcome, actor);
    if (kind === 'approved') startInBackground(outcome, () => claimAndProvision(outcome, actor));
    return { kind: 'decided', request: outcome };
  }

  function startInBackground(request: GroupRequest, work: () => Promise<void>): void {
    if (inFlight.has(request.id)) return;
    const running = work()
      .catch((error: unknown) => logger.error({ err: error, requestId: request.id }, 'background provisioning stopped'))
      .finally(() => inFlight.delete(request.id));
    inFlight.set(request.id, running);
  }

  /**
   * Takes a request from `approved` (or re-takes one stuck in `provisioning`) by a compare-and-set on its
   * version, so of several instances resuming the same request only one goes on; then provisions it.
   * Re-taking `provisioning → provisioning` is not a lifecycle transition, only a claim (the version moves).
   */
  async function claimAndProvision(request: GroupRequest, actor: Actor | undefined, detail?: string): Promise<void> {
    const at = now();
    const claim = await store.transitionRequest(
      request.id,
      { state: request.state, version: request.version },
      { to: 'provisioning', at },
      auditOf('provisioningStarted', request, at, actor, detail),
    );
    if (claim.kind !== 'applied') return; // another instance moved it on
    if (request.state !== 'provisioning') await notify('provisioning', claim.request, actor);
    await provision(claim.request, actor);
  }

  async function provision(request: GroupRequest, actor: Actor | undefined): Promise<void> {
    // The group is created on behalf of whoever approved (or retried) it.
    const onBehalfOf = actor ?? request.decision?.by ?? request.requester;
    const expected = { state: 'provisioning' as const, version: request.version };
    let change: RequestChange;
    let audit: AuditEntryInput;
    try {
      const result = await provisioning.ensureGroup(request.policyName, request.scenario, onBehalfOf);
      await auditGraphCalls(request, result.graphRequestIds);
      const at = now();
      change = { to: 'provisioned', at, groupId: result.group.groupId };
      audit = auditOf('provisioned', request, at, actor, `group ${result.group.groupId}${result.created ? ' created' : ' already existed'}`);
    } catch (error) {
      const graphRequestId = graphRequestIdOf(error);
      if (graphRequestId) await auditGraphCalls(request, [graphRequestId]);
      const at = now();
      const reason = error instanceof Error ? error.message : String(error);
      change = { to: 'failed', at, failureReason: reason };
      audit = auditOf('failed', request, at, actor, reason);
      logger.warn({ err: error, requestId: request.id }, 'provisioning failed');
    }
    const finished = await store.transitionRequest(request.id, expected, change, audit);
    if (finished.kind === 'applied') await notify(change.to === 'provisioned' ? 'provisioned' : 'failed', finished.request, actor);
  }

  async function auditGraphCalls(request: GroupRequest, graphRequestIds: readonly string[]): Promise<void> {
    for (const graphRequestId of graphRequestIds) {
      await store.appendAudit({ ...auditOf('graphCall', request, now()), graphRequestId });
    }
  }

  return {
    async submit(input: NewRequestInput): Promise<SubmitResult> {
      const fields = validateRequestFields(input);
      if (!fields.ok) return { kind: 'invalid', field: fields.field, message: fields.message };
      const policy = parsePolicyName(input.policyName);
      if (!policy.ok) return { kind: 'invalid', field: 'policyName', message: policy.reason };
      if (!isScenario(input.scenario)) {
        return { kind: 'invalid', field: 'scenario', message: 'Choose the scenario: user-driven or automatic.' };
      }
      let names: GroupNames;
      try {
        names = provisioning.previewNames(policy.value.name, input.scenario);
      } catch (error) {
        return { kind: 'invalid', field: 'policyName', message: error instanceof Error ? error.message : String(error) };
      }
      const group = await store.findGroup(policy.value.key);
      if (group) return { kind: 'groupExists', group };
      const result = await store.createRequest({
        policyKey: policy.value.key,
        policyName: policy.value.name,
        scenario: input.scenario,
        names,
        ...(fields.ticket !== undefined && { ticket: fields.ticket }),
        ...(fields.justification !== undefined && { justification: fields.justification }),
        requester: input.requester,
        ...(input.origin !== undefined && { origin: input.origin }),
        createdAt: now(),
      });
      if (result.kind === 'created') await notify('requested', result.request, input.requester);
      return result;
    },

    approve: (requestId, actor) => decide('approved', requestId, actor),

    reject: (requestId, actor, reason) => decide('rejected', requestId, actor, reason),

    async cancel(requestId, actor) {
      const request = await store.getRequest(requestId);
      if (!request) return { kind: 'notFound', requestId };
      if (request.requester.aadObjectId !== actor.aadObjectId) {
        return deny(request, actor, 'cancel', 'Only the person who asked for it can cancel a request.');
      }
      const at = now();
      const outcome = settle(
        await store.transitionRequest(request.id, { state: 'pending' }, { to: 'cancelled', at }, auditOf('cancelled', request, at, actor)),
        request.id,
        'cancelled',
      );
      if ('kind' in outcome) return outcome;
      await notify('cancelled', outcome, actor);
      return { kind: 'decided', request: outcome };
    },

    async retry(requestId, actor) {
      const request = await store.getRequest(requestId);
      if (!request) return { kind: 'notFound', requestId };
      if (!(await isApprover(actor))) return deny(request, actor, 'retry', 'Only approvers can retry provisioning.');
      const at = now();
      const outcome = settle(
        await store.transitionRequest(
          request.id,
          { state: 'failed' },
          { to: 'provisioning', at, failureReason: null },
          auditOf('provisioningStarted', request, at, actor, 'retry'),
        ),
        request.id,
        'provisioning',
      );
      if ('kind' in outcome) return outcome;
      await notify('provisioning', outcome, actor);
      startInBackground(outcome, () => provision(outcome, actor));
      return { kind: 'decided', request: outcome };
    },

    get: (requestId) => store.getRequest(requestId),

    async statusOfPolicy(policyName) {
      const policy = parsePolicyName(policyName);
      if (!policy.ok) return {};
      const [request, group] = await Promise.all([
        store.latestRequestForPolicy(policy.value.key),
        store.findGroup(policy.value.key),
      ]);
      return { ...(request && { request }), ...(group && { group }) };
    },

    listPending: () => store.listRequestsInStates(['pending']),

    listByRequester: (aadObjectId) => store.listRequestsByRequester(aadObjectId),

    async listGroups(offset, limit) {
      const page = validateGroupPage(offset, limit);
      if (!page.ok) throw new InvalidRequestInputError(page.message);
      return store.listGroups(page.offset, page.limit);
    },

    async checkPolicy(policyName, actor, options = {}) {
      const policy = parsePolicyName(policyName);
      if (!policy.ok) throw new InvalidRequestInputError(policy.reason);
      // Anyone may check; only an approver may have the check change the group (re-add the owner).
      let repairOwner = options.repairOwner === true;
      if (repairOwner && !(await isApprover(actor))) {
        repairOwner = false;
        await recordPolicyDenial(policy.value.key, actor, 'repair owner', 'only approvers can repair a group; checked without repairing');
      }
      const report = await provisioning.checkGroup(policy.value.name, { repairOwner });
      if (!report.healthy) {
        await store.appendAudit({
          kind: 'driftFound',
          at: now(),
          actor,
          policyKey: policy.value.key,
          detail: report.findings.map((finding) => `${finding.code}: ${finding.message}`).join('; '),
          ...(report.graphRequestIds[0] !== undefined && { graphRequestId: report.graphRequestIds.join(' ') }),
        });
      }
      return report;
    },

    async bindPolicy(policyName, actor): Promise<BindPolicyResult> {
      const policy = parsePolicyName(policyName);
      if (!policy.ok) return { kind: 'invalid', message: policy.reason };
      if (!(await isApprover(actor))) {
        const reason = 'Only approvers can bind a group to its Intune policy.';
        await recordPolicyDenial(policy.value.key, actor, 'bind', reason);
        return { kind: 'forbidden', reason };
      }
      const group = await store.findGroup(policy.value.key);
      if (!group) {
        const request = await store.latestRequestForPolicy(policy.value.key);
        return { kind: 'noGroup', policyName: policy.value.name, ...(request && { request }) };
      }
      await store.appendAudit({
        kind: 'bindRequested',
        at: now(),
        actor,
        policyKey: group.policyKey,
        detail: `group ${group.groupId} to the ${SCENARIO_INFO[group.scenario].label} policy "${group.policyName}"`,
      });
      // The recorded scenario decides which Intune policy is meant; the group itself is never changed here.
      const bind = await provisioning.bindToPolicy(group.policyName, group.scenario);
      const graphRequestIds = bind.graphRequestIds ?? [];
      await store.appendAudit({
        kind: bind.outcome === 'bound' ? 'bound' : 'bindFailed',
        at: now(),
        actor,
        policyKey: group.policyKey,
        detail: bindAuditDetail(bind),
        ...(graphRequestIds.length > 0 && { graphRequestId: graphRequestIds.join(' ') }),
      });
      if (bind.outcome !== 'bound') logger.warn({ policyKey: group.policyKey, outcome: bind.outcome }, 'binding to the Intune policy did not succeed');
      return { kind: 'attempted', group, bind };
    },

    async resumeInterrupted() {
      const cutoff = clock().getTime() - resumeAfterMs;
      const stuck = (await store.listRequestsInStates(INTERRUPTIBLE_STATES)).filter(
        (request) => !inFlight.has(request.id) && Date.parse(request.updatedAt) <= cutoff,
      );
      for (const request of stuck) {
        startInBackground(request, () => claimAndProvision(request, undefined, 'resumed after an interruption'));
      }
      if (stuck.length > 0) logger.info({ requestIds: stuck.map((request) => request.id) }, 'resuming interrupted provisioning');
      return stuck.length;
    },

    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
  };
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

/** Graph's request id, when the provisioning error carries one (GraphError does). */
function graphRequestIdOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('requestId' in error)) return undefined;
  return typeof error.requestId === 'string' ? error.requestId : undefined;
}

/** Re-runs `resumeInterrupted` every `intervalMs` (never overlapping) until stopped. */
export function startSweeper(
  service: Pick<RequestsService, 'resumeInterrupted'>,
  options: { readonly intervalMs: number; readonly logger?: Logger },
): { stop(): Promise<void> } {
  const logger = options.logger ?? silentLogger;
  let running: Promise<unknown> = Promise.resolve();
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    running = service
      .resumeInterrupted()
      .catch((error: unknown) => logger.error({ err: error }, 'sweeper: resuming interrupted requests failed'))
      .finally(() => {
        sweeping = false;
      });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
