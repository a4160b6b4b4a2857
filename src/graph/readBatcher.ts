/**
 * Reads made at the same time, sent as JSON batches (issue 20): each read waits for the current turn of the
 * event loop, and whatever was asked meanwhile goes out in batches of at most 20 through the batch helper
 * (answers by id, per-request 429s retried after their own Retry-After). Each read still gets its own
 * GraphResponse or GraphError, so the Graph client can route its batchable calls here and the area modules
 * need no change: callers that read concurrently get batching.
 */
import { sendBatched, type BatchOptions, type BatchRequest, type BatchTransport } from './batch';
import { errorFrom, type GraphResponse } from './graphResponse';
import type { Version } from './graphUrl';

/** One read: a GET, or a read action sent as a POST without a body. */
export type BatchedRead = (method: 'GET' | 'POST', path: string, version: Version) => Promise<GraphResponse>;

interface Queued {
  readonly request: BatchRequest;
  readonly resolve: (response: GraphResponse) => void;
  readonly reject: (error: unknown) => void;
}

/** `single`: how a read that found no company in its turn is sent — on its own, as it would be unbatched. */
export function createReadBatcher(transport: BatchTransport, single: BatchedRead, options: BatchOptions = {}): BatchedRead {
  const queues = new Map<Version, Queued[]>();
  let counter = 0;

  function flush(version: Version): void {
    const queued = queues.get(version) ?? [];
    queues.delete(version);
    const [only] = queued;
    if (only && queued.length === 1) {
      single(only.request.method, only.request.url, version).then(only.resolve, only.reject);
      return;
    }
    sendBatched(transport, version, queued.map((each) => each.request), options).then(
      (outcome) => {
        for (const each of queued) {
          const answer = outcome.answers.get(each.request.key);
          const requestId = answer?.headers['request-id'] ?? '';
          if (answer && answer.status >= 200 && answer.status < 300) each.resolve({ status: answer.status, body: answer.body, requestId, clientRequestId: '' });
          else each.reject(errorFrom(answer?.status ?? 0, answer?.body, requestId, ''));
        }
      },
      (error: unknown) => {
        for (const each of queued) each.reject(error);
      },
    );
  }

  return (method, path, version) =>
    new Promise((resolve, reject) => {
      let queue = queues.get(version);
      if (!queue) {
        queue = [];
        queues.set(version, queue);
        setImmediate(() => flush(version));
      }
      queue.push({ request: { key: String(counter++), method, url: path }, resolve, reject });
    });
}
