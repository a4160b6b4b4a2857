/** The Graph endpoints the emulator serves, over the sandbox tenant. */
import { z } from 'zod';
import { parseSimpleFilter, parseStringLiteral, type SimpleFilter } from './odata';
import {
  checkMemberGroupsBodySchema,
  deletedGroupJson,
  graphError,
  groupCreateSchema,
  groupJson,
  groupUpdateSchema,
  idFromReference,
  invalidBody,
  invalidReference,
  membershipTargetBodySchema,
  notFound,
  policyCreateSchema,
  policyJson,
  policyUpdateSchema,
  objectJson,
  referencedObjects,
  referenceSchema,
  type GraphReply,
  type GroupCreateBody,
  type GroupUpdateBody,
} from './graphWire';
import { DISPLAY_NAME_FILTER_LIMIT, DYNAMIC_MEMBERSHIP } from '../provisioning/directory';
import { SCENARIO_INFO } from '../domain/scenario';
import type { CallerKind } from '../provisioning/directory';
import type { DeletedSandboxGroup, SandboxGroup, SandboxPolicy, SandboxTenant } from './tenant';

/**
 * Where Graph's behaviour is reported to vary. Every default is the stricter answer, so that what works
 * against the sandbox also works against the real Graph.
 */
export interface GraphVariations {
  /**
   * An upsert whose `owners@odata.bind` names an owner the group already has. `reject` (default): 400 "One or
   * more added object references already exist" (msgraph-bicep-types#167); `accept`: 204.
   */
  readonly ownerRebindOnUpsert?: 'reject' | 'accept';
  /**
   * An upsert of a uniqueName whose group another request created moments ago (still replicating). `conflict`
   * (default): 400 uniqueName conflict for the loser; `accept`: 204, as for any existing group.
   */
  readonly concurrentUpsert?: 'conflict' | 'accept';
  /**
   * set/clearEnrollmentTimeDeviceMembershipTarget with an app-only token. `refuse` (default): 500, as Intune
   * answers today (deploymenttheory/terraform-provider-microsoft365, known bug); `allow`: as for delegated calls.
   */
  readonly appOnlyMembershipTarget?: 'refuse' | 'allow';
  /**
   * retrieveEnrollmentTimeDeviceMembershipTarget with an app-only token. `allow` (default): no source reports
   * the read failing for app-only callers; `refuse`: 500 like set/clear, for the inventory's fallback to the
   * bot's own record.
   */
  readonly appOnlyMembershipTargetRead?: 'allow' | 'refuse';
}

export const STRICT_VARIATIONS: Required<GraphVariations> = {
  ownerRebindOnUpsert: 'reject',
  concurrentUpsert: 'conflict',
  appOnlyMembershipTarget: 'refuse',
  appOnlyMembershipTargetRead: 'allow',
};

export type GraphVersion = 'v1.0' | 'beta';

