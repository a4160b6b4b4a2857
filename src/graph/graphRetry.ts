/** How long and how often one logical Graph call is retried: throttling, timeouts and replication lag. */
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';

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

export type RetryPolicy = Required<GraphRetryOptions>;

const REPLICATION_MAX_DELAY_MS = 8_000;
const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 5,
  delaySeconds: 1,
  maxRetryTimeMs: 120_000,
  replicationReadAttempts: 10,
  replicationReadDelayMs: 500,
  replicationReadBudgetMs: DEFAULT_REPLICATION_READ_BUDGET_MS,
  attemptTimeoutMs: DEFAULT_GRAPH_ATTEMPT_TIMEOUT_MS,
};

export function retryPolicyOf(options: GraphRetryOptions | undefined): RetryPolicy {
  return { ...DEFAULT_RETRY, ...options };
}

/** The wait before replication read `attempt` + 1: doubling from the configured delay, capped at 8 s. */
export function replicationWaitMs(retry: RetryPolicy, attempt: number): number {
  return Math.min(retry.replicationReadDelayMs * 2 ** (attempt - 1), REPLICATION_MAX_DELAY_MS);
}

/**
 * Per-call retry options for the library's RetryHandler: same count and base delay, plus a deadline, so
 * that no retry starts whose wait would end beyond `maxRetryTimeMs` after the call began.
 */
export function boundedRetryOptions(retry: RetryPolicy, startedAt: number): RetryHandlerOptions {
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
