/**
 * The one-click fix of a readiness finding (issue 20): an approver assigns a selected app (as required) or
 * script to its policy's device group. The click names ids only; the policy is resolved fresh (its device group
 * from Intune, or the bot's record where Intune will not tell an app-only caller), the inventory re-checks the
 * finding and adds the one assignment. Permission and audit are decided here.
 */
import { graphRequestIdOf } from '../provisioning/graphError';
import type { Actor } from '../domain/actor';
import type { AssignFixOutcome, IntunePolicy } from '../inventory/types';
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { AuditKind, ReadinessFixes } from './ports';
import type { PolicyResolution, PolicyTruth } from './resolution';
import type { AssignRequest, AssignToGroupResult, AssignedItem, RequestsService } from './types';

type PolicyFixesPart = Pick<RequestsService, 'assignToDeviceGroup'>;

/** The Intune policy a click names and its device group, as read just now. */
interface Target {
  readonly policy: IntunePolicy;
  readonly groupId: string;
  readonly groupName: string | null;
}

export function createPolicyFixes(context: ServiceContext, permissions: Permissions, fixes: ReadinessFixes, truth: PolicyTruth): PolicyFixesPart {
  const { store, logger } = context;

  /** The policy and its device group as Intune names it, or the record's where Intune will not tell; else why there is none. */
  async function targetOf(resolution: PolicyResolution): Promise<Target | { readonly reason: string }> {
    const { intune, record } = resolution;
    if (intune.kind !== 'found') return { reason: intune.kind === 'ambiguous' ? intune.reason : 'Intune could not say which policy this is; nothing was assigned.' };
    const { target } = intune;
    let groupId: string;
    switch (target.kind) {
      case 'group':
        groupId = target.groupId;
        break;
      case 'hidden':
        if (!record) return { reason: 'Intune does not tell this app which group the policy uses, and the bot has no group recorded for it; nothing was assigned.' };
        groupId = record.groupId;
        break;
      case 'none':
        return { reason: 'The policy has no device group yet: give it one first (bind, or in the Intune admin center), then assign.' };
      case 'unreadable':
        return { reason: `Intune's answer about the policy's device group could not be read, so nothing was assigned: ${target.detail}` };
      case 'unavailable':
        return { reason: `${target.message} Nothing was assigned; try again later.` };
    }
    const reading = await truth.tenant.group(groupId);
    switch (reading.kind) {
      case 'live':
        return { policy: intune.policy, groupId, groupName: reading.group.displayName };
      case 'deleted':
      case 'purged':
        return { reason: `The policy's device group ${groupId} is deleted: restore it, or give the policy another group, before assigning to it.` };
      case 'unreadable':
        return { policy: intune.policy, groupId, groupName: null };
      case 'unavailable':
        return { reason: `${reading.message} Nothing was assigned; try again later.` };
    }
  }

  async function audit(kind: AuditKind, actor: Actor, policyKey: string, detail: string, graphRequestIds: readonly string[] = []): Promise<void> {
    await store.appendAudit({ kind, at: context.now(), actor, policyKey, detail, ...(graphRequestIds.length > 0 && { graphRequestId: graphRequestIds.join(' ') }) });
  }

  return {
    async assignToDeviceGroup(request, actor) {
      const what = `${request.kind} ${request.itemId}`;
      const attempt = `assign the ${what} to the device group of policy ${request.policyId}`;
      const refusal = await permissions.administer(actor, "assign apps and scripts to a policy's device group");
      if (refusal) {
        await context.recordDenial({ attempt, reason: refusal, actor });
        return { kind: 'forbidden', reason: refusal };
      }
      const resolved = await truth.resolve({ intunePolicyId: request.policyId }, { fresh: true });
      if (resolved.kind === 'unknownPolicy') {
        await context.recordDenial({ attempt, reason: 'no such device-preparation policy in Intune', actor });
        return { kind: 'notFound', message: 'Intune no longer has that device-preparation policy.' };
      }
      if (resolved.kind !== 'resolved') {
        await context.recordDenial({ attempt, reason: resolved.message, actor });
        return { kind: 'notAssigned', reason: resolved.message };
      }
      const { resolution } = resolved;
      const group = await targetOf(resolution);
      if ('reason' in group) {
        await context.recordDenial({ attempt, reason: group.reason, actor, policyKey: resolution.key });
        return { kind: 'notAssigned', reason: group.reason };
      }
      const { policy } = group;
      const groupLabel = group.groupName ?? group.groupId;
      const subject = `the ${what} to the device group "${groupLabel}" (${group.groupId}) of Intune policy "${policy.name}" (${policy.id})`;
      await audit('assignRequested', actor, resolution.key, subject);

      let outcome: AssignFixOutcome;
      let requestIds: readonly string[];
      try {
        ({ value: outcome, requestIds } = await fixes.assignToDeviceGroup({ policyId: policy.id, scenario: policy.scenario, groupId: group.groupId, groupName: group.groupName, fix: { kind: request.kind, id: request.itemId } }));
      } catch (error) {
        // Graph could not be asked (an outage, throttling past the retries): said and audited, the turn goes on.
        const message = error instanceof Error ? error.message : String(error);
        const graphRequestId = graphRequestIdOf(error);
        await audit('assignFailed', actor, resolution.key, `${subject}: ${message}`, graphRequestId === undefined ? [] : [graphRequestId]);
        logger.error({ err: error, policyId: policy.id }, 'assigning to the device group failed');
        return { kind: 'notAssigned', reason: `Intune could not be asked, so nothing was assigned: ${message}` };
      }
      const item = (displayName: string): AssignedItem => ({ kind: request.kind, displayName, policyName: policy.name, groupName: groupLabel });
      const answer = answerOf(outcome, item, request.kind);
      await audit(answer.kind === 'assigned' || answer.kind === 'alreadyAssigned' ? 'assigned' : 'assignFailed', actor, resolution.key, `${subject}: ${auditWords(outcome)}`, requestIds);
      if (answer.kind === 'assigned') logger.info({ policyId: policy.id, groupId: group.groupId, kind: request.kind, itemId: request.itemId, actor: actor.aadObjectId }, 'assigned to the device group');
      return answer;
    },
  };
}

