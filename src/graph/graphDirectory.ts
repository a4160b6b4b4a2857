/**
 * The directory port over Microsoft Graph, through @microsoft/microsoft-graph-client and @azure/identity.
 *
 * Middleware chain: ScopedBearerTokenHandler → the library's RetryHandler (429 honouring Retry-After, 503/504
 * with its exponential backoff and jitter, bounded here in count and total time) → AttemptObserver →
 * AttemptTimeout (a deadline per attempt) → ErrorBodyDrain (reads 429/5xx bodies to the end) →
 * HTTPMessageHandler. An attempt that times out is retried only when the call is idempotent. Every logical
 * call carries one GUID `client-request-id` (kept across its retries); Graph's `request-id` is returned on
 * results and errors.
 */
import { randomUUID } from 'node:crypto';
import {
  Client,
  HTTPMessageHandler,
  ResponseType,
  RetryHandler,
  RetryHandlerOptions,
  type GraphRequest,
} from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { TeamsAppInstaller } from '../bot/ports';
import type { GroupMembershipChecker } from '../requests/ports';
import { isLoopbackUrl } from '../shared/loopback';
import { callerKindOf, graphScopeFor, tokenSourceFor, type GraphCredentialConfig } from './graphCredential';
import { GraphError, GraphTimeoutError } from '../provisioning/graphError';
import { AttemptObserver, AttemptTimeout, ErrorBodyDrain, ScopedBearerTokenHandler, isTimeout, type GraphAttempt } from './graphMiddleware';
import {
  chatSchema,
  checkMemberGroupsSchema,
  collectionSchema,
  userAppInstallationSchema,
  userIdSchema,
  configurationPolicySchema,
  deletedGroupSchema,
  directoryObjectSchema,
  graphErrorBodySchema,
  groupSchema,
  looseIdentitySchema,
  membershipTargetResultSchema,
  servicePrincipalSchema,
  shortODataType,
} from './graphSchemas';
import {
  DISPLAY_NAME_FILTER_LIMIT,
  type DeletedGroup,
  type Directory,
  type DirectoryGroup,
  type DirectoryObjectRef,
  type MembershipTargetResult,
  type PolicyListEntry,
  type Traced,
  type UpsertOutcome,
} from '../provisioning/directory';

export const GRAPH_BASE_URL = 'https://graph.microsoft.com';

export const DEFAULT_GRAPH_ATTEMPT_TIMEOUT_MS = 30_000;
/** How long reads right after a write keep waiting out replication lag, unless configured otherwise. */
export const DEFAULT_REPLICATION_READ_BUDGET_MS = 60_000;

export interface GraphRetryOptions {
  /** Retries of one call on 429/503/504 (the library allows at most 10). Default 5. */
  readonly maxRetries?: number;
  /** Base delay in seconds for 503/504 without Retry-After (the library adds up to 1 s of jitter). Default 1. */
  readonly delaySeconds?: number;
  /** No retry is started that would end later than this after the call began. Default 120 000 ms. */
  readonly maxRetryTimeMs?: number;
  /**
   * Reads right after a write that may 404 while the new object replicates: at most this many attempts
   * (default 10), waiting `replicationReadDelayMs` (default 500 ms) and doubling up to 8 s between them, and
   * none that would start later than `replicationReadBudgetMs` (default 60 000 ms) after the first.
   */
  readonly replicationReadAttempts?: number;
  readonly replicationReadDelayMs?: number;
  readonly replicationReadBudgetMs?: number;
  /** How long one attempt may wait for Graph's answer (headers and body). Default 30 000 ms. */
  readonly attemptTimeoutMs?: number;
}