export interface RouteRequest {
  readonly method: string;
  readonly version: GraphVersion;
  /** Raw (still percent-encoded) path after the version segment. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly prefer: string | undefined;
  readonly body: unknown;
}

export interface RouteContext {
  readonly tenant: SandboxTenant;
  /** False while a new group is still replicating. */
  readonly visible: (group: SandboxGroup) => boolean;
  readonly pageSize: number;
  /** The emulator's own origin, for `@odata.nextLink`. */
  readonly baseUrl: string;
  /** The origin the request was addressed to (its Host): the cloud host that `@odata.bind` URLs must name. */
  readonly addressedOrigin: string;
  readonly membershipTargetInternalError: boolean;
  /** Who the bearer token acts for: a user (its claims carry `scp`) or the application. */
  readonly caller: CallerKind;
  readonly variations: Required<GraphVariations>;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly betaOnly?: boolean;
  readonly handle: (params: readonly string[], request: RouteRequest, context: RouteContext) => GraphReply;
}

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/servicePrincipals\(appId=(.+)\)$/, handle: getServicePrincipalByAppId },
  { method: 'GET', pattern: /^\/groups$/, handle: listGroups },
  { method: 'POST', pattern: /^\/groups$/, handle: (_, request, context) => createGroup(request.body, context, undefined) },
  { method: 'GET', pattern: /^\/groups\(uniqueName=(.+)\)$/, handle: withGroupByUniqueName(getGroup) },
  { method: 'PATCH', pattern: /^\/groups\(uniqueName=(.+)\)$/, handle: upsertGroup },
  { method: 'DELETE', pattern: /^\/groups\(uniqueName=(.+)\)$/, handle: withGroupByUniqueName(deleteGroup) },
  { method: 'GET', pattern: /^\/groups\/([^/()]+)$/, handle: withGroupById(getGroup) },
  { method: 'PATCH', pattern: /^\/groups\/([^/()]+)$/, handle: withGroupById(patchGroup) },
  { method: 'DELETE', pattern: /^\/groups\/([^/()]+)$/, handle: withGroupById(deleteGroup) },
  { method: 'GET', pattern: /^\/groups\/([^/()]+)\/owners$/, handle: withGroupById(listOwners) },
  { method: 'POST', pattern: /^\/groups\/([^/()]+)\/owners\/\$ref$/, handle: withGroupById(addOwner) },
  { method: 'DELETE', pattern: /^\/groups\/([^/()]+)\/owners\/([^/]+)\/\$ref$/, handle: withGroupById(removeOwner) },
  { method: 'GET', pattern: /^\/groups\/([^/()]+)\/members$/, handle: withGroupById(listMembers) },
  { method: 'POST', pattern: /^\/users\/([^/]+)\/checkMemberGroups$/, handle: checkMemberGroups },
  { method: 'GET', pattern: /^\/groups\/([^/()]+)\/transitiveMembers\/microsoft\.graph\.user$/, handle: withGroupById(listTransitiveUsers) },
  { method: 'POST', pattern: /^\/users\/([^/]+)\/teamwork\/installedApps$/, handle: installAppForUser },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/teamwork\/installedApps$/, handle: listUserInstallations },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/teamwork\/installedApps\/([^/]+)\/chat$/, handle: installationChat },
  { method: 'GET', pattern: /^\/directory\/deletedItems\/microsoft\.graph\.group$/, handle: listDeletedGroups },
  { method: 'GET', pattern: /^\/directory\/deletedItems\/([^/]+)$/, handle: withDeletedGroup(getDeletedGroup) },
  { method: 'POST', pattern: /^\/directory\/deletedItems\/([^/]+)\/restore$/, handle: withDeletedGroup(restoreDeletedGroup) },
  { method: 'DELETE', pattern: /^\/directory\/deletedItems\/([^/]+)$/, handle: withDeletedGroup(purgeDeletedGroup) },
  { method: 'GET', pattern: /^\/deviceManagement\/configurationPolicies$/, betaOnly: true, handle: listPolicies },
  { method: 'POST', pattern: /^\/deviceManagement\/configurationPolicies$/, betaOnly: true, handle: createPolicy },
  { method: 'GET', pattern: /^\/deviceManagement\/configurationPolicies\/([^/()]+)$/, betaOnly: true, handle: withPolicyById(getPolicy) },
  { method: 'PATCH', pattern: /^\/deviceManagement\/configurationPolicies\/([^/()]+)$/, betaOnly: true, handle: withPolicyById(updatePolicy) },
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
    handle: withPolicy(retrieveMembershipTarget),
  },
];

/** Read-only POST actions (not subject to the write throttle). */
export function isWrite(method: string, path: string): boolean {
  return method !== 'GET' && !/\/(checkMemberGroups|retrieveEnrollmentTimeDeviceMembershipTarget)$/.test(path);
}

export function routeGraphRequest(request: RouteRequest, context: RouteContext): GraphReply {
  for (const route of ROUTES) {
    const match = route.pattern.exec(request.path);
    if (!match || (route.betaOnly && request.version !== 'beta')) continue;
    if (route.method !== request.method) continue;
    return route.handle(match.slice(1).map(decodeURIComponent), request, context);
  }
  const segment = request.path.split('/').filter(Boolean)[0] ?? '';
  return graphError(400, 'BadRequest', `Resource not found for the segment '${decodeURIComponent(segment)}'.`);
}

// ── service principals ─────────────────────────────────────────────────────────────────────────────────

function getServicePrincipalByAppId([key]: readonly string[], _: RouteRequest, { tenant }: RouteContext): GraphReply {
  const appId = parseStringLiteral(key ?? '');
  if (appId === undefined) return badKey(key);
  const sp = tenant.servicePrincipalByAppId(appId);
  return sp ? { status: 200, body: objectJson(sp) } : notFound(appId);
}

// ── groups ─────────────────────────────────────────────────────────────────────────────────────────────

