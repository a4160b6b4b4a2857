import { POLICY_NAME_MAX_LENGTH } from '../../../domain/policy';
import { SCENARIOS, SCENARIO_INFO, type Scenario } from '../../../domain/scenario';
import type { RequestField } from '../../../requests/types';
import { JUSTIFICATION_MAX_LENGTH, TICKET_MAX_LENGTH } from '../../../requests/validation';
import { CARD_VERBS } from '../../verbs';
import { type AdaptiveCard, type CardElement, adaptiveCard, execute, facts, heading, plain, text } from '../../cards/elements';


export interface RequestFormView {
  readonly policyName?: string;
  readonly scenario?: Scenario;
  readonly ticket?: string;
  readonly justification?: string;
  /** The names the group would get (a name that cannot have any shows its reason under the field). */
  readonly preview?: { readonly displayName: string; readonly mailNickname: string };
  /** Server-side validation messages, shown under their field. */
  readonly errors?: Partial<Record<RequestField, string>>;
  /** What the requester should know first, e.g. that an earlier request for this policy was rejected and why. */
  readonly notice?: string;
}

function fieldError(view: RequestFormView, field: RequestField): CardElement[] {
  const message = view.errors?.[field];
  return message ? [text(message, { color: 'Attention', spacing: 'None' })] : [];
}

function previewElements(view: RequestFormView): CardElement[] {
  const preview = view.preview;
  if (!preview) return [text('Choose "Preview group name" to see the name the group will get.', { isSubtle: true })];
  return [
    facts([
      ['Group name', plain(preview.displayName)],
      ['Mail nickname', plain(preview.mailNickname)],
    ]),
  ];
}

/** The intake form. Inputs validate in the client too, but the server validates again on submit. */
export function requestFormCard(view: RequestFormView): AdaptiveCard {
  const body: CardElement[] = [
    heading('Request a device group for an Autopilot device-preparation policy'),
    text('One Entra security group per policy, owned by the Intune provisioning client. An approver decides.', { isSubtle: true }),
    ...(view.notice ? [text(view.notice, { color: 'Warning' })] : []),
    {
      type: 'Input.Text',
      id: 'policyName',
      label: 'Device-preparation policy name',
      placeholder: 'e.g. Contoso Sales',
      isRequired: true,
      maxLength: POLICY_NAME_MAX_LENGTH,
      errorMessage: `Enter the policy name (at most ${POLICY_NAME_MAX_LENGTH} characters).`,
      ...(view.policyName ? { value: view.policyName } : {}),
    },
    ...fieldError(view, 'policyName'),
    {
      type: 'Input.ChoiceSet',
      id: 'scenario',
      label: 'Scenario',
      style: 'expanded',
      isRequired: true,
      errorMessage: 'Choose the scenario of the policy.',
      choices: SCENARIOS.map((id) => ({ title: SCENARIO_INFO[id].label, value: id })),
      value: view.scenario ?? 'userDriven',
    },
    ...fieldError(view, 'scenario'),
    {
      type: 'Input.Text',
      id: 'ticket',
      label: 'Ticket reference (optional)',
      maxLength: TICKET_MAX_LENGTH,
      ...(view.ticket ? { value: view.ticket } : {}),
    },
    ...fieldError(view, 'ticket'),
    {
      type: 'Input.Text',
      id: 'justification',
      label: 'Justification (optional)',
      isMultiline: true,
      maxLength: JUSTIFICATION_MAX_LENGTH,
      ...(view.justification ? { value: view.justification } : {}),
    },
    ...fieldError(view, 'justification'),
    ...previewElements(view),
  ];
  return adaptiveCard(body, {
    actions: [
      execute('Preview group name', CARD_VERBS.previewRequest, {}),
      execute('Submit request', CARD_VERBS.submitRequest, {}, { style: 'positive' }),
    ],
  });
}
