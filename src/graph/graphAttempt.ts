/** One HTTP attempt of a Graph call through the middleware chain: its answer, a GraphError, or TIMED_OUT. */
import { ResponseType, type Client, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { GRAPH_ADAPTER_ERROR_CODE, GraphError } from '../provisioning/graphError';
import { isTimeout } from './graphMiddleware';
import { errorFrom, jsonBody, type GraphResponse } from './graphResponse';
import { boundedRetryOptions, type RetryPolicy } from './graphRetry';
import type { Version } from './graphUrl';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface CallOptions {
  readonly version?: Version;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Whether an attempt that timed out may be sent again: true for reads; writes must say so. */
  readonly idempotent?: boolean;
}

/** What an attempt that got no answer in time yields, for the call to retry or give up on. */
export const TIMED_OUT = Symbol('timed out');

/** One attempt of a logical call: the same client-request-id and start time across its retries. */
interface Attempt {
  readonly method: Method;
  readonly path: string;
  readonly init: CallOptions;
  readonly clientRequestId: string;
  readonly startedAt: number;
}

export async function attempt(client: Client, retry: RetryPolicy, { method, path, init, clientRequestId, startedAt }: Attempt): Promise<GraphResponse | typeof TIMED_OUT> {
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
    throw new GraphError({ status: 0, code: GRAPH_ADAPTER_ERROR_CODE.network, message: `Graph could not be reached: ${message}`, clientRequestId });
  }
  const requestId = response.headers.get('request-id') ?? '';
  const body = jsonBody(text, response.status, clientRequestId, requestId);
  if (!response.ok) throw errorFrom(response.status, body, requestId, clientRequestId);
  return { status: response.status, body, requestId, clientRequestId };
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
