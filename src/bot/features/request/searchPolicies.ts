import type { TurnContext } from 'botbuilder';
import { SCENARIO_INFO } from '../../../domain/scenario';
import type { BotContext, SearchChoice, SearchQuery } from '../../routes';

/** The dataset the intake form's policy typeahead names in its `choices.data`. */
export const INTUNE_POLICIES_DATASET = 'intunePolicies';

/**
 * As someone types into the form's policy picker: Intune's device-preparation policies whose name contains the
 * text, each with its scenario, and marked when it already has its group (a request for it would be answered
 * with that group). Picking one fills in Intune's exact name, which is what `bind` later looks for.
 */
export async function searchIntunePolicies(_context: TurnContext, bot: BotContext, query: SearchQuery): Promise<readonly SearchChoice[]> {
  const result = await bot.requests.searchPolicies(query.text, { skip: query.skip, top: query.top });
  if (result.kind === 'unavailable') return [];
  return result.policies.map((policy) => ({
    title: `${policy.policyName} (${SCENARIO_INFO[policy.scenario].label})${policy.hasGroup ? ' — has its group already' : ''}`,
    value: policy.policyName,
  }));
}
