/** A group's owners: listed, added and removed by `$ref`. */
import { graphError, idFromReference, invalidBody, invalidReference, notFound, referencedObjects, referenceSchema, type GraphReply } from '../graphWire';
import { page, type Route, type RouteContext, type RouteRequest } from '../route';
import type { SandboxGroup } from '../tenant';
import { referencesExist, withGroupById } from './groups';

export const groupOwnerRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/groups\/([^/()]+)\/owners$/, handle: withGroupById(listOwners) },
  { method: 'POST', pattern: /^\/groups\/([^/()]+)\/owners\/\$ref$/, handle: withGroupById(addOwner) },
  { method: 'DELETE', pattern: /^\/groups\/([^/()]+)\/owners\/([^/]+)\/\$ref$/, handle: withGroupById(removeOwner) },
];

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
