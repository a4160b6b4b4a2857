/**
 * Graph JSON batching (`POST /{version}/$batch`) over a small transport, so that it plugs into whichever client
 * sends the HTTP request. What Microsoft documents, and what this helper does about it:
 * - at most 20 requests a batch: requests are sent in chunks of at most 20;
 * - answers come in any order, matched by id: each request is sent under a short numeric id of our own (ids
 *   are not case-sensitive, digits have no case) and its answer found by it; an answer that does not come is
 *   treated as failed and sent again;
 * - each request counts against throttling on its own and may fail with 429 and its own `Retry-After`: such
 *   requests (and 503/504) are sent again in a later batch, after the longest wait asked for, within a bounded
 *   number of attempts and time; what is still failing then is returned with its last status (0: never
 *   answered) for the caller to judge;
 * - the batch itself can fail: a throttled or unavailable envelope (429/503/504 without answers) is sent
 *   again within the same bounds; any other failure is a GraphError.
 */
import { z } from 'zod';
import { GraphError } from '../provisioning/graphError';
import { graphErrorBodySchema } from './graphSchemas';

/** Graph's documented limit of requests in one JSON batch. */
export const MAX_BATCH_REQUESTS = 20;

export type BatchVersion = 'v1.0' | 'beta';

/** One request inside a batch, its URL relative to the version (`/deviceManagement/…`). */
export interface BatchRequest {
  /** The caller's key for the answer; unique among the requests of one call. */
  readonly key: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: unknown;
}

export interface BatchRequestBody {
  readonly requests: readonly { readonly id: string; readonly method: string; readonly url: string; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }[];
}

/** The HTTP answer to one `$batch` POST, whatever its status. Header names in lower case. */
export interface BatchEnvelope {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly requestId: string;
  readonly clientRequestId: string;
}

export interface BatchTransport {
  /** Sends one `$batch` request; rejects only when no HTTP answer arrived (a GraphError). */
  post(version: BatchVersion, body: BatchRequestBody): Promise<BatchEnvelope>;
}

/** One request's answer. `status` 0: no answer came within the attempts. Header names in lower case. */
export interface BatchAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface BatchOptions {
  /** Requests per batch, at most MAX_BATCH_REQUESTS (the default). */
  readonly maxPerBatch?: number;
  /** Batches in flight at once (default 1). */
  readonly concurrency?: number;
  /**
   * Sends of one request at most, the first included (default 30): the time budget is the real bound; Graph's
   * Retry-After is per request, so many requests throttled together may each need several rounds.
   */
  readonly maxAttempts?: number;
  /** No retry round starts that would begin later than this after the call (default 120 000 ms). */
  readonly retryBudgetMs?: number;
  /** Wait before resending a 503/504 or an unanswered request without Retry-After (default 1 000 ms, doubling). */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export interface BatchOutcome {
  /** By the caller's key, every request given. */
  readonly answers: ReadonlyMap<string, BatchAnswer>;
  /** `$batch` POSTs sent. */
  readonly roundTrips: number;
  /** Graph's request-id of every answered inner request (else of its batch), in order. */
  readonly requestIds: readonly string[];
}

const RETRYABLE = new Set([429, 503, 504]);
const NO_ANSWER: BatchAnswer = { status: 0, headers: {}, body: undefined };

const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string()).nullable().optional(),
      body: z.unknown().optional(),
    }),
  ),
});

interface Pending {
  readonly request: BatchRequest;
  attempts: number;
  last: BatchAnswer;
}

export async function sendBatched(transport: BatchTransport, version: BatchVersion, requests: readonly BatchRequest[], options: BatchOptions = {}): Promise<BatchOutcome> {
  const maxPerBatch = Math.min(options.maxPerBatch ?? MAX_BATCH_REQUESTS, MAX_BATCH_REQUESTS);
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 30);
  const budgetMs = options.retryBudgetMs ?? 120_000;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const startedAt = now();

  const keys = new Set(requests.map((request) => request.key));
  if (keys.size !== requests.length) throw new RangeError('Every request of a batch call needs its own key.');

  const answers = new Map<string, BatchAnswer>();
  const requestIds: string[] = [];
  let roundTrips = 0;
  let pending: Pending[] = requests.map((request) => ({ request, attempts: 0, last: NO_ANSWER }));

  for (let round = 0; pending.length > 0; round++) {
    const retry: Pending[] = [];
    let waitMs = 0;
    const settle = (item: Pending, answer: BatchAnswer | undefined, retryAfterMs: number | undefined): void => {
      item.attempts += 1;
      if (answer) item.last = answer;
      const failed = !answer || RETRYABLE.has(answer.status);
      if (!failed) {
        answers.set(item.request.key, answer);
        return;
      }
      const wait = retryAfterMs ?? baseDelayMs * 2 ** round;
      if (item.attempts >= maxAttempts || now() - startedAt + wait > budgetMs) {
        answers.set(item.request.key, item.last);
        return;
      }
      retry.push(item);
      waitMs = Math.max(waitMs, wait);
    };

    const chunks: Pending[][] = [];
    for (let index = 0; index < pending.length; index += maxPerBatch) chunks.push(pending.slice(index, index + maxPerBatch));
    await inParallel(chunks, concurrency, async (chunk) => {
      const envelope = await transport.post(version, { requests: chunk.map((item, index) => wireRequest(String(index + 1), item.request)) });
      roundTrips += 1;
      const parsed = batchResponseSchema.safeParse(envelope.body);
      if (!parsed.success) {
        if (!RETRYABLE.has(envelope.status)) throw batchError(envelope);
        const retryAfter = retryAfterMs(envelope.headers['retry-after']);
        for (const item of chunk) settle(item, { status: envelope.status, headers: envelope.headers, body: envelope.body }, retryAfter);
        return;
      }
      const byId = new Map(parsed.data.responses.map((response) => [response.id, response]));
      chunk.forEach((item, index) => {
        const response = byId.get(String(index + 1));
        if (!response) {
          settle(item, undefined, undefined);
          return;
        }
        const headers = lowerCaseKeys(response.headers ?? {});
        requestIds.push(headers['request-id'] ?? envelope.requestId);
        settle(item, { status: response.status, headers, body: response.body }, retryAfterMs(headers['retry-after']));
      });
    });
    if (retry.length > 0) await sleep(waitMs);
    pending = retry;
  }
  return { answers, roundTrips, requestIds };
}

function wireRequest(id: string, request: BatchRequest): BatchRequestBody['requests'][number] {
  // A request with a body must name its Content-Type (JSON batching docs).
  return request.body === undefined
    ? { id, method: request.method, url: request.url }
    : { id, method: request.method, url: request.url, body: request.body, headers: { 'Content-Type': 'application/json' } };
}

/** Retry-After in seconds (Graph's form) or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function batchError(envelope: BatchEnvelope): GraphError {
  const parsed = graphErrorBodySchema.safeParse(envelope.body);
  const ok = envelope.status >= 200 && envelope.status < 300;
  return new GraphError({
    status: envelope.status,
    code: parsed.success ? parsed.data.error.code : ok ? 'InvalidResponse' : `Http${envelope.status}`,
    message: parsed.success ? parsed.data.error.message : ok ? 'Graph answered the batch without a responses list.' : `Graph answered the batch with ${envelope.status}.`,
    requestId: envelope.requestId || undefined,
    clientRequestId: envelope.clientRequestId,
  });
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
