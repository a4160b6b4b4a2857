/**
 * The intake form's typeahead: Intune's device-preparation policies whose name contains what was typed, each
 * marked when the bot already records its one group. Anyone may search (the form is open to everyone); nothing
 * is decided or written, so nothing is audited.
 */
import { parsePolicyName, policyKeyOf } from '../domain/policy';
import type { ServiceContext } from './context';
import type { IntunePolicyList } from './ports';
import type { PolicySearchResult, RequestsService, SearchedPolicy } from './types';

type PolicySearchPart = Pick<RequestsService, 'searchPolicies'>;

export function createPolicySearch(context: ServiceContext, list: IntunePolicyList | undefined): PolicySearchPart {
  return {
    async searchPolicies(text, page): Promise<PolicySearchResult> {
      if (!list) return { kind: 'unavailable', message: 'No Intune policy listing is configured: type the policy name.' };
      const wanted = policyKeyOf(text);
      const matching = (await list.listPolicies())
        .map((policy) => ({ policy, at: policyKeyOf(policy.name).indexOf(wanted) }))
        .filter((match) => match.at >= 0)
        // Names that start with what was typed first, then alphabetically.
        .sort((a, b) => Number(a.at !== 0) - Number(b.at !== 0) || a.policy.name.localeCompare(b.policy.name, 'en'));
      const skip = Math.max(page.skip, 0);
      const shown = matching.slice(skip, skip + Math.max(page.top, 0));
      const policies = await Promise.all(
        shown.map(async ({ policy }): Promise<SearchedPolicy> => {
          const parsed = parsePolicyName(policy.name);
          const group = parsed.ok ? await context.store.findGroup(parsed.value.key) : undefined;
          return { policyId: policy.policyId, policyName: policy.name, scenario: policy.scenario, hasGroup: group !== undefined };
        }),
      );
      return { kind: 'found', policies, total: matching.length };
    },
  };
}
