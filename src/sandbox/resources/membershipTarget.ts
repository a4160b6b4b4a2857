/**
 * A device-preparation policy's enrollment-time device membership target (beta actions set, clear and
 * retrieve), validated by Intune from the group's real state.
 */
import { graphError, invalidBody, membershipTargetBodySchema, type GraphReply } from '../graphWire';
import { parseStringLiteral } from '../odata';
import { badKey, type Route, type RouteContext, type RouteHandler, type RouteRequest } from '../route';
import type { SandboxPolicy } from '../tenant';
import { policyNotFound, type PolicyHandler } from './configurationPolicies';

export const membershipTargetRoutes: readonly Route[] = [
  {
    method: 'POST',
    pattern: /^\/deviceManagement\/configurationPolicies\((.+)\)\/setEnrollmentTimeDeviceMembershipTarget$/,
    betaOnly: true,
    handle: withPolicy(setMembershipTarget),
  },
  {
    method: 'POST',
    pattern: /^\/deviceManagement\/configurationPolicies\((.+)\)\/clearEnrollmentTimeDeviceMembershipTarget$/,
    betaOnly: true,
    handle: withPolicy(clearMembershipTarget),
  },
  {
    method: 'POST',
    pattern: /^\/deviceManagement\/configurationPolicies\((.+)\)\/retrieveEnrollmentTimeDeviceMembershipTarget$/,
    betaOnly: true,
    readOnly: true,
    handle: withPolicy(retrieveMembershipTarget),
  },
];

/** The policy the quoted key `('<id>')` names. */
function withPolicy(handler: PolicyHandler): RouteHandler {
  return ([key], request, context) => {
    const id = parseStringLiteral(key ?? '');
    if (id === undefined) return badKey(key);
    const policy = context.tenant.policy(id);
    return policy ? handler(policy, request, context) : policyNotFound(id);
  };
}

/** Intune's answer to set/clear: the fault knob, or today's refusal of app-only callers, both a 500. */
function membershipTargetRefusal(context: RouteContext): GraphReply | undefined {
  const appOnlyRefused = context.caller === 'appOnly' && context.variations.appOnlyMembershipTarget === 'refuse';
  if (!context.membershipTargetInternalError && !appOnlyRefused) return undefined;
  return graphError(500, 'InternalServerError', 'An internal server error has occurred.');
}

function setMembershipTarget(policy: SandboxPolicy, request: RouteRequest, context: RouteContext): GraphReply {
  const refusal = membershipTargetRefusal(context);
  if (refusal) return refusal;
  const parsed = membershipTargetBodySchema.safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'enrollmentTimeDeviceMembershipTarget');
  const targetIds = parsed.data.enrollmentTimeDeviceMembershipTargets.map((target) => target.targetId);
  const result = validationResult(targetIds, context);
  if (result.validationSucceeded) policy.membershipTargetIds = targetIds;
  return membershipTargetReply(result, context);
}

/** No body; answers `{"value": true}`. */
function clearMembershipTarget(policy: SandboxPolicy, _: RouteRequest, context: RouteContext): GraphReply {
  const refusal = membershipTargetRefusal(context);
  if (refusal) return refusal;
  policy.membershipTargetIds = [];
  return { status: 200, body: { '@odata.context': `${context.baseUrl}/beta/$metadata#Edm.Boolean`, value: true } };
}

function retrieveMembershipTarget(policy: SandboxPolicy, _: RouteRequest, context: RouteContext): GraphReply {
  if (context.caller === 'appOnly' && context.variations.appOnlyMembershipTargetRead === 'refuse') {
    return graphError(500, 'InternalServerError', 'An internal server error has occurred.');
  }
  return membershipTargetReply(validationResult(policy.membershipTargetIds, context), context);
}

/** The result wrapped in `value`, as the beta docs of set/retrieve show it. */
function membershipTargetReply(result: ReturnType<typeof validationResult>, context: RouteContext): GraphReply {
  return {
    status: 200,
    body: {
      '@odata.context': `${context.baseUrl}/beta/$metadata#microsoft.graph.enrollmentTimeDeviceMembershipTargetResult`,
      value: { '@odata.type': '#microsoft.graph.enrollmentTimeDeviceMembershipTargetResult', ...result },
    },
  };
}

function validationResult(targetIds: readonly string[], context: RouteContext) {
  const statuses = targetIds.map((targetId) => {
    const code = context.tenant.validateMembershipTarget(targetId, context.visible);
    // `unknown` is the enum's default member: what Intune reports for a target without an error.
    return { targetId, validationSucceeded: code === undefined, targetValidationErrorCode: code ?? 'unknown' };
  });
  return {
    validationSucceeded: statuses.every((status) => status.validationSucceeded),
    enrollmentTimeDeviceMembershipTargetValidationStatuses: statuses,
  };
}
