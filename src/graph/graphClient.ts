/**
 * The Graph client every area module calls through, over @microsoft/microsoft-graph-client and @azure/identity.
 *
 * Middleware chain: ScopedBearerTokenHandler → the library's RetryHandler (429 honouring Retry-After, 503/504
 * with its exponential backoff and jitter, bounded here in count and total time) → AttemptObserver →
 * AttemptTimeout (a deadline per attempt) → ErrorBodyDrain (reads 429/5xx bodies to the end) →
 * HTTPMessageHandler. An attempt that times out is retried only when the call is idempotent. Every logical
 * call carries one GUID `client-request-id` (kept across its retries); Graph's `request-id` is returned on
 * results and errors.
 */
import { randomUUID } from 'node:crypto';
import { Client, HTTPMessageHandler, RetryHandler, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import type { z } from 'zod';
import type { Traced } from '../provisioning/directory';
import { GraphTimeoutError } from '../provisioning/graphError';
import { graphScopeFor, tokenSourceFor, type GraphCredentialConfig } from './graphCredential';
import { TIMED_OUT, attempt, type CallOptions, type Method } from './graphAttempt';
import { AttemptObserver, AttemptTimeout, ErrorBodyDrain, ScopedBearerTokenHandler, type GraphAttempt } from './graphMiddleware';
import { isGraphStatus, parse, type GraphResponse } from './graphResponse';
import { replicationWaitMs, retryPolicyOf, type GraphRetryOptions } from './graphRetry';
import { collectionSchema } from './graphSchemas';
import { delay } from '../shared/delay';
import { GRAPH_BASE_URL, relativeLink, validatedBaseUrl, type Version } from './graphUrl';
import type { BatchEnvelope, BatchOptions, BatchRequestBody, BatchTransport } from './batch';
import { createReadBatcher } from './readBatcher';
import type { RequestPacer } from './intunePacer';

export interface GraphClientOptions {
  /** Graph's origin; the sandbox emulator's URL (plain http allowed on loopback only). */
  readonly baseUrl?: string;
  readonly credential: GraphCredentialConfig;
  /** Token scope; defaults to the `.default` scope of the Graph cloud at `baseUrl`. */
  readonly scope?: string;
  readonly retry?: GraphRetryOptions;
  /** Called for every HTTP attempt, retries included (for logs and benchmarks). */
  readonly onRequest?: (attempt: GraphAttempt) => void;
  /**
   * Send reads made at the same time as JSON batches (issue 20): GETs and read actions without a body, made
   * in the same event-loop turn, go out together, at most 20 a batch; a read alone in its turn goes out as
   * itself. Off by default; the composition turns it on.
   */
  readonly batchReads?: BatchOptions;
  /**
   * Holds every request (each request inside a batch too) until Intune's budget has room for it (see
   * intunePacer.ts). One pacer per app and tenant: clients of the same tenant share it. None by default; the
   * composition passes the documented budget.
   */
  readonly pacer?: RequestPacer;
}

type Schema<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

export interface GraphClient {
  /** The configured Graph cloud's origin, for `@odata.id` and `@odata.bind` URLs on its own host. */
  readonly origin: string;
  /** The bearer token the calls carry (to tell a delegated caller from an app-only one). */
  token(): Promise<string>;
  /** `POST /{version}/$batch` of reads, as one logical call (JSON batching; see batch.ts). */
  readonly batch: BatchTransport;
  /** One logical call: its throttling retries (RetryHandler) and, when idempotent, its timeout retries. */
  call(method: Method, path: string, init?: CallOptions): Promise<GraphResponse>;
  /** A call whose 2xx body is parsed with `schema`. */
  callParsed<T>(schema: Schema<T>, method: Method, path: string, init?: CallOptions): Promise<{ value: T; requestId: string }>;
  /** Every page of a collection, following `@odata.nextLink` (only back to our own origin: the token must not leave it). */
  listAll<T>(item: Schema<T>, path: string, version?: Version): Promise<Traced<T[]>>;
  /**
   * A GET that maps 404 to undefined. `afterWrite`: a 404 may be replication lag, so it is read again with a
   * doubling wait, within the attempt count and the time budget.
   */
  getOptional<T>(path: string, map: (response: GraphResponse) => T, afterWrite: boolean): Promise<Traced<T | undefined>>;
}

const NOT_FOUND = 404;

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = validatedBaseUrl(options.baseUrl ?? GRAPH_BASE_URL);
  const retry = retryPolicyOf(options.retry);
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

  const pace = async (requests: readonly { readonly method: string; readonly url: string }[]): Promise<void> => options.pacer?.admit(requests);

  const batch: BatchTransport = {
    async post(version: Version, body: BatchRequestBody): Promise<BatchEnvelope> {
      // Each request inside counts against Intune's limits on its own; the envelope is not Intune's.
      await pace(body.requests);
      // Only reads are batched (GETs and read actions), so a batch sent again cannot apply anything twice.
      const response = await send('POST', '/$batch', { version, body, idempotent: true });
      return { status: response.status, headers: {}, body: response.body, requestId: response.requestId, clientRequestId: response.clientRequestId };
    },
  };
  const batchedRead = options.batchReads && createReadBatcher(batch, (method, path, version) => sendPaced(method, path, { version, idempotent: true }), options.batchReads);

  function call(method: Method, path: string, init: CallOptions = {}): Promise<GraphResponse> {
    const read = (init.idempotent ?? method === 'GET') && (method === 'GET' || method === 'POST') && init.body === undefined && init.headers === undefined;
    return batchedRead && read ? batchedRead(method, path, init.version ?? 'v1.0') : sendPaced(method, path, init);
  }

  /** One request on its own, once Intune's budget has room for it (its retries are the RetryHandler's). */
  async function sendPaced(method: Method, path: string, init: CallOptions = {}): Promise<GraphResponse> {
    await pace([{ method, url: path }]);
    return send(method, path, init);
  }

  async function send(method: Method, path: string, init: CallOptions = {}): Promise<GraphResponse> {
    const clientRequestId = randomUUID();
    const startedAt = Date.now();
    const idempotent = init.idempotent ?? method === 'GET';
    for (let attempts = 1; ; attempts++) {
      const outcome = await attempt(client, retry, { method, path, init, clientRequestId, startedAt });
      if (outcome !== TIMED_OUT) return outcome;
      const timeLeft = retry.maxRetryTimeMs - (Date.now() - startedAt);
      if (!idempotent || attempts > retry.maxRetries || timeLeft < retry.attemptTimeoutMs) {
        throw new GraphTimeoutError({ timeoutMs: retry.attemptTimeoutMs, attempts, clientRequestId });
      }
    }
  }

  async function callParsed<T>(schema: Schema<T>, method: Method, path: string, init?: CallOptions): Promise<{ value: T; requestId: string }> {
    const response = await call(method, path, init);
    return { value: parse(schema, response, path), requestId: response.requestId };
  }

  async function listAll<T>(item: Schema<T>, path: string, version: Version = 'v1.0'): Promise<Traced<T[]>> {
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
        if (!isGraphStatus(error, NOT_FOUND)) throw error;
        requestIds.push(error.requestId ?? '');
        const wait = replicationWaitMs(retry, attempt);
        if (attempt >= attempts || Date.now() - startedAt + wait > retry.replicationReadBudgetMs) return { value: undefined, requestIds };
        await delay(wait);
      }
    }
  }

  return { origin: base.origin, token, batch, call, callParsed, listAll, getOptional };
}
