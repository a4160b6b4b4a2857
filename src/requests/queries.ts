/** What people may see: requests, a policy's status, pending work, the policy→group catalogue, approval views. */
import { parsePolicyName } from '../domain/policy';
import type { ServiceContext } from './context';
import type { Permissions } from './permissions';
import type { PolicyTruth } from './resolution';
import type { RequestsService } from './types';
import { validateGroupPage } from './validation';

type Queries = Pick<RequestsService, 'get' | 'statusOfPolicy' | 'listMine' | 'listPending' | 'listGroups' | 'approvalView' | 'roleOf'>;

export function createQueries(context: ServiceContext, permissions: Permissions, truth: Pick<PolicyTruth, 'resolve' | 'tenant'>): Queries {
  const { store } = context;
  return {
    get: (requestId) => store.getRequest(requestId),

    async statusOfPolicy(policyName, options = {}) {
      const parsed = parsePolicyName(policyName);
      if (!parsed.ok) return { kind: 'invalid', message: parsed.reason };
      // A cached read of Intune is enough to follow a rename; nothing is decided from it. The newest request
      // under the typed name is read meanwhile, and again only when a rename gave the policy another key.
      const [resolved, typed] = await Promise.all([truth.resolve({ policy: parsed.value }), store.latestRequestForPolicy(parsed.value.key)]);
      if (resolved.kind === 'invalid') return resolved;
      const { policy, key, record, intune } = resolved.resolution;
      const request = key === parsed.value.key ? typed : await store.latestRequestForPolicy(key);
      const tenantNotice = intune.kind === 'unavailable' ? `${intune.message} This is what my own records say.` : undefined;
      // Only a group Entra purged frees the policy; an outage or an unreadable answer keeps the record's word.
      const groupPurged = options.groupState === true && record !== undefined && (await truth.tenant.group(record.groupId)).kind === 'purged';
      return {
        kind: 'found',
        policyName: policy.name,
        ...(request && { request }),
        ...(record && { group: record }),
        ...(tenantNotice !== undefined && { tenantNotice }),
        ...(groupPurged && { groupPurged: true }),
      };
    },

    listMine: (actor) => store.listRequestsByRequester(actor.aadObjectId),

    roleOf: async (actor) => ((await permissions.isApprover(actor)) ? 'approver' : 'requester'),

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
      if (refusal === undefined) {
        // The same rule Approve and Reject apply: the buttons are not shown where the click would be refused.
        const cannotDecide = actor && request.state === 'pending' ? await permissions.decide(request, actor) : undefined;
        return { kind: 'approver', request, ...(cannotDecide !== undefined && { cannotDecide }) };
      }
      // Teams refreshes a card on its own for whoever views it: they see it read-only, and nothing is refused.
      if (automatic) return { kind: 'observer', request };
      await context.recordDenial({ attempt: 'approver actions', reason: 'not an approver', ...(actor && { actor }), requestId: request.id, policyKey: request.policyKey });
      return { kind: 'forbidden', reason: refusal };
    },
  };
}
