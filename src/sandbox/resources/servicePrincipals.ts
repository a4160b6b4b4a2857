/** Service principals, found by appId: how the bot finds the Intune Provisioning Client it makes owner. */
import { notFound, objectJson, type GraphReply } from '../graphWire';
import { parseStringLiteral } from '../odata';
import { badKey, type Route, type RouteContext, type RouteRequest } from '../route';

export const servicePrincipalRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/servicePrincipals\(appId=(.+)\)$/, handle: getServicePrincipalByAppId },
];

function getServicePrincipalByAppId([key]: readonly string[], _: RouteRequest, { tenant }: RouteContext): GraphReply {
  const appId = parseStringLiteral(key ?? '');
  if (appId === undefined) return badKey(key);
  const sp = tenant.servicePrincipalByAppId(appId);
  return sp ? { status: 200, body: objectJson(sp) } : notFound(appId);
}
