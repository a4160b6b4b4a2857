import type { TurnContext } from 'botbuilder';
import type { Scenario } from '../../../domain/scenario';
import { formForPolicy } from './form';
import type { BotContext } from '../../routes';
import { replyWithCard } from '../../turn';
import { argumentsAfter } from '../../commandArgs';

export const REQUEST_COMMAND = /^\s*(request|new)\b/i;

const SCENARIO_WORDS = String.raw`user[- ]?driven|automatic|windows 365|w365`;
/** `… as automatic`: the scenario said apart from the name, and not part of it. */
const EXPLICIT_SCENARIO = new RegExp(String.raw`(?:^|\s+)as\s+(${SCENARIO_WORDS})$`, 'i');
/** A name that ends in a scenario word (Intune policies are often named so): the word stays in the name. */
const SCENARIO_ENDING = new RegExp(String.raw`(?:^|\s)(${SCENARIO_WORDS})$`, 'i');

function scenarioOf(word: string): Scenario {
  return /^user/i.test(word) ? 'userDriven' : 'automatic';
}

/**
 * What `request …` prefills. The whole text is the policy name, which must match the Intune policy's name
 * for `bind` to find it: `request Contoso User-driven` asks for the policy "Contoso User-driven", and its
 * ending preselects the scenario. `request Contoso Sales as automatic` names the scenario apart.
 */
export function parseRequestPrefill(text: string): { policyName?: string; scenario?: Scenario } {
  const typed = text.trim();
  const explicit = EXPLICIT_SCENARIO.exec(typed);
  if (explicit) {
    const policyName = typed.slice(0, explicit.index).trim();
    return { ...(policyName !== '' && { policyName }), scenario: scenarioOf(explicit[1] ?? '') };
  }
  const ending = SCENARIO_ENDING.exec(typed);
  const scenario = ending ? scenarioOf(ending[1] ?? '') : undefined;
  // A scenario word alone chooses the scenario; it is no policy name.
  const policyName = ending && ending.index === 0 ? '' : typed;
  return { ...(policyName !== '' && { policyName }), ...(scenario && { scenario }) };
}

export async function handleRequestCommand(context: TurnContext, bot: BotContext): Promise<void> {
  const prefill = parseRequestPrefill(argumentsAfter(context.activity.text, REQUEST_COMMAND));
  await replyWithCard(context, await formForPolicy(bot, prefill));
}