type GroupHandler = (group: SandboxGroup, params: readonly string[], request: RouteRequest, context: RouteContext) => GraphReply;

function withGroupById(handler: GroupHandler): Route['handle'] {
  return ([id, ...rest], request, context) => {
    const group = context.tenant.group(id ?? '');
    return group && context.visible(group) ? handler(group, rest, request, context) : notFound(id ?? '');
  };
}

function withGroupByUniqueName(handler: GroupHandler): Route['handle'] {
  return ([key], request, context) => {
    const uniqueName = parseStringLiteral(key ?? '');
    if (uniqueName === undefined) return badKey(key);
    const group = context.tenant.groupByUniqueName(uniqueName);
    return group && context.visible(group) ? handler(group, [], request, context) : notFound(uniqueName);
  };
}

function getGroup(group: SandboxGroup, _: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  const expand = expandOf(request.query);
  if (expand === 'invalid') return unsupportedExpand(request.query);
  return { status: 200, body: groupJson(group, context.tenant, expand) };
}

function listGroups(_: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  const expand = expandOf(request.query);
  if (expand === 'invalid') return unsupportedExpand(request.query);
  const filterText = request.query.get('$filter');
  let filter: SimpleFilter | undefined;
  if (filterText !== null) {
    filter = parseSimpleFilter(filterText);
    if (!filter || filter.operator === 'has' || !FILTERABLE_GROUP_PROPERTIES.has(filter.property)) {
      return graphError(400, 'Request_UnsupportedQuery', `Invalid filter clause: ${filterText}`);
    }
    if (filter.property === 'displayName' && filter.value.length > DISPLAY_NAME_FILTER_LIMIT) {
      return graphError(400, 'Request_UnsupportedQuery', "Unsupported or invalid query filter clause specified for property 'displayName' of resource 'Group'.");
    }
  }
  const matches = context.tenant
    .groups()
    .filter((group) => context.visible(group) && (!filter || groupMatches(group, filter)))
    .map((group) => groupJson(group, context.tenant, expand));
  return page(matches, request, context, '/groups');
}

const FILTERABLE_GROUP_PROPERTIES = new Set(['displayName', 'uniqueName', 'mailNickname']);

/** Directory string comparisons are case-insensitive. */
function groupMatches(group: SandboxGroup, filter: SimpleFilter): boolean {
  const value = group[filter.property as 'displayName' | 'uniqueName' | 'mailNickname']?.toLowerCase();
  const wanted = filter.value.toLowerCase();
  return typeof value === 'string' && (filter.operator === 'startsWith' ? value.startsWith(wanted) : value === wanted);
}

function upsertGroup([key]: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  const uniqueName = parseStringLiteral(key ?? '');
  if (uniqueName === undefined) return badKey(key);
  // Writes go to the authoritative replica: no replication lag here.
  const existing = context.tenant.groupByUniqueName(uniqueName);
  if (existing) {
    // A group still replicating was created by a request racing this one: Graph may answer the loser 400.
    const racing = !context.visible(existing) && context.variations.concurrentUpsert === 'conflict';
    return racing ? uniqueNameConflict() : applyUpdate(existing, request.body, context);
  }
  // A deleted group keeps its uniqueName in the recycle bin (Microsoft Graph Bicep known issues).
  if (context.tenant.uniqueNameTaken(uniqueName)) return uniqueNameConflict();
  if (!/\bcreate-if-missing\b/i.test(request.prefer ?? '')) return notFound(uniqueName);
  const created = createGroup(request.body, context, uniqueName);
  return created.status === 201 ? { ...created, headers: { 'Preference-Applied': 'create-if-missing' } } : created;
}

function createGroup(body: unknown, context: RouteContext, uniqueName: string | undefined): GraphReply {
  const parsed = groupCreateSchema.safeParse(body);
  if (!parsed.success) return invalidBody(parsed.error, 'Group');
  const input: GroupCreateBody = { ...parsed.data, ...(uniqueName !== undefined ? { uniqueName } : {}) };
  const problem = createProblem(input, context);
  if (problem) return problem;
  const ownerIds = referencedIds(input['owners@odata.bind'], context);
  const memberIds = referencedIds(input['members@odata.bind'], context);
  if (!ownerIds) return invalidReference('owners');
  if (!memberIds) return invalidReference('members');
  const missing = [...ownerIds, ...memberIds].find((id) => context.tenant.typeOf(id) === undefined);
  if (missing !== undefined) return notFound(missing);
  const group = context.tenant.createGroup({
    displayName: input.displayName,
    description: input.description ?? null,
    mailNickname: input.mailNickname,
    uniqueName: input.uniqueName ?? null,
    securityEnabled: input.securityEnabled,
    mailEnabled: input.mailEnabled,
    groupTypes: input.groupTypes ?? [],
    membershipRule: input.membershipRule ?? null,
    isAssignableToRole: input.isAssignableToRole ?? null,
    ownerIds: [...new Set(ownerIds)],
    memberIds: [...new Set(memberIds)],
  });
  // The create response is read from the writing replica, so it is never hidden by replication lag.
  return { status: 201, body: { '@odata.context': `${context.baseUrl}/v1.0/$metadata#groups/$entity`, ...groupJson(group, context.tenant) } };
}

