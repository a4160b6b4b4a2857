/**
 * The provisioning runner: creates an approved request's group in the background (the approver is not held),
 * records the outcome as the request's next state, and resumes what a crash left half-done. Of several
 * instances resuming one request, a compare-and-set on its version lets exactly one go on.
 */
import { graphRequestIdOf } from '../provisioning/graphError';
import type { Actor } from '../domain/actor';
import { INTERRUPTIBLE_STATES, type GroupRequest } from '../domain/request';
import { type Logger, silentLogger } from '../shared/logger';
import { type Repeating, repeatEvery } from '../shared/repeat';
import type { ServiceContext } from './context';
import type { AuditEntryInput, GroupProvisioning, PolicyInIntune, RequestChange } from './ports';
import { recordedPolicyName, type PolicyName } from '../domain/policy';
import { type IntuneView, type PolicyTruth, tenantGroupOf } from './resolution';
import { tenantGroupView } from './tenantGroup';

export interface ProvisioningRunner {
  /** Claims an approved request (or one stuck in `provisioning`) and provisions it, in the background. */
  provisionApproved(request: GroupRequest, actor: Actor | undefined, detail?: string): void;
  /** Provisions a request a retry has already moved to `provisioning`, in the background. */
  provisionRetried(request: GroupRequest, actor: Actor): void;
  resumeInterrupted(): Promise<number>;
  idle(): Promise<void>;
}

export interface RunnerOptions {
  /**
   * How long a request must have sat in `approved`/`provisioning` before `resumeInterrupted` takes it over.
   * With several instances, a younger one is probably being provisioned by another instance right now.
   */
  readonly resumeAfterMs: number;
}

/** What the decisive re-check just before a group is made found. */
type CreationCheck =
  /**
   * Make the approved group; `replacesPurgedGroupId` when the policy's record names a group Entra purged;
   * `inIntune`: `absent` when Intune lists no such policy now (not made yet, or deleted while the request
   * waited), `withoutGroup` when it lists it with no device group (the new group can be bound to it).
   */
  | { readonly kind: 'create'; readonly replacesPurgedGroupId?: string; readonly inIntune?: PolicyInIntune }
  /** The policy got its group meanwhile: the request ends cancelled, and no group is made. */
  | { readonly kind: 'superseded'; readonly reason: string }
  /** Intune leaves the policy unclear: the request fails with the reason, and an approver can retry later. */
  | { readonly kind: 'unclear'; readonly reason: string };

/** How provisioning ended: the request's next state and its audit entry, written together. */
interface Outcome {
  readonly change: RequestChange;
  readonly audit: AuditEntryInput;
}

