/**
 * A device-preparation policy's enrollment-time device membership target (beta actions set, clear and
 * retrieve), validated by Intune from the group's real state.
 */
import { graphError, invalidBody, membershipTargetBodySchema, type GraphReply } from '../graphWire';
import { parseStringLiteral } from '../odata';
import { badKey, type Route, type RouteContext, type RouteHandler, type RouteRequest } from '../route';
import type { SandboxPolicy } from '../tenant';
import { policyNotFound, type PolicyHandler } from './configurationPolicies';

const RETRIEVE_PATH = /^\/deviceManagement\/configurationPolicies\((.+)\)\/retrieveEnrollmentTimeDeviceMembershipTarget$/;

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
    pattern: RETRIEVE_PATH,
    betaOnly: true,
    readOnly: true,
    handle: withPolicy((policy, request, context) =>
      context.variations.retrieveMembershipTargetMethod === 'get' ? noRoute(request, 'POST') : retrieveMembershipTarget(policy, request, context)),
  },
  {
    method: 'GET',
    pattern: RETRIEVE_PATH,
    betaOnly: true,
    handle: withPolicy((policy, request, context) =>
      context.variations.retrieveMembershipTargetMethod === 'get' ? retrieveMembershipTarget(policy, request, context) : noRoute(request, 'GET')),
  },
];

/** What Intune answers a verb it has no route for, as the community audit script reports it (third-party). */
function noRoute(request: RouteRequest, verb: 'GET' | 'POST'): GraphReply {
  return graphError(400, 'BadRequest', `No OData route exists that match template ~/singleton/navigation/key/action with http verb ${verb} for request /beta${request.path}.`);
}


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
  // Only an assignment is checked against the caller's Intune role scope; reading is not.
  const result = validationResult(targetIds, context, context.callerScopeCovers);
  if (result.validationSucceeded) {
    policy.membershipTargetIds = targetIds;
    auditChange('setEnrollmentTimeDeviceMembershipTarget', policy, context);
  }
  return membershipTargetReply(result, context);
}

/** Intune's audit log names who changed the policy's device group: the person, or the application. */
function auditChange(activity: string, policy: SandboxPolicy, context: RouteContext): void {
  context.tenant.recordAuditEvent(activity, { kind: context.caller, userId: context.callerObjectId ?? null }, policy);
}

/** No body; answers `{"value": true}`. */
function clearMembershipTarget(policy: SandboxPolicy, _: RouteRequest, context: RouteContext): GraphReply {
  const refusal = membershipTargetRefusal(context);
  if (refusal) return refusal;
  policy.membershipTargetIds = [];
  auditChange('clearEnrollmentTimeDeviceMembershipTarget', policy, context);
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

function validationResult(targetIds: readonly string[], context: RouteContext, inCallerScope: (groupId: string) => boolean = () => true) {
  const statuses = targetIds.map((targetId) => {
    const code = context.tenant.validateMembershipTarget(targetId, context.visible) ?? (inCallerScope(targetId) ? undefined : 'securityGroupNotInCallerScope');
    // `unknown` is the enum's default member: what Intune reports for a target without an error.
    return { targetId, validationSucceeded: code === undefined, targetValidationErrorCode: code ?? 'unknown' };
  });
  return {
    validationSucceeded: statuses.every((status) => status.validationSucceeded),
    enrollmentTimeDeviceMembershipTargetValidationStatuses: statuses,
  };
}