function createProblem(input: GroupCreateBody, context: RouteContext): GraphReply | undefined {
  if (input.uniqueName !== undefined && context.tenant.uniqueNameTaken(input.uniqueName)) return uniqueNameConflict();
  const dynamic = (input.groupTypes ?? []).includes(DYNAMIC_MEMBERSHIP);
  if (dynamic !== Boolean(input.membershipRule)) {
    return graphError(400, 'Request_BadRequest', 'A dynamic group needs a membershipRule, and only a dynamic group may have one.');
  }
  if (input.isAssignableToRole && (!input.securityEnabled || input.mailEnabled)) {
    return graphError(400, 'Request_BadRequest', 'A role-assignable group must be a security group that is not mail-enabled.');
  }
  if (input.mailEnabled && !(input.groupTypes ?? []).includes('Unified')) {
    return graphError(400, 'Request_BadRequest', 'Mail-enabled security groups cannot be created through Microsoft Graph.');
  }
  return undefined;
}

function patchGroup(group: SandboxGroup, _: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  return applyUpdate(group, request.body, context);
}

function applyUpdate(group: SandboxGroup, body: unknown, context: RouteContext): GraphReply {
  const parsed = groupUpdateSchema.safeParse(body);
  if (!parsed.success) return invalidBody(parsed.error, 'Group');
  const update: GroupUpdateBody = parsed.data;
  const ownerIds = referencedIds(update['owners@odata.bind'], context);
  if (!ownerIds) return invalidReference('owners');
  const missing = ownerIds.find((id) => context.tenant.typeOf(id) === undefined);
  if (missing !== undefined) return notFound(missing);
  if (context.variations.ownerRebindOnUpsert === 'reject' && ownerIds.some((id) => group.ownerIds.includes(id))) return referencesExist();
  const { 'owners@odata.bind': _owners, 'members@odata.bind': _members, ...properties } = update;
  context.tenant.updateGroup(group.id, definedOnly(properties));
  for (const ownerId of ownerIds) context.tenant.addOwner(group.id, ownerId);
  return { status: 204 };
}

function deleteGroup(group: SandboxGroup, _: readonly string[], __: RouteRequest, { tenant }: RouteContext): GraphReply {
  tenant.deleteGroup(group.id);
  return { status: 204 };
}

/** v1.0 `/owners` does not list service-principal owners (only `$expand=owners` does), like Graph. */
function listOwners(group: SandboxGroup, _: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  const owners = referencedObjects(group.ownerIds, context.tenant).filter(
    (owner) => request.version === 'beta' || owner['@odata.type'] !== '#microsoft.graph.servicePrincipal',
  );
  return page(owners, request, context, `/groups/${group.id}/owners`);
}

function addOwner(group: SandboxGroup, _: readonly string[], request: RouteRequest, { tenant, addressedOrigin }: RouteContext): GraphReply {
  const parsed = referenceSchema.safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'Reference');
  const ownerId = idFromReference(parsed.data['@odata.id'], addressedOrigin);
  if (ownerId === undefined) return invalidReference('owners');
  const type = tenant.typeOf(ownerId);
  if (type === undefined) return notFound(ownerId);
  if (type !== 'user' && type !== 'servicePrincipal') return graphError(400, 'Request_BadRequest', 'Only users and service principals can own groups.');
  if (group.ownerIds.includes(ownerId)) return referencesExist();
  tenant.addOwner(group.id, ownerId);
  return { status: 204 };
}

function removeOwner(group: SandboxGroup, [ownerId]: readonly string[], _: RouteRequest, { tenant }: RouteContext): GraphReply {
  if (!ownerId || !group.ownerIds.includes(ownerId)) return notFound(ownerId ?? '');
  tenant.removeOwner(group.id, ownerId);
  return { status: 204 };
}

