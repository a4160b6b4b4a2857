/** Membership: a group's members and its users through nested groups, and checkMemberGroups for a user. */
import { checkMemberGroupsBodySchema, invalidBody, notFound, referencedObjects, type GraphReply } from '../graphWire';
import { page, type Route, type RouteContext, type RouteRequest } from '../route';
import type { SandboxGroup } from '../tenant';
import { withGroupById } from './groups';

export const groupMemberRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/groups\/([^/()]+)\/members$/, handle: withGroupById(listMembers) },
  { method: 'POST', pattern: /^\/users\/([^/]+)\/checkMemberGroups$/, readOnly: true, handle: checkMemberGroups },
  { method: 'GET', pattern: /^\/groups\/([^/()]+)\/transitiveMembers\/microsoft\.graph\.user$/, handle: withGroupById(listTransitiveUsers) },
];

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
