/**
 * The emulator's `POST /{version}/$batch` (JSON batching, as Microsoft documents it): at most 20 requests, ids
 * unique, a body only with its Content-Type; each request is run through the emulator on its own (so each one
 * meets the throttles and faults on its own) and answered with its own status, headers and body; a request
 * whose `dependsOn` failed is answered 424; the answers come back in another order than the requests (Graph
 * may reorder them; the emulator always does, so clients must match by id).
 */
import { z } from 'zod';
import { graphError, type GraphReply } from './graphWire';

export const BATCH_LIMIT = 20;

export interface InnerRequest {
  readonly method: string;
  /** The request's URL relative to the batch's version, with its query (`/groups/1?$expand=owners`). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** One inner request's answer as the emulator would send it on its own: status, headers, JSON body. */
export interface InnerAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

const batchBodySchema = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
      url: z.string().min(1),
      headers: z.record(z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});

export function handleBatch(body: unknown, run: (request: InnerRequest) => InnerAnswer): GraphReply {
  const parsed = batchBodySchema.safeParse(body);
  if (!parsed.success) return graphError(400, 'BadRequest', 'Invalid batch payload format.');
  const { requests } = parsed.data;
  if (requests.length > BATCH_LIMIT) return graphError(400, 'BadRequest', `The batch contains ${requests.length} requests; the limit is ${BATCH_LIMIT}.`);
  const ids = new Set(requests.map((request) => request.id.toLowerCase()));
  if (ids.size !== requests.length) return graphError(400, 'BadRequest', 'Batch request ids must be unique.');
  if (requests.some((request) => /\$batch/.test(request.url))) return graphError(400, 'BadRequest', 'A batch cannot contain another batch.');

  const statusById = new Map<string, number>();
  const responses: { id: string; status: number; headers: Readonly<Record<string, string>>; body?: unknown }[] = [];
  for (const request of requests) {
    const headers = request.headers ?? {};
    const failedDependency = (request.dependsOn ?? []).some((id) => {
      const status = statusById.get(id.toLowerCase());
      return status === undefined || status >= 400;
    });
    let answer: InnerAnswer;
    if (failedDependency) {
      answer = innerError(424, 'FailedDependency', 'The request depends on a request that failed.');
    } else if (request.body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      answer = innerError(400, 'BadRequest', 'A request with a body must have a Content-Type header.');
    } else {
      answer = run({ method: request.method, url: request.url.startsWith('/') ? request.url : `/${request.url}`, headers, body: request.body });
    }
    statusById.set(request.id.toLowerCase(), answer.status);
    responses.push({ id: request.id, status: answer.status, headers: answer.headers, ...(answer.body === undefined ? {} : { body: answer.body }) });
  }
  return { status: 200, body: { responses: responses.reverse() } };
}

function innerError(status: number, code: string, message: string): InnerAnswer {
  return { status, headers: { 'Content-Type': 'application/json' }, body: { error: { code, message } } };
}
