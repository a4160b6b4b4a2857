/**
 * The request lifecycle: submit, approve, reject, cancel, retry. Each change is one conditional write in the
 * store (the database decides races), audited in the same transaction and announced after it committed.
 */
import type { Actor } from '../domain/actor';
import { parsePolicyName, type PolicyName } from '../domain/policy';
import { checkTransition, type GroupRequest, type RequestState } from '../domain/request';
import { isScenario, type Scenario } from '../domain/scenario';
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { AuditEntryInput, GroupProvisioning, RequestChange, TransitionResult } from './ports';
import type { ProvisioningRunner } from './runner';
import type { DecideResult, NamesPreview, NewRequestInput, RequestsService, SubmitResult } from './types';
import { type PolicyTruth, tenantGroupOf, tenantNoticeOf } from './resolution';
import { tenantGroupView } from './tenantGroup';
import { validateDecisionReason, validateRequestFields } from './validation';

type Lifecycle = Pick<RequestsService, 'submit' | 'approve' | 'reject' | 'cancel' | 'retry' | 'previewNames'>;

export function createLifecycle(
  context: ServiceContext,
  permissions: Permissions,
  provisioning: Pick<GroupProvisioning, 'previewNames' | 'checkGroup'>,
  runner: ProvisioningRunner,
  truth: PolicyTruth,
): Lifecycle {
  const { store } = context;

  /** The names for an already-parsed policy name: the one place a submission's names come from. */
  function namesOf(policy: PolicyName, scenario: Scenario): NamesPreview {
    const names = provisioning.previewNames(policy, scenario);
    return names.ok ? { ok: true, names: names.value } : { ok: false, field: 'policyName', message: names.reason };
  }

  async function refuse(request: GroupRequest, actor: Actor, attempt: string, reason: string): Promise<DecideResult> {
    await context.recordDenial({ attempt, reason, actor, requestId: request.id, policyKey: request.policyKey });
    return { kind: 'forbidden', reason, request };
  }

  async function notFound(requestId: string, actor: Actor, attempt: string): Promise<DecideResult> {
    await context.recordDenial({ attempt, reason: 'unknown request id', actor, requestId });
    return { kind: 'notFound', requestId };
  }

  /** One conditional transition from `from` to `change.to`, with its audit entry written in the same transaction. */
  async function transition(request: GroupRequest, from: RequestState, change: RequestChange, audit: AuditEntryInput): Promise<Settled> {
    return settle(await store.transitionRequest(request.id, { state: from }, change, audit), request.id, change.to);
  }

  async function decide(kind: 'approved' | 'rejected', requestId: string, actor: Actor, reasonInput?: string): Promise<DecideResult> {
    const attempt = kind === 'approved' ? 'approve' : 'reject';
    const request = await store.getRequest(requestId);
    if (!request) return notFound(requestId, actor, attempt);
    const refusal = await permissions.decide(request, actor);
    if (refusal) return refuse(request, actor, attempt, refusal);
    const reason = validateDecisionReason(reasonInput);
    if (!reason.ok) return { kind: 'forbidden', reason: reason.message, request };
    const at = context.now();
    const decision = { kind, by: actor, at, ...(reason.value !== undefined && { reason: reason.value }) };
    const outcome = await transition(request, 'pending', { to: kind, at, decision }, context.auditOf(kind, request, actor, reason.value));
    if (outcome.kind === 'refused') return outcome.answer;
    await context.notify(kind, outcome.request, actor);
    if (kind === 'approved') runner.provisionApproved(outcome.request, actor);
    return { kind: 'decided', request: outcome.request };
  }

  return {
    previewNames(policyName, scenario) {
      const policy = parsePolicyName(policyName);
      return policy.ok ? namesOf(policy.value, scenario) : { ok: false, field: 'policyName', message: policy.reason };
    },

    async submit(input: NewRequestInput): Promise<SubmitResult> {
      const fields = validateRequestFields(input);
      if (!fields.ok) return { kind: 'invalid', field: fields.field, message: fields.message };
      if (!isScenario(input.scenario)) {
        return { kind: 'invalid', field: 'scenario', message: 'Choose the scenario: user-driven or automatic.' };
      }
      // The tenant first: a submission decides the policy's one group, so it reads past the cache.
      const resolved = await truth.resolve({ name: input.policyName }, { fresh: true });
      if (resolved.kind === 'invalid') return { kind: 'invalid', field: 'policyName', message: resolved.message };
      const { resolution } = resolved;
      const { policy } = resolution;
      const refusedAs = async (reason: string): Promise<void> =>
        context.recordDenial({ attempt: `request a group for "${policy.name}"`, reason, actor: input.requester, policyKey: resolution.key });
      if (resolution.intune.kind === 'ambiguous') {
        await refusedAs(resolution.intune.reason);
        return { kind: 'policyUnclear', reason: resolution.intune.reason };
      }
      const names = namesOf(policy, input.scenario);
      if (!names.ok) return { kind: 'invalid', field: names.field, message: names.message };
      if (resolution.record) {
        // One group per policy: a deleted one is restored by an approver, never replaced by a second; only a
        // group Entra purged (gone for good) leaves the policy free for a new one, which replaces its record.
        const check = await provisioning.checkGroup(resolution.record);
        if (check.deletedGroup) return { kind: 'groupDeleted', group: resolution.record, deleted: check.deletedGroup };
        if (check.groupState !== 'purged') return { kind: 'groupExists', group: resolution.record };
      }
      const tenantGroup = await tenantGroupOf(truth.tenant, resolution, { fresh: true });
      if (tenantGroup) {
        const view = tenantGroupView(tenantGroup);
        await refusedAs(`Intune policy ${view.policyId} already uses the group ${view.groupId}, which the bot did not make (${view.adoptable ? 'correct: adoptable' : view.findings.map((finding) => finding.code).join(', ')}); no second group`);
        return { kind: 'policyUsesGroup', tenantGroup: view };
      }
      const tenantNotice = tenantNoticeOf(resolution.intune);
      const result = await store.createRequest({
        policyKey: policy.key,
        policyName: policy.name,
        scenario: input.scenario,
        names: names.names,
        ...(fields.ticket !== undefined && { ticket: fields.ticket }),
        ...(fields.justification !== undefined && { justification: fields.justification }),
        requester: input.requester,
        ...(input.origin !== undefined && { origin: input.origin }),
        createdAt: context.now(),
      });
      if (result.kind !== 'created') return result;
      const delivery = await context.notify('requested', result.request, input.requester);
      // Without a notifier (the admin CLI) nobody is expected to be told; with one, nobody told is a problem to say.
      const approversNotified = delivery.approversReached !== 0;
      if (!approversNotified) {
        await store.appendAudit(context.auditOf('approversUnreachable', result.request, input.requester, 'no approvals channel and no approver chat could be reached'));
      }
      return { ...result, approversNotified, ...(tenantNotice !== undefined && { tenantNotice }) };
    },

    approve: (requestId, actor) => decide('approved', requestId, actor),

    reject: (requestId, actor, reason) => decide('rejected', requestId, actor, reason),

    async cancel(requestId, actor) {
      const request = await store.getRequest(requestId);
      if (!request) return notFound(requestId, actor, 'cancel');
      const refusal = permissions.cancel(request, actor);
      if (refusal) return refuse(request, actor, 'cancel', refusal);
      const at = context.now();
      const outcome = await transition(request, 'pending', { to: 'cancelled', at }, context.auditOf('cancelled', request, actor));
      if (outcome.kind === 'refused') return outcome.answer;
      await context.notify('cancelled', outcome.request, actor);
      return { kind: 'decided', request: outcome.request };
    },

    async retry(requestId, actor) {
      const request = await store.getRequest(requestId);
      if (!request) return notFound(requestId, actor, 'retry');
      const refusal = await permissions.retry(actor);
      if (refusal) return refuse(request, actor, 'retry', refusal);
      const at = context.now();
      const outcome = await transition(
        request,
        'failed',
        { to: 'provisioning', at, failureReason: null },
        context.auditOf('provisioningStarted', request, actor, 'retry'),
      );
      if (outcome.kind === 'refused') return outcome.answer;
      await context.notify('provisioning', outcome.request, actor);
      runner.provisionRetried(outcome.request, actor);
      return { kind: 'decided', request: outcome.request };
    },
  };
}