export function createProvisioningRunner(
  context: ServiceContext,
  provisioning: Pick<GroupProvisioning, 'ensureGroup' | 'checkGroup'>,
  truth: PolicyTruth,
  options: RunnerOptions,
): ProvisioningRunner {
  const { store, logger } = context;
  // Background provisioning started by this instance, by request id.
  const inFlight = new Map<string, Promise<void>>();

  function inBackground(request: GroupRequest, work: () => Promise<void>): void {
    if (inFlight.has(request.id)) return;
    const running = work()
      .catch((error: unknown) => logger.error({ err: error, requestId: request.id }, 'background provisioning stopped'))
      .finally(() => inFlight.delete(request.id));
    inFlight.set(request.id, running);
  }

  /** Re-taking `provisioning → provisioning` is not a lifecycle transition, only a claim (the version moves). */
  async function claimAndProvision(request: GroupRequest, actor: Actor | undefined, detail?: string): Promise<void> {
    const claim = await store.transitionRequest(
      request.id,
      { state: request.state, version: request.version },
      { to: 'provisioning', at: context.now() },
      context.auditOf('provisioningStarted', request, actor, detail),
    );
    if (claim.kind !== 'applied') return; // another instance moved it on
    if (request.state !== 'provisioning') await context.notify('provisioning', claim.request, actor);
    await provision(claim.request, actor);
  }

  /**
   * The decisive moment: Intune and the records read again, past every cache, right before the group is made.
   * A group that is this request's own (a crash after its creation) is no reason to stop: the uniqueName says so.
   */
  async function checkBeforeCreating(request: GroupRequest): Promise<CreationCheck> {
    const resolved = await truth.resolve({ policy: policyOf(request) }, { fresh: true });
    if (resolved.kind !== 'resolved') return { kind: 'create' };
    const { resolution } = resolved;
    if (resolution.intune.kind === 'ambiguous') return { kind: 'unclear', reason: resolution.intune.reason };
    const { record } = resolution;
    const create = { kind: 'create', ...inIntuneOf(resolution.intune) } as const;
    // A record whose group is gone for good (not even in the recycle bin) holds the policy no longer.
    if (record && (await provisioning.checkGroup(record)).groupState === 'purged') return { ...create, replacesPurgedGroupId: record.groupId };
    if (record && record.uniqueName !== request.names.uniqueName) {
      const how = record.adopted === true ? `adopted by ${record.createdBy.name}` : `made for ${record.policyName}`;
      return { kind: 'superseded', reason: `The policy got its one group meanwhile: "${record.displayName}" (${record.groupId}), ${how}. No second group was made.` };
    }
    // With a record, or with the name alone when the policy is not in Intune: the group comes first (or the policy
    // was deleted meanwhile); it is bound once the policy exists.
    if (record || resolution.intune.kind === 'absent') return create;
    const tenantGroup = await tenantGroupOf(truth.tenant, resolution, { fresh: true });
    if (!tenantGroup) return create;
    if (tenantGroup.reading.kind === 'live' && tenantGroup.reading.group.uniqueName === request.names.uniqueName) return { kind: 'create' };
    const view = tenantGroupView(tenantGroup);
    const named = view.group ? `"${view.group.displayName}" (${view.groupId})` : view.groupId;
    const next = view.adoptable ? 'It is a correct device group: an approver can adopt it with `policies`.' : (view.fix ?? '');
    return { kind: 'superseded', reason: `Intune gave the policy "${view.policyName}" the group ${named} meanwhile; no second group was made. ${next}`.trim() };
  }

  /** The request ends `cancelled` with the reason, audited, and everyone who follows it is told. */
  async function supersede(request: GroupRequest, actor: Actor | undefined, reason: string): Promise<void> {
    const ended = await store.transitionRequest(
      request.id,
      { state: 'provisioning', version: request.version },
      { to: 'cancelled', at: context.now(), failureReason: reason },
      context.auditOf('cancelled', request, actor, `superseded: ${reason}`),
    );
    if (ended.kind === 'applied') await context.notify('superseded', ended.request, actor);
  }

  async function provision(request: GroupRequest, actor: Actor | undefined): Promise<void> {
    const check = await checkBeforeCreating(request);
    if (check.kind === 'superseded') return supersede(request, actor, check.reason);
    const { change, audit } = check.kind === 'unclear' ? failure(request, actor, check.reason) : await made(request, actor, check);
    const finished = await store.transitionRequest(request.id, { state: 'provisioning', version: request.version }, change, audit);
    if (finished.kind !== 'applied') return;
    if (change.to === 'provisioned') await context.notify('provisioned', finished.request, actor, check.kind === 'create' && check.inIntune ? { policyInIntune: check.inIntune } : {});
    else await context.notify('failed', finished.request, actor);
  }

  /** The group made (or found again after a crash), exactly as approved; a Graph failure is the request's failure. */
  async function made(request: GroupRequest, actor: Actor | undefined, check: CreationCheck & { readonly kind: 'create' }): Promise<Outcome> {
    const { replacesPurgedGroupId } = check;
    // The group is created on behalf of whoever approved (or retried) it.
    const onBehalfOf = actor ?? request.decision?.by ?? request.requester;
    try {
      // Exactly what was approved: the names, key and scenario the request kept from its submission.
      const order = { policy: policyOf(request), scenario: request.scenario, names: request.names, ...(replacesPurgedGroupId !== undefined && { replacesGroupId: replacesPurgedGroupId }) };
      const result = await provisioning.ensureGroup(order, onBehalfOf);
      truth.tenant.invalidate();
      await auditGraphCalls(request, result.graphRequestIds);
      return {
        change: { to: 'provisioned', at: context.now(), groupId: result.group.groupId },
        audit: context.auditOf('provisioned', request, actor, `group ${result.group.groupId}${result.created ? ' created' : ' already existed'}${notesOf(request, check)}`),
      };
    } catch (error) {
      const graphRequestId = graphRequestIdOf(error);
      if (graphRequestId) await auditGraphCalls(request, [graphRequestId]);
      logger.warn({ err: error, requestId: request.id }, 'provisioning failed');
      return failure(request, actor, error instanceof Error ? error.message : String(error));
    }
  }

  function failure(request: GroupRequest, actor: Actor | undefined, reason: string): Outcome {
    return { change: { to: 'failed', at: context.now(), failureReason: reason }, audit: context.auditOf('failed', request, actor, reason) };
  }

  async function auditGraphCalls(request: GroupRequest, graphRequestIds: readonly string[]): Promise<void> {
    for (const graphRequestId of graphRequestIds) {
      await store.appendAudit({ ...context.auditOf('graphCall', request), graphRequestId });
    }
  }

  return {
    provisionApproved(request, actor, detail) {
      inBackground(request, () => claimAndProvision(request, actor, detail));
    },

    provisionRetried(request, actor) {
      inBackground(request, () => provision(request, actor));
    },

    async resumeInterrupted() {
      const cutoff = context.nowMs() - options.resumeAfterMs;
      const stuck = (await store.listRequestsInStates(INTERRUPTIBLE_STATES)).filter(
        (request) => !inFlight.has(request.id) && Date.parse(request.updatedAt) <= cutoff,
      );
      for (const request of stuck) {
        inBackground(request, () => claimAndProvision(request, undefined, 'resumed after an interruption'));
      }
      if (stuck.length > 0) logger.info({ requestIds: stuck.map((request) => request.id) }, 'resuming interrupted provisioning');
      return stuck.length;
    },

    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
  };
}

