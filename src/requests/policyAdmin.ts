/**
 * Policy administration: the drift check (and an approver's owner repair), binding a group to its Intune
 * policy, and where approval cards go. Anyone may check; everything that changes something is approvers'.
 */
import { graphRequestIdOf } from '../provisioning/graphError';
import type { RestoreSubject } from '../provisioning/types';
import type { Actor } from '../domain/actor';
import { parsePolicyName, recordedPolicyName } from '../domain/policy';
import { auditPolicy as auditPolicyOf, type Binder, type BindRead } from './binding';
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { AuditKind, GroupProvisioning } from './ports';
import { type NameResolveResult, type PolicyResolution, type PolicyTruth, resolveForChange } from './resolution';
import type { BindPolicyResult, NoGroup, PolicyRef, RequestsService, UseBotGroupResult } from './types';

type PolicyAdministration = Pick<RequestsService, 'checkPolicy' | 'bindPolicy' | 'useBotGroup' | 'mayBind' | 'restoreGroup' | 'registerApprovalsChannel' | 'refuseUnreadableAction'>;

export function createPolicyAdministration(
  context: ServiceContext,
  permissions: Permissions,
  provisioning: Pick<GroupProvisioning, 'checkGroup' | 'restoreGroup'>,
  truth: PolicyTruth,
  binder: Binder,
): PolicyAdministration {
  const { store, logger } = context;

  const auditPolicy = (kind: AuditKind, policyKey: string, actor: Actor, detail: string, graphRequestIds: readonly string[] = []) =>
    auditPolicyOf(context, kind, policyKey, actor, detail, graphRequestIds);

  async function noGroup(resolution: PolicyResolution): Promise<NoGroup> {
    const request = await store.latestRequestForPolicy(resolution.key);
    return { kind: 'noGroup', policyName: resolution.policy.name, ...(request && { request }) };
  }

  /** A name typed by a person, or a record's key from a button, resolved; `fresh` for what changes the tenant (bind, restore). */
  function resolveName(policy: PolicyRef, fresh: boolean): Promise<NameResolveResult> {
    return truth.resolve(typeof policy === 'string' ? { name: policy } : policy, { fresh });
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
      return binder.bindOnce(async (): Promise<BindRead<BindPolicyResult>> => {
        const resolved = await resolveName(policy, true);
        if (resolved.kind === 'invalid') return { kind: 'answered', answer: resolved };
        const { resolution } = resolved;
        const group = resolution.record;
        return group ? { kind: 'read', resolution, group } : { kind: 'answered', answer: await noGroup(resolution) };
      }, actor, options);
    },

    async useBotGroup(intunePolicyId, actor, options = {}) {
      const attempt = `use the bot's group for policy ${intunePolicyId}`;
      const refusal = await permissions.administer(actor, 'bind a group to its Intune policy');
      if (refusal) {
        await context.recordDenial({ attempt, reason: refusal, actor });
        return { kind: 'forbidden', reason: refusal };
      }
      // The record is the policy's one group: bound as `bind` binds it, whatever group Intune names now.
      return binder.bindOnce(async (): Promise<BindRead<UseBotGroupResult>> => {
        const resolved = await resolveForChange(truth, { intunePolicyId }, () => context.recordDenial({ attempt, reason: 'no such device-preparation policy in Intune', actor }));
        if (resolved.kind === 'notFound') return { kind: 'answered', answer: resolved };
        if (resolved.kind === 'unanswered') return { kind: 'answered', answer: { kind: 'invalid', message: resolved.message } };
        const { resolution } = resolved;
        const group = resolution.record;
        return group ? { kind: 'read', resolution, group } : { kind: 'answered', answer: await noGroup(resolution) };
      }, actor, options);
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

/** The key a refusal is audited under, before anything is resolved: the typed name's, or the button's. */
function askedKeyOf(policy: PolicyRef): { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string } {
  if (typeof policy !== 'string') return { ok: true, value: policy.policyKey };
  const parsed = parsePolicyName(policy);
  return parsed.ok ? { ok: true, value: parsed.value.key } : parsed;
}