function listMembers(group: SandboxGroup, _: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  return page(referencedObjects(group.memberIds, context.tenant), request, context, `/groups/${group.id}/members`);
}

function checkMemberGroups([userId]: readonly string[], request: RouteRequest, { tenant }: RouteContext): GraphReply {
  if (!userId || tenant.typeOf(userId) !== 'user') return notFound(userId ?? '');
  const parsed = checkMemberGroupsBodySchema.safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'checkMemberGroups');
  const memberOf = tenant.transitiveGroupIdsOf(userId);
  return { status: 200, body: { value: parsed.data.groupIds.filter((id) => memberOf.has(id)) } };
}

function listTransitiveUsers(group: SandboxGroup, _: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  const users = context.tenant.transitiveUserMembersOf(group.id).map((user) => ({ '@odata.type': '#microsoft.graph.user', id: user.id, displayName: user.displayName }));
  return page(users, request, context, `/groups/${group.id}/transitiveMembers/microsoft.graph.user`);
}

// ── Teams apps for users (teamwork/installedApps) ─────────────────────────────────────────────────────────

const installAppBodySchema = z.object({ 'teamsApp@odata.bind': z.string() });
const TEAMS_APP_REFERENCE = /\/v1\.0\/appCatalogs\/teamsApps\/([^/]+)$/;

function installAppForUser([userId]: readonly string[], request: RouteRequest, { tenant, addressedOrigin }: RouteContext): GraphReply {
  if (!userId || tenant.typeOf(userId) !== 'user') return notFound(userId ?? '');
  const parsed = installAppBodySchema.safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'userScopeTeamsAppInstallation');
  const reference = parsed.data['teamsApp@odata.bind'];
  const teamsAppId = reference.startsWith(`${addressedOrigin}/`) ? TEAMS_APP_REFERENCE.exec(reference)?.[1] : undefined;
  if (teamsAppId === undefined) return invalidReference('teamsApp');
  if (!tenant.hasCatalogApp(teamsAppId)) return notFound(teamsAppId);
  const installed = tenant.installAppForUser(userId, teamsAppId);
  if (!installed) return graphError(409, 'Conflict', 'The app is already installed for this user.');
  return { status: 201 };
}

function listUserInstallations([userId]: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  if (!userId || context.tenant.typeOf(userId) !== 'user') return notFound(userId ?? '');
  const filter = request.query.get('$filter');
  const wanted = filter === null ? undefined : /^teamsApp\/id eq '([^']*)'$/.exec(filter)?.[1];
  if (filter !== null && wanted === undefined) return graphError(400, 'BadRequest', `Unsupported $filter: ${filter}`);
  const expand = request.query.get('$expand') === 'teamsApp';
  const installations = context.tenant
    .installationsOf(userId)
    .filter((installation) => wanted === undefined || installation.teamsAppId === wanted)
    .map((installation) => ({
      '@odata.type': '#microsoft.graph.userScopeTeamsAppInstallation',
      id: installation.id,
      ...(expand && { teamsApp: { id: installation.teamsAppId, distributionMethod: 'organization' } }),
    }));
  return page(installations, request, context, `/users/${userId}/teamwork/installedApps`);
}

function installationChat([userId, installationId]: readonly string[], _: RouteRequest, { tenant }: RouteContext): GraphReply {
  const installation = tenant.installationsOf(userId ?? '').find((each) => each.id === installationId);
  if (!installation) return notFound(installationId ?? '');
  return { status: 200, body: { id: installation.chatId, chatType: 'oneOnOne' } };
}

// ── recycle bin ───────────────────────────────────────────────────────────────────────────────────────────

type DeletedGroupHandler = (deleted: DeletedSandboxGroup, request: RouteRequest, context: RouteContext) => GraphReply;

function withDeletedGroup(handler: DeletedGroupHandler): Route['handle'] {
  return ([id], request, context) => {
    const deleted = context.tenant.deletedGroup(id ?? '');
    return deleted ? handler(deleted, request, context) : notFound(id ?? '');
  };
}

function listDeletedGroups(_: readonly string[], request: RouteRequest, context: RouteContext): GraphReply {
  const deleted = context.tenant.deletedGroups().map((each) => deletedGroupJson(each, context.tenant));
  return page(deleted, request, context, '/directory/deletedItems/microsoft.graph.group');
}

