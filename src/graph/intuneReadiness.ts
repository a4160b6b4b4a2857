/**
 * Issue 20's Graph area, over the shared client: the inventory's batched readiness reads and the one-click
 * fix's assignment write. `$batch` goes through the client like any call (token, client-request-id, the
 * RetryHandler for a throttled envelope); what is throttled inside a batch is the batch helper's to retry.
 */
import type { IntuneAssigner, IntuneReadinessReader } from '../inventory/intune';
import { isGraphStatus } from './graphResponse';
import type { BatchOptions } from './batch';
import type { GraphClient } from './graphClient';
import { createIntuneAssigner } from './intuneAssign';
import { createIntuneReader } from './intuneReader';
import { z } from 'zod';

const NOT_FOUND = 404;

export function createIntuneReadiness(graph: GraphClient, batchOptions?: BatchOptions): IntuneReadinessReader & IntuneAssigner {
  const reader = createIntuneReader({
    batch: graph.batch,
    listAll: (path) => graph.listAll(z.unknown(), path, 'beta'),
    ...(batchOptions ? { batchOptions } : {}),
  });
  const assigner = createIntuneAssigner({
    async get(path) {
      try {
        const response = await graph.call('GET', path, { version: 'beta' });
        return { body: response.body, requestId: response.requestId };
      } catch (error) {
        if (isGraphStatus(error, NOT_FOUND)) return undefined;
        throw error;
      }
    },
    async post(path, body) {
      // Not idempotent: an assign sent twice after a timeout could undo a change made in between.
      const response = await graph.call('POST', path, { version: 'beta', body });
      return { requestId: response.requestId };
    },
  });
  return { ...reader, ...assigner };
}
