import { SCENARIO_INFO } from '../../../domain/scenario';
import type { BindPolicyResult } from '../../../requests/types';
import type { PolicyGroupRecord } from '../../../domain/policyGroup';
import { CARD_VERBS } from '../../verbs';
import { groupFacts } from '../../cards/group';
import { type AdaptiveCard, type CardElement, type ExecuteAction, adaptiveCard, execute, facts, heading, plain, text } from '../../cards/elements';

/** Intune's answer as the requests service reports a bind it attempted. */
type BindResult = Extract<BindPolicyResult, { kind: 'attempted' }>['bind'];
/** Intune's verdict on one membership target. */
type BindStatus = Extract<BindResult, { outcome: 'validationFailed' }>['statuses'][number];

export interface BindCardView {
  readonly group: PolicyGroupRecord;
  readonly bind: BindResult;
}

/** What each of Intune's validation codes means for the person binding, and what to do about it. */
export function explainValidationCode(code: string | undefined, policyName: string): string {
  const check = `\`check ${plain(policyName)}\``;
  switch (code) {
    case 'securityGroupNotFound':
      return `Intune cannot find the group in Microsoft Entra ID: it was deleted, or it is so new that it has not replicated yet. Type ${check}; if the group is fine, bind again in a few minutes.`;
    case 'notSecurityGroup':
      return `The group is not a security group. Device preparation needs a security group; type ${check} to see what changed.`;
    case 'notStaticSecurityGroup':
      return `The group has dynamic membership. Device preparation needs an assigned (static) group, because Intune adds the devices itself; type ${check}.`;
    case 'firstPartyAppNotAnOwner':
      return 'The Intune Provisioning Client is not an owner of the group, so Intune could not add devices to it. An approver can add it back with "Add the missing owner", then bind again.';
    case 'securityGroupNotInCallerScope':
      return "The group is outside the Intune scope of the identity that binds it (scope tags or a role limited to some groups). An Intune administrator must widen the bot's role scope to include this group, or pick the group in the policy by hand.";
    default:
      return `Intune refused the group${code ? ` with the code ${plain(code)}` : ''}.`;
  }
}

/** `bind <policy>`: what Intune answered when asked to use the policy's group, one line per target. */
export function bindCard(view: BindCardView): AdaptiveCard {
  const { group, bind } = view;
  const policy = plain(group.policyName);
  const body: CardElement[] = [heading(titleOf(bind, policy)), groupFacts(group)];
  switch (bind.outcome) {
    case 'bound':
      body.push(text('Intune accepted the group: devices that enroll with this policy are added to it.', { color: 'Good' }));
      break;
    case 'validationFailed':
      body.push(text('Intune checked the group and refused it. Nothing was changed:', { color: 'Attention', weight: 'Bolder' }));
      body.push(...bind.statuses.filter((status) => !status.validationSucceeded).map((status) => statusLine(status, group.policyName)));
      break;
    case 'policyNotFound':
      // The title already says Intune has no such policy; the advice says what to do, once.
      body.push(
        text(
          `Create the ${SCENARIO_INFO[group.scenario].label} device-preparation policy "${policy}" in the Intune admin center first ` +
            `(Devices › Enrollment › Device preparation policies), then type \`bind ${policy}\` again.`,
        ),
      );
      break;
    case 'failed':
      if (bind.reason === 'appOnlyNotSupported') {
        // The message says plainly what Intune refuses and gives the manual path; no hedging after it.
        body.push(text(plain(bind.message), { color: 'Attention' }));
        if (bind.graphRequestId) body.push(facts([['Graph request id', bind.graphRequestId]]));
        break;
      }
      body.push(text(`Intune did not take the request: ${plain(bind.message)}`, { color: 'Attention' }));
      if (bind.graphRequestId) body.push(facts([['Graph request id', bind.graphRequestId]]));
      body.push(
        text(
          'The group is unchanged. Binding is optional: some tenants answer 500 to an app-only token here, so you can also ' +
            'pick the group in the policy in the Intune admin center.',
          { isSubtle: true },
        ),
      );
      break;
  }
  return adaptiveCard(body, { actions: repairActions(bind, group.policyName) });
}

function titleOf(bind: BindResult, policy: string): string {
  switch (bind.outcome) {
    case 'bound':
      return `"${policy}" now uses its device group`;
    case 'validationFailed':
      return `Intune refused the device group of "${policy}"`;
    case 'policyNotFound':
      return `Intune has no policy "${policy}" yet`;
    case 'failed':
      return bind.reason === 'appOnlyNotSupported' ? `Bind the device group of "${policy}" by hand in Intune` : `Could not bind the device group of "${policy}"`;
  }
}

function statusLine(status: BindStatus, policyName: string): CardElement {
  return text(`• Group ${status.targetId}: ${explainValidationCode(status.errorCode, policyName)} (${plain(status.errorCode ?? 'no code')})`);
}

/** The missing owner is the one refusal the bot can repair itself (approvers only, via the drift check). */
function repairActions(bind: BindResult, policyName: string): ExecuteAction[] {
  const ownerMissing = bind.outcome === 'validationFailed' && bind.statuses.some((status) => status.errorCode === 'firstPartyAppNotAnOwner');
  return ownerMissing ? [execute('Add the missing owner', CARD_VERBS.repairOwner, { policyName })] : [];
}