function getDeletedGroup(deleted: DeletedSandboxGroup, _: RouteRequest, { tenant }: RouteContext): GraphReply {
  return { status: 200, body: deletedGroupJson(deleted, tenant) };
}

/** The same object id comes back (200 with the object). */
function restoreDeletedGroup(deleted: DeletedSandboxGroup, _: RouteRequest, { tenant }: RouteContext): GraphReply {
  return { status: 200, body: groupJson(tenant.restoreGroup(deleted.group.id), tenant) };
}

function purgeDeletedGroup(deleted: DeletedSandboxGroup, _: RouteRequest, { tenant }: RouteContext): GraphReply {
  tenant.purgeGroup(deleted.group.id);
  return { status: 204 };
}

// ── Intune (beta) ──────────────────────────────────────────────────────────────────────────────────────

type PolicyHandler = (policy: SandboxPolicy, request: RouteRequest, context: RouteContext) => GraphReply;

function withPolicy(handler: PolicyHandler): Route['handle'] {
  return ([key], request, context) => {
    const id = parseStringLiteral(key ?? '');
    if (id === undefined) return badKey(key);
    const policy = context.tenant.policy(id);
    return policy ? handler(policy, request, context) : graphError(404, 'NotFound', `No configuration policy with id '${id}'.`);
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

function withPolicyById(handler: PolicyHandler): Route['handle'] {
  return ([id], request, context) => {
    const policy = context.tenant.policy(id ?? '');
    return policy ? handler(policy, request, context) : graphError(404, 'NotFound', `No configuration policy with id '${id ?? ''}'.`);
  };
}

function getPolicy(policy: SandboxPolicy): GraphReply {
  return { status: 200, body: policyJson(policy) };
}

/** A rename keeps the id; 200 with the updated policy (Graph beta: Update deviceManagementConfigurationPolicy). */
function updatePolicy(policy: SandboxPolicy, request: RouteRequest, context: RouteContext): GraphReply {
  const parsed = policyUpdateSchema.safeParse(request.body);
  if (!parsed.success) return invalidBody(parsed.error, 'deviceManagementConfigurationPolicy');
  const { name, description } = parsed.data;
  const updated = context.tenant.updatePolicy(policy.id, { ...(name !== undefined ? { name } : {}), ...(description != null ? { description } : {}) });
  return { status: 200, body: policyJson(updated) };
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

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────────

function expandOf(query: URLSearchParams): 'owners' | 'members' | undefined | 'invalid' {
  const expand = query.get('$expand');
  if (expand === null) return undefined;
  return expand === 'owners' || expand === 'members' ? expand : 'invalid';
}

function unsupportedExpand(query: URLSearchParams): GraphReply {
  return graphError(400, 'Request_UnsupportedQuery', `Unsupported $expand: ${query.get('$expand') ?? ''}`);
}

function uniqueNameConflict(): GraphReply {
  return graphError(400, 'Request_BadRequest', 'Another object with the same value for property uniqueName already exists.');
}

function referencesExist(): GraphReply {
  return graphError(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'owners'.");
}

/** The ids of `@odata.bind` URLs; undefined when one is not a directory object on this cloud's host. */
function referencedIds(references: readonly string[] | undefined, context: RouteContext): string[] | undefined {
  const ids = (references ?? []).map((reference) => idFromReference(reference, context.addressedOrigin));
  return ids.every((id): id is string => id !== undefined) ? ids : undefined;
}

function badKey(key: string | undefined): GraphReply {
  return graphError(400, 'Request_BadRequest', `Syntax error in key segment: ${key ?? ''}`);
}

/** Server-driven paging with `$skiptoken`, like Graph's `@odata.nextLink`. */
function page(items: readonly unknown[], request: RouteRequest, context: RouteContext, path: string): GraphReply {
  const skip = Number(request.query.get('$skiptoken') ?? '0');
  if (!Number.isInteger(skip) || skip < 0) return graphError(400, 'Request_BadRequest', 'Invalid $skiptoken.');
  const value = items.slice(skip, skip + context.pageSize);
  const body: Record<string, unknown> = { value };
  if (skip + context.pageSize < items.length) {
    const next = new URLSearchParams(request.query);
    next.set('$skiptoken', String(skip + context.pageSize));
    body['@odata.nextLink'] = `${context.baseUrl}/${request.version}${path}?${next.toString()}`;
  }
  return { status: 200, body };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
