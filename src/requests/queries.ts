/** What people may see: requests, a policy's status, pending work, the policy→group catalogue, approval views. */
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { PolicyTruth } from './resolution';
import type { RequestsService } from './types';
import { validateGroupPage } from './validation';

type Queries = Pick<RequestsService, 'get' | 'statusOfPolicy' | 'listMine' | 'listPending' | 'listGroups' | 'approvalView'>;

export function createQueries(context: ServiceContext, permissions: Permissions, truth: Pick<PolicyTruth, 'resolve'>): Queries {
  const { store } = context;
  return {
    get: (requestId) => store.getRequest(requestId),

    async statusOfPolicy(policyName) {
      // A cached read of Intune is enough to follow a rename; nothing is decided from it.
      const resolved = await truth.resolve({ name: policyName });
      if (resolved.kind !== 'resolved') return { kind: 'invalid', message: resolved.kind === 'invalid' ? resolved.message : 'Intune does not know that policy.' };
      const { policy, key, record, intune } = resolved.resolution;
      const request = await store.latestRequestForPolicy(key);
      const tenantNotice = intune.kind === 'unavailable' ? `${intune.message} This is what my own records say.` : undefined;
      return { kind: 'found', policyName: policy.name, ...(request && { request }), ...(record && { group: record }), ...(tenantNotice !== undefined && { tenantNotice }) };
    },

    listMine: (actor) => store.listRequestsByRequester(actor.aadObjectId),

    async listPending(actor) {
      const refusal = await permissions.review(actor);
      if (refusal) {
        await context.recordDenial({ attempt: 'pending', reason: 'not an approver', actor });
        return { kind: 'forbidden', reason: refusal };
      }
      return { kind: 'listed', requests: await store.listRequestsInStates(['pending']) };
    },

    async listGroups(offset, limit) {
      const page = validateGroupPage(offset, limit);
      if (!page.ok) throw new RangeError(page.message);
      return store.listGroups(page.offset, page.limit);
    },

    async approvalView(requestId, actor, { automatic }) {
      const request = await store.getRequest(requestId);
      if (!request) {
        await context.recordDenial({ attempt: 'approver actions', reason: `no request ${requestId}`, ...(actor && { actor }), requestId });
        return { kind: 'notFound', requestId };
      }
      const refusal = actor ? await permissions.review(actor) : 'no Entra identity';
      if (refusal === undefined) return { kind: 'approver', request };
      // Teams refreshes a card on its own for whoever views it: they see it read-only, and nothing is refused.
      if (automatic) return { kind: 'observer', request };
      await context.recordDenial({ attempt: 'approver actions', reason: 'not an approver', ...(actor && { actor }), requestId: request.id, policyKey: request.policyKey });
      return { kind: 'forbidden', reason: refusal };
    },
  };
}
