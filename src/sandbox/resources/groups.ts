/** Groups: list and filter, create, upsert on uniqueName, read, update and (soft) delete. */
import {
  graphError,
  groupCreateSchema,
  groupJson,
  groupUpdateSchema,
  idFromReference,
  invalidBody,
  invalidReference,
  notFound,
  type GraphReply,
  type GroupCreateBody,
  type GroupUpdateBody,
} from '../graphWire';
import { parseSimpleFilter, parseStringLiteral, type SimpleFilter } from '../odata';
import { badKey, page, type Route, type RouteContext, type RouteHandler, type RouteRequest } from '../route';
import { DISPLAY_NAME_FILTER_LIMIT, DYNAMIC_MEMBERSHIP } from '../../provisioning/directory';
import type { SandboxGroup } from '../tenant';

export const groupRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/groups$/, handle: listGroups },
  { method: 'POST', pattern: /^\/groups$/, handle: (_, request, context) => createGroup(request.body, context, undefined) },
  { method: 'GET', pattern: /^\/groups\(uniqueName=(.+)\)$/, handle: withGroupByUniqueName(getGroup) },
  { method: 'PATCH', pattern: /^\/groups\(uniqueName=(.+)\)$/, handle: upsertGroup },
  { method: 'DELETE', pattern: /^\/groups\(uniqueName=(.+)\)$/, handle: withGroupByUniqueName(deleteGroup) },
  { method: 'GET', pattern: /^\/groups\/([^/()]+)$/, handle: withGroupById(getGroup) },
  { method: 'PATCH', pattern: /^\/groups\/([^/()]+)$/, handle: withGroupById(patchGroup) },
  { method: 'DELETE', pattern: /^\/groups\/([^/()]+)$/, handle: withGroupById(deleteGroup) },
];

/** A handler of one group's path: the group, then the path's further parameters. */
export type GroupHandler = (group: SandboxGroup, params: readonly string[], request: RouteRequest, context: RouteContext) => GraphReply;

/** The group the path's first parameter names, or 404 when there is none (or it is still replicating). */
export function withGroupById(handler: GroupHandler): RouteHandler {
  return ([id, ...rest], request, context) => {
    const group = context.tenant.group(id ?? '');
    return group && context.visible(group) ? handler(group, rest, request, context) : notFound(id ?? '');
  };
}

function withGroupByUniqueName(handler: GroupHandler): RouteHandler {
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

/** Graph's answer to adding an owner the group already has, by `$ref` or by `owners@odata.bind`. */
export function referencesExist(): GraphReply {
  return graphError(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'owners'.");
}

/** The ids of `@odata.bind` URLs; undefined when one is not a directory object on this cloud's host. */
function referencedIds(references: readonly string[] | undefined, context: RouteContext): string[] | undefined {
  const ids = (references ?? []).map((reference) => idFromReference(reference, context.addressedOrigin));
  return ids.every((id): id is string => id !== undefined) ? ids : undefined;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
