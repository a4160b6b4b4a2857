/**
 * What several features show about a policy's device group in Intune: the Bind button (behind its
 * confirmation), the way to the Intune admin center, and the steps to create a policy there.
 */
import type { PolicyGroupRecord } from '../../domain/policyGroup';
import { SCENARIO_INFO, type Scenario } from '../../domain/scenario';
import { CARD_VERBS } from '../verbs';
import { type CardElement, type ConfirmAction, type OpenUrlAction, confirm, execute, plain, text } from './elements';

/**
 * The Intune admin center. Microsoft documents no link straight to one device-preparation policy (nor to its
 * blade), so the button opens the admin center and the steps say where the policy is.
 */
const INTUNE_ADMIN_CENTER_URL = 'https://intune.microsoft.com/';
export const POLICIES_PATH = 'Devices › Windows › Windows enrollment › Device preparation policies';

/**
 * The Bind button: a confirmation first, since the policy's device group changes in Intune. It carries the
 * record's key (looked up again by the requests service); the name is only what the confirmation says.
 */
export function bindConfirmation(group: Pick<PolicyGroupRecord, 'policyKey' | 'policyName'>): ConfirmAction {
  return confirm(
    'Bind the bot\'s group',
    `Make the Intune policy "${plain(group.policyName)}" use the bot's device group? Intune checks the group; you act with your own Intune role (you may be asked to sign in).`,
    execute('Bind', CARD_VERBS.bindPolicy, { policyKey: group.policyKey }, { style: 'positive' }),
  );
}

export function openIntune(): OpenUrlAction {
  return { type: 'Action.OpenUrl', title: 'Open the Intune admin center', url: INTUNE_ADMIN_CENTER_URL };
}

/** Numbered steps, one line each. */
export function steps(lines: readonly string[]): CardElement {
  return text(lines.map((line, index) => `${index + 1}. ${line}`).join('\n'));
}

/** Intune has no such policy yet: create it with the group as its device group (or create it, then bind). */
export function createPolicySteps(policy: { readonly policyName: string; readonly scenario: Scenario; readonly displayName: string }): CardElement {
  const name = plain(policy.policyName);
  return steps([
    `Open the Intune admin center (the button below) and go to ${POLICIES_PATH}.`,
    `Create the ${SCENARIO_INFO[policy.scenario].label} policy "${name}", and choose the group **${plain(policy.displayName)}** as its device group.`,
    `Type \`bind ${name}\` here, or \`check ${name}\` to see that it is in place.`,
  ]);
}
