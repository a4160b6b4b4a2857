/**
 * What every emulator resource module (`resources/*.ts`) builds on: a route, the request it handles, the
 * context it answers in, and the replies several resources share (paging, a malformed key).
 */
import { graphError, type GraphReply } from './graphWire';
import type { CallerKind } from '../provisioning/directory';
import type { SandboxGroup, SandboxTenant } from './tenant';
import type { GraphVariations } from './variations';

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
  /** The person's Entra object id, when the token service vouched for a delegated caller. */
  readonly callerObjectId?: string;
  /** Whether the caller's Intune role covers this group (false: `securityGroupNotInCallerScope`). */
  readonly callerScopeCovers: (groupId: string) => boolean;
  readonly variations: Required<GraphVariations>;
}

/** `params`: the pattern's capture groups, percent-decoded. */
export type RouteHandler = (params: readonly string[], request: RouteRequest, context: RouteContext) => GraphReply;

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly betaOnly?: boolean;
  /** A POST action that only reads (e.g. checkMemberGroups): not subject to the write throttle. */
  readonly readOnly?: boolean;
  readonly handle: RouteHandler;
}

/** Server-driven paging with `$skiptoken`, like Graph's `@odata.nextLink`. */
export function page(items: readonly unknown[], request: RouteRequest, context: RouteContext, path: string): GraphReply {
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

export function badKey(key: string | undefined): GraphReply {
  return graphError(400, 'Request_BadRequest', `Syntax error in key segment: ${key ?? ''}`);
}
