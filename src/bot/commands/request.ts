import type { TurnContext } from 'botbuilder';
import { parsePolicyName } from '../../domain/policy';
import type { Scenario } from '../../domain/scenario';
import { type RequestFormView, requestFormCard } from '../cards/requestForm';
import type { BotServices } from '../services';
import { replyWithCard } from '../turn';
import { argumentsAfter } from './args';

export const REQUEST_COMMAND = /^\s*(request|new)\b/i;

const SCENARIO_SUFFIX = /(?:^|\s)(user[- ]?driven|automatic|windows 365|w365)$/i;

/** `request Contoso Sales user-driven` → policy name and scenario to prefill (both optional). */
export function parseRequestPrefill(text: string): { policyName?: string; scenario?: Scenario } {
  let rest = text.trim();
  let scenario: Scenario | undefined;
  const suffix = SCENARIO_SUFFIX.exec(rest);
  if (suffix) {
    scenario = /^\s*user/i.test(suffix[1]) ? 'userDriven' : 'automatic';
    rest = rest.slice(0, suffix.index).trim();
  }
  return { ...(rest !== '' ? { policyName: rest } : {}), ...(scenario ? { scenario } : {}) };
}

/** The form view for given inputs, with the group-name preview when the policy name allows one. */
export function formWithPreview(
  services: Pick<BotServices, 'provisioning'>,
  inputs: Omit<RequestFormView, 'preview'>,
): RequestFormView {
  if (inputs.policyName === undefined) return inputs;
  const parsed = parsePolicyName(inputs.policyName);
  if (!parsed.ok) return { ...inputs, errors: { ...inputs.errors, policyName: parsed.reason } };
  try {
    const names = services.provisioning.previewNames(parsed.value.name, inputs.scenario ?? 'userDriven');
    return { ...inputs, preview: { displayName: names.displayName, mailNickname: names.mailNickname } };
  } catch (error) {
    // previewNames is pure and throws only a NamingError whose message explains the refusal.
    return { ...inputs, preview: { error: error instanceof Error ? error.message : 'this name cannot be used' } };
  }
}

export async function handleRequestCommand(context: TurnContext, services: BotServices): Promise<void> {
  const prefill = parseRequestPrefill(argumentsAfter(context.activity.text, REQUEST_COMMAND));
  await replyWithCard(context, requestFormCard(formWithPreview(services, prefill)));
}
