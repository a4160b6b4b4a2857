/**
 * The sandbox Graph emulator: a real HTTP server on loopback speaking Microsoft Graph's wire format for the
 * calls this product makes, with fault knobs and a request log. The real Graph adapter is what runs against it.
 * Over 300 lines because it is one request pipeline (body, token, throttles, faults, batch, route, save, log);
 * the resources themselves are in resources/.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { retryAfterHeader, seededRandom, TokenBucket, type GraphEmulatorFaults, type ServerErrorFault } from './faults';
import { graphError, isErrorReply, type GraphReply } from './graphWire';
import { readBody } from './requestBody';
import { callerKindOf } from '../graph/graphCredential';
import type { CallerKind } from '../provisioning/directory';
import { graphCallerOf, type GraphCaller } from './tokenService/delegatedToken';
import type { SandboxTokenService } from './tokenService/tokenService';
import { createTokenServiceHandler } from './tokenService/tokenServiceHttp';
import { type Clock, systemClock } from '../shared/clock';
import type { GraphVersion, RouteRequest } from './route';
import { isWrite, routeGraphRequest } from './routes';
import { handleBatch, type InnerAnswer } from './batchRoute';
import { routeIntuneRequest } from './intuneRoutes';
import { IntuneThrottle } from './intuneThrottle';
import { seedTenant, type TenantSeed } from './seed';
import { SandboxTenant, type SandboxGroup } from './tenant';
import { readTenantFile, tenantFileWriter } from './tenantFile';
import { STRICT_VARIATIONS, type GraphVariations } from './variations';

export interface RequestLogEntry {
  readonly method: string;
  /** Path and query as received (percent-encoded). */
  readonly path: string;
  readonly status: number;
  readonly requestId: string;
  readonly clientRequestId: string | undefined;
  /** ISO-8601 time the request arrived. */
  readonly at: string;
  /** The client's `Retry-Attempt` header (0 for a first attempt). */
  readonly retryAttempt: number;
  readonly hadBearerToken: boolean;
  /** Who the bearer acted for: the application, a person (their Entra object id when the token service vouched), or nobody. */
  readonly caller: { readonly kind: CallerKind | 'refused'; readonly objectId?: string };
  /** For a `$batch`: how many requests it carried, and how many of them were answered 429. */
  readonly batch?: BatchLog;
}

export interface BatchLog {
  requests: number;
  throttled: number;
}

/** One request as the routes see it, top-level or inside a batch. */
interface OneRequest extends RouteRequest {
  readonly caller: ActingCaller;
  readonly addressedOrigin: string;
}

/** A request body that is not JSON (answered 400 once the throttles and faults had their say). */
const UNREADABLE = Symbol('unreadable body');

function parsedBody(rawBody: string): unknown {
  try {
    return rawBody.length > 0 ? (JSON.parse(rawBody) as unknown) : undefined;
  } catch {
    return UNREADABLE;
  }
}

