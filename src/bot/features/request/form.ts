/** The request form: its inputs (as the verbs' schema passes them) checked, and its view with the group-name preview. */
import type { z } from 'zod';
import { policyKeyOf } from '../../../domain/policy';
import { isActiveState } from '../../../domain/request';
import { isScenario, type Scenario } from '../../../domain/scenario';
import type { RequestField } from '../../../requests/types';
import { optionalText } from '../../cardData';
import { type AdaptiveCard, formatTime, plain } from '../../cards/elements';
import { groupExistsCard } from '../../cards/group';
import { requestCard } from '../../cards/request';
import type { BotContext } from '../../routes';
import type { RequestFormInputs } from '../../verbs';
import { type RequestFormView, requestFormCard } from './formCard';


export interface ValidRequestForm {
  readonly policyName: string;
  readonly scenario: Scenario;
  readonly ticket?: string;
  readonly justification?: string;
}

export type RequestFormParse =
  | { readonly ok: true; readonly form: ValidRequestForm }
  | { readonly ok: false; readonly view: RequestFormView };

/**
 * The form's inputs as text. Presence and type are checked here; the requests service checks the rest (name
 * rules, lengths, invisible characters). On error the view keeps what the user typed, messages at fields.
 */
export function parseRequestForm(fields: z.output<typeof RequestFormInputs>): RequestFormParse {
  const typed = typeof fields.policyName === 'string' ? fields.policyName : undefined;
  const picked = optionalText(fields.intunePolicy);
  // Typed wins over nothing picked; a pick fills in an empty name field (the policy usually comes later, so typing stays allowed).
  const policyName = optionalText(typed) ?? picked ?? typed;
  const scenario = isScenario(fields.scenario) ? fields.scenario : undefined;
  const ticket = optionalText(fields.ticket);
  const justification = optionalText(fields.justification);
  const errors: Partial<Record<RequestField, string>> = {};
  if (policyName === undefined || policyName.trim() === '') errors.policyName = 'Enter the name of the device-preparation policy, or pick it from Intune above.';
  else if (picked !== undefined && optionalText(typed) !== undefined && policyKeyOf(picked) !== policyKeyOf(policyName)) {
    errors.policyName = `You picked "${plain(picked)}" and typed another name: keep one of them.`;
  }
  if (!scenario) errors.scenario = 'Choose the scenario of the policy.';
  const view: RequestFormView = { policyName, scenario, ticket, justification };
  if (Object.keys(errors).length > 0 || policyName === undefined || scenario === undefined) {
    return { ok: false, view: { ...view, errors } };
  }
  return { ok: true, form: { policyName, scenario, ...(ticket ? { ticket } : {}), ...(justification ? { justification } : {}) } };
}


/** The form view for given inputs, with the group-name preview (or why there is none) from the requests service. */
export function formWithPreview(bot: Pick<BotContext, 'requests'>, inputs: Omit<RequestFormView, 'preview'>): RequestFormView {
  if (inputs.policyName === undefined) return inputs;
  const preview = bot.requests.previewNames(inputs.policyName, inputs.scenario ?? 'userDriven');
  if (preview.ok) return { ...inputs, preview: { displayName: preview.names.displayName, mailNickname: preview.names.mailNickname } };
  return { ...inputs, errors: { ...inputs.errors, policyName: preview.message } };
}

/**
 * What opening the form for a policy shows: the policy's group or its request in progress when it has one
 * (a second would be refused on Submit), else the form, with an earlier rejection and its reason on top.
 */
export async function formForPolicy(bot: Pick<BotContext, 'requests'>, inputs: Omit<RequestFormView, 'preview'>): Promise<AdaptiveCard> {
  const status = inputs.policyName === undefined ? undefined : await bot.requests.statusOfPolicy(inputs.policyName, { groupState: true });
  if (status?.kind === 'found') {
    if (status.group && status.groupPurged) {
      const notice = `The policy's group ${plain(status.group.displayName)} was deleted for good in Entra (not even in the recycle bin). A new request makes a new group, which then has to be chosen in the policy again.`;
      return requestFormCard(formWithPreview(bot, { ...inputs, notice }));
    }
    if (status.group) return groupExistsCard(status.group);
    const latest = status.request;
    if (latest && isActiveState(latest.state)) return requestCard(latest, 'This policy already has a request in progress');
    if (latest?.state === 'rejected' && latest.decision) {
      const reason = latest.decision.reason ? `: ${plain(latest.decision.reason)}` : ' (no reason given)';
      const notice = `${latest.id} for this policy was rejected by ${plain(latest.decision.by.name)} at ${formatTime(latest.decision.at)}${reason}. You can ask again.`;
      return requestFormCard(formWithPreview(bot, { ...inputs, notice }));
    }
  }
  return requestFormCard(formWithPreview(bot, inputs));
}
