/** The recycle bin (directory/deletedItems): deleted groups listed, read, restored and purged. */
import { deletedGroupJson, groupJson, notFound, type GraphReply } from '../graphWire';
import { page, type Route, type RouteContext, type RouteHandler, type RouteRequest } from '../route';
import type { DeletedSandboxGroup } from '../tenant';

// The list comes first: its path would also match the single item's pattern.
export const deletedItemRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/directory\/deletedItems\/microsoft\.graph\.group$/, handle: listDeletedGroups },
  { method: 'GET', pattern: /^\/directory\/deletedItems\/([^/]+)$/, handle: withDeletedGroup(getDeletedGroup) },
  { method: 'POST', pattern: /^\/directory\/deletedItems\/([^/]+)\/restore$/, handle: withDeletedGroup(restoreDeletedGroup) },
  { method: 'DELETE', pattern: /^\/directory\/deletedItems\/([^/]+)$/, handle: withDeletedGroup(purgeDeletedGroup) },
];

type DeletedGroupHandler = (deleted: DeletedSandboxGroup, request: RouteRequest, context: RouteContext) => GraphReply;

function withDeletedGroup(handler: DeletedGroupHandler): RouteHandler {
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
