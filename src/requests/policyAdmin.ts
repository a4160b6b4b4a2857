/**
 * Policy administration: the drift check (and an approver's owner repair), binding a group to its Intune
 * policy, and where approval cards go. Anyone may check; everything that changes something is approvers'.
 */
import { graphRequestIdOf } from '../provisioning/graphError';
import type { BindResult } from '../provisioning/types';
import type { Actor } from '../domain/actor';
import { parsePolicyName, type PolicyName } from '../domain/policy';
import { SCENARIO_INFO } from '../domain/scenario';
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { AuditKind, GroupProvisioning } from './ports';
import type { NoGroup, RequestsService } from './types';

type PolicyAdministration = Pick<RequestsService, 'checkPolicy' | 'bindPolicy' | 'restoreGroup' | 'registerApprovalsChannel' | 'refuseUnreadableAction'>;

export function createPolicyAdministration(
  context: ServiceContext,
  permissions: Permissions,
  provisioning: Pick<GroupProvisioning, 'checkGroup' | 'bindToPolicy' | 'restoreGroup'>,
): PolicyAdministration {
  const { store, logger } = context;

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

  async function noGroup(policy: PolicyName): Promise<NoGroup> {
    const request = await store.latestRequestForPolicy(policy.key);
    return { kind: 'noGroup', policyName: policy.name, ...(request && { request }) };
  }

  return {
    async checkPolicy(policyName, actor, options = {}) {
      const policy = parsePolicyName(policyName);
      if (!policy.ok) return { kind: 'invalid', message: policy.reason };
      // Nothing to check yet: say where the policy stands (e.g. its request waiting for approval), not a drift.
      if (!(await store.findGroup(policy.value.key))) return noGroup(policy.value);
      let repairRefused: string | undefined;
      if (options.repairOwner === true) {
        repairRefused = await permissions.administer(actor, 'repair a group');
        if (repairRefused) {
          await context.recordDenial({ attempt: 'repair owner', reason: 'only approvers can repair a group; checked without repairing', actor, policyKey: policy.value.key });
        }
      }
      const report = await provisioning.checkGroup(policy.value.name, { repairOwner: options.repairOwner === true && !repairRefused });
      if (!report.healthy) {
        const detail = report.findings.map((finding) => `${finding.code}: ${finding.message}`).join('; ');
        await auditPolicy('driftFound', policy.value.key, actor, detail, report.graphRequestIds);
      }
      return { kind: 'checked', report, ...(repairRefused !== undefined && { repairRefused }) };
    },

    async bindPolicy(policyName, actor) {
      const policy = parsePolicyName(policyName);
      if (!policy.ok) return { kind: 'invalid', message: policy.reason };
      const refusal = await permissions.administer(actor, 'bind a group to its Intune policy');
      if (refusal) {
        await context.recordDenial({ attempt: 'bind', reason: refusal, actor, policyKey: policy.value.key });
        return { kind: 'forbidden', reason: refusal };
      }
      const group = await store.findGroup(policy.value.key);
      if (!group) return noGroup(policy.value);
      await auditPolicy('bindRequested', group.policyKey, actor, `group ${group.groupId} to the ${SCENARIO_INFO[group.scenario].label} policy "${group.policyName}"`);
      // The recorded scenario decides which Intune policy is meant; the group itself is never changed here.
      const bind = await provisioning.bindToPolicy(group.policyName, group.scenario);
      const graphRequestIds = bind.graphRequestIds ?? [];
      await auditPolicy(bind.outcome === 'bound' ? 'bound' : 'bindFailed', group.policyKey, actor, bindAuditDetail(bind), graphRequestIds);
      if (bind.outcome !== 'bound') {
        logger.warn({ policyKey: group.policyKey, outcome: bind.outcome }, 'binding to the Intune policy did not succeed');
        return { kind: 'attempted', group, bind };
      }
      const bound = (await store.recordBinding(group.policyKey, { intunePolicyId: bind.policyId, at: context.now(), by: actor })) ?? group;
      // The requester of the group learns that their policy now uses it.
      const request = await store.latestRequestForPolicy(group.policyKey);
      if (request?.state === 'provisioned') await context.notify('bound', request, actor);
      return { kind: 'attempted', group: bound, bind };
    },

    async restoreGroup(policyName, actor) {
      const policy = parsePolicyName(policyName);
      if (!policy.ok) return { kind: 'invalid', message: policy.reason };
      const refusal = await permissions.administer(actor, 'restore a deleted group');
      if (refusal) {
        await context.recordDenial({ attempt: 'restore', reason: refusal, actor, policyKey: policy.value.key });
        return { kind: 'forbidden', reason: refusal };
      }
      // The scenario names the group; it is the recorded one, or else the policy's newest request's.
      const group = await store.findGroup(policy.value.key);
      const request = group ? undefined : await store.latestRequestForPolicy(policy.value.key);
      const scenario = group?.scenario ?? request?.scenario;
      if (!scenario) return noGroup(policy.value);
      const audit = (kind: 'groupRestored' | 'restoreFailed', detail: string, graphRequestIds: readonly string[]) =>
        auditPolicy(kind, policy.value.key, actor, detail, graphRequestIds);
      try {
        const result = await provisioning.restoreGroup(group?.policyName ?? policy.value.name, scenario, actor);
        if (result.outcome !== 'restored') {
          await audit('restoreFailed', `${result.outcome}: ${result.message}`, result.graphRequestIds);
          return { kind: 'notRestored', message: result.message };
        }
        await audit('groupRestored', `group ${result.group.groupId}${result.ownerReAdded ? ', owner re-added' : ''}`, result.graphRequestIds);
        return { kind: 'restored', group: result.group, ownerReAdded: result.ownerReAdded, findings: result.findings };
      } catch (error) {
        // Graph refused (a permission, an outage) or the group came back unusable: said and audited, as a failed
        // provisioning is, rather than failing the approver's turn.
        const message = error instanceof Error ? error.message : String(error);
        const graphRequestId = graphRequestIdOf(error);
        await audit('restoreFailed', message, graphRequestId === undefined ? [] : [graphRequestId]);
        logger.error({ err: error, policyKey: policy.value.key }, 'restoring the deleted group failed');
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