/** A reply as one answer inside a batch: its own status, headers (request-id included) and body. */
function innerAnswer(reply: GraphReply, at: string): InnerAnswer {
  const requestId = randomUUID();
  const headers = { 'request-id': requestId, ...(reply.headers ?? {}) };
  if (isErrorReply(reply)) return { status: reply.status, headers: { ...headers, 'Content-Type': 'application/json' }, body: { error: { ...reply.error, innerError: { date: at, 'request-id': requestId } } } };
  return { status: reply.status, headers: reply.body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' }, body: reply.body };
}

export interface GraphEmulatorOptions {
  /** Default 0: an ephemeral port. */
  readonly port?: number;
  readonly host?: '127.0.0.1';
  readonly seed?: TenantSeed;
  readonly faults?: GraphEmulatorFaults;
  /** Where Graph's behaviour varies; every default is the stricter answer (see GraphVariations). */
  readonly variations?: GraphVariations;
  /** When set, every request must carry `Authorization: Bearer <requiredToken>`. */
  readonly requiredToken?: string;
  /** Seed of the random source behind `serverErrorRate` (default 1). */
  readonly randomSeed?: number;
  /** Items per page of collections (default 100). */
  readonly pageSize?: number;
  readonly clock?: Clock;
  /**
   * Keep the tenant in this file: resumed from it when it exists (the seed is then ignored), seeded into it
   * when it does not, and written after every request that changed it. Without it the tenant lives in memory.
   * A file that is not a sandbox tenant makes the start fail; it is never replaced.
   */
  readonly stateFile?: string;
  /**
   * The sandbox's Bot Framework token service, served on the same port (its /api/usertoken… routes). With it,
   * a bearer claiming to be delegated must be one of its tokens (Graph's 401 otherwise), and the person's
   * Intune scope decides which groups they may assign. Without it, any JWT with `scp` counts as delegated.
   */
  readonly tokenService?: SandboxTokenService;
}

export interface GraphEmulator {
  /** Base URL to give the Graph adapter, e.g. `http://127.0.0.1:5980`. */
  readonly url: string;
  readonly requestLog: readonly RequestLogEntry[];
  /** Direct access to the tenant, for tests that set the scene or simulate drift. */
  readonly admin: SandboxTenant;
  /** `resumed`: the tenant came from `stateFile`; `seeded`: it is new. */
  readonly tenantSource: 'seeded' | 'resumed';
  /** Replaces all fault knobs (pass `{}` to clear them); a new throttle starts full. */
  setFaults(faults: GraphEmulatorFaults): void;
  /** Replaces the variations (pass `{}` for the strict defaults). */
  setVariations(variations: GraphVariations): void;
  clearRequestLog(): void;
  close(): Promise<void>;
}

/** A caller the emulator answers; `objectId` only when the token service vouched for the person. */
/** Who a request acts for, once its token was accepted. */
type ActingCaller = { readonly kind: CallerKind; readonly objectId?: string };
type EmulatorCaller = ActingCaller | Extract<GraphCaller, { readonly kind: 'refused' }>;

const MAX_BODY_BYTES = 1024 * 1024;
const VERSION_PREFIX = /^\/(v1\.0|beta)(\/.*)$/;

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now().getTime();
  const { tenant, source } = openTenant(options, now);
  const saveTenant = options.stateFile === undefined ? () => undefined : tenantFileWriter(options.stateFile, tenant);
  saveTenant();
  const random = seededRandom(options.randomSeed ?? 1);
  const requestLog: RequestLogEntry[] = [];
  let faults: GraphEmulatorFaults = {};
  let variations: Required<GraphVariations> = { ...STRICT_VARIATIONS, ...options.variations };
  let throttle: TokenBucket | undefined;
  let intuneThrottle: IntuneThrottle | undefined;
  let failuresLeft = 0;
  let baseUrl = '';

  function setFaults(next: GraphEmulatorFaults): void {
    faults = next;
    throttle = next.writeThrottle ? new TokenBucket(next.writeThrottle.capacity, next.writeThrottle.refillPerSecond, now) : undefined;
    intuneThrottle = next.intuneThrottle ? new IntuneThrottle(next.intuneThrottle, now) : undefined;
    failuresLeft = next.failNext?.count ?? 0;
  }
  setFaults(options.faults ?? {});

  const visible = (group: SandboxGroup): boolean => now() - group.createdAt >= (faults.replicationLagMs ?? 0);

  /** The injected server error for this request, if any. */
  function drawServerError(): ServerErrorFault | undefined {
    if (failuresLeft > 0 && faults.failNext) {
      failuresLeft -= 1;
      return faults.failNext;
    }
    const rate = faults.serverErrorRate ?? 0;
    return rate > 0 && random() < rate ? (faults.serverError ?? {}) : undefined;
  }

  /** Who the bearer acts for: checked against the token service when there is one, else classified by its claims. */
  function callerOf(authorization: string | undefined): EmulatorCaller {
    const { tokenService } = options;
    if (tokenService) return graphCallerOf(authorization, tokenService.signer, { tenantId: tokenService.tenantId, nowMs: now() });
    return { kind: callerKindOf(authorization?.replace(/^Bearer\s+/i, '') ?? '') };
  }

  function process(request: IncomingMessage, rawBody: string, caller: EmulatorCaller, batchLog: BatchLog): GraphReply {
    const authorization = request.headers.authorization;
    if (options.requiredToken !== undefined && authorization !== `Bearer ${options.requiredToken}`) {
      return authorization
        ? graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.')
        : graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    }
    if (caller.kind === 'refused') return graphError(401, caller.code, caller.message);
    const url = new URL(request.url ?? '/', 'http://emulator.invalid');
    const versioned = VERSION_PREFIX.exec(url.pathname);
    if (!versioned) return graphError(400, 'BadRequest', 'Invalid version: the path must start with /v1.0 or /beta.');
    const version = versioned[1] as GraphVersion;
    const method = request.method ?? 'GET';
    // A loopback proxy in front of the emulator is addressed as itself: references name the proxy's host.
    const addressedOrigin = request.headers.host ? new URL(`http://${request.headers.host}`).origin : baseUrl;
    const body = parsedBody(rawBody);
    if (method === 'POST' && versioned[2] === '/$batch') {
      if (body === UNREADABLE) return graphError(400, 'BadRequest', 'Invalid batch payload format.');
      // Each request of the batch meets the throttles and faults on its own, as Graph evaluates them.
      return handleBatch(body, (inner) => {
        const innerUrl = new URL(inner.url, 'http://emulator.invalid');
        const prefer = Object.entries(inner.headers).find(([name]) => name.toLowerCase() === 'prefer')?.[1];
        const reply = processOne({ method: inner.method, version, path: innerUrl.pathname, query: innerUrl.searchParams, prefer, body: inner.body, caller, addressedOrigin });
        batchLog.requests += 1;
        if (reply.status === 429) batchLog.throttled += 1;
        return innerAnswer(reply, new Date(now()).toISOString());
      });
    }
    return processOne({ method, version, path: versioned[2], query: url.searchParams, prefer: header(request, 'prefer'), body, caller, addressedOrigin });
  }

  function processOne(request: OneRequest): GraphReply {
    const { method, path } = request;
    if (throttle && isWrite(method, path)) {
      const decision = throttle.take();
      if (!decision.allowed) {
        return graphError(429, 'Request_ThrottledTemporarily', 'Too many requests. Please retry after the time in the Retry-After header.', {
          'Retry-After': retryAfterHeader(decision.retryAfterMs, faults.writeThrottle?.retryAfterPrecision),
        });
      }
    }
    const intuneRefusal = intuneThrottle?.admit(method, path);
    if (intuneRefusal) return intuneRefusal;
    const serverError = drawServerError();
    if (serverError && !serverError.afterApplying) return serverErrorReply(serverError);
    if (request.body === UNREADABLE) return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');

    const routeRequest: RouteRequest = request;
    const reply =
      routeIntuneRequest(routeRequest, { intune: tenant.intune, policyExists: (id) => tenant.policy(id) !== undefined, variations: { assignmentCreate: variations.intuneAssignmentCreate } }) ??
      routeGraphRequest(routeRequest, {
        tenant,
        visible,
        pageSize: options.pageSize ?? 100,
        baseUrl,
        addressedOrigin: request.addressedOrigin,
        membershipTargetInternalError: faults.membershipTargetInternalError ?? false,
        caller: request.caller.kind,
        ...(request.caller.objectId !== undefined && { callerObjectId: request.caller.objectId }),
        callerScopeCovers: (groupId) => request.caller.objectId === undefined || options.tokenService?.intuneScopeCovers(request.caller.objectId, groupId) !== false,
        variations,
      });
    return serverError ? serverErrorReply(serverError) : reply;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = new Date(now()).toISOString();
    const requestId = randomUUID();
    const clientRequestId = header(request, 'client-request-id');
    const caller = callerOf(request.headers.authorization);
    let reply: GraphReply;
    const batchLog: BatchLog = { requests: 0, throttled: 0 };
    try {
      const rawBody = await readBody(request, MAX_BODY_BYTES);
      if (faults.latencyMs) await sleep(faults.latencyMs);
      reply = rawBody === undefined ? graphError(413, 'Request_EntityTooLarge', 'The request body is too large.') : process(request, rawBody, caller, batchLog);
    } catch (error) {
      reply = error instanceof URIError ? graphError(400, 'BadRequest', 'Malformed percent-encoding in the URL.') : graphError(500, 'InternalServerError', String(error));
    }
    try {
      // Before the answer: a client told 201 may rely on the write surviving a restart.
      saveTenant();
    } catch (error) {
      reply = graphError(500, 'InternalServerError', `The sandbox could not save its tenant: ${String(error)}`);
    }
    const headers: Record<string, string> = { 'request-id': requestId, ...(reply.headers ?? {}) };
    if (clientRequestId) headers['client-request-id'] = clientRequestId;
    const payload = isErrorReply(reply)
      ? { error: { ...reply.error, innerError: { date: at, 'request-id': requestId, 'client-request-id': clientRequestId ?? '' } } }
      : reply.body;
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    response.writeHead(reply.status, headers);
    response.end(payload === undefined ? undefined : JSON.stringify(payload));
    requestLog.push({
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      status: reply.status,
      requestId,
      clientRequestId,
      at,
      retryAttempt: Number(header(request, 'retry-attempt') ?? '0') || 0,
      hadBearerToken: /^Bearer \S+/.test(request.headers.authorization ?? ''),
      caller: { kind: caller.kind, ...(caller.kind === 'delegated' && caller.objectId !== undefined && { objectId: caller.objectId }) },
      ...(batchLog.requests > 0 ? { batch: { ...batchLog } } : {}),
    });
  }

  const tokenServiceRoutes = options.tokenService ? createTokenServiceHandler(options.tokenService) : undefined;
  const server = createServer((request, response) => {
    if (tokenServiceRoutes?.handles(request)) return void tokenServiceRoutes.handle(request, response);
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    url: baseUrl,
    requestLog,
    admin: tenant,
    tenantSource: source,
    setFaults,
    setVariations: (next) => {
      variations = { ...STRICT_VARIATIONS, ...next };
    },
    clearRequestLog: () => {
      requestLog.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        // What tests changed through `admin` since the last request.
        saveTenant();
      }),
  };
}

/** The tenant from `stateFile` when there is one; otherwise a new, seeded tenant. */
function openTenant(options: GraphEmulatorOptions, now: () => number): { tenant: SandboxTenant; source: GraphEmulator['tenantSource'] } {
  const stored = options.stateFile === undefined ? ({ kind: 'missing' } as const) : readTenantFile(options.stateFile);
  if (stored.kind === 'invalid') throw new Error(stored.message);
  if (stored.kind === 'loaded') return { tenant: new SandboxTenant(now, stored.state), source: 'resumed' };
  const tenant = new SandboxTenant(now);
  seedTenant(tenant, options.seed);
  return { tenant, source: 'seeded' };
}

function serverErrorReply(fault: ServerErrorFault): GraphReply {
  const status = fault.status ?? 503;
  const headers = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : undefined;
  const code = status === 503 ? 'serviceNotAvailable' : status === 504 ? 'gatewayTimeout' : 'generalException';
  return graphError(status, code, 'The service is temporarily unavailable (sandbox fault).', headers);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