export interface GraphDirectoryOptions {
  /** Graph's origin; the sandbox emulator's URL (plain http allowed on loopback only). */
  readonly baseUrl?: string;
  readonly credential: GraphCredentialConfig;
  /** Token scope; defaults to the `.default` scope of the Graph cloud at `baseUrl`. */
  readonly scope?: string;
  readonly retry?: GraphRetryOptions;
  /** Called for every HTTP attempt, retries included (for logs and benchmarks). */
  readonly onRequest?: (attempt: GraphAttempt) => void;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Version = 'v1.0' | 'beta';

interface CallOptions {
  readonly version?: Version;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Whether an attempt that timed out may be sent again: true for reads; writes must say so. */
  readonly idempotent?: boolean;
}

interface GraphResponse {
  readonly status: number;
  readonly body: unknown;
  readonly requestId: string;
  readonly clientRequestId: string;
}

/** What an attempt that got no answer in time yields, for `call` to retry or give up on. */
const TIMED_OUT = Symbol('timed out');
const NOT_FOUND = 404;
const CONFLICT = 409;
const BAD_REQUEST = 400;
/** Graph's 400 for adding an owner (by `$ref` or `owners@odata.bind`) that the group already has. */
const REFERENCES_EXIST_MESSAGE = /added object references already exist/i;
/** Graph's 400 for a uniqueName another object holds (a racing create, or a deleted group in the recycle bin). */
const UNIQUE_NAME_TAKEN_MESSAGE = /same value for property uniqueName/i;
const REPLICATION_MAX_DELAY_MS = 8_000;
const DEFAULT_RETRY: Required<GraphRetryOptions> = {
  maxRetries: 5,
  delaySeconds: 1,
  maxRetryTimeMs: 120_000,
  replicationReadAttempts: 10,
  replicationReadDelayMs: 500,
  replicationReadBudgetMs: DEFAULT_REPLICATION_READ_BUDGET_MS,
  attemptTimeoutMs: DEFAULT_GRAPH_ATTEMPT_TIMEOUT_MS,
};

/** Double every single quote, as OData string literals require; the caller URL-encodes the result. */
export function odataStringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The Directory port, and the approver directory's membership lookup, over Microsoft Graph. */
export function createGraphDirectory(options: GraphDirectoryOptions): Directory & GroupMembershipChecker & TeamsAppInstaller {
  const base = validatedBaseUrl(options.baseUrl ?? GRAPH_BASE_URL);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const token = tokenSourceFor(options.credential, base.origin, options.scope ?? graphScopeFor(base.origin));
  const client = Client.initWithMiddleware({
    baseUrl: base.origin,
    defaultVersion: 'v1.0',
    fetchOptions: { redirect: 'error' },
    middleware: [
      new ScopedBearerTokenHandler(base.origin, token),
      new RetryHandler(new RetryHandlerOptions(retry.delaySeconds, retry.maxRetries)),
      new AttemptObserver(options.onRequest ?? (() => undefined)),
      new AttemptTimeout(retry.attemptTimeoutMs),
      new ErrorBodyDrain(),
      new HTTPMessageHandler(),
    ],
  });

  /** One logical call: its throttling retries (RetryHandler) and, when idempotent, its timeout retries. */
  async function call(method: Method, path: string, init: CallOptions = {}): Promise<GraphResponse> {
    const clientRequestId = randomUUID();
    const startedAt = Date.now();
    const idempotent = init.idempotent ?? method === 'GET';
    for (let attempts = 1; ; attempts++) {
      const outcome = await attempt(method, path, init, clientRequestId, startedAt);
      if (outcome !== TIMED_OUT) return outcome;
      const timeLeft = retry.maxRetryTimeMs - (Date.now() - startedAt);
      if (!idempotent || attempts > retry.maxRetries || timeLeft < retry.attemptTimeoutMs) {
        throw new GraphTimeoutError({ timeoutMs: retry.attemptTimeoutMs, attempts, clientRequestId });
      }
    }
  }

  async function attempt(method: Method, path: string, init: CallOptions, clientRequestId: string, startedAt: number): Promise<GraphResponse | typeof TIMED_OUT> {
    let request = client
      .api(path)
      .version(init.version ?? 'v1.0')
      .header('client-request-id', clientRequestId)
      .responseType(ResponseType.RAW)
      .middlewareOptions([boundedRetryOptions(retry, startedAt)]);
    for (const [name, value] of Object.entries(init.headers ?? {})) request = request.header(name, value);

    let response: Response;
    let text: string;
    try {
      response = await send(request, method, init.body);
      text = await response.text();
    } catch (error) {
      if (isTimeout(error)) return TIMED_OUT;
      const message = error instanceof Error ? error.message : String(error);
      throw new GraphError({ status: 0, code: 'NetworkError', message: `Graph could not be reached: ${message}`, clientRequestId });
    }
    const requestId = response.headers.get('request-id') ?? '';
    const body = jsonBody(text, response.status, clientRequestId, requestId);
    if (!response.ok) throw errorFrom(response.status, body, requestId, clientRequestId);
    return { status: response.status, body, requestId, clientRequestId };
  }

  async function callParsed<T>(
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    method: Method,
    path: string,
    init?: CallOptions,
  ): Promise<{ value: T; requestId: string }> {
    const response = await call(method, path, init);
    return { value: parse(schema, response, path), requestId: response.requestId };
  }

  /** Follows `@odata.nextLink` (only back to our own origin: the token must not leave it). */
  async function listAll<T>(item: z.ZodType<T, z.ZodTypeDef, unknown>, path: string, version: Version = 'v1.0'): Promise<Traced<T[]>> {
    const schema = collectionSchema(item);
    const items: T[] = [];
    const requestIds: string[] = [];
    let next: { path: string; version: Version } | undefined = { path, version };
    while (next) {
      const page: { value: { value: T[]; '@odata.nextLink'?: string }; requestId: string } = await callParsed(schema, 'GET', next.path, { version: next.version });
      items.push(...page.value.value);
      requestIds.push(page.requestId);
      const link: string | undefined = page.value['@odata.nextLink'];
      next = link === undefined ? undefined : relativeLink(base, link);
    }
    return { value: items, requestIds };
  }

  /**
   * A GET that maps 404 to undefined. `afterWrite`: a 404 may be replication lag, so it is read again with a
   * doubling wait, within the attempt count and the time budget.
   */
  async function getOptional<T>(path: string, map: (response: GraphResponse) => T, afterWrite: boolean): Promise<Traced<T | undefined>> {
    const requestIds: string[] = [];
    const attempts = afterWrite ? Math.max(1, retry.replicationReadAttempts) : 1;
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await call('GET', path);
        requestIds.push(response.requestId);
        return { value: map(response), requestIds };
      } catch (error) {
        if (!(error instanceof GraphError) || error.status !== NOT_FOUND) throw error;
        requestIds.push(error.requestId ?? '');
        const wait = Math.min(retry.replicationReadDelayMs * 2 ** (attempt - 1), REPLICATION_MAX_DELAY_MS);
        if (attempt >= attempts || Date.now() - startedAt + wait > retry.replicationReadBudgetMs) return { value: undefined, requestIds };
        await delay(wait);
      }
    }
  }

  const toGroup = (response: GraphResponse): DirectoryGroup => groupFrom(parse(groupSchema, response, 'group'));

  /** The `@odata.id` / `@odata.bind` URL of a service principal, on the configured Graph cloud's own host. */
  const servicePrincipalReference = (servicePrincipalId: string): string => `${base.origin}/v1.0/servicePrincipals/${servicePrincipalId}`;

  return {
    async findServicePrincipalByAppId(appId) {
      return getOptional(
        `/servicePrincipals(appId=${encodeURIComponent(odataStringLiteral(appId))})`,
        (response) => {
          const sp = parse(servicePrincipalSchema, response, 'servicePrincipal');
          return { id: sp.id, displayName: sp.displayName ?? '' };
        },
        false,
      );
    },

    async findGroupsByDisplayName(displayName) {
      // Graph refuses `eq` on a longer value; `startsWith` on a prefix it accepts, then the exact match here.
      const prefix = displayNamePrefix(displayName);
      const clause = prefix === displayName ? `displayName eq ${odataStringLiteral(displayName)}` : `startsWith(displayName,${odataStringLiteral(prefix)})`;
      const page = await listAll(groupSchema, `/groups?$filter=${encodeURIComponent(clause)}&$expand=owners`);
      const wanted = displayName.toLowerCase();
      const groups = page.value.map(groupFrom).filter((group) => group.displayName.toLowerCase() === wanted);
      return { value: groups, requestIds: page.requestIds };
    },

    async upsertGroup(group) {
      let response: GraphResponse;
      try {
        response = await call('PATCH', groupByUniqueNamePath(group.uniqueName), {
          headers: { Prefer: 'create-if-missing' },
          // Keyed by uniqueName: sent twice, it creates one group (201) and then finds it (204 or the 400 below).
          idempotent: true,
          body: {
            displayName: group.displayName,
            description: group.description,
            mailNickname: group.mailNickname,
            securityEnabled: true,
            mailEnabled: false,
            groupTypes: [],
            'owners@odata.bind': [servicePrincipalReference(group.ownerServicePrincipalId)],
          },
        });
      } catch (error) {
        if (!(error instanceof GraphError) || error.status !== BAD_REQUEST) throw error;
        const requestIds = [error.requestId ?? ''];
        // The group exists and already has the owner we bound again (msgraph-bicep-types#167).
        if (REFERENCES_EXIST_MESSAGE.test(error.graphMessage)) return { value: { created: false }, requestIds };
        if (UNIQUE_NAME_TAKEN_MESSAGE.test(error.graphMessage)) return { value: { created: false, uniqueNameTaken: true }, requestIds };
        throw error;
      }
      const outcome: UpsertOutcome =
        response.status === 201 ? { created: true, group: toGroup(response) } : { created: false };
      return { value: outcome, requestIds: [response.requestId] };
    },

    async getGroupByUniqueName(uniqueName, readOptions) {
      return getOptional(`${groupByUniqueNamePath(uniqueName)}?$expand=owners`, toGroup, readOptions?.afterWrite ?? false);
    },

    async getGroup(groupId, readOptions) {
      return getOptional(`/groups/${encodeURIComponent(groupId)}?$expand=owners`, toGroup, readOptions?.afterWrite ?? false);
    },

    async listMembers(groupId) {
      const page = await listAll(directoryObjectSchema, `/groups/${encodeURIComponent(groupId)}/members?$select=id`);
      return { value: page.value.map(objectRefFrom), requestIds: page.requestIds };
    },

    async listOwners(groupId) {
      // v1.0 `/owners` leaves service principals out; beta lists them, and pages instead of truncating.
      const page = await listAll(directoryObjectSchema, `/groups/${encodeURIComponent(groupId)}/owners?$select=id`, 'beta');
      return { value: page.value.map(objectRefFrom), requestIds: page.requestIds };
    },

    async getDeletedGroup(groupId) {
      return getOptional(`/directory/deletedItems/${encodeURIComponent(groupId)}`, (response) => deletedGroupFrom(parse(deletedGroupSchema, response, 'deleted group')), false);
    },

    async findDeletedGroupByUniqueName(uniqueName) {
      // Filtering deleted items by uniqueName is not documented: list the deleted groups and match here.
      const page = await listAll(deletedGroupSchema, '/directory/deletedItems/microsoft.graph.group?$select=id,displayName,uniqueName,deletedDateTime');
      const wanted = uniqueName.toLowerCase();
      const found = page.value.find((group) => group.uniqueName?.toLowerCase() === wanted);
      return { value: found && deletedGroupFrom(found), requestIds: page.requestIds };
    },

    async restoreDeletedGroup(groupId) {
      // Not idempotent: once restored, the item has left the recycle bin and a second restore is a 404.
      const response = await call('POST', `/directory/deletedItems/${encodeURIComponent(groupId)}/restore`);
      return { value: undefined, requestIds: [response.requestId] };
    },

    async callerKind() {
      return callerKindOf(await token());
    },

    async addServicePrincipalOwner(groupId, servicePrincipalId) {
      try {
        const response = await call('POST', `/groups/${encodeURIComponent(groupId)}/owners/$ref`, {
          // Sent twice, the second answers "already exist", which counts as done below.
          idempotent: true,
          body: { '@odata.id': servicePrincipalReference(servicePrincipalId) },
        });
        return { value: undefined, requestIds: [response.requestId] };
      } catch (error) {
        // Graph answers 400 "One or more added object references already exist" when it is an owner already.
        if (error instanceof GraphError && error.status === BAD_REQUEST && REFERENCES_EXIST_MESSAGE.test(error.graphMessage)) {
          return { value: undefined, requestIds: [error.requestId ?? ''] };
        }
        throw error;
      }
    },

    async setEnrollmentTimeDeviceMembershipTarget(policyId, groupId) {
      const { value, requestId } = await callParsed(membershipTargetResultSchema, 'POST', `${policyPath(policyId)}/setEnrollmentTimeDeviceMembershipTarget`, {
        version: 'beta',
        body: { enrollmentTimeDeviceMembershipTargets: [{ targetType: 'staticSecurityGroup', targetId: groupId }] },
      });
      return { value: membershipTargetResultFrom(value), requestIds: [requestId] };
    },

    async listPolicyEntries() {
      const filter = encodeURIComponent(`technologies has ${odataStringLiteral('enrollment')}`);
      const page = await listAll(z.unknown(), `/deviceManagement/configurationPolicies?$filter=${filter}`, 'beta');
      return { value: page.value.map(policyEntryFrom), requestIds: page.requestIds };
    },

    async retrieveEnrollmentTimeDeviceMembershipTarget(policyId) {
      const { value, requestId } = await callParsed(membershipTargetResultSchema, 'POST', `${policyPath(policyId)}/retrieveEnrollmentTimeDeviceMembershipTarget`, {
        version: 'beta',
        idempotent: true, // a read, though a POST
      });
      return { value: membershipTargetResultFrom(value), requestIds: [requestId] };
    },

    async listTransitiveUserMembers(groupId) {
      const path = `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id`;
      return (await listAll(userIdSchema, path)).value.map((user) => user.id);
    },

    async openPersonalChat(userObjectId, teamsAppId) {
      const user = `/users/${encodeURIComponent(userObjectId)}/teamwork/installedApps`;
      try {
        await call('POST', user, { body: { 'teamsApp@odata.bind': `${base.origin}/v1.0/appCatalogs/teamsApps/${teamsAppId}` } });
      } catch (error) {
        // 409: installed already (the user removed nothing, or installed it themselves); the chat is there.
        if (!(error instanceof GraphError) || error.status !== CONFLICT) throw error;
      }
      const filter = `teamsApp/id eq ${odataStringLiteral(teamsAppId)}`;
      const installations = await listAll(userAppInstallationSchema, `${user}?$expand=teamsApp&$filter=${encodeURIComponent(filter)}`);
      const installation = installations.value.find((each) => each.teamsApp?.id === teamsAppId);
      if (!installation) return undefined;
      const chat = await callParsed(chatSchema, 'GET', `${user}/${encodeURIComponent(installation.id)}/chat`);
      return chat.value.id;
    },

    async isTransitiveMember(userObjectId, groupId) {
      try {
        const { value } = await callParsed(checkMemberGroupsSchema, 'POST', `/users/${encodeURIComponent(userObjectId)}/checkMemberGroups`, {
          body: { groupIds: [groupId] },
          idempotent: true, // a read, though a POST
        });
        return value.value.includes(groupId);
      } catch (error) {
        // A user the directory does not know is nobody's member.
        if (error instanceof GraphError && error.status === NOT_FOUND) return false;
        throw error;
      }
    },
  };
}

function validatedBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`The Graph base URL "${raw}" is not a URL.`);
  }
  const plainHttpOnLoopback = url.protocol === 'http:' && isLoopbackUrl(url);
  if (url.protocol !== 'https:' && !plainHttpOnLoopback) {
    throw new Error(`The Graph base URL must be https (plain http only on loopback, for the sandbox): ${raw}`);
  }
  if (url.pathname !== '/' || url.search !== '') {
    throw new Error(`The Graph base URL must be an origin without a path, e.g. ${GRAPH_BASE_URL}: ${raw}`);
  }
  return url;
}

function relativeLink(base: URL, link: string): { path: string; version: Version } {
  const url = new URL(link);
  const match = /^\/(v1\.0|beta)(\/.*)$/.exec(url.pathname);
  if (url.origin !== base.origin || !match) {
    throw new Error(`Refusing to follow a Graph nextLink outside ${base.origin}: ${link}`);
  }
  return { version: match[1] as Version, path: match[2] + url.search };
}

/** The longest prefix of at most DISPLAY_NAME_FILTER_LIMIT UTF-16 units that does not split a surrogate pair. */
function displayNamePrefix(displayName: string): string {
  if (displayName.length <= DISPLAY_NAME_FILTER_LIMIT) return displayName;
  const cut = displayName.slice(0, DISPLAY_NAME_FILTER_LIMIT);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function policyPath(policyId: string): string {
  return `/deviceManagement/configurationPolicies(${encodeURIComponent(odataStringLiteral(policyId))})`;
}

function membershipTargetResultFrom(value: z.infer<typeof membershipTargetResultSchema>): MembershipTargetResult {
  return {
    validationSucceeded: value.validationSucceeded,
    statuses: value.enrollmentTimeDeviceMembershipTargetValidationStatuses.map((status) => ({
      targetId: status.targetId,
      validationSucceeded: status.validationSucceeded,
      ...(status.targetValidationErrorCode !== undefined ? { errorCode: status.targetValidationErrorCode } : {}),
    })),
  };
}

/** One list item on its own: a readable policy, or what can be said about an item in an unexpected shape. */
function policyEntryFrom(item: unknown): PolicyListEntry {
  const parsed = configurationPolicySchema.safeParse(item);
  if (parsed.success) {
    const templateId = parsed.data.templateReference?.templateId;
    if (templateId) return { kind: 'policy', policy: { id: parsed.data.id, name: parsed.data.name, templateId } };
  }
  const loose = looseIdentitySchema.safeParse(item);
  const reason = parsed.success
    ? 'it has no templateReference.templateId'
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'item'} ${issue.message}`).join('; ');
  return { kind: 'unreadable', id: loose.success ? (loose.data.id ?? null) : null, name: loose.success ? (loose.data.name ?? null) : null, reason };
}

function groupByUniqueNamePath(uniqueName: string): string {
  return `/groups(uniqueName=${encodeURIComponent(odataStringLiteral(uniqueName))})`;
}

/**
 * Per-call retry options for the library's RetryHandler: same count and base delay, plus a deadline, so
 * that no retry starts whose wait would end beyond `maxRetryTimeMs` after the call began.
 */
function boundedRetryOptions(retry: Required<GraphRetryOptions>, startedAt: number): RetryHandlerOptions {
  return new RetryHandlerOptions(retry.delaySeconds, retry.maxRetries, (_delay, attempt, _request, _options, response) => {
    const waitMs = retryAfterMs(response) ?? worstCaseBackoffMs(retry.delaySeconds, attempt + 1);
    return Date.now() - startedAt + waitMs <= retry.maxRetryTimeMs;
  });
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isNaN(seconds) ? Math.max(0, new Date(header).getTime() - Date.now()) : seconds * 1000;
}

/** Upper bound of the RetryHandler's wait without Retry-After: exponential term, base delay, ≤ 1 s jitter. */
function worstCaseBackoffMs(delaySeconds: number, attempt: number): number {
  return (Math.round((2 ** attempt - 1) / 2) + delaySeconds + 1) * 1000;
}

function send(request: GraphRequest, method: Method, body: unknown): Promise<Response> {
  switch (method) {
    case 'GET':
      return request.get();
    case 'POST':
      return request.post(body);
    case 'PATCH':
      return request.patch(body);
    case 'DELETE':
      return request.delete();
  }
}

function jsonBody(text: string, status: number, clientRequestId: string, requestId: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphError({
      status,
      code: 'InvalidResponse',
      message: 'Graph answered with a body that is not JSON.',
      requestId,
      clientRequestId,
    });
  }
}

function errorFrom(status: number, body: unknown, requestId: string, clientRequestId: string): GraphError {
  const parsed = graphErrorBodySchema.safeParse(body);
  if (!parsed.success) {
    return new GraphError({ status, code: `Http${status}`, message: `Graph answered ${status} without an error body.`, requestId, clientRequestId });
  }
  const { code, message, innerError } = parsed.data.error;
  return new GraphError({ status, code, message, requestId: requestId || innerError?.['request-id'] || undefined, clientRequestId });
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, response: GraphResponse, what: string): T {
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return parsed.data;
  throw new GraphError({
    status: response.status,
    code: 'InvalidResponse',
    message: `Graph returned an unexpected ${what}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
    requestId: response.requestId,
    clientRequestId: response.clientRequestId,
  });
}

function groupFrom(group: z.infer<typeof groupSchema>): DirectoryGroup {
  return {
    id: group.id,
    displayName: group.displayName,
    mailNickname: group.mailNickname ?? null,
    uniqueName: group.uniqueName ?? null,
    securityEnabled: group.securityEnabled,
    mailEnabled: group.mailEnabled,
    groupTypes: group.groupTypes,
    isAssignableToRole: group.isAssignableToRole ?? null,
    ...(group.owners ? { owners: group.owners.map(objectRefFrom) } : {}),
  };
}

function deletedGroupFrom(group: z.infer<typeof deletedGroupSchema>): DeletedGroup {
  return { id: group.id, displayName: group.displayName ?? null, uniqueName: group.uniqueName ?? null, deletedDateTime: group.deletedDateTime };
}

function objectRefFrom(object: z.infer<typeof directoryObjectSchema>): DirectoryObjectRef {
  return { id: object.id, type: shortODataType(object['@odata.type']) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
