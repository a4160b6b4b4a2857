/**
 * The intake form's typeahead: Intune's device-preparation policies whose name contains what was typed (from
 * the tenant's cached listing, no group reads), each marked when the bot already records its one group. Anyone
 * may search (the form is open to everyone); nothing is decided or written, so nothing is audited.
 */
import { policyKeyOf } from '../domain/policy';
import type { TenantPolicies } from '../inventory/types';
import type { ServiceContext } from './context';
import type { PolicySearchResult, RequestsService, SearchedPolicy } from './types';

type PolicySearchPart = Pick<RequestsService, 'searchPolicies'>;

export function createPolicySearch(context: ServiceContext, tenant: TenantPolicies): PolicySearchPart {
  const { store } = context;
  return {
    async searchPolicies(text, page): Promise<PolicySearchResult> {
      const listing = await tenant.policies();
      if (listing.kind === 'unavailable') return { kind: 'unavailable', message: listing.message };
      const wanted = policyKeyOf(text);
      const matching = listing.policies
        .map((policy) => ({ policy, at: policy.key.indexOf(wanted) }))
        .filter((match) => match.at >= 0)
        // Names that start with what was typed first, then alphabetically.
        .sort((a, b) => Number(a.at !== 0) - Number(b.at !== 0) || a.policy.name.localeCompare(b.policy.name, 'en'));
      const skip = Math.max(page.skip, 0);
      const policies = await Promise.all(
        matching.slice(skip, skip + Math.max(page.top, 0)).map(async ({ policy }): Promise<SearchedPolicy> => {
          // The record a bind or an adoption tied to the policy's id, else the one of its current name.
          const record = (await store.findGroupOfIntunePolicy(policy.id)) ?? (await store.findGroup(policy.key));
          return { policyId: policy.id, policyName: policy.name, scenario: policy.scenario, hasGroup: record !== undefined };
        }),
      );
      return { kind: 'found', policies, total: matching.length };
    },
  };
}
