/**
 * The Graph endpoints the emulator serves: one table made of the resource modules' routes. A new resource is a
 * new module in `resources/` exporting its routes, added here.
 */
import { graphError, type GraphReply } from './graphWire';
import type { Route, RouteContext, RouteRequest } from './route';
import { auditEventRoutes } from './resources/auditEvents';
import { configurationPolicyRoutes } from './resources/configurationPolicies';
import { deletedItemRoutes } from './resources/deletedItems';
import { groupMemberRoutes } from './resources/groupMembers';
import { groupOwnerRoutes } from './resources/groupOwners';
import { groupRoutes } from './resources/groups';
import { membershipTargetRoutes } from './resources/membershipTarget';
import { servicePrincipalRoutes } from './resources/servicePrincipals';
import { teamsAppInstallationRoutes } from './resources/teamsAppInstallations';

const ROUTES: readonly Route[] = [
  ...servicePrincipalRoutes,
  ...groupRoutes,
  ...groupOwnerRoutes,
  ...groupMemberRoutes,
  ...teamsAppInstallationRoutes,
  ...deletedItemRoutes,
  ...configurationPolicyRoutes,
  ...membershipTargetRoutes,
  ...auditEventRoutes,
];

/** Every call but a GET and the read-only POST actions its route declares is a write (for the write throttle). */
export function isWrite(method: string, path: string): boolean {
  return method !== 'GET' && !ROUTES.some((route) => route.readOnly === true && route.method === method && route.pattern.test(path));
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
