/**
 * Binding a recorded group to its Intune policy, the one way Bind, Use the bot's group and Replace group do it:
 * audited before and after (whose rights Intune judged: the approver's delegated token or the bot's app-only
 * one), the binding recorded, and the group's requester told. The group itself is never changed here.
 */
import type { Actor } from '../domain/actor';
import type { ActingAs } from '../domain/delegation';
import type { PolicyGroupRecord } from '../domain/policyGroup';
import { SCENARIO_INFO } from '../domain/scenario';
import type { BindResult } from '../provisioning/types';
import type { ServiceContext } from './context';
import type { AuditKind, GroupProvisioning } from './ports';
import type { PolicyResolution, PolicyTruth } from './resolution';

export interface BindAttempt {
  /** The record as it is after the bind (with the binding when Intune took it). */
  readonly group: PolicyGroupRecord;
  readonly bind: BindResult;
}

export interface Binder {
  /** Binds the record to the Intune policy the resolution found, by its id (never by a name match). */
  bind(resolution: PolicyResolution, record: PolicyGroupRecord, actor: Actor, options: ActingAs): Promise<BindAttempt>;
}

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

export function createBinder(context: ServiceContext, provisioning: Pick<GroupProvisioning, 'bindToPolicy'>, truth: PolicyTruth): Binder {
  const { store, logger } = context;

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

  return {
    async bind(resolution, group, actor, options) {
      const intuneName = resolution.intune.kind === 'found' ? resolution.intune.policy.name : resolution.policy.name;
      // Whose rights Intune judged the change by: the approver's own (delegated) or the bot's (app-only).
      const caller = options.as ? 'delegated call as the approver' : 'app-only call as the bot';
      await auditPolicy(context, 'bindRequested', group.policyKey, actor, `group ${group.groupId} to the ${SCENARIO_INFO[group.scenario].label} policy "${intuneName}" (${caller})`);
      // The recorded scenario decides which Intune policy is meant; the group itself is never changed here.
      const bind = await bindResolved(resolution, group, options);
      await auditPolicy(context, bind.outcome === 'bound' ? 'bound' : 'bindFailed', group.policyKey, actor, `${bindAuditDetail(bind)} (${caller})`, bind.graphRequestIds ?? []);
      if (bind.outcome !== 'bound') {
        logger.warn({ policyKey: group.policyKey, outcome: bind.outcome }, 'binding to the Intune policy did not succeed');
        return { group, bind };
      }
      truth.tenant.invalidate();
      const bound = (await store.recordBinding(group.policyKey, { intunePolicyId: bind.policyId, at: context.now(), by: actor })) ?? group;
      // The requester of the group learns that their policy now uses it (not of a group it replaced).
      const request = await store.latestRequestForPolicy(group.policyKey);
      if (request?.state === 'provisioned' && request.groupId === group.groupId) await context.notify('bound', request, actor);
      return { group: bound, bind };
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
