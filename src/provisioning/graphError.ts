/**
 * The Graph error the Directory port's callers read: its type, the adapter's own codes and the request-id
 * helper. Owned here, by the consumer; the Graph adapter throws it.
 */

/**
 * The adapter's codes for failures that carry no Graph error body; Graph's own codes (e.g.
 * `Request_ResourceNotFound`) are open-ended and pass through as Graph sent them.
 */
export const GRAPH_ADAPTER_ERROR_CODE = {
  /** No response arrived. */
  network: 'NetworkError',
  /** A body that is not JSON, or a 2xx body that failed its schema. */
  invalidResponse: 'InvalidResponse',
  /** No answer within the per-attempt timeout, after the retries that were safe. */
  timeout: 'Timeout',
} as const;

/** A failed Microsoft Graph call, carrying what support needs to trace it on Microsoft's side. */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  /** HTTP status; 0 when no response arrived (network failure). */
  readonly status: number;
  /**
   * Graph's error code (e.g. `Request_ResourceNotFound`), or ours for failures without a Graph body: one of
   * GRAPH_ADAPTER_ERROR_CODE, or `Http<status>` for an error status without one.
   */
  readonly code: string;
  /** Graph's `request-id` response header (or `innerError.request-id`). */
  readonly requestId: string | undefined;
  /** The GUID we sent as `client-request-id`. */
  readonly clientRequestId: string;
  /** Graph's own message, without our decoration. */
  readonly graphMessage: string;

  constructor(fields: {
    readonly status: number;
    readonly code: string;
    readonly message: string;
    readonly requestId?: string;
    readonly clientRequestId: string;
  }) {
    super(`${fields.message} (Graph ${fields.status || 'no response'} ${fields.code}, request-id ${fields.requestId ?? 'none'})`);
    this.status = fields.status;
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.clientRequestId = fields.clientRequestId;
    this.graphMessage = fields.message;
  }
}

/**
 * Graph gave no answer within the per-attempt timeout, after the retries that were safe. A write may or may
 * not have been applied: only idempotent calls are retried, so the caller decides how to find out.
 */
export class GraphTimeoutError extends GraphError {
  readonly timeoutMs: number;
  readonly attempts: number;

  constructor(fields: { readonly timeoutMs: number; readonly attempts: number; readonly clientRequestId: string }) {
    const plural = fields.attempts === 1 ? 'attempt' : 'attempts';
    super({ status: 0, code: GRAPH_ADAPTER_ERROR_CODE.timeout, message: `Graph did not answer within ${fields.timeoutMs} ms (${fields.attempts} ${plural}).`, clientRequestId: fields.clientRequestId });
    this.timeoutMs = fields.timeoutMs;
    this.attempts = fields.attempts;
  }
}

export function isGraphError(error: unknown): error is GraphError {
  return error instanceof GraphError;
}

/** Graph's request id, when an error carries one (GraphError does; read by shape, so any error may be passed). */
export function graphRequestIdOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('requestId' in error)) return undefined;
  return typeof error.requestId === 'string' ? error.requestId : undefined;
}
