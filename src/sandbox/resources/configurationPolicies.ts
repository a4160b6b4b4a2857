/** Intune configuration policies (beta): the device-preparation policies, listed, created, read, renamed and deleted. */
import { graphError, invalidBody, policyCreateSchema, policyJson, policyUpdateSchema, type GraphReply } from '../graphWire';
import { parseSimpleFilter } from '../odata';
import { page, type Route, type RouteContext, type RouteHandler, type RouteRequest } from '../route';
import { SCENARIO_INFO } from '../../domain/scenario';
import type { SandboxPolicy } from '../tenant';

export const configurationPolicyRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/deviceManagement\/configurationPolicies$/, betaOnly: true, handle: listPolicies },
  { method: 'POST', pattern: /^\/deviceManagement\/configurationPolicies$/, betaOnly: true, handle: createPolicy },
  { method: 'GET', pattern: /^\/deviceManagement\/configurationPolicies\/([^/()]+)$/, betaOnly: true, handle: withPolicyById(getPolicy) },
  { method: 'PATCH', pattern: /^\/deviceManagement\/configurationPolicies\/([^/()]+)$/, betaOnly: true, handle: withPolicyById(updatePolicy) },
  { method: 'DELETE', pattern: /^\/deviceManagement\/configurationPolicies\/([^/()]+)$/, betaOnly: true, handle: withPolicyById(deletePolicy) },
];

export type PolicyHandler = (policy: SandboxPolicy, request: RouteRequest, context: RouteContext) => GraphReply;

export function policyNotFound(id: string): GraphReply {
  return graphError(404, 'NotFound', `No configuration policy with id '${id}'.`);
}

function withPolicyById(handler: PolicyHandler): RouteHandler {
  return ([id], request, context) => {
    const policy = context.tenant.policy(id ?? '');
    return policy ? handler(policy, request, context) : policyNotFound(id ?? '');
  };
}

function listPolicies(_: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  const filterText = request.query.get('$filter');
  if (filterText !== null) {
    const filter = parseSimpleFilter(filterText);
    if (!filter || filter.property !== 'technologies' || filter.operator !== 'has') {
      return graphError(400, 'BadRequest', `Invalid filter clause: ${filterText}`);
    }
    // Every sandbox policy is a device-preparation (enrollment) policy.
    if (filter.value !== 'enrollment') return page([], request, context, '/deviceManagement/configurationPolicies');
  }
  const policies = context.tenant.policies().map(policyJson);
  return page(policies, request, context, '/deviceManagement/configurationPolicies');
}

const DEVICE_PREPARATION_TEMPLATE_IDS: ReadonlySet<string> = new Set(Object.values(SCENARIO_INFO).map((info) => info.templateId));

/** 201 with the policy. Only device-preparation templates: the emulator models no other policy type. */
function createPolicy(_: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  const parsed = policyCreateSchema.safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'deviceManagementConfigurationPolicy');
  const { name, description, templateReference } = parsed.data;
  if (!DEVICE_PREPARATION_TEMPLATE_IDS.has(templateReference.templateId)) {
    return graphError(400, 'BadRequest', `The sandbox models device-preparation templates only, not '${templateReference.templateId}'.`);
  }
  const policy = context.tenant.addPolicy({ name, templateId: templateReference.templateId, description: description ?? '' });
  return { status: 201, body: { '@odata.context': `${context.baseUrl}/beta/$metadata#deviceManagement/configurationPolicies/$entity`, ...policyJson(policy) } };
}

function getPolicy(policy: SandboxPolicy): GraphReply {
  return { status: 200, body: policyJson(policy) };
}

/** A rename keeps the id; 200 with the updated policy (Graph beta: Update deviceManagementConfigurationPolicy). */
function deletePolicy(policy: SandboxPolicy, _: RouteRequest, context: RouteContext): GraphReply {
  context.tenant.deletePolicy(policy.id);
  return { status: 204 };
}

function updatePolicy(policy: SandboxPolicy, request: RouteRequest, context: RouteContext): GraphReply {
  const parsed = policyUpdateSchema.safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'deviceManagementConfigurationPolicy');
  const { name, description } = parsed.data;
  const updated = context.tenant.updatePolicy(policy.id, { ...(name !== undefined ? { name } : {}), ...(description != null ? { description } : {}) });
  return { status: 200, body: policyJson(updated) };
}
