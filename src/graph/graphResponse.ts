/** What Graph answered, turned into a parsed value or a typed GraphError. */
import type { z } from 'zod';
import { GRAPH_ADAPTER_ERROR_CODE, GraphError } from '../provisioning/graphError';
import { graphErrorBodySchema } from './graphSchemas';

export interface GraphResponse {
  readonly status: number;
  readonly body: unknown;
  readonly requestId: string;
  readonly clientRequestId: string;
}

/** The body as JSON (undefined when empty); a body that is not JSON is an InvalidResponse. */
export function jsonBody(text: string, status: number, clientRequestId: string, requestId: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphError({
      status,
      code: GRAPH_ADAPTER_ERROR_CODE.invalidResponse,
      message: 'Graph answered with a body that is not JSON.',
      requestId,
      clientRequestId,
    });
  }
}

/** The GraphError of an error status: Graph's code and message, or ours when the body has none. */
export function errorFrom(status: number, body: unknown, requestId: string, clientRequestId: string): GraphError {
  const parsed = graphErrorBodySchema.safeParse(body);
  if (!parsed.success) {
    return new GraphError({ status, code: `Http${status}`, message: `Graph answered ${status} without an error body.`, requestId, clientRequestId });
  }
  const { code, message, innerError } = parsed.data.error;
  return new GraphError({ status, code, message, requestId: requestId || innerError?.['request-id'] || undefined, clientRequestId });
}

/** A 2xx body through its schema; one of the wrong shape is an InvalidResponse naming `what` and the issues. */
export function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, response: GraphResponse, what: string): T {
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return parsed.data;
  throw new GraphError({
    status: response.status,
    code: GRAPH_ADAPTER_ERROR_CODE.invalidResponse,
    message: `Graph returned an unexpected ${what}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
    requestId: response.requestId,
    clientRequestId: response.clientRequestId,
  });
}

/** Whether `error` is Graph's answer `status` (a 404, a 409…), for the calls that expect one. */
export function isGraphStatus(error: unknown, status: number): error is GraphError {
  return error instanceof GraphError && error.status === status;
}