/** What the audit adds to a group made: the record it replaced (its group purged), and a policy Intune does not list. */
function notesOf(request: GroupRequest, check: CreationCheck & { readonly kind: 'create' }): string {
  const replaced = check.replacesPurgedGroupId === undefined ? '' : `; it replaces the record of group ${check.replacesPurgedGroupId}, which Entra purged`;
  const absent = check.inIntune === 'absent' ? `; Intune lists no policy "${request.policyName}" now (not made yet, or deleted): bind the group once it exists` : '';
  return replaced + absent;
}

/** What the re-check's read of Intune tells an approver to do next: bind the new group, or create the policy first. */
function inIntuneOf(intune: IntuneView): { readonly inIntune?: PolicyInIntune } {
  if (intune.kind === 'absent') return { inIntune: 'absent' };
  return intune.kind === 'found' && intune.target.kind === 'none' ? { inIntune: 'withoutGroup' } : {};
}

/** The policy as the request kept it from the parse at submit time. */
function policyOf(request: GroupRequest): PolicyName {
  return recordedPolicyName(request.policyName, request.policyKey);
}

/** Re-runs `resumeInterrupted` every `intervalMs` (never overlapping) until stopped. */
export function startSweeper(
  runner: Pick<ProvisioningRunner, 'resumeInterrupted'>,
  options: { readonly intervalMs: number; readonly logger?: Logger },
): Repeating {
  const logger = options.logger ?? silentLogger;
  return repeatEvery(options.intervalMs, () => runner.resumeInterrupted(), (error) => logger.error({ err: error }, 'sweeper: resuming interrupted requests failed'));
}