function answerOf(outcome: AssignFixOutcome, item: (displayName: string) => AssignedItem, kind: AssignRequest['kind']): AssignToGroupResult {
  switch (outcome.kind) {
    case 'assigned':
    case 'alreadyAssigned':
      return { kind: outcome.kind, item: item(outcome.displayName) };
    case 'policyNotFound':
      return { kind: 'notFound', message: 'Intune no longer has that device-preparation policy.' };
    case 'notFound':
      return { kind: 'notFound', message: `Intune no longer has that ${kind}: it was deleted. Remove it from the policy's allowed ${kind}s, or select the ${kind} that replaced it.` };
    case 'notSelected':
      return { kind: 'notAssigned', reason: `The policy no longer selects that ${kind}, so nothing was assigned.` };
    case 'byHand':
      return { kind: 'notAssigned', reason: `Not assigned by the bot: ${outcome.detail}` };
    case 'unreadable':
      return { kind: 'notAssigned', reason: `Intune's answer could not be read, so nothing was assigned: ${outcome.reason}` };
    case 'writeFailed':
      return { kind: 'notAssigned', reason: `Intune refused the assignment: ${outcome.message} Assign it by hand in ${outcome.byHand}.` };
    case 'assignmentsChanged':
      return {
        kind: 'notAssigned',
        reason: `"${outcome.displayName}" was assigned, but ${outcome.missing} of its other assignments were missing when read back: someone changed them at the same moment. Check its assignments in the Intune admin center.`,
      };
  }
}

/** The outcome in the audit line, naming the app or script where it was read. */
function auditWords(outcome: AssignFixOutcome): string {
  switch (outcome.kind) {
    case 'assigned':
      return `"${outcome.displayName}": one assignment added, the others kept`;
    case 'alreadyAssigned':
      return `"${outcome.displayName}": already assigned; nothing written`;
    case 'writeFailed':
      return `"${outcome.displayName}": Graph refused: ${outcome.message}`;
    case 'byHand':
      return `not one the bot adds: ${outcome.detail}`;
    case 'unreadable':
      return `unreadable: ${outcome.reason}`;
    case 'assignmentsChanged':
      return `"${outcome.displayName}": written, but ${outcome.missing} earlier assignments missing on read-back`;
    case 'policyNotFound':
    case 'notFound':
    case 'notSelected':
      return outcome.kind;
  }
}