type Refusal = Exclude<DecideResult, { kind: 'decided' }>;

/** A conditional write's outcome: the request as written, or what to answer the caller whose write lost. */
type Settled = { readonly kind: 'applied'; readonly request: GroupRequest } | { readonly kind: 'refused'; readonly answer: Refusal };

function settle(result: TransitionResult, requestId: string, wanted: RequestState): Settled {
  switch (result.kind) {
    case 'applied':
      return { kind: 'applied', request: result.request };
    case 'notFound':
      return { kind: 'refused', answer: { kind: 'notFound', requestId } };
    case 'conflict':
      return { kind: 'refused', answer: lostRace(result.request, wanted) };
    case 'activeRequestExists':
      return {
        kind: 'refused',
        answer: {
          kind: 'forbidden',
          reason: `${result.request.id} is now the active request for policy "${result.request.policyName}"; follow that one instead.`,
          request: result.request,
        },
      };
  }
}

/** Somebody else's write came first: who decided, or why the wanted state is no longer reachable. */
function lostRace(current: GroupRequest, wanted: RequestState): Refusal {
  if (current.decision && wanted !== 'provisioning') return { kind: 'alreadyDecided', request: current };
  const check = checkTransition(current.id, current.state, wanted);
  return { kind: 'forbidden', reason: check.ok ? `${current.id} changed meanwhile; try again.` : check.reason, request: current };
}
