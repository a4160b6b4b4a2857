/**
 * The $batch helper against a scripted transport that answers as Graph documents it can: out of order, with
 * missing answers, per-request 429s with their own Retry-After, a throttled envelope, a refused batch.
 */
import { MAX_BATCH_REQUESTS, sendBatched, type BatchEnvelope, type BatchRequest, type BatchRequestBody, type BatchTransport } from '../../src/graph/batch';
import { GraphError } from '../../src/provisioning/graphError';

type InnerRequest = BatchRequestBody['requests'][number];
type Responder = (request: InnerRequest, call: number) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/** Answers each inner request with `respond` (undefined: leave it out), in reverse order; records what was sent. */
function scriptedTransport(respond: Responder, envelope?: (call: number) => BatchEnvelope | undefined): BatchTransport & { readonly sent: BatchRequestBody[] } {
  const sent: BatchRequestBody[] = [];
  return {
    sent,
    async post(_version, body) {
      sent.push(body);
      const call = sent.length;
      const whole = envelope?.(call);
      if (whole) return whole;
      const responses = body.requests.flatMap((request) => {
        const answer = respond(request, call);
        return answer ? [{ id: request.id, status: answer.status, headers: answer.headers ?? {}, body: answer.body }] : [];
      });
      return { status: 200, headers: {}, body: { responses: responses.reverse() }, requestId: `batch-${call}`, clientRequestId: 'c' };
    },
  };
}

const gets = (count: number): BatchRequest[] => Array.from({ length: count }, (_, index) => ({ key: `k${index}`, method: 'GET', url: `/things/${index}` }));
const echo: Responder = (request) => ({ status: 200, headers: { 'request-id': `r-${request.url}` }, body: { url: request.url } });

function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe('sendBatched', () => {
  it(`sends at most ${MAX_BATCH_REQUESTS} requests a batch and matches answers that come out of order`, async () => {
    const transport = scriptedTransport(echo);
    const outcome = await sendBatched(transport, 'beta', gets(45));
    expect(transport.sent.map((body) => body.requests.length)).toEqual([20, 20, 5]);
    expect(outcome.roundTrips).toBe(3);
    expect(outcome.answers.size).toBe(45);
    for (let index = 0; index < 45; index++) expect(outcome.answers.get(`k${index}`)?.body).toEqual({ url: `/things/${index}` });
    expect(outcome.requestIds).toHaveLength(45);
  });

  it('sends a request body with its Content-Type, as the batching docs require', async () => {
    const transport: BatchTransport = {
      async post(_version, body) {
        expect(body.requests[0]).toEqual({ id: '1', method: 'POST', url: '/act', body: {}, headers: { 'Content-Type': 'application/json' } });
        return { status: 200, headers: {}, body: { responses: [{ id: '1', status: 204 }] }, requestId: 'b', clientRequestId: 'c' };
      },
    };
    const outcome = await sendBatched(transport, 'v1.0', [{ key: 'A', method: 'POST', url: '/act', body: {} }]);
    expect(outcome.answers.get('A')?.status).toBe(204);
  });

  it('sends a request whose answer is missing again, and reports it with status 0 once the attempts run out', async () => {
    const { sleep } = recordingSleep();
    // k1 is answered only on the second batch; k2 never.
    const transport = scriptedTransport((request, call) => (request.url === '/things/1' && call === 1 ? undefined : request.url === '/things/2' ? undefined : echo(request, call)));
    const outcome = await sendBatched(transport, 'beta', gets(3), { sleep, maxAttempts: 3 });
    expect(outcome.answers.get('k0')?.status).toBe(200);
    expect(outcome.answers.get('k1')?.status).toBe(200);
    expect(outcome.answers.get('k2')).toEqual({ status: 0, headers: {}, body: undefined });
    expect(transport.sent.map((body) => body.requests.map((request) => request.url))).toEqual([['/things/0', '/things/1', '/things/2'], ['/things/1', '/things/2'], ['/things/2']]);
  });

  it('retries only the throttled requests, after the longest Retry-After among them', async () => {
    const { sleep, waits } = recordingSleep();
    const transport = scriptedTransport((request, call) => {
      if (call === 1 && request.url === '/things/1') return { status: 429, headers: { 'Retry-After': '2' } };
      if (call === 1 && request.url === '/things/3') return { status: 429, headers: { 'retry-after': '5' } };
      return echo(request, call);
    });
    const outcome = await sendBatched(transport, 'beta', gets(4), { sleep });
    expect(waits).toEqual([5000]);
    expect(transport.sent[1]?.requests.map((request) => request.url)).toEqual(['/things/1', '/things/3']);
    expect([...outcome.answers.values()].every((answer) => answer.status === 200)).toBe(true);
  });

  it('gives up within its time budget and returns the 429 for the caller to judge', async () => {
    let clock = 0;
    const sleep = async (ms: number): Promise<void> => void (clock += ms);
    const transport = scriptedTransport(() => ({ status: 429, headers: { 'Retry-After': '30' } }));
    const outcome = await sendBatched(transport, 'beta', gets(1), { sleep, now: () => clock, retryBudgetMs: 70_000 });
    expect(transport.sent).toHaveLength(3);
    expect(outcome.answers.get('k0')?.status).toBe(429);
  });

  it('leaves a 404 or a 403 alone (not retried)', async () => {
    const transport = scriptedTransport((request) => ({ status: request.url === '/things/0' ? 404 : 403, body: { error: { code: 'x', message: 'y' } } }));
    const outcome = await sendBatched(transport, 'beta', gets(2));
    expect(transport.sent).toHaveLength(1);
    expect(outcome.answers.get('k0')?.status).toBe(404);
    expect(outcome.answers.get('k1')?.status).toBe(403);
  });

  it('sends a throttled envelope again after its Retry-After', async () => {
    const { sleep, waits } = recordingSleep();
    const transport = scriptedTransport(echo, (call) =>
      call === 1 ? { status: 429, headers: { 'retry-after': '3' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } }, requestId: 'b1', clientRequestId: 'c' } : undefined,
    );
    const outcome = await sendBatched(transport, 'beta', gets(2), { sleep });
    expect(waits).toEqual([3000]);
    expect(outcome.roundTrips).toBe(2);
    expect(outcome.answers.get('k1')?.status).toBe(200);
  });

  it('turns a refused batch into a GraphError carrying Graph\'s code and request-id', async () => {
    const transport = scriptedTransport(echo, () => ({ status: 400, headers: {}, body: { error: { code: 'BadRequest', message: 'Too many requests in the batch.' } }, requestId: 'b1', clientRequestId: 'c' }));
    const failure = await sendBatched(transport, 'beta', gets(2)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphError);
    expect(failure).toMatchObject({ status: 400, code: 'BadRequest', requestId: 'b1' });
  });

  it('refuses two requests under one key (a bug in the caller)', async () => {
    await expect(sendBatched(scriptedTransport(echo), 'beta', [...gets(1), ...gets(1)])).rejects.toThrow(RangeError);
  });
});
