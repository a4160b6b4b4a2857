/** Teams apps installed in a user's personal scope (teamwork/installedApps), and the chat each one opens. */
import { z } from 'zod';
import { graphError, invalidBody, invalidReference, notFound, type GraphReply } from '../graphWire';
import { page, type Route, type RouteContext, type RouteRequest } from '../route';

export const teamsAppInstallationRoutes: readonly Route[] = [
  { method: 'POST', pattern: /^\/users\/([^/]+)\/teamwork\/installedApps$/, handle: installAppForUser },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/teamwork\/installedApps$/, handle: listUserInstallations },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/teamwork\/installedApps\/([^/]+)\/chat$/, handle: installationChat },
];

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
