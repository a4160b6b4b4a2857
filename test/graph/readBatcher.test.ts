/** Concurrent reads coalesced into batches: each caller gets its own answer or GraphError. */
import type { BatchTransport, BatchRequestBody } from '../../src/graph/batch';
import { createReadBatcher } from '../../src/graph/readBatcher';
import { GraphError } from '../../src/provisioning/graphError';

function transport(): BatchTransport & { readonly sent: BatchRequestBody[] } {
  const sent: BatchRequestBody[] = [];
  return {
    sent,
    async post(_version, body) {
      sent.push(body);
      const responses = body.requests.map((request) =>
        request.url.startsWith('/missing')
          ? { id: request.id, status: 404, headers: { 'request-id': 'r404' }, body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } } }
          : { id: request.id, status: 200, headers: { 'request-id': `r${request.id}` }, body: { url: request.url } },
      );
      return { status: 200, headers: {}, body: { responses }, requestId: 'b', clientRequestId: 'c' };
    },
  };
}

const alone: string[] = [];
const unbatched = async (_method: 'GET' | 'POST', path: string) => {
  alone.push(path);
  return { status: 200, body: { alone: path }, requestId: 'single', clientRequestId: 'c' };
};

describe('the read batcher', () => {
  it('sends a read that is alone in its turn on its own, not as a batch', async () => {
    const wire = transport();
    const read = createReadBatcher(wire, unbatched);
    expect((await read('GET', '/only', 'v1.0')).body).toEqual({ alone: '/only' });
    expect(wire.sent).toHaveLength(0);
  });

  it('sends reads asked in the same turn as batches of at most 20, each answered on its own', async () => {
    const wire = transport();
    const read = createReadBatcher(wire, unbatched);
    const answers = await Promise.all(Array.from({ length: 45 }, (_, index) => read('GET', `/things/${index}`, 'beta')));
    expect(wire.sent.map((body) => body.requests.length)).toEqual([20, 20, 5]);
    answers.forEach((answer, index) => expect(answer.body).toEqual({ url: `/things/${index}` }));
  });

  it('rejects only the call whose answer is an error, with a GraphError carrying its status and request-id', async () => {
    const read = createReadBatcher(transport(), unbatched);
    const [ok, missing] = await Promise.allSettled([read('GET', '/things/1', 'v1.0'), read('GET', '/missing/1', 'v1.0')]);
    expect(ok.status).toBe('fulfilled');
    expect(missing.status === 'rejected' && missing.reason).toBeInstanceOf(GraphError);
    expect(missing.status === 'rejected' && (missing.reason as GraphError)).toMatchObject({ status: 404, code: 'Request_ResourceNotFound', requestId: 'r404' });
  });

  it('keeps versions apart: a batch is per version', async () => {
    const wire = transport();
    const read = createReadBatcher(wire, unbatched);
    await Promise.all([read('GET', '/a', 'v1.0'), read('GET', '/a2', 'v1.0'), read('POST', '/b/retrieve', 'beta'), read('POST', '/b2/retrieve', 'beta')]);
    expect(wire.sent).toHaveLength(2);
  });
});
