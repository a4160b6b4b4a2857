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
import type { AuditEntryInput, GroupProvisioning, RequestChange } from './ports';

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

export function createProvisioningRunner(
  context: ServiceContext,
  provisioning: Pick<GroupProvisioning, 'ensureGroup'>,
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

  async function provision(request: GroupRequest, actor: Actor | undefined): Promise<void> {
    // The group is created on behalf of whoever approved (or retried) it.
    const onBehalfOf = actor ?? request.decision?.by ?? request.requester;
    let change: RequestChange;
    let audit: AuditEntryInput;
    try {
      const result = await provisioning.ensureGroup(request.policyName, request.scenario, onBehalfOf);
      await auditGraphCalls(request, result.graphRequestIds);
      change = { to: 'provisioned', at: context.now(), groupId: result.group.groupId };
      audit = context.auditOf('provisioned', request, actor, `group ${result.group.groupId}${result.created ? ' created' : ' already existed'}`);
    } catch (error) {
      const graphRequestId = graphRequestIdOf(error);
      if (graphRequestId) await auditGraphCalls(request, [graphRequestId]);
      const reason = error instanceof Error ? error.message : String(error);
      change = { to: 'failed', at: context.now(), failureReason: reason };
      audit = context.auditOf('failed', request, actor, reason);
      logger.warn({ err: error, requestId: request.id }, 'provisioning failed');
    }
    const finished = await store.transitionRequest(request.id, { state: 'provisioning', version: request.version }, change, audit);
    if (finished.kind === 'applied') await context.notify(change.to === 'provisioned' ? 'provisioned' : 'failed', finished.request, actor);
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

/** Re-runs `resumeInterrupted` every `intervalMs` (never overlapping) until stopped. */
export function startSweeper(
  runner: Pick<ProvisioningRunner, 'resumeInterrupted'>,
  options: { readonly intervalMs: number; readonly logger?: Logger },
): Repeating {
  const logger = options.logger ?? silentLogger;
  return repeatEvery(options.intervalMs, () => runner.resumeInterrupted(), (error) => logger.error({ err: error }, 'sweeper: resuming interrupted requests failed'));
}
